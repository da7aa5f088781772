"""Hypothesis strategies for small, valid planning problems.

Every problem lists its `non_working_days`, so the statutory calendar (and
its table of years) is never needed, and request windows sometimes reach
outside the horizon, as the format allows.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from inspection.solver.assemble import make_round
from inspection.solver.greedy import greedy_plan
from inspection.solver.schema import Enterprise, Horizon, Problem, Request, Round, Unit

__all__ = ["ITEM_POOL", "UNIT_NAMES", "problems", "problems_with_pins", "tiny_problems"]

UNIT_NAMES = ("区市场监督管理局", "区应急管理局", "市生态环境局清城分局", "区消防救援大队")
ITEM_POOL = (
    "食品经营许可情况",
    "消防设施完好情况",
    "安全生产责任制落实",
    "危险化学品储存",
    "污染物排放",
    "劳动合同签订",
)
_ENTERPRISE_NAMES = ("清远市甲食品有限公司", "清远市乙化工有限公司", "清远市丙物流有限公司")
_TOWNS = ("凤城街道", "东城街道", "洲心街道", "源潭镇", "龙塘镇")
_FIRST_START = date(2024, 6, 3)


def _subset(draw: st.DrawFn, pool: list[date], max_size: int) -> tuple[date, ...]:
    chosen = draw(st.lists(st.sampled_from(pool), max_size=max_size, unique=True))
    return tuple(sorted(chosen))


@st.composite
def problems(
    draw: st.DrawFn,
    max_requests: int = 12,
    min_days: int = 3,
    max_days: int = 7,
    max_enterprises: int = 5,
) -> Problem:
    """A small valid problem.

    Args:
        draw: Supplied by hypothesis.
        max_requests: At most this many requests (at least one).
        min_days: Fewest days in the horizon.
        max_days: Most days in the horizon.
        max_enterprises: At most this many enterprises (at least one).

    Returns:
        2-4 units with capacities 1-3, enterprises with a few blackout days,
        joinable and non-joinable requests of priority 1-3 whose windows may
        reach up to two days beyond either end of the horizon.
    """
    start = _FIRST_START + timedelta(days=draw(st.integers(0, 20)))
    length = draw(st.integers(min_days, max_days))
    days = [start + timedelta(days=offset) for offset in range(length)]
    units = tuple(
        Unit(
            id=f"U{number}",
            name=UNIT_NAMES[number],
            daily_capacity=draw(st.integers(1, 3)),
            # the project's extension: other capacities (0: a day off) on some days
            capacity_by_date=draw(
                st.none() | st.dictionaries(st.sampled_from(days), st.integers(0, 2), max_size=2)
            ),
        )
        for number in range(draw(st.integers(2, 4)))
    )
    enterprises = tuple(
        Enterprise(
            id=f"E{number}",
            name=_ENTERPRISE_NAMES[number % len(_ENTERPRISE_NAMES)],
            town=draw(st.sampled_from(_TOWNS)),
            blackout_days=_subset(draw, days, max_size=(length + 1) // 3),
        )
        for number in range(draw(st.integers(1, max_enterprises)))
    )
    requests = []
    for number in range(draw(st.integers(1, max_requests))):
        first = draw(st.integers(-2, length))
        earliest = start + timedelta(days=first)
        latest = start + timedelta(days=draw(st.integers(max(first, -1), length + 1)))
        requests.append(
            Request(
                id=f"R{number}",
                unit=draw(st.sampled_from(units)).id,
                enterprise=draw(st.sampled_from(enterprises)).id,
                earliest=earliest,
                latest=latest,
                joinable=draw(st.sampled_from((True, True, True, False))),
                priority=draw(st.integers(1, 3)),
                items=tuple(draw(st.lists(st.sampled_from(ITEM_POOL), max_size=3, unique=True))),
            )
        )
    return Problem(
        format="inspect-once/1",
        name="hypothesis",
        horizon=Horizon(start=start, end=days[-1]),
        non_working_days=_subset(draw, days, max_size=length // 3),
        max_units_per_round=draw(st.integers(1, 4)),
        units=units,
        enterprises=enterprises,
        requests=tuple(requests),
    )


def tiny_problems() -> st.SearchStrategy[Problem]:
    """Problems small enough for exhaustive search: at most 6 requests over at most 4 days."""
    return problems(max_requests=6, min_days=2, max_days=4, max_enterprises=3)


@st.composite
def problems_with_pins(draw: st.DrawFn, tiny: bool = False) -> tuple[Problem, tuple[Round, ...]]:
    """A problem and pinned rounds: a plan published before some of its requests came.

    Some rounds of a valid plan (the greedy's), each cut down to some of its
    requests, are the pins; the requests cut away came later and may join them
    again. A part of a valid round is a valid round, so the pins keep the rules.
    """
    problem = draw(tiny_problems() if tiny else problems())
    by_id = {r.id: r for r in problem.requests}
    pinned = []
    for round_ in greedy_plan(problem).rounds:
        # a draw per round and per request: lists drawn from a pool would mostly be empty
        if draw(st.integers(0, 3)) > 0:
            kept = [rid for rid in round_.requests if draw(st.booleans())] or [round_.requests[0]]
            pinned.append(make_round(round_.enterprise, round_.date, [by_id[r] for r in kept]))
    return problem, tuple(pinned)
