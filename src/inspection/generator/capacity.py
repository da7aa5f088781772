"""Tight unit capacities from an estimate of each unit's load when requests are merged well.

The estimate, per enterprise, ignoring capacity:

1. The enterprise's allowed days are the horizon's working days minus its blackout days.
   A request's feasible days are the allowed days inside its window (a contiguous run
   of allowed days); a request with none is left out.
2. Each non-joinable request is a round of its own.
3. The joinable requests are sorted by their last feasible day, ties kept in the order
   given. Sweeping that order, the first request not yet in a round opens a round on its
   last feasible day; then every later request not yet in a round whose feasible days
   include that day joins it, in the same order, if its unit is already in the round or
   the round has fewer than ``max_units_per_round`` units.
4. A unit's merged load is the number of rounds it joins.

A unit's daily capacity is its merged load divided by the number of working days,
times a factor drawn from [1.1, 1.3] (both ends times the preset's or caller's slack),
rounded up, and at least one.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Protocol

__all__ = ["CAPACITY_FACTOR_RANGE", "LoadRequest", "daily_capacities", "merged_load"]

CAPACITY_FACTOR_RANGE = (1.1, 1.3)
"""Capacity over average merged daily load, drawn per unit."""


class LoadRequest(Protocol):
    """What the estimate needs of a request: unit, enterprise, window (ordinals), joinability."""

    @property
    def unit(self) -> str: ...
    @property
    def enterprise(self) -> str: ...
    @property
    def earliest(self) -> int: ...
    @property
    def latest(self) -> int: ...
    @property
    def joinable(self) -> bool: ...


def _feasible_span(allowed: Sequence[int], earliest: int, latest: int) -> tuple[int, int] | None:
    """First and last index into `allowed` inside [earliest, latest], or None if there is none."""
    first = bisect_left(allowed, earliest)
    last = bisect_right(allowed, latest) - 1
    return (first, last) if first <= last else None


def merged_load(
    requests: Iterable[LoadRequest],
    working_days: Sequence[int],
    blackouts: dict[str, frozenset[int]],
    max_units_per_round: int,
) -> dict[str, int]:
    """Rounds each unit joins when each enterprise's requests are merged greedily.

    Args:
        requests: The requests, in problem order.
        working_days: The horizon's working days, sorted.
        blackouts: Blackout days by enterprise id (enterprises without any may be absent).
        max_units_per_round: At most this many distinct units per round.

    Returns:
        Rounds joined, by unit id; units without a schedulable request are absent.
    """
    by_enterprise: dict[str, list[LoadRequest]] = {}
    for request in requests:
        by_enterprise.setdefault(request.enterprise, []).append(request)
    load: dict[str, int] = {}
    for enterprise, own in by_enterprise.items():
        off = blackouts.get(enterprise)
        allowed = [d for d in working_days if d not in off] if off else working_days
        joinable: list[tuple[int, int, int, str]] = []  # last, order, first, unit
        for order, request in enumerate(own):
            span = _feasible_span(allowed, request.earliest, request.latest)
            if span is None:
                continue
            if request.joinable:
                joinable.append((span[1], order, span[0], request.unit))
            else:
                load[request.unit] = load.get(request.unit, 0) + 1
        joinable.sort()
        for unit, rounds in _sweep(joinable, max_units_per_round).items():
            load[unit] = load.get(unit, 0) + rounds
    return load


def _sweep(joinable: list[tuple[int, int, int, str]], max_units: int) -> dict[str, int]:
    """Step 3 of the estimate for one enterprise: rounds joined by each unit."""
    placed = [False] * len(joinable)
    rounds: dict[str, int] = {}
    for opener, (day, _, _, opener_unit) in enumerate(joinable):
        if placed[opener]:
            continue
        units = [opener_unit]
        placed[opener] = True
        for candidate in range(opener + 1, len(joinable)):
            _, _, first, unit = joinable[candidate]
            if placed[candidate] or first > day:
                continue
            if unit in units or len(units) < max_units:
                placed[candidate] = True
                if unit not in units:
                    units.append(unit)
        for unit in units:
            rounds[unit] = rounds.get(unit, 0) + 1
    return rounds


def daily_capacities(
    rng: random.Random,
    unit_ids: Sequence[str],
    load: dict[str, int],
    working_day_count: int,
    *,
    slack: float = 1.0,
) -> dict[str, int]:
    """Each unit's daily capacity: its average merged daily load times 1.1 to 1.3, rounded up.

    Args:
        rng: The random source; one factor is drawn per unit, in the order of `unit_ids`.
        unit_ids: Every unit of the problem.
        load: Merged load by unit (see :func:`merged_load`).
        working_day_count: Working days in the horizon.
        slack: Multiplies both ends of the factor range (1 keeps 1.1 to 1.3).
    """
    low, high = (end * slack for end in CAPACITY_FACTOR_RANGE)
    capacities = {}
    for unit in unit_ids:
        factor = rng.uniform(low, high)
        daily = load.get(unit, 0) / max(working_day_count, 1)
        capacities[unit] = max(1, math.ceil(daily * factor))
    return capacities
