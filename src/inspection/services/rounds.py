"""Published rounds: what enterprises and units have been announced."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from inspection.db.tables import (
    ChecklistRow,
    EnterpriseRow,
    LiveVisitRow,
    PlanRoundRow,
    PlanRow,
    PlanUnscheduledRow,
    RequestRow,
)
from inspection.services.plans import (
    get_plan,
    plan_rounds,
    published_overlapping,
    round_requests,
)

__all__ = [
    "RoundKey",
    "diff_against_published",
    "published_rounds",
    "request_owners",
    "unscheduled_of",
]


def published_rounds(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    enterprise: str | None = None,
    town: str | None = None,
) -> list[tuple[PlanRoundRow, EnterpriseRow, list[int]]]:
    """Live published rounds with their request ids, by day then enterprise.

    `unit` keeps the rounds in which the unit has a request.
    """
    live = select(LiveVisitRow.round_id)
    if date_from is not None:
        live = live.where(LiveVisitRow.day >= date_from)
    if date_to is not None:
        live = live.where(LiveVisitRow.day <= date_to)
    if unit is not None:
        live = live.where(LiveVisitRow.unit_id == unit)
    if enterprise is not None:
        live = live.where(LiveVisitRow.credit_code == enterprise)
    if town is not None:
        live = live.where(LiveVisitRow.town == town)
    query = (
        select(PlanRoundRow, EnterpriseRow)
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(PlanRoundRow.credit_code))
        .where(col(PlanRoundRow.id).in_(live.distinct()))
        .order_by(col(PlanRoundRow.day), col(PlanRoundRow.credit_code), col(PlanRoundRow.id))
    )
    rows = list(session.exec(query))
    links = round_requests(session, [r.id for r, _ in rows if r.id is not None])
    return [(r, e, links.get(r.id or -1, [])) for r, e in rows]


def request_owners(session: Session, request_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Request id to (its checklist's id, its unit's id)."""
    owners: dict[int, tuple[int, str]] = {}
    for start in range(0, len(request_ids), 1000):
        chunk = request_ids[start : start + 1000]
        query = (
            select(RequestRow.id, ChecklistRow.id, ChecklistRow.unit_id)
            .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
            .where(col(RequestRow.id).in_(chunk))
        )
        for request_id, checklist_id, unit_id in session.exec(query):
            assert request_id is not None
            assert checklist_id is not None
            owners[request_id] = (checklist_id, unit_id)
    return owners


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


def _round_keys(session: Session, rows: list[PlanRoundRow]) -> set[RoundKey]:
    links = round_requests(session, [r.id for r in rows if r.id is not None])
    return {(r.credit_code, r.day, tuple(links.get(r.id or -1, []))) for r in rows}


def _announced_before(session: Session, plan: PlanRow) -> list[PlanRoundRow]:
    """The rounds that were live on the plan's days just before it was (or would be) published.

    On each day that is the rounds of the plan published last, before this one,
    whose horizon covers the day.
    """
    start, end = plan.horizon_start, plan.horizon_end
    earlier = [
        p
        for p in published_overlapping(session, start, end)
        if p.id != plan.id
        and p.published_at is not None
        and (plan.published_at is None or p.published_at < plan.published_at)
    ]
    earlier.sort(key=lambda p: (p.published_at, p.id))
    owner: dict[date, int] = {}
    for other in earlier:  # later publications overwrite the days they cover
        assert other.id is not None
        day = max(start, other.horizon_start)
        while day <= min(end, other.horizon_end):
            owner[day] = other.id
            day += timedelta(days=1)
    rows: list[PlanRoundRow] = []
    for plan_id in set(owner.values()):
        rows += [r for r in plan_rounds(session, plan_id) if owner.get(r.day) == plan_id]
    return rows


def diff_against_published(
    session: Session, plan_id: int
) -> tuple[list[RoundKey], list[RoundKey], list[RoundKey]]:
    """What a plan keeps, adds and drops against the rounds announced for its horizon.

    Those are the rounds that were live on its days just before it was published
    (or, before it is published, the rounds live now).

    Returns:
        (kept, added, removed), each sorted by day then enterprise; a round is
        (enterprise, day, request ids).
    """
    plan = get_plan(session, plan_id)
    published = _round_keys(session, _announced_before(session, plan))
    mine = _round_keys(session, plan_rounds(session, plan_id))

    def ordered(keys: set[RoundKey]) -> list[RoundKey]:
        return sorted(keys, key=lambda k: (k[1], k[0], k[2]))

    return ordered(mine & published), ordered(mine - published), ordered(published - mine)
