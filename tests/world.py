"""A generated district stored through the services: units, enterprises, checklists."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session

from inspection.generator import generate
from inspection.services.checklists import submit_checklist
from inspection.services.models import (
    ChecklistCreate,
    ChecklistItemIn,
    EnterpriseCreate,
    UnitCreate,
)
from inspection.services.reference import create_enterprise, create_unit
from inspection.solver.schema import Problem
from tests.service_data import ACTOR

__all__ = ["store_generated", "store_problem"]


def store_problem(session: Session, problem: Problem) -> int:
    """Store a problem's units, enterprises and requests (grouped into checklists).

    Requests of one unit with the same window, priority, items and joinability
    form one checklist. Returns the number of checklists.
    """
    for unit in problem.units:
        create_unit(
            session,
            ACTOR,
            UnitCreate(id=unit.id, name=unit.name, weekday_capacity=[unit.daily_capacity] * 7),
        )
    for enterprise in problem.enterprises:
        create_enterprise(
            session,
            ACTOR,
            EnterpriseCreate(
                credit_code=enterprise.id,
                name=enterprise.name,
                town=enterprise.town or "凤城街道",
                blackout_days=list(enterprise.blackout_days),
            ),
        )
    groups: dict[tuple[str, date, date, int, tuple[str, ...], bool], list[str]] = defaultdict(list)
    for request in problem.requests:
        key = (
            request.unit,
            request.earliest,
            request.latest,
            request.priority,
            request.items or ("日常检查",),
            request.joinable,
        )
        groups[key].append(request.enterprise)
    for (unit_id, earliest, latest, priority, items, joinable), targets in groups.items():
        submit_checklist(
            session,
            ACTOR,
            ChecklistCreate(
                unit_id=unit_id,
                title=f"{items[0]}检查",
                inspection_type="routine" if joinable else "complaint",
                items=[ChecklistItemIn(name=i, legal_basis="相关法律法规") for i in items],
                targets=list(dict.fromkeys(targets)),
                earliest=earliest,
                latest=latest,
                priority=priority,
            ),
        )
    return len(groups)


def store_generated(session: Session, preset: str = "S", seed: int = 1) -> Problem:
    """Store a generated problem; returns it (its horizon is the week to plan)."""
    problem = generate(preset, seed)
    store_problem(session, problem)
    return problem
