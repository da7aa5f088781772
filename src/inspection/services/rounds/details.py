"""One round in full, as the desk's dialog shows it: what it is made of, and on what grounds.

A round's detail names every request in it with its checklist (unit, title,
type) and that checklist's items with their legal basis, so a coordinator can
answer "why are we going there, and on what grounds" without leaving the page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from inspection.db.regions import enterprise_in_region
from inspection.db.tables import (
    ChecklistItemRow,
    ChecklistRow,
    EnterpriseRow,
    PlanRoundRow,
    PlanRow,
    RequestRow,
)
from inspection.errors import NotFoundError
from inspection.services.access import Actor, may_see_round
from inspection.services.checklists.models import InspectionType
from inspection.services.codes.issue import round_codes
from inspection.services.officers.drawn import round_officers
from inspection.services.officers.models import RoundOfficer
from inspection.services.reference.service import unit_names
from inspection.services.rounds.store import round_requests

__all__ = ["RoundChecklist", "RoundDetail", "RoundItem", "round_detail"]


class RoundItem(BaseModel):
    """One item to check, and the law that asks for it."""

    name: str
    legal_basis: str


class RoundChecklist(BaseModel):
    """A checklist with a request in the round."""

    checklist_id: int
    request_id: int
    unit_id: str
    unit_name: str
    title: str
    inspection_type: InspectionType
    items: list[RoundItem]


class RoundDetail(BaseModel):
    """A round with the checklists behind it."""

    id: int
    plan_id: int
    published: bool
    enterprise: str
    enterprise_name: str
    town: str
    address: str
    date: date
    lead_unit: str
    units: list[str]
    checklists: list[RoundChecklist]
    officers: list[RoundOfficer] = Field(
        default_factory=list, description="who inspects: the officers drawn for each unit"
    )
    code: str | None = Field(
        default=None,
        description="the inspection code (检查码) of a live published round, for `/v/{code}`",
    )


def round_detail(session: Session, actor: Actor, round_id: int) -> RoundDetail:
    """One round with every request's checklist and items.

    Coordinators see any plan's rounds; auditors the published ones; a unit the
    published rounds it takes part in; a key of a region only rounds at enterprises of its
    region or under it. Anything else is 404, not 403, so that a
    unit cannot probe which rounds exist.

    Raises:
        NotFoundError: no such round, or not one the actor may see.
    """
    row = session.get(PlanRoundRow, round_id)
    plan = session.get(PlanRow, row.plan_id) if row is not None else None
    enterprise = session.get(EnterpriseRow, row.credit_code) if row is not None else None
    if (
        row is None
        or plan is None
        or enterprise is None
        or not may_see_round(actor, row.units, published=plan.published_at is not None)
        # a key of a region sees the rounds at its enterprises, as GET /rounds lists them
        or not enterprise_in_region(session, enterprise.credit_code, actor.region_path)
    ):
        raise NotFoundError(f"联合检查轮次 {round_id} 不存在", "round_id")
    assert row.id is not None
    assert plan.id is not None
    request_ids = round_requests(session, [row.id]).get(row.id, [])
    pairs = list(
        session.exec(
            select(RequestRow, ChecklistRow)
            .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
            .where(col(RequestRow.id).in_(request_ids))
            .order_by(col(RequestRow.id))
        )
    )
    checklist_ids = [c.id for _, c in pairs]
    items: dict[int, list[RoundItem]] = defaultdict(list)
    for item in session.exec(
        select(ChecklistItemRow)
        .where(col(ChecklistItemRow.checklist_id).in_(checklist_ids))
        .order_by(col(ChecklistItemRow.checklist_id), col(ChecklistItemRow.position))
    ):
        items[item.checklist_id].append(RoundItem(name=item.name, legal_basis=item.legal_basis))
    names = unit_names(session)
    checklists = []
    for request, checklist in pairs:
        assert request.id is not None
        assert checklist.id is not None
        checklists.append(
            RoundChecklist(
                checklist_id=checklist.id,
                request_id=request.id,
                unit_id=checklist.unit_id,
                unit_name=names.get(checklist.unit_id, checklist.unit_id),
                title=checklist.title,
                inspection_type=InspectionType(checklist.inspection_type),
                items=items[checklist.id],
            )
        )
    return RoundDetail(
        id=row.id,
        plan_id=plan.id,
        published=plan.published_at is not None,
        enterprise=row.credit_code,
        enterprise_name=enterprise.name,
        town=enterprise.town,
        address=enterprise.address,
        date=row.day,
        lead_unit=row.lead_unit_id,
        units=row.units,
        checklists=checklists,
        officers=round_officers(session, [row.id]).get(row.id, []),
        code=round_codes(session, [row.id]).get(row.id),
    )
