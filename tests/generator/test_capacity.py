"""Generated capacities: tight, 1.1 to 1.3 times each unit's load when merged well."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

import pytest

from inspection.generator import generate
from inspection.generator.capacity import daily_capacities, merged_load
from inspection.solver.calendar import working_days
from inspection.solver.schema import Problem, Request

BAND = (1.1, 1.3)
ROUNDING_SLACK = 1e-9


@cache
def problem_of(preset: str, seed: int) -> Problem:
    return generate(preset, seed)


def rounds_by_unit(problem: Problem) -> Counter[str]:
    """The issue's load estimate, written afresh on dates.

    Per enterprise: a non-joinable request is a round of its own; joinable ones
    are swept by last feasible day, each round opened on the earliest open
    deadline and joined by every open request containing that day while the
    round has room for its unit.
    """
    working = working_days(problem)
    blackout = {e.id: set(e.blackout_days) for e in problem.enterprises}
    requests: dict[str, list[Request]] = defaultdict(list)
    for request in problem.requests:
        requests[request.enterprise].append(request)
    rounds: Counter[str] = Counter()
    for enterprise, own in requests.items():
        allowed = [d for d in working if d not in blackout[enterprise]]
        open_windows: list[tuple[date, date, str]] = []
        for request in own:
            days = [d for d in allowed if request.earliest <= d <= request.latest]
            if not days:
                continue
            if request.joinable:
                open_windows.append((days[0], days[-1], request.unit))
            else:
                rounds[request.unit] += 1
        open_windows.sort(key=lambda window: window[1])  # stable: ties keep problem order
        while open_windows:
            day = open_windows[0][1]
            units: list[str] = []
            left = []
            for first, last, unit in open_windows:
                fits = first <= day and (unit in units or len(units) < problem.max_units_per_round)
                if fits and unit not in units:
                    units.append(unit)
                if not fits:
                    left.append((first, last, unit))
            rounds.update(units)
            open_windows = left
    return rounds


@pytest.mark.parametrize(
    ("preset", "seed"), [("S", 1), ("S", 2), ("M", 1), ("HS", 1), ("HS", 2), ("H", 1)]
)
def test_capacity_is_one_point_one_to_one_point_three_times_the_merged_load(
    preset: str, seed: int
) -> None:
    problem = problem_of(preset, seed)
    rounds = rounds_by_unit(problem)
    days = len(working_days(problem))
    low, high = BAND
    for unit in problem.units:
        daily = rounds[unit.id] / days
        least = max(1, math.ceil(daily * low - ROUNDING_SLACK))
        most = max(1, math.ceil(daily * high + ROUNDING_SLACK))
        assert least <= unit.daily_capacity <= most, (unit.id, rounds[unit.id], days)


@pytest.mark.parametrize(("preset", "seed"), [("M", 1), ("H", 1)])
def test_the_busiest_units_have_capacities_well_above_one(preset: str, seed: int) -> None:
    """Tight, not trivially one: the main units carry several rounds a day."""
    capacities = sorted((u.daily_capacity for u in problem_of(preset, seed).units), reverse=True)
    assert capacities[0] >= 10
    assert capacities[2] >= 5


@dataclass(frozen=True)
class Wish:
    unit: str
    enterprise: str
    earliest: int
    latest: int
    joinable: bool = True


def test_the_estimate_keeps_a_fourth_unit_out_of_a_full_round() -> None:
    wishes = [
        *(Wish(unit, "E", 1, 1) for unit in "ABC"),
        Wish("D", "E", 1, 2),
        Wish("D", "E", 2, 2),
    ]
    # Day 1 takes A, B and C; with three units it is full, so both of D's wishes
    # share day 2. Letting D into day 1 would cost D a second round.
    assert merged_load(wishes, [1, 2], {}, 3) == dict.fromkeys("ABCD", 1)
    assert merged_load(wishes, [1, 2], {}, 4) == {"A": 1, "B": 1, "C": 1, "D": 2}


def test_the_estimate_merges_overlapping_windows_and_not_disjoint_ones() -> None:
    wishes = [Wish("A", "E", 1, 3), Wish("B", "E", 3, 5), Wish("A", "E", 5, 5)]
    # A's first window and B's share day 3; A's second wish needs day 5 (B could go there
    # too, but the sweep places B with the earlier deadline), so A joins two rounds.
    assert merged_load(wishes, [1, 2, 3, 4, 5], {}, 4) == {"A": 2, "B": 1}


def test_the_estimate_counts_complaints_alone_and_skips_blacked_out_windows() -> None:
    wishes = [
        Wish("A", "E", 1, 2),
        Wish("A", "E", 1, 2, joinable=False),
        Wish("B", "E", 4, 4),
        Wish("C", "F", 4, 4),
    ]
    load = merged_load(wishes, [1, 2, 3, 4], {"E": frozenset({4})}, 4)
    assert load == {"A": 2, "C": 1}


def test_capacities_are_at_least_one_and_scale_with_load() -> None:
    capacities = daily_capacities(random.Random(3), ["busy", "idle"], {"busy": 100}, 10)
    assert capacities["idle"] == 1
    assert 11 <= capacities["busy"] <= 13
