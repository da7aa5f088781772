"""A unit's to-do list (待填报): the visits whose day has come that still need its outcome,
or, for the round's lead unit, its confirmation, with the days left to back-fill."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlmodel import Session, col, select

from inspection.db.tables import (
    EnterpriseRow,
    InspectionCodeRow,
    PlanRoundRow,
    VisitConfirmationRow,
    VisitOutcomeRow,
)
from inspection.errors import ForbiddenError
from inspection.services.access import Actor, Role
from inspection.services.outcomes.models import PendingNeed, PendingVisit
from inspection.services.outcomes.service import confirmable
from inspection.services.outcomes.visits import round_order
from inspection.services.outcomes.window import backfill_until
from inspection.services.reference.outcomes import OutcomeStatus
from inspection.services.reference.today import district_today
from inspection.services.rules.settings import rule_settings

__all__ = ["pending_outcomes"]


def pending_outcomes(
    session: Session, actor: Actor, today: date | None = None
) -> list[PendingVisit]:
    """The actor's unit's visits from the back-fill window's start to today that lack its
    outcome or (as lead) its confirmation, soonest deadline first.

    A visit no unit carried out has nothing to confirm and is not listed for that.

    Raises:
        ForbiddenError: not a unit key.
    """
    if actor.role != Role.UNIT or actor.unit_id is None:
        raise ForbiddenError("待填报列表仅限执法单位", "Authorization")
    unit = actor.unit_id
    today = today or district_today()
    days = rule_settings(session).outcome_backfill_days
    rows = list(
        session.exec(
            select(InspectionCodeRow, PlanRoundRow, EnterpriseRow.name)
            .join(PlanRoundRow, col(PlanRoundRow.id) == col(InspectionCodeRow.round_id))
            .join(
                EnterpriseRow, col(EnterpriseRow.credit_code) == col(InspectionCodeRow.credit_code)
            )
            .where(col(InspectionCodeRow.day) >= today - timedelta(days=days))
            .where(col(InspectionCodeRow.day) <= today)
            .where(col(InspectionCodeRow.cancelled_at).is_(None))
            .order_by(col(InspectionCodeRow.day), col(InspectionCodeRow.code))
        )
    )
    mine = [(code, round_, name) for code, round_, name in rows if unit in round_.units]
    codes = [code.code for code, _, _ in mine]
    outcomes: dict[str, dict[str, VisitOutcomeRow]] = defaultdict(dict)
    confirmed: set[str] = set()
    for start in range(0, len(codes), 1000):
        chunk = codes[start : start + 1000]
        for row in session.exec(
            select(VisitOutcomeRow).where(col(VisitOutcomeRow.code).in_(chunk))
        ):
            outcomes[row.code][row.unit_id] = row
        confirmed |= set(
            session.exec(
                select(VisitConfirmationRow.code).where(col(VisitConfirmationRow.code).in_(chunk))
            )
        )
    found: list[PendingVisit] = []
    for code, round_, name in mine:
        assert round_.id is not None
        units = round_order(round_)
        recorded = outcomes[code.code]
        lead = round_.lead_unit_id == unit
        if code.code in confirmed:
            continue  # final: nothing left to do
        anyone_may_carry_out = any(
            u not in recorded or recorded[u].status == OutcomeStatus.CARRIED_OUT for u in units
        )
        needs = PendingNeed(
            outcome=unit not in recorded, confirmation=lead and anyone_may_carry_out
        )
        if not (needs.outcome or needs.confirmation):
            continue
        until = backfill_until(code.day, days)
        found.append(
            PendingVisit(
                code=code.code,
                day=code.day,
                round_id=round_.id,
                enterprise=code.credit_code,
                enterprise_name=name,
                lead=lead,
                needs=needs,
                confirmable=confirmable(units, recorded),
                waiting_for=[u for u in units if u not in recorded],
                backfill_until=until,
                days_left=(until - today).days,
            )
        )
    found.sort(key=lambda p: (p.backfill_until, p.code))
    return found
