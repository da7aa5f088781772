"""Worlds stored through the services: a small hand-made week, or a generated district.

The week (:func:`fill_week`): two units (SCJG with a day off and a short Friday,
XFJY), two enterprises (one with a blackout day) and four checklists: a routine
one for both enterprises, a complaint, one for a later month, one withdrawn.
Checklists are submitted by their unit's head, so they are approved at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db import repository
from inspection.generator import generate
from inspection.services.checklists.models import (
    ChecklistCreate,
    ChecklistItemIn,
    ChecklistStatus,
    InspectionType,
)
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.models import PlanCreate, PlanPublic
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from inspection.solver.schema import Problem, Request
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, head_of

__all__ = [
    "WEEK",
    "fill_week",
    "plan_week",
    "run_published_week",
    "store_checklists",
    "store_generated",
    "store_problem",
    "store_reference",
    "week_checklist",
    "week_plan",
]

WEEK = (date(2024, 6, 3), date(2024, 6, 9))  # Monday to Sunday


def week_checklist(unit: str, targets: list[str], **changes: Any) -> ChecklistCreate:
    """A checklist of `unit` for the week's enterprises, changed as given."""
    data: dict[str, Any] = {
        "unit_id": unit,
        "title": "联合检查",
        "items": [{"name": f"{unit}检查事项", "legal_basis": "相关法律法规"}],
        "targets": targets,
        "earliest": "2024-06-03",
        "latest": "2024-06-07",
    }
    data.update(changes)
    return ChecklistCreate.model_validate(data)


def fill_week(session: Session) -> dict[str, int]:
    """Store the week's units, enterprises and checklists; the checklists' ids by role."""
    create_unit(
        session,
        ACTOR,
        UnitCreate(
            id="SCJG",
            name="区市场监督管理局",
            weekday_capacity=[3, 3, 3, 3, 2, 0, 0],
            days_off=[date(2024, 6, 4)],
        ),
    )
    create_unit(
        session, ACTOR, UnitCreate(id="XFJY", name="区消防救援大队", weekday_capacity=[1] * 7)
    )
    create_enterprise(
        session,
        ACTOR,
        EnterpriseCreate(
            credit_code=FOOD_SHOP, name="小吃店", town="凤城街道", blackout_days=[date(2024, 6, 5)]
        ),
    )
    create_enterprise(
        session, ACTOR, EnterpriseCreate(credit_code=FACTORY, name="食品厂", town="石角镇")
    )
    routine = week_checklist("SCJG", [FOOD_SHOP, FACTORY])
    complaint = week_checklist(
        "XFJY", [FACTORY], inspection_type=InspectionType.COMPLAINT, priority=3
    )
    later = week_checklist("XFJY", [FOOD_SHOP], earliest="2024-07-01", latest="2024-07-05")
    ids = {
        "routine": submit_checklist(session, head_of("SCJG"), routine).id,
        "complaint": submit_checklist(session, head_of("XFJY"), complaint).id,
        "later": submit_checklist(session, head_of("XFJY"), later).id,
        "withdrawn": submit_checklist(
            session, head_of("XFJY"), week_checklist("XFJY", [FOOD_SHOP])
        ).id,
    }
    # withdrawn behind the service's back: no audit entry, no new version
    withdrawn = repository.get_checklist(session, ids["withdrawn"])
    assert withdrawn is not None
    withdrawn.status = ChecklistStatus.WITHDRAWN
    session.commit()
    return ids


def week_plan(time_limit_s: float = 5) -> PlanCreate:
    """The plan of the week, with this time limit."""
    return PlanCreate(start=WEEK[0], end=WEEK[1], time_limit_s=time_limit_s)


def plan_week(engine: Engine, time_limit_s: float = 5) -> PlanPublic:
    """Queue the week's plan and solve it here (as its worker would); the finished plan."""
    with Session(engine) as session:
        plan_id = create_plan(session, ACTOR, week_plan(time_limit_s)).id
    return run_plan(engine, plan_id)


def run_published_week(engine: Engine) -> int:
    """Fill the week, plan it and publish the plan; its id."""
    with Session(engine) as session:
        fill_week(session)
    plan_id = plan_week(engine).id
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
    return plan_id


def store_reference(session: Session, problem: Problem) -> None:
    """Store a problem's units (their daily capacity every weekday) and enterprises."""
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


def store_checklists(session: Session, requests: Iterable[Request]) -> list[int]:
    """Submit requests as checklists, each by its unit's head (approved at once); their ids.

    Requests of one unit with the same window, priority, items and joinability
    form one checklist.
    """
    groups: dict[tuple[str, date, date, int, tuple[str, ...], bool], list[str]] = defaultdict(list)
    for request in requests:
        key = (
            request.unit,
            request.earliest,
            request.latest,
            request.priority,
            request.items or ("日常检查",),
            request.joinable,
        )
        groups[key].append(request.enterprise)
    return [
        submit_checklist(
            session,
            head_of(unit_id),
            ChecklistCreate(
                unit_id=unit_id,
                title=f"{items[0]}检查",
                inspection_type=InspectionType.ROUTINE if joinable else InspectionType.COMPLAINT,
                items=[ChecklistItemIn(name=i, legal_basis="相关法律法规") for i in items],
                targets=list(dict.fromkeys(targets)),
                earliest=earliest,
                latest=latest,
                priority=priority,
            ),
        ).id
        for (unit_id, earliest, latest, priority, items, joinable), targets in groups.items()
    ]


def store_problem(session: Session, problem: Problem) -> int:
    """Store a problem's units, enterprises and requests (grouped into checklists).

    Returns the number of checklists.
    """
    store_reference(session, problem)
    return len(store_checklists(session, problem.requests))


def store_generated(session: Session, preset: str = "S", seed: int = 1) -> Problem:
    """Store a generated problem; returns it (its horizon is the week to plan)."""
    problem = generate(preset, seed)
    store_problem(session, problem)
    return problem
