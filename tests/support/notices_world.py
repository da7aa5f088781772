"""A published week for the notices of joint inspection: a joint round with everything a
notice shows (contacts, addresses, a catalogue with documents to prepare, officers).

Units SCJG (contact given, a published catalogue whose item asks for documents) and
XFJY (no contact); the food shop is visited jointly by both on a day of the week
(SCJG leads: it brings two items), the factory by SCJG alone.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import InspectionCodeRow, PlanRoundRow
from inspection.services.catalogue.models import CatalogueItemCreate, PublishRequest
from inspection.services.catalogue.service import add_item, publish_catalogue
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, head_of
from tests.support.officers import store_week_roster
from tests.support.world import WEEK, week_checklist

__all__ = [
    "CONTACT",
    "FOOD_SHOP_ADDRESS",
    "SCJG_DOCUMENTS",
    "SCJG_ITEMS",
    "NoticesWeek",
    "publish_notices_week",
]

CONTACT = "张丽 0763-3362101"
FOOD_SHOP_ADDRESS = "清远市清城区凤城街道人民一路8号"
SCJG_ITEMS = (
    ("食品经营许可", "《中华人民共和国食品安全法》第三十五条", "食品经营许可证、营业执照副本"),
    ("从业人员健康管理", "《中华人民共和国食品安全法》第四十五条", "从业人员健康证明"),
)
"""SCJG's catalogue: name, legal basis, documents (营业执照副本 is also a standard one)."""
SCJG_DOCUMENTS = ("食品经营许可证", "从业人员健康证明")
"""What SCJG's items add to the standard documents, once each and in the items' order."""


class NoticesWeek:
    """What the world published: the plan, and each visit's code by (enterprise, day)."""

    def __init__(self, plan_id: int, codes: dict[tuple[str, date], str]) -> None:
        self.plan_id = plan_id
        self.codes = codes

    def code_at(self, credit_code: str) -> tuple[str, date]:
        """The code and day of the only visit at this enterprise."""
        (found,) = [(c, d) for (e, d), c in self.codes.items() if e == credit_code]
        return found


def publish_notices_week(engine: Engine) -> NoticesWeek:
    """Store, plan and publish the world; its plan and codes."""
    with Session(engine) as session:
        create_unit(
            session,
            ACTOR,
            UnitCreate(
                id="SCJG", name="区市场监督管理局", weekday_capacity=[3] * 7, contact=CONTACT
            ),
        )
        create_unit(
            session, ACTOR, UnitCreate(id="XFJY", name="区消防救援大队", weekday_capacity=[1] * 7)
        )
        create_enterprise(
            session,
            ACTOR,
            EnterpriseCreate(
                credit_code=FOOD_SHOP, name="小吃店", town="凤城街道", address=FOOD_SHOP_ADDRESS
            ),
        )
        create_enterprise(
            session, ACTOR, EnterpriseCreate(credit_code=FACTORY, name="食品厂", town="石角镇")
        )
        for number, (name, basis, documents) in enumerate(SCJG_ITEMS, start=1):
            item = CatalogueItemCreate(
                code=f"SCJG-{number:03d}", name=name, legal_basis=basis, documents=documents
            )
            add_item(session, ACTOR, "SCJG", item)
        publish_catalogue(session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 1, 1)))
        items = [{"name": name, "legal_basis": basis} for name, basis, _ in SCJG_ITEMS]
        submit_checklist(
            session, head_of("SCJG"), week_checklist("SCJG", [FOOD_SHOP, FACTORY], items=items)
        )
        submit_checklist(session, head_of("XFJY"), week_checklist("XFJY", [FOOD_SHOP]))
        store_week_roster(session)
        plan_id = create_plan(
            session, ACTOR, PlanCreate(start=WEEK[0], end=WEEK[1], time_limit_s=5)
        ).id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
        rounds = {
            r.id: r
            for r in session.exec(select(PlanRoundRow).where(PlanRoundRow.plan_id == plan_id))
        }
        joint = [r for r in rounds.values() if r.credit_code == FOOD_SHOP]
        assert len(joint) == 1, joint
        assert sorted(joint[0].units) == ["SCJG", "XFJY"], joint
        codes = {
            (row.credit_code, row.day): row.code
            for row in session.exec(
                select(InspectionCodeRow).where(col(InspectionCodeRow.plan_id) == plan_id)
            )
        }
    return NoticesWeek(plan_id, codes)
