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
from sqlmodel import Session

from inspection.db.tables import InspectionCodeRow
from inspection.errors import NotFoundError
from inspection.services.codes.issue import normalize_code
from inspection.services.codes.visit import code_visits

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
    found = code_visits(session, [row]) if row is not None else []
    if not found:
        raise NotFoundError(NOT_FOUND, "code")
    visit = found[0]
    names = {u.id: u.name for u in visit.units}
    return Verification(
        code=visit.code.code,
        date=visit.code.day,
        enterprise_name=visit.enterprise.name,
        lead_unit=names.get(visit.round.lead_unit_id, visit.round.lead_unit_id),
        units=[u.name for u in visit.units],
        officers=[
            VerifiedOfficer(
                unit=names.get(o.unit, o.unit), name=o.name, badge_number=o.badge_number
            )
            for o in visit.officers
        ],
        items=[
            VerifiedItem(
                unit=names.get(i.unit_id, i.unit_id), name=i.name, legal_basis=i.legal_basis
            )
            for i in visit.items
        ],
        plan=VerifiedPlan(
            number=visit.plan.id or 0,
            horizon_start=visit.plan.horizon_start,
            horizon_end=visit.plan.horizon_end,
        ),
        cancelled=visit.code.cancelled_at is not None,
    )
