"""Tables to planning problem, on SQLite and PostgreSQL, and the problem solves."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db import repository
from inspection.db.mapping import problem_for_horizon
from inspection.services.checklists import submit_checklist
from inspection.services.models import ChecklistCreate, EnterpriseCreate, UnitCreate
from inspection.services.reference import create_enterprise, create_unit
from inspection.solver import SolveOptions, check, solve
from tests.service_data import ACTOR, FACTORY, FOOD_SHOP

WEEK = (date(2024, 6, 3), date(2024, 6, 9))  # Monday to Sunday


def _checklist(unit: str, targets: list[str], **changes: Any) -> ChecklistCreate:
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


def _fill(session: Session) -> dict[str, int]:
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
    ids = {
        "routine": submit_checklist(session, ACTOR, _checklist("SCJG", [FOOD_SHOP, FACTORY])).id,
        "complaint": submit_checklist(
            session, ACTOR, _checklist("XFJY", [FACTORY], inspection_type="complaint", priority=3)
        ).id,
        "later": submit_checklist(
            session,
            ACTOR,
            _checklist("XFJY", [FOOD_SHOP], earliest="2024-07-01", latest="2024-07-05"),
        ).id,
        "withdrawn": submit_checklist(session, ACTOR, _checklist("XFJY", [FOOD_SHOP])).id,
    }
    withdrawn = repository.get_checklist(session, ids["withdrawn"])
    assert withdrawn is not None
    withdrawn.status = "withdrawn"
    session.commit()
    return ids


def test_problem_holds_the_week_s_submitted_checklists(engine: Engine) -> None:
    with Session(engine) as session:
        ids = _fill(session)
        problem = problem_for_horizon(session, *WEEK, name="qingcheng-2024-W23")
        excluded = {
            str(r.id)
            for key in ("later", "withdrawn")
            for r in repository.checklist_requests(session, ids[key])
        }
    by_unit = {u.id: u for u in problem.units}
    assert by_unit["SCJG"].daily_capacity == 3
    assert by_unit["SCJG"].capacity_by_date == {
        date(2024, 6, 4): 0,  # day off
        date(2024, 6, 7): 2,  # Friday
        date(2024, 6, 8): 0,
        date(2024, 6, 9): 0,
    }
    assert by_unit["XFJY"].capacity_by_date is None
    checklists_seen = {r.items for r in problem.requests}
    assert checklists_seen == {("SCJG检查事项",), ("XFJY检查事项",)}
    assert len(problem.requests) == 3  # 2 routine targets + 1 complaint; not later, not withdrawn
    complaint = [r for r in problem.requests if r.unit == "XFJY"]
    assert [(r.joinable, r.priority) for r in complaint] == [(False, 3)]
    shop = next(e for e in problem.enterprises if e.id == FOOD_SHOP)
    assert shop.blackout_days == (date(2024, 6, 5),)
    assert problem.non_working_days is None  # the statutory calendar applies
    assert excluded
    assert excluded.isdisjoint(r.id for r in problem.requests)


def test_the_mapped_problem_solves_to_a_valid_plan(engine: Engine) -> None:
    with Session(engine) as session:
        _fill(session)
        problem = problem_for_horizon(session, *WEEK)
    solution = solve(problem, SolveOptions(time_limit_s=5, workers=1))
    assert check(problem, solution).ok
    assert solution.statistics is not None
    assert solution.statistics.scheduled_requests == 3
    scheduled_days = {r.date for r in solution.rounds if r.enterprise == FOOD_SHOP}
    assert scheduled_days.isdisjoint({date(2024, 6, 4), date(2024, 6, 5)})
