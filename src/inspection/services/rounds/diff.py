"""What a plan changes against what was announced for its days.

Kept, added and removed rounds; announced rounds that requests joined (same
enterprise, day, lead unit and requests, and more besides); and enterprises the
plan visits more than once in its horizon while it adds one of those visits.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel, Field
from sqlmodel import Session

from inspection.db.regions import enterprise_paths, path_under, region_path
from inspection.db.tables import PlanRoundRow, PlanRow
from inspection.services.rounds.store import (
    get_plan_row,
    plan_rounds,
    published_overlapping,
    round_requests,
)

__all__ = ["DiffRound", "JoinedRound", "PlanDiff", "SecondRound", "diff_against_published"]


class DiffRound(BaseModel):
    """A round in a comparison: its enterprise, day and requests."""

    enterprise: str
    date: date
    requests: list[int]


class JoinedRound(DiffRound):
    """An announced round that requests joined: it keeps its day, lead unit and requests."""

    joined_requests: list[int] = Field(description="the requests that joined it")
    joined_units: list[str] = Field(
        description="units that were not in it before (empty: a unit already in it brings more)"
    )


class SecondRound(BaseModel):
    """An enterprise the plan visits on several days of its horizon, one of them new."""

    enterprise: str
    dates: list[date] = Field(description="the days of all its rounds in the plan")
    added: list[date] = Field(description="those of them the plan adds")


class PlanDiff(BaseModel):
    """What a plan keeps, adds, removes and joins against the published rounds of its horizon."""

    kept: list[DiffRound]
    added: list[DiffRound]
    removed: list[DiffRound]
    joined: list[JoinedRound] = Field(description="announced rounds that requests joined")
    second_rounds: list[SecondRound] = Field(
        description="enterprises that get another round in the horizon beside one they have"
    )


class _Round:
    """A stored round as the comparison sees it."""

    def __init__(self, row: PlanRoundRow, requests: list[int]) -> None:
        self.enterprise, self.day, self.lead = row.credit_code, row.day, row.lead_unit_id
        self.units, self.requests = set(row.units), requests

    def public(self) -> DiffRound:
        return DiffRound(enterprise=self.enterprise, date=self.day, requests=self.requests)

    def joins(self, announced: _Round) -> bool:
        """Whether this round is `announced` with more requests: day, lead and requests kept."""
        return (
            self.lead == announced.lead
            and set(announced.requests) < set(self.requests)
            and announced.units <= self.units
        )


def _rounds(session: Session, rows: list[PlanRoundRow]) -> dict[tuple[str, date], _Round]:
    links = round_requests(session, [r.id for r in rows if r.id is not None])
    return {(r.credit_code, r.day): _Round(r, links.get(r.id or -1, [])) for r in rows}


def _announced_before(session: Session, plan: PlanRow) -> list[PlanRoundRow]:
    """The rounds that were live on the plan's days just before it was (or would be) published,
    at the enterprises of its region (and those under it): what its publication replaces.

    At an enterprise on a day that is the rounds of the plan published last, before this
    one, whose horizon covers the day and whose region holds the enterprise (a plan of
    the region, of one above it or of one under it).
    """
    start, end = plan.horizon_start, plan.horizon_end
    scope = region_path(session, plan.region_id)
    earlier = [
        p
        for p in published_overlapping(session, start, end, scope)
        if p.id != plan.id
        and p.published_at is not None
        and (plan.published_at is None or p.published_at < plan.published_at)
    ]
    earlier.sort(key=lambda p: (p.published_at, p.id))
    paths = [region_path(session, p.region_id) for p in earlier]
    rows: list[PlanRoundRow] = []
    for index, other in enumerate(earlier):
        assert other.id is not None
        candidates = [r for r in plan_rounds(session, other.id) if start <= r.day <= end]
        where = enterprise_paths(session, {r.credit_code for r in candidates})
        for round_ in candidates:
            at = where.get(round_.credit_code)
            if at is None or not path_under(at, scope):
                continue
            # a later publication covering the day and the enterprise replaced it
            replaced = any(
                later.horizon_start <= round_.day <= later.horizon_end
                and path_under(at, later_path)
                for later, later_path in zip(earlier[index + 1 :], paths[index + 1 :], strict=True)
            )
            if not replaced:
                rows.append(round_)
    return rows


def _ordered(rounds: list[_Round]) -> list[DiffRound]:
    return [r.public() for r in sorted(rounds, key=lambda r: (r.day, r.enterprise))]


def _second_rounds(mine: list[_Round], added: list[_Round]) -> list[SecondRound]:
    days: dict[str, list[date]] = defaultdict(list)
    for round_ in mine:
        days[round_.enterprise].append(round_.day)
    new: dict[str, list[date]] = defaultdict(list)
    for round_ in added:
        new[round_.enterprise].append(round_.day)
    return [
        SecondRound(enterprise=enterprise, dates=sorted(days[enterprise]), added=sorted(new_days))
        for enterprise, new_days in sorted(new.items())
        if len(days[enterprise]) > 1
    ]


def diff_against_published(session: Session, plan_id: int) -> PlanDiff:
    """What a plan keeps, adds, drops and joins against the rounds announced for its horizon.

    Those are the rounds that were live on its days, at the enterprises of its region
    and those under it, just before it was published (or, before it is published, the
    rounds live there now). An announced round that
    comes back with more requests (same day, lead unit, requests and units) is
    `joined`, not removed and added again. Each list is sorted by day, then
    enterprise; `second_rounds` by enterprise.

    Raises:
        NotFoundError: no plan has this id.
    """
    plan = get_plan_row(session, plan_id)
    published = _rounds(session, _announced_before(session, plan))
    mine = _rounds(session, plan_rounds(session, plan_id))
    kept, added, joined = [], [], []
    for key, round_ in mine.items():
        announced = published.get(key)
        if announced is not None and announced.requests == round_.requests:
            kept.append(round_)
        elif announced is not None and round_.joins(announced):
            joined.append((round_, announced))
        else:
            added.append(round_)
    matched = {(r.enterprise, r.day) for r in kept} | {(r.enterprise, r.day) for r, _ in joined}
    removed = [r for key, r in published.items() if key not in matched]
    return PlanDiff(
        kept=_ordered(kept),
        added=_ordered(added),
        removed=_ordered(removed),
        joined=[
            JoinedRound(
                **round_.public().model_dump(),
                joined_requests=[q for q in round_.requests if q not in set(announced.requests)],
                joined_units=sorted(round_.units - announced.units),
            )
            for round_, announced in sorted(joined, key=lambda j: (j[0].day, j[0].enterprise))
        ],
        second_rounds=_second_rounds(list(mine.values()), added),
    )
