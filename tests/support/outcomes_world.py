"""A published week with two joint rounds, for recording what each visit came to.

Units SCJG and XFJY; at the factory on Wednesday 2024-06-05 a round led by SCJG
(two items against XFJY's one), at the food shop on Thursday 2024-06-06 one led
by XFJY. Every checklist is its unit head's, so approved at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import InspectionCodeRow
from inspection.services.access import Actor, Role
from inspection.services.checklists.models import ChecklistCreate
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.use_cases import publish_plan
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, head_of
from tests.support.world import plan_week

__all__ = ["FACTORY_DAY", "SHOP_DAY", "JointWeek", "publish_joint_week", "unit_key"]

FACTORY_DAY = date(2024, 6, 5)  # SCJG leads, XFJY joins
SHOP_DAY = date(2024, 6, 6)  # XFJY leads, SCJG joins


@dataclass(frozen=True)
class JointWeek:
    """The published plan and the inspection codes of its two visits."""

    plan_id: int
    factory_code: str
    shop_code: str


def unit_key(unit_id: str) -> Actor:
    """A unit key of `unit_id` (not its head's: recording outcomes needs no head)."""
    return Actor(name=f"tests-{unit_id}", role=Role.UNIT, unit_id=unit_id)


def _checklist(unit: str, target: str, day: date, items: int) -> ChecklistCreate:
    return ChecklistCreate.model_validate(
        {
            "unit_id": unit,
            "title": f"{unit}联合检查",
            "items": [
                {"name": f"{unit}检查事项{n}", "legal_basis": "相关法律法规"} for n in range(items)
            ],
            "targets": [target],
            "earliest": day.isoformat(),
            "latest": day.isoformat(),
        }
    )


def publish_joint_week(engine: Engine) -> JointWeek:
    """Store the two units, the two enterprises and their checklists, plan the week of
    2024-06-03 and publish it."""
    with Session(engine) as session:
        for unit, name in (("SCJG", "区市场监督管理局"), ("XFJY", "区消防救援大队")):
            create_unit(session, ACTOR, UnitCreate(id=unit, name=name, weekday_capacity=[3] * 7))
        for code, name in ((FACTORY, "食品厂"), (FOOD_SHOP, "小吃店")):
            create_enterprise(
                session, ACTOR, EnterpriseCreate(credit_code=code, name=name, town="凤城街道")
            )
        for unit, target, day, items in (
            ("SCJG", FACTORY, FACTORY_DAY, 2),
            ("XFJY", FACTORY, FACTORY_DAY, 1),
            ("XFJY", FOOD_SHOP, SHOP_DAY, 2),
            ("SCJG", FOOD_SHOP, SHOP_DAY, 1),
        ):
            submit_checklist(session, head_of(unit), _checklist(unit, target, day, items))
    plan_id = plan_week(engine).id
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
        codes = {
            row.credit_code: row.code
            for row in session.exec(
                select(InspectionCodeRow).where(col(InspectionCodeRow.plan_id) == plan_id)
            )
        }
    return JointWeek(plan_id=plan_id, factory_code=codes[FACTORY], shop_code=codes[FOOD_SHOP])
