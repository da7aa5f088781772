"""What a plan changes against what was announced for its days: kept, added, removed rounds."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlmodel import Session

from inspection.db.tables import PlanRoundRow, PlanRow
from inspection.services.rounds.store import (
    get_plan_row,
    plan_rounds,
    published_overlapping,
    round_requests,
)

__all__ = ["DiffRound", "PlanDiff", "diff_against_published"]


class DiffRound(BaseModel):
    """A round in a comparison: its enterprise, day and requests."""

    enterprise: str
    date: date
    requests: list[int]


class PlanDiff(BaseModel):
    """What a plan keeps, adds and removes against the published rounds of its horizon."""

    kept: list[DiffRound]
    added: list[DiffRound]
    removed: list[DiffRound]


_RoundKey = tuple[str, date, tuple[int, ...]]


def _round_keys(session: Session, rows: list[PlanRoundRow]) -> set[_RoundKey]:
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


def _ordered(keys: set[_RoundKey]) -> list[DiffRound]:
    return [
        DiffRound(enterprise=enterprise, date=day, requests=list(requests))
        for enterprise, day, requests in sorted(keys, key=lambda k: (k[1], k[0], k[2]))
    ]


def diff_against_published(session: Session, plan_id: int) -> PlanDiff:
    """What a plan keeps, adds and drops against the rounds announced for its horizon.

    Those are the rounds that were live on its days just before it was published
    (or, before it is published, the rounds live now). Each list is sorted by
    day, then enterprise; a round is its enterprise, day and request ids.

    Raises:
        NotFoundError: no plan has this id.
    """
    plan = get_plan_row(session, plan_id)
    published = _round_keys(session, _announced_before(session, plan))
    mine = _round_keys(session, plan_rounds(session, plan_id))
    return PlanDiff(
        kept=_ordered(mine & published),
        added=_ordered(mine - published),
        removed=_ordered(published - mine),
    )
