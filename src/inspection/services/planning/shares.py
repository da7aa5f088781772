"""Capacity shares: how a unit working in several districts splits a day between them.

A city- or province-level unit (市场监管局, 消防救援支队) may have requests in several
districts on the same days. Before the district parts of a plan are solved apart, each
such unit's capacity of a day, and its officers, are shared out between the districts
that ask for it (docs/province-platform.md §7), so the parts cannot overbook it.

The rule, for one unit and one day, given what it has available (its weekday capacity
less its live visits elsewhere and its days off) and each district's demand (its requests
of the unit whose window holds the day):

1. a district never gets more than it asks for: when the demand fits, each gets all of it;
2. otherwise every district that asks gets one round first, the largest demands first,
   while capacity lasts (a small district is not starved by a large one);
3. what is left is apportioned in proportion to the demand still open, by largest
   remainder (Hamilton's method), ties to the larger demand and then the smaller code.

Officers are shared the same way, with each district's demand the officers its share
needs, counted in teams (`officers_per_unit` officers staff `officer_daily_rounds`
rounds together), and each officer given to one district for the day, in the order of the
officers' ids, so the parts' draws of officers cannot pick one officer twice; officers
left over from whole teams go to the district with the most rounds. A district whose share
of rounds its officers cannot staff keeps only the rounds they can.

Pure: no database, no solver; the planning use cases call it and store the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DayShare", "UnitDay", "apportion", "share_unit_day"]


def _order(demand: Mapping[str, int]) -> list[str]:
    """Districts that ask, the largest demand first, then by code (deterministic)."""
    return sorted((d for d, n in demand.items() if n > 0), key=lambda d: (-demand[d], d))


def apportion(available: int, demand: Mapping[str, int]) -> dict[str, int]:
    """Split `available` between districts by the rule above; every key of `demand` is kept.

    The result never exceeds a district's demand, sums to min(available, total demand),
    and gives 1 to each district that asks before any gets 2, while capacity lasts.
    """
    shares = dict.fromkeys(demand, 0)
    if available <= 0:
        return shares
    asking = _order(demand)
    if sum(demand[d] for d in asking) <= available:
        return {**shares, **{d: demand[d] for d in asking}}
    left = available
    for district in asking:  # one each first, the largest demand first
        if left == 0:
            return shares
        shares[district] = 1
        left -= 1
    still_open = {d: demand[d] - shares[d] for d in asking}
    total_open = sum(still_open.values())  # > left, since the demand did not fit
    quotas = {d: Fraction(left * still_open[d], total_open) for d in asking}
    floors = {d: int(q) for d, q in quotas.items()}
    rest = left - sum(floors.values())
    # largest remainder first; a quota is at most the open demand, so a floor plus one
    # stays within it whenever the remainder is positive
    by_remainder = sorted(asking, key=lambda d: (-(quotas[d] - floors[d]), -demand[d], d))
    for district in by_remainder[:rest]:
        floors[district] += 1
    for district in asking:
        shares[district] += floors[district]
    return shares


class UnitDay(BaseModel):
    """What one unit has on one day and what the districts ask of it."""

    model_config = ConfigDict(frozen=True)

    unit_id: str
    available: int = Field(ge=0, description="Rounds it can still do that day, all districts.")
    officers: tuple[str, ...] = Field(
        default=(), description="Its officers free that day; empty: the unit needs none."
    )
    demand: Mapping[str, int] = Field(description="Requests asking for it that day, by district.")


class DayShare(BaseModel):
    """One district's share of one unit's day."""

    model_config = ConfigDict(frozen=True)

    unit_id: str
    district: str
    capacity: int = Field(ge=0)
    officers: tuple[str, ...] = ()
    demand: int = Field(ge=0)


def share_unit_day(
    day: UnitDay, officers_per_unit: int = 2, officer_daily_rounds: int = 1
) -> list[DayShare]:
    """Each asking district's share of the unit's capacity and officers that day.

    Districts are listed by code. A unit with officers listed never gets a share of rounds
    its officers cannot staff; one with none listed is shared by capacity alone.
    """
    rounds = apportion(day.available, day.demand)
    officers_of: dict[str, tuple[str, ...]] = dict.fromkeys(day.demand, ())
    if day.officers:
        # officers go out in teams: `officers_per_unit` of them staff `officer_daily_rounds`
        # rounds together, and half a team staffs nothing
        teams_needed = {d: -(-n // officer_daily_rounds) for d, n in rounds.items()}
        pool = sorted(day.officers)
        teams = apportion(len(pool) // officers_per_unit, teams_needed)
        spare = len(pool) - officers_per_unit * sum(teams.values())
        busiest = min(rounds, key=lambda d: (-rounds[d], d)) if rounds else None
        start = 0
        for district in sorted(teams):
            count = officers_per_unit * teams[district] + (spare if district == busiest else 0)
            officers_of[district] = tuple(pool[start : start + count])
            start += count
        rounds = {d: min(n, teams[d] * officer_daily_rounds) for d, n in rounds.items()}
    return [
        DayShare(
            unit_id=day.unit_id,
            district=district,
            capacity=rounds[district],
            officers=officers_of[district],
            demand=max(day.demand[district], 0),
        )
        for district in sorted(day.demand)
        if day.demand[district] > 0
    ]
