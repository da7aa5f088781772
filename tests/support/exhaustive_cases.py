"""Tiny 1.1 problems whose lexicographic optimum is worked out by hand, one group per rule.

Each :class:`HandCase` says, next to its problem, the optimum (scheduled
priority, rounds) and the reasoning that gives it, and, where only one plan
reaches it, the day of each request. They verify the oracle of
:mod:`tests.support.exhaustive` and are acceptance tests for the solver.
All problems run from Monday :data:`~tests.support.rules_strategies.START`,
every day a working day, every unit of capacity 3 unless said otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspection.solver.schema import Officer, Problem
from tests.support.rules_strategies import day, rules_problem, visit

__all__ = ["HAND_CASES", "HandCase"]


@dataclass(frozen=True)
class HandCase:
    """A problem, its optimum by hand, why, and (when unique) the day of every request."""

    name: str
    problem: Problem
    optimum: tuple[int, int]
    why: str
    days: dict[str, date | None] = field(default_factory=dict)


def _officers(unit: str, count: int, **extra: dict[int, Any]) -> tuple[Officer, ...]:
    """`count` officers ``<unit>0`` ... of `unit`; `extra` maps a field to {number: value}."""
    return tuple(
        Officer.model_validate(
            {"id": f"{unit}{n}", "unit": unit}
            | {key: values[n] for key, values in extra.items() if n in values}
        )
        for n in range(count)
    )


def _quiet(*days: int, exempt: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"quiet_days": {"days": [day(d) for d in days], "exempt_categories": list(exempt)}}


def _caps(exempt: tuple[str, ...] = (), **entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"caps": {"exempt_categories": list(exempt)} | entries}


def _unit_cap(unit: str, enterprise: str, remaining: int) -> dict[str, Any]:
    return {"unit": unit, "enterprise": enterprise, "remaining": remaining}


def _enterprise_cap(enterprise: str, remaining: int) -> dict[str, Any]:
    return {"enterprise": enterprise, "remaining": remaining}


def _capacity_by_date(problem: Problem, unit: str, by_date: dict[int, int]) -> Problem:
    units = tuple(
        u.model_copy(update={"capacity_by_date": {day(d): c for d, c in by_date.items()}})
        if u.id == unit
        else u
        for u in problem.units
    )
    return problem.model_copy(update={"units": units})


def _with_max_units(problem: Problem, max_units: int) -> Problem:
    return problem.model_copy(update={"max_units_per_round": max_units})


_CAP_SPLIT = [visit("R1", "A", "E1", 0, 0, priority=1), visit("R2", "B", "E1", 2, 2, priority=2)]
_CAP_MERGE = [visit("R1", "A", "E1", 0, 1), visit("R2", "B", "E1", 1, 2)]
_TWO_ON_MONDAY = [
    visit("R1", "A", "E1", 0, 0, priority=1),
    visit("R2", "A", "E2", 0, 0, priority=2),
]
_CAP_EXEMPT = [
    visit("R1", "A", "E1", 0, 0, priority=1),
    visit("R2", "A", "E1", 2, 2, priority=2),
    visit("R3", "A", "E1", 1, 1, category="follow_up"),
]

HAND_CASES: tuple[HandCase, ...] = (
    # -- capacity_by_date (rule 6) ---------------------------------------------------------
    HandCase(
        "capacity by date: a day off on the only day",
        _capacity_by_date(rules_problem(_TWO_ON_MONDAY, length=2), "A", {0: 0, 1: 1}),
        (0, 0),
        "A is off on Monday (capacity 0), the only day of both requests",
        {"R1": None, "R2": None},
    ),
    HandCase(
        "capacity by date: one round on the only open day",
        _capacity_by_date(
            rules_problem(
                [
                    visit("R1", "A", "E1", 0, 1, priority=1),
                    visit("R2", "A", "E2", 0, 1, priority=2),
                ],
                length=2,
            ),
            "A",
            {0: 0, 1: 1},
        ),
        (2, 1),
        "A is off on Monday (0) and joins one round on Tuesday (1): the heavier R2 goes",
        {"R1": None, "R2": day(1)},
    ),
    # -- rule 7, quiet days --------------------------------------------------------------
    HandCase(
        "quiet day: a routine check has no other day",
        rules_problem([visit("R1", "A", "E1", 0, 0)], _quiet(0, exempt=("complaint",))),
        (0, 0),
        "R1 is routine and its only day is quiet",
        {"R1": None},
    ),
    HandCase(
        "quiet day: an exempt category runs on it",
        rules_problem(
            [visit("R1", "A", "E1", 0, 0, category="complaint")], _quiet(0, exempt=("complaint",))
        ),
        (1, 1),
        "R1 is a complaint, exempt from the quiet day",
        {"R1": day(0)},
    ),
    HandCase(
        "quiet day: keeps a routine check out of the exempt one's round",
        rules_problem(
            [visit("R1", "A", "E1", 0, 1), visit("R2", "B", "E1", 0, 0, category="complaint")],
            _quiet(0, exempt=("complaint",)),
        ),
        (2, 2),
        "R2 must be on Monday (quiet, it is exempt), R1 cannot be: two rounds, not one",
        {"R1": day(1), "R2": day(0)},
    ),
    # -- rule 8, no-disturb ----------------------------------------------------------------
    HandCase(
        "no-disturb: only the exempt category visits",
        rules_problem(
            [
                visit("R1", "A", "E1", 0, 4, priority=3),
                visit("R2", "B", "E1", 0, 4, category="safety"),
            ],
            {"no_disturb": {"exempt_categories": ["safety"]}},
            no_disturb=("E1",),
        ),
        (1, 1),
        "E1 is on the no-disturb list: the routine R1 (3) is out whatever its priority",
        {"R1": None},
    ),
    # -- rule 9, caps ------------------------------------------------------------------------
    HandCase(
        "enterprise cap of 1 forces two units into one round",
        rules_problem(_CAP_MERGE, _caps(enterprise=[_enterprise_cap("E1", 1)])),
        (2, 1),
        "one round left at E1: R1 and R2 share Tuesday, the one day both windows hold",
        {"R1": day(1), "R2": day(1)},
    ),
    HandCase(
        "enterprise cap of 1 with a unit limit of 1: one unit only",
        _with_max_units(rules_problem(_CAP_MERGE, _caps(enterprise=[_enterprise_cap("E1", 1)])), 1),
        (1, 1),
        "the two units cannot share a round, and only one round is left at E1",
    ),
    HandCase(
        "enterprise cap of 1 between windows that never meet",
        rules_problem(_CAP_SPLIT, _caps(enterprise=[_enterprise_cap("E1", 1)])),
        (2, 1),
        "Monday's R1 and Wednesday's R2 cannot share a round: the heavier R2 takes the one",
        {"R1": None, "R2": day(2)},
    ),
    HandCase(
        "no cap between windows that never meet",
        rules_problem(_CAP_SPLIT),
        (3, 2),
        "without the cap both go, on their own days",
        {"R1": day(0), "R2": day(2)},
    ),
    HandCase(
        "unit cap: an exempt category is not counted",
        rules_problem(
            _CAP_EXEMPT, _caps(("follow_up",), unit_enterprise=[_unit_cap("A", "E1", 1)])
        ),
        (3, 2),
        "one counted round of A at E1: R2 (2) rather than R1 (1); the follow-up R3 is free",
        {"R1": None, "R2": day(2), "R3": day(1)},
    ),
    HandCase(
        "unit cap: the same requests when nothing is exempt",
        rules_problem(_CAP_EXEMPT, _caps(unit_enterprise=[_unit_cap("A", "E1", 1)])),
        (2, 1),
        "every request counts and no two share a day: only the heaviest, R2",
        {"R1": None, "R2": day(2), "R3": None},
    ),
    HandCase(
        "unit cap of 0: only the exempt check goes",
        rules_problem(
            [
                visit("R1", "A", "E1", 0, 4, priority=2),
                visit("R2", "A", "E1", 0, 4, category="licence"),
            ],
            _caps(("licence",), unit_enterprise=[_unit_cap("A", "E1", 0)]),
        ),
        (1, 1),
        "nothing is left of A's cap at E1; the licence check is exempt",
        {"R1": None},
    ),
    HandCase(
        "unit cap is per unit: another unit's check is not counted",
        rules_problem(
            [visit("R1", "A", "E1", 0, 0), visit("R2", "B", "E1", 2, 2)],
            _caps(unit_enterprise=[_unit_cap("A", "E1", 1)]),
        ),
        (2, 2),
        "A's cap counts A's rounds only: R2 of B is free of it",
        {"R1": day(0), "R2": day(2)},
    ),
    HandCase(
        "enterprise cap with an exempt category",
        rules_problem(
            [
                visit("R1", "A", "E1", 0, 0),
                visit("R2", "B", "E1", 2, 2),
                visit("R3", "B", "E1", 1, 1, category="complaint"),
            ],
            _caps(("complaint",), enterprise=[_enterprise_cap("E1", 1)]),
        ),
        (2, 2),
        "one counted round left at E1: R1 or R2, not both; the complaint R3 is free",
    ),
    # -- rule 10, officers -------------------------------------------------------------------
    HandCase(
        "officers: a recusal leaves one unit short of two rounds on a day",
        rules_problem(
            _TWO_ON_MONDAY,
            {"officers_per_unit": 2, "officer_daily_rounds": 1},
            _officers("A", 4, recusals={3: ("E1", "E2")}),
        ),
        (2, 1),
        "two rounds need four officers and A has four, but A3 is recused from both "
        "enterprises: three are left, so only the heavier R2 goes",
        {"R1": None, "R2": day(0)},
    ),
    HandCase(
        "officers: the same two rounds without the recusal",
        rules_problem(
            _TWO_ON_MONDAY,
            {"officers_per_unit": 2, "officer_daily_rounds": 1},
            _officers("A", 4),
        ),
        (3, 2),
        "four officers, two for each round",
        {"R1": day(0), "R2": day(0)},
    ),
    HandCase(
        "officers: a recusal leaves a round one officer short",
        rules_problem(
            [visit("R1", "A", "E1", 0, 4), visit("R2", "A", "E2", 0, 4)],
            {"officers_per_unit": 2},
            _officers("A", 2, recusals={0: ("E1",)}),
        ),
        (1, 1),
        "A has two officers and A0 is recused from E1: E1 can never get two",
        {"R1": None},
    ),
    HandCase(
        "officers: a day off moves the round",
        rules_problem(
            [visit("R1", "A", "E1", 0, 1)],
            {"officers_per_unit": 2},
            _officers("A", 2, days_off={0: (day(0),)}),
        ),
        (1, 1),
        "A0 is off on Monday, so A has two officers only on Tuesday",
        {"R1": day(1)},
    ),
    HandCase(
        "officers: a day off on the only day",
        rules_problem(
            [visit("R1", "A", "E1", 0, 0)],
            {"officers_per_unit": 2},
            _officers("A", 2, days_off={0: (day(0),)}),
        ),
        (0, 0),
        "A0 is off on Monday, R1's only day",
        {"R1": None},
    ),
    HandCase(
        "officers: two rounds a day each, one officer off",
        rules_problem(
            _TWO_ON_MONDAY,
            {"officers_per_unit": 2, "officer_daily_rounds": 2},
            _officers("A", 3, days_off={2: (day(0),)}),
        ),
        (3, 2),
        "A0 and A1 go to both of Monday's rounds",
        {"R1": day(0), "R2": day(0)},
    ),
    HandCase(
        "officers: one round a day each, one officer off",
        rules_problem(
            _TWO_ON_MONDAY,
            {"officers_per_unit": 2, "officer_daily_rounds": 1},
            _officers("A", 3, days_off={2: (day(0),)}),
        ),
        (2, 1),
        "two officers on Monday, each for one round: one round, the heavier R2",
        {"R1": None, "R2": day(0)},
    ),
    HandCase(
        "officers: a joint round needs each unit staffed, and a unit without officers needs none",
        rules_problem(
            [
                visit("R1", "A", "E1", 0, 0),
                visit("R2", "B", "E1", 0, 0, priority=2),
                visit("R3", "C", "E1", 0, 0),
            ],
            {"officers_per_unit": 2},
            _officers("A", 1) + _officers("B", 2),
        ),
        (3, 1),
        "A has one officer of the two it must send, so R1 is out; B sends both of its own; "
        "C has no officers listed and goes as its capacity allows",
        {"R1": None, "R2": day(0), "R3": day(0)},
    ),
    HandCase(
        "officers: the default of two per unit and one round a day",
        rules_problem(
            [visit("R1", "A", "E1", 0, 0), visit("R2", "A", "E2", 0, 0)],
            {},
            _officers("A", 3),
        ),
        (1, 1),
        "by default each round needs two officers and each does one round a day: three "
        "officers staff one round",
    ),
)
