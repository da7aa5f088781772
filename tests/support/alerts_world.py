"""A world for the repeat warnings: three units, four enterprises, three published weeks.

Each week is planned and published through the services after its checklists are
submitted, so a request placed in a later week could not have joined an earlier
week's round by the planner: what the warnings are for.

- week 1 (2024-06-03..09): SCJG visits E1..E4 on 06-03 (a one-day window);
- week 2 (2024-06-10..16), submitted after week 1 was published:
  XFJY E1 routine, window 06-03..06-12 (holds 06-03: a missed join, and a repeat);
  XFJY E2 routine, window 06-10..06-12 (a repeat, no missed join);
  XFJY E3 complaint, window 06-03..06-12 (case-driven: neither; non-joinable);
- week 3 (2024-08-05..11): HBJ E4 on 08-05, 63 days after 06-03 (no repeat at 60).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.checklists.models import ChecklistCreate, InspectionType
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, head_of

__all__ = ["E1", "E2", "E3", "E4", "build_alerts_world", "checklist", "publish_week_of"]

E1, E2, E3, E4 = FOOD_SHOP, FACTORY, "91441802307595328H", "91441802MA243WXT5U"
_NAMES = {
    E1: ("小吃店", "凤城街道"),
    E2: ("食品厂", "石角镇"),
    E3: ("五金厂", "石角镇"),
    E4: ("饮料厂", "凤城街道"),
}


def checklist(
    unit: str, targets: list[str], earliest: str, latest: str, kind: InspectionType
) -> ChecklistCreate:
    """A one-item checklist of `unit` (approved at once when submitted)."""
    return ChecklistCreate.model_validate(
        {
            "unit_id": unit,
            "title": f"{unit}日常检查" if kind == InspectionType.ROUTINE else f"{unit}投诉核查",
            "inspection_type": kind,
            "items": [{"name": f"{unit}检查事项", "legal_basis": "相关法律法规"}],
            "targets": targets,
            "earliest": earliest,
            "latest": latest,
        }
    )


def _publish_week(engine: Engine, start: date, end: date) -> None:
    with Session(engine) as session:
        plan_id = create_plan(session, ACTOR, PlanCreate(start=start, end=end, time_limit_s=5)).id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)


def _submit(engine: Engine, *checklists: ChecklistCreate) -> None:
    with Session(engine) as session:
        for data in checklists:
            submit_checklist(session, head_of(data.unit_id), data)


def build_alerts_world(
    engine: Engine, complaint: InspectionType = InspectionType.COMPLAINT
) -> None:
    """Store and publish the three weeks (E3's week-2 check is of type `complaint`)."""
    routine = InspectionType.ROUTINE
    with Session(engine) as session:
        for unit, name in (
            ("SCJG", "区市场监督管理局"),
            ("XFJY", "区消防救援大队"),
            ("HBJ", "区生态环境分局"),
        ):
            create_unit(session, ACTOR, UnitCreate(id=unit, name=name, weekday_capacity=[5] * 7))
        for code, (name, town) in _NAMES.items():
            create_enterprise(
                session, ACTOR, EnterpriseCreate(credit_code=code, name=name, town=town)
            )
    _submit(engine, checklist("SCJG", [E1, E2, E3, E4], "2024-06-03", "2024-06-03", routine))
    _publish_week(engine, date(2024, 6, 3), date(2024, 6, 9))
    _submit(
        engine,
        checklist("XFJY", [E1], "2024-06-03", "2024-06-12", routine),
        checklist("XFJY", [E2], "2024-06-10", "2024-06-12", routine),
        checklist("XFJY", [E3], "2024-06-03", "2024-06-12", complaint),
    )
    _publish_week(engine, date(2024, 6, 10), date(2024, 6, 16))
    _submit(engine, checklist("HBJ", [E4], "2024-08-05", "2024-08-05", routine))
    _publish_week(engine, date(2024, 8, 5), date(2024, 8, 11))


def publish_week_of(engine: Engine, start: date, end: date, *checklists: ChecklistCreate) -> None:
    """Submit these checklists, then plan and publish [start, end]."""
    _submit(engine, *checklists)
    _publish_week(engine, start, end)
