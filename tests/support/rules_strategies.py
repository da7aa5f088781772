"""Small version 1.1 problems for the greedy's and the draw's tests: a strategy and a builder.

:func:`rules_problems` dresses a problem of
:func:`~tests.support.greedy_strategies.greedy_problems` in the rules of 1.1
(quiet days, categories, the no-disturb list, caps of 0-2, officers with days
off and recusals), small enough that every rule binds now and then;
:func:`tiny_rules_problems` does the same to problems small enough for the
brute-force oracle (:mod:`tests.support.exhaustive`), and
:func:`tiny_rules_problems_with_pins` adds pinned rounds.
:func:`rules_problem` builds one by hand over the week of :data:`START`.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from inspection.solver.assemble import make_round
from inspection.solver.greedy_solution import greedy_solution
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Officer,
    Problem,
    Request,
    Round,
    Rules,
    Unit,
)
from tests.support.greedy_strategies import START, day, greedy_problems

__all__ = [
    "CATEGORIES",
    "START",
    "day",
    "rules_problem",
    "rules_problems",
    "tiny_rules_problems",
    "tiny_rules_problems_with_pins",
    "visit",
]

CATEGORIES = ("routine", "special", "complaint", "safety", "follow_up")


@st.composite
def rules_problems(draw: st.DrawFn, max_requests: int = 12) -> Problem:
    """A small valid 1.1 problem whose rules often bind."""
    return _dressed(draw, draw(greedy_problems(max_requests=max_requests)))


@st.composite
def tiny_rules_problems(draw: st.DrawFn, max_requests: int = 7) -> Problem:
    """A 1.1 problem small enough for exhaustive search whose rules often bind.

    Two to four days from :data:`START` (one may be off), one to three units of
    capacity 1-2 (some with `capacity_by_date`), one to three enterprises, and up
    to `max_requests` requests with short windows mostly inside the horizon, so
    that they compete; then dressed in the rules like :func:`rules_problems`.
    The oracle of :mod:`tests.support.exhaustive` answers in well under a second.
    """
    length = draw(st.integers(2, 4))
    days = [day(i) for i in range(length)]
    units = tuple(
        Unit(
            id=f"U{i}",
            daily_capacity=draw(st.integers(1, 2)),
            capacity_by_date=draw(
                st.none() | st.dictionaries(st.sampled_from(days), st.integers(0, 2), max_size=1)
            ),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    enterprises = tuple(
        Enterprise(
            id=f"E{i}",
            blackout_days=tuple(draw(st.lists(st.sampled_from(days), max_size=1))),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    requests = []
    for i in range(draw(st.integers(1, max_requests))):
        first = draw(st.integers(-1, length - 1))
        requests.append(
            visit(
                f"R{i}",
                draw(st.sampled_from(units)).id,
                draw(st.sampled_from(enterprises)).id,
                first,
                first + draw(st.integers(0, 3)),
                joinable=draw(st.integers(0, 4)) > 0,
                priority=draw(st.integers(1, 3)),
            )
        )
    base = Problem(
        format="inspect-once/1",
        horizon=Horizon(start=days[0], end=days[-1]),
        non_working_days=tuple(draw(st.lists(st.sampled_from(days), max_size=1))),
        max_units_per_round=draw(st.integers(1, 3)),
        units=units,
        enterprises=enterprises,
        requests=tuple(requests),
    )
    # two recusals an officer: rounds of a day that each can be staffed but not all together
    return _dressed(draw, base, max_quiet_days=1, max_recusals=2)


@st.composite
def tiny_rules_problems_with_pins(draw: st.DrawFn) -> tuple[Problem, tuple[Round, ...]]:
    """A tiny 1.1 problem and pinned rounds: parts of the lawful greedy's rounds.

    A part of a lawful round is lawful (fewer requests count against the caps,
    fewer units need officers), so the pins keep every rule, as in
    :func:`~tests.support.strategies.problems_with_pins`.
    """
    problem = draw(tiny_rules_problems())
    by_id = {r.id: r for r in problem.requests}
    pinned = []
    for round_ in greedy_solution(problem).rounds:
        if draw(st.integers(0, 3)) > 0:
            kept = [rid for rid in round_.requests if draw(st.booleans())] or [round_.requests[0]]
            pinned.append(make_round(round_.enterprise, round_.date, [by_id[r] for r in kept]))
    return problem, tuple(pinned)


def _dressed(
    draw: st.DrawFn, base: Problem, max_quiet_days: int = 3, max_recusals: int = 1
) -> Problem:
    """`base` with categories, no-disturb enterprises, quiet days, caps and officers drawn."""
    days = base.horizon.days()
    requests = tuple(
        r.model_copy(update={"category": draw(st.sampled_from(CATEGORIES))}) for r in base.requests
    )
    enterprises = tuple(
        e.model_copy(update={"no_disturb": draw(st.integers(0, 5)) == 0}) for e in base.enterprises
    )
    unit_ids = [u.id for u in base.units]
    enterprise_ids = [e.id for e in base.enterprises]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(unit_ids), st.sampled_from(enterprise_ids)),
            max_size=3,
            unique=True,
        )
    )
    capped = draw(st.lists(st.sampled_from(enterprise_ids), max_size=2, unique=True))
    officers = []
    for unit in unit_ids:
        if draw(st.booleans()):
            continue  # a unit without officers needs none
        for n in range(draw(st.integers(0, 5))):
            officers.append(
                Officer(
                    id=f"{unit}-{n}",
                    unit=unit,
                    days_off=tuple(draw(st.lists(st.sampled_from(days), max_size=2, unique=True))),
                    recusals=tuple(
                        draw(
                            st.lists(
                                st.sampled_from(enterprise_ids), max_size=max_recusals, unique=True
                            )
                        )
                    ),
                )
            )
    exempt = st.lists(st.sampled_from(CATEGORIES[2:]), max_size=2, unique=True)
    rules = Rules.model_validate(
        {
            "quiet_days": {
                "days": draw(st.lists(st.sampled_from(days), max_size=max_quiet_days, unique=True)),
                "exempt_categories": draw(exempt),
            },
            "no_disturb": {"exempt_categories": draw(exempt)},
            "caps": {
                "exempt_categories": draw(exempt),
                "unit_enterprise": [
                    {"unit": u, "enterprise": e, "remaining": draw(st.integers(0, 2))}
                    for u, e in pairs
                ],
                "enterprise": [
                    {"enterprise": e, "remaining": draw(st.integers(0, 2))} for e in capped
                ],
            },
            "officers_per_unit": draw(st.integers(1, 2)),
            "officer_daily_rounds": draw(st.integers(1, 2)),
        }
    )
    return base.model_copy(
        update={
            "format": "inspect-once/1.1",
            "requests": requests,
            "enterprises": enterprises,
            "rules": rules,
            "officers": tuple(officers),
        }
    )


def visit(rid: str, unit: str, enterprise: str, first: int, last: int, **extra: Any) -> Request:
    """A request from ``day(first)`` to ``day(last)`` (category, priority ... in `extra`)."""
    return Request.model_validate(
        {
            "id": rid,
            "unit": unit,
            "enterprise": enterprise,
            "earliest": day(first),
            "latest": day(last),
        }
        | extra
    )


def rules_problem(
    requests: list[Request],
    rules: dict[str, Any] | None = None,
    officers: tuple[Officer, ...] = (),
    *,
    capacity: int = 3,
    no_disturb: tuple[str, ...] = (),
    length: int = 5,
) -> Problem:
    """A 1.1 problem over ``length`` working days from Monday :data:`START`."""
    unit_ids = sorted({r.unit for r in requests} | {o.unit for o in officers})
    enterprise_ids = sorted({r.enterprise for r in requests})
    return Problem(
        format="inspect-once/1.1",
        horizon=Horizon(start=day(0), end=day(length - 1)),
        non_working_days=(),
        units=tuple(Unit(id=u, daily_capacity=capacity) for u in unit_ids),
        enterprises=tuple(Enterprise(id=e, no_disturb=e in no_disturb) for e in enterprise_ids),
        requests=tuple(requests),
        rules=Rules.model_validate(rules or {}),
        officers=officers,
    )
