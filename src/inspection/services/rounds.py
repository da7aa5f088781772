"""Published rounds: what enterprises and units have been announced."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from inspection.db.tables import (
    EnterpriseRow,
    PlanRoundRow,
    PlanRow,
    PlanUnscheduledRow,
)
from inspection.services.plans import get_plan, plan_rounds, round_requests

__all__ = ["RoundKey", "diff_against_published", "published_rounds", "unscheduled_of"]


def published_rounds(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    enterprise: str | None = None,
    town: str | None = None,
) -> list[tuple[PlanRoundRow, EnterpriseRow]]:
    """Rounds of the live published plans (not superseded), by day then enterprise."""
    query = (
        select(PlanRoundRow, EnterpriseRow)
        .join(PlanRow, col(PlanRow.id) == col(PlanRoundRow.plan_id))
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(PlanRoundRow.credit_code))
        .where(col(PlanRow.published_at).is_not(None))
        .where(col(PlanRow.superseded_by).is_(None))
    )
    if date_from is not None:
        query = query.where(PlanRoundRow.day >= date_from)
    if date_to is not None:
        query = query.where(PlanRoundRow.day <= date_to)
    if enterprise is not None:
        query = query.where(PlanRoundRow.credit_code == enterprise)
    if town is not None:
        query = query.where(EnterpriseRow.town == town)
    rows = list(session.exec(query.order_by(col(PlanRoundRow.day), col(PlanRoundRow.credit_code))))
    # units are a JSON list: filtered here rather than with dialect-specific JSON operators
    return [(r, e) for r, e in rows if unit is None or unit in r.units]


def unscheduled_of(session: Session, plan_id: int) -> list[PlanUnscheduledRow]:
    """The requests a plan leaves out, with their reason codes."""
    get_plan(session, plan_id)
    query = (
        select(PlanUnscheduledRow)
        .where(PlanUnscheduledRow.plan_id == plan_id)
        .order_by(col(PlanUnscheduledRow.request_id))
    )
    return list(session.exec(query))


RoundKey = tuple[str, date, tuple[int, ...]]


def _round_keys(session: Session, plan_id: int, start: date, end: date) -> set[RoundKey]:
    rows = [r for r in plan_rounds(session, plan_id) if start <= r.day <= end]
    links = round_requests(session, [r.id for r in rows if r.id is not None])
    return {(r.credit_code, r.day, tuple(links.get(r.id or -1, []))) for r in rows}


def diff_against_published(
    session: Session, plan_id: int
) -> tuple[list[RoundKey], list[RoundKey], list[RoundKey]]:
    """What a plan keeps, adds and drops against the published rounds of its horizon.

    The published rounds are those of the plans it superseded, or, before it is
    published, of the live published plans its horizon meets.

    Returns:
        (kept, added, removed), each sorted by day then enterprise; a round is
        (enterprise, day, request ids).
    """
    plan = get_plan(session, plan_id)
    start, end = plan.horizon_start, plan.horizon_end
    others = [
        p
        for p in session.exec(
            select(PlanRow)
            .where(col(PlanRow.published_at).is_not(None))
            .where(PlanRow.horizon_start <= end)
            .where(PlanRow.horizon_end >= start)
        )
        if p.id != plan_id and (p.superseded_by == plan_id or p.superseded_by is None)
    ]
    published: set[RoundKey] = set()
    for other in others:
        assert other.id is not None
        published |= _round_keys(session, other.id, start, end)
    mine = _round_keys(session, plan_id, start, end)

    def ordered(keys: set[RoundKey]) -> list[RoundKey]:
        return sorted(keys, key=lambda k: (k[1], k[0], k[2]))

    return ordered(mine & published), ordered(mine - published), ordered(published - mine)
