"""Outcome and confirmation rows written straight into the tables, for the figures' tests.

The recording service is not what these tests are about: they put the rows the
figures read (`visit_outcomes`, `visit_confirmations`) where a test wants them, and
rebuild the day's outcome rollup as the service does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from inspection.db.tables import (
    ChecklistRow,
    InspectionCodeRow,
    RequestRow,
    VisitConfirmationRow,
    VisitOutcomeRow,
)
from inspection.services.figures.outcome_rollup import rebuild_outcome_rollup
from inspection.services.reference.outcomes import OutcomeStatus
from inspection.services.rounds.store import published_rounds

__all__ = ["MOMENT", "LiveRound", "confirm", "live_rounds", "record_outcome"]

MOMENT = datetime(2024, 6, 10, 9, tzinfo=UTC)


@dataclass(frozen=True)
class LiveRound:
    """A live published round as the tables give it, for counting by hand."""

    round_id: int
    code: str
    day: date
    town: str
    lead_unit: str
    requests: dict[int, str]  # request id -> its checklist's unit

    @property
    def units(self) -> set[str]:
        """The units with a request in the round."""
        return set(self.requests.values())


def live_rounds(session: Session) -> list[LiveRound]:
    """The live rounds with their (live, uncancelled) codes and each request's unit."""
    # not dict(result): a Result has .keys() and would be read as a mapping
    owner = {  # noqa: C416
        request_id: unit
        for request_id, unit in session.exec(
            select(RequestRow.id, ChecklistRow.unit_id).join(
                ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id)
            )
        )
    }
    codes = {
        c.round_id: c.code
        for c in session.exec(
            select(InspectionCodeRow).where(col(InspectionCodeRow.cancelled_at).is_(None))
        )
    }
    return [
        LiveRound(
            round_id=round_.id or 0,
            code=codes[round_.id or 0],
            day=round_.day,
            town=enterprise.town,
            lead_unit=round_.lead_unit_id,
            requests={r: owner[r] for r in requests},
        )
        for round_, enterprise, requests in published_rounds(session)
    ]


def record_outcome(
    session: Session,
    round_: LiveRound,
    unit: str,
    status: OutcomeStatus,
    problems_found: bool = False,
    case_opened: bool = False,
) -> None:
    """Write (or overwrite) one unit's outcome of a round's visit."""
    carried = status == OutcomeStatus.CARRIED_OUT
    row = session.get(VisitOutcomeRow, (round_.code, unit)) or VisitOutcomeRow(
        code=round_.code, unit_id=unit, day=round_.day, status=status,
        recorded_by="测试", recorded_at=MOMENT,
    )  # fmt: skip
    row.status = status
    row.problems_found = problems_found if carried else None
    row.case_opened = case_opened and carried
    session.add(row)
    rebuild_outcome_rollup(session, [round_.day])


def confirm(session: Session, round_: LiveRound) -> None:
    """The lead unit's confirmation that the round's visit was carried out."""
    if session.get(VisitConfirmationRow, round_.code) is None:
        session.add(
            VisitConfirmationRow(
                code=round_.code,
                lead_unit_id=round_.lead_unit,
                confirmed_by="测试",
                confirmed_at=MOMENT,
            )
        )
        rebuild_outcome_rollup(session, [round_.day])
