"""A visit as the outcomes see it: its code, its live round, and who may see it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from inspection.db.tables import (
    EnterpriseRow,
    InspectionCodeRow,
    PlanRoundRow,
    PlanRow,
    VisitConfirmationRow,
    VisitOutcomeRow,
)
from inspection.errors import ConflictError, NotFoundError
from inspection.services.access import Actor, may_see_round
from inspection.services.codes.issue import normalize_code

__all__ = ["Visit", "load_visit", "round_order"]


@dataclass(frozen=True)
class Visit:
    """An inspection code with its live round, enterprise and what was recorded on it."""

    code: InspectionCodeRow
    round: PlanRoundRow
    enterprise: EnterpriseRow
    outcomes: dict[str, VisitOutcomeRow]
    confirmation: VisitConfirmationRow | None

    @property
    def units(self) -> list[str]:
        """The round's units, the lead unit first."""
        return round_order(self.round)


def round_order(round_: PlanRoundRow) -> list[str]:
    """A round's units, the lead unit first, then by id."""
    lead = round_.lead_unit_id
    return [lead, *sorted(u for u in round_.units if u != lead)]


def load_visit(session: Session, actor: Actor, text: str, *, live: bool = True) -> Visit:
    """The visit a code names, if the actor may see its round (a unit: one it takes part in).

    Args:
        live: Refuse a cancelled code (anything that records); False to read one.

    Raises:
        NotFoundError: a malformed or unknown code, or one the actor may not see (field
            ``code``; a unit cannot probe which visits exist).
        ConflictError: a cancelled code, when `live`.
    """
    code = normalize_code(text)
    row = session.get(InspectionCodeRow, code) if code is not None else None
    round_ = session.get(PlanRoundRow, row.round_id) if row is not None else None
    plan = session.get(PlanRow, round_.plan_id) if round_ is not None else None
    if (
        row is None
        or round_ is None
        or plan is None
        or not may_see_round(actor, round_.units, published=plan.published_at is not None)
    ):
        raise NotFoundError(f"检查码 {text} 不存在", "code")
    if live and row.cancelled_at is not None:
        raise ConflictError(f"检查码 {row.code} 的检查已取消，不能填报或确认", "code")
    enterprise = session.get(EnterpriseRow, row.credit_code)
    assert enterprise is not None  # a foreign key
    outcomes = {
        o.unit_id: o
        for o in session.exec(select(VisitOutcomeRow).where(VisitOutcomeRow.code == row.code))
    }
    return Visit(
        code=row,
        round=round_,
        enterprise=enterprise,
        outcomes=outcomes,
        confirmation=session.get(VisitConfirmationRow, row.code),
    )
