"""What anyone holding an inspection code may read: the visit it names, and nothing else.

No key is needed, so the answer holds only what the enterprise needs to check that
the visit is real: the date, its own name, the units (the lead one marked), the
officers with their badge numbers, the items with their legal basis, the plan's
number and horizon, and whether the visit was cancelled. No credit code, no row
id, nothing of another enterprise. An unknown code and a malformed one get the
same answer, which says nothing of what exists near it.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from inspection.db.tables import (
    ChecklistItemRow,
    ChecklistRow,
    EnterpriseRow,
    InspectionCodeRow,
    PlanRoundRequestRow,
    PlanRoundRow,
    PlanRow,
    RequestRow,
    UnitRow,
)
from inspection.errors import NotFoundError
from inspection.services.codes.issue import normalize_code
from inspection.services.officers.drawn import round_officers

__all__ = [
    "NOT_FOUND",
    "Verification",
    "VerifiedItem",
    "VerifiedOfficer",
    "VerifiedPlan",
    "verify_code",
]

NOT_FOUND = "未找到该检查码"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VerifiedOfficer(_Closed):
    """An officer coming, with the badge number to check at the door."""

    unit: str  # the unit's name
    name: str
    badge_number: str


class VerifiedItem(_Closed):
    """An item a unit will check, and the law that asks for it."""

    unit: str  # the unit's name
    name: str
    legal_basis: str


class VerifiedPlan(_Closed):
    """The published plan the visit belongs to."""

    number: int  # the plan's number, as the coordinators' desk and notices name it
    horizon_start: date
    horizon_end: date


class Verification(_Closed):
    """The visit an inspection code names, as the public may read it."""

    code: str
    date: date
    enterprise_name: str
    lead_unit: str  # the lead unit's name
    units: list[str]  # every unit's name, the lead unit first
    officers: list[VerifiedOfficer]
    items: list[VerifiedItem]
    plan: VerifiedPlan
    cancelled: bool


def verify_code(session: Session, text: str) -> Verification:
    """The visit a code names (cancelled ones too, marked so).

    Raises:
        NotFoundError: the code is malformed or unknown (the same answer for both).
    """
    code = normalize_code(text)
    row = session.get(InspectionCodeRow, code) if code is not None else None
    round_ = session.get(PlanRoundRow, row.round_id) if row is not None else None
    plan = session.get(PlanRow, row.plan_id) if row is not None else None
    enterprise = session.get(EnterpriseRow, row.credit_code) if row is not None else None
    if row is None or round_ is None or plan is None or enterprise is None:
        raise NotFoundError(NOT_FOUND, "code")
    assert round_.id is not None
    assert plan.id is not None
    names: dict[str, str] = dict(
        session.exec(
            select(UnitRow.id, UnitRow.name).where(col(UnitRow.id).in_(round_.units))
        ).all()
    )
    order = [round_.lead_unit_id, *sorted(u for u in round_.units if u != round_.lead_unit_id)]
    rank = {unit: index for index, unit in enumerate(order)}
    found: list[tuple[str, ChecklistItemRow]] = []
    seen: set[tuple[str, str, str]] = set()
    for unit_id, item in session.exec(
        select(ChecklistRow.unit_id, ChecklistItemRow)
        .select_from(PlanRoundRequestRow)
        .join(RequestRow, col(RequestRow.id) == col(PlanRoundRequestRow.request_id))
        .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
        .join(ChecklistItemRow, col(ChecklistItemRow.checklist_id) == col(ChecklistRow.id))
        .where(col(PlanRoundRequestRow.round_id) == round_.id)
        .order_by(col(RequestRow.id), col(ChecklistItemRow.position))
    ):
        key = (unit_id, item.name, item.legal_basis)
        if key not in seen:  # two checklists of a unit may ask for the same item
            seen.add(key)
            found.append((unit_id, item))
    found.sort(key=lambda pair: rank.get(pair[0], len(rank)))  # stable: request order kept
    items = [
        VerifiedItem(unit=names.get(u, u), name=item.name, legal_basis=item.legal_basis)
        for u, item in found
    ]
    officers = sorted(
        round_officers(session, [round_.id]).get(round_.id, []),
        key=lambda o: (rank.get(o.unit, len(rank)), o.name),
    )
    return Verification(
        code=row.code,
        date=row.day,
        enterprise_name=enterprise.name,
        lead_unit=names.get(round_.lead_unit_id, round_.lead_unit_id),
        units=[names.get(u, u) for u in order],
        officers=[
            VerifiedOfficer(
                unit=names.get(o.unit, o.unit), name=o.name, badge_number=o.badge_number
            )
            for o in officers
        ],
        items=items,
        plan=VerifiedPlan(
            number=plan.id, horizon_start=plan.horizon_start, horizon_end=plan.horizon_end
        ),
        cancelled=row.cancelled_at is not None,
    )
