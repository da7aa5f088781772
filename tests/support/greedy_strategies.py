"""Problems for the greedy planner's tests: a hypothesis strategy and hand-built cases.

Every problem lists its `non_working_days` (the statutory calendar is never
needed), windows may reach outside the horizon, capacities and
`max_units_per_round` are small so that they bind, and a few requests are not
joinable, so every branch of the planner is reached.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from inspection.solver.check import check
from inspection.solver.greedy import GreedyPlan
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Problem,
    Request,
    Round,
    Solution,
    Unit,
    Unscheduled,
)

__all__ = [
    "ITEMS",
    "START",
    "as_solution",
    "assert_valid",
    "day",
    "greedy_problems",
    "mid_size_problem",
    "problem_of",
    "request",
    "round_of",
]

START = date(2024, 6, 3)  # a Monday
ITEMS = ("消防设施完好情况", "食品经营许可情况", "安全生产责任制落实", "劳动合同签订")


def day(offset: int) -> date:
    """The day ``offset`` days after :data:`START`."""
    return START + timedelta(days=offset)


@st.composite
def greedy_problems(draw: st.DrawFn, max_requests: int = 14) -> Problem:
    """A small valid problem whose capacities, unit limit and calendar often bind."""
    length = draw(st.integers(1, 8))
    horizon = [day(i) for i in range(length)]
    off = draw(st.lists(st.sampled_from(horizon), max_size=length // 2, unique=True))
    units = [
        Unit(id=f"U{i}", name=f"执法单位{i}", daily_capacity=draw(st.integers(1, 3)))
        for i in range(draw(st.integers(1, 4)))
    ]
    enterprises = [
        Enterprise(
            id=f"E{i}",
            name=f"清远市企业{i}",
            blackout_days=tuple(
                sorted(draw(st.lists(st.sampled_from(horizon), max_size=2, unique=True)))
            ),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    requests = []
    for i in range(draw(st.integers(0, max_requests))):
        earliest = draw(st.integers(-2, length))
        requests.append(
            Request(
                id=f"R{i:02d}",
                unit=draw(st.sampled_from(units)).id,
                enterprise=draw(st.sampled_from(enterprises)).id,
                earliest=day(earliest),
                latest=day(earliest + draw(st.integers(0, 4))),
                joinable=draw(st.integers(0, 4)) > 0,  # one in five is not joinable
                priority=draw(st.integers(1, 3)),
                items=tuple(draw(st.lists(st.sampled_from(ITEMS), max_size=3))),
            )
        )
    return Problem(
        format="inspect-once/1",
        name="greedy-test",
        horizon=Horizon(start=horizon[0], end=horizon[-1]),
        non_working_days=tuple(sorted(off)),
        max_units_per_round=draw(st.integers(1, 4)),
        units=tuple(units),
        enterprises=tuple(enterprises),
        requests=tuple(requests),
    )


# -- hand-built problems and plans ------------------------------------------------------------


def request(
    rid: str,
    unit: str,
    enterprise: str,
    first: int,
    last: int,
    *,
    joinable: bool = True,
    priority: int = 1,
    items: tuple[str, ...] = (),
) -> Request:
    """A request whose window runs from ``day(first)`` to ``day(last)``."""
    return Request(
        id=rid,
        unit=unit,
        enterprise=enterprise,
        earliest=day(first),
        latest=day(last),
        joinable=joinable,
        priority=priority,
        items=items,
    )


def problem_of(
    requests: list[Request],
    capacity: dict[str, int] | None = None,
    *,
    length: int = 5,
    max_units: int = 4,
    blackouts: dict[str, tuple[date, ...]] | None = None,
    off: tuple[date, ...] = (),
) -> Problem:
    """A problem over ``length`` days from Monday, all working unless listed in ``off``."""
    capacity = capacity or {}
    blackouts = blackouts or {}
    unit_ids = sorted({r.unit for r in requests} | set(capacity))
    enterprise_ids = sorted({r.enterprise for r in requests} | set(blackouts))
    return Problem(
        format="inspect-once/1",
        horizon=Horizon(start=day(0), end=day(length - 1)),
        non_working_days=off,
        max_units_per_round=max_units,
        units=tuple(Unit(id=u, daily_capacity=capacity.get(u, 5)) for u in unit_ids),
        enterprises=tuple(
            Enterprise(id=e, blackout_days=blackouts.get(e, ())) for e in enterprise_ids
        ),
        requests=tuple(requests),
    )


def as_solution(plan: GreedyPlan) -> Solution:
    """The plan as a solution document, each unscheduled request with a reason."""
    return Solution(
        rounds=plan.rounds,
        unscheduled=tuple(Unscheduled(request=r, reason="未能安排") for r in plan.unscheduled),
    )


def assert_valid(problem: Problem, plan: GreedyPlan) -> None:
    """Fail, listing the violations, unless the independent checker accepts the plan."""
    report = check(problem, as_solution(plan))
    assert report.ok, report.violations


def round_of(plan: GreedyPlan, request_id: str) -> Round:
    """The one round of the plan that holds the request."""
    (found,) = [r for r in plan.rounds if request_id in r.requests]
    return found


def mid_size_problem() -> Problem:
    """Three hundred requests with string ids that hash differently under each seed."""
    requests = [
        request(
            f"请求{i}",
            f"单位{i % 7}",
            f"企业{(i * 37) % 90}",
            i % 5,
            i % 5 + (i * 13) % 4,
            joinable=i % 11 != 0,
            priority=1 + i % 3,
            items=(f"事项{i % 4}", f"事项{i % 6}"),
        )
        for i in range(300)
    ]
    capacity = {f"单位{u}": 4 + u % 3 for u in range(7)}
    return problem_of(requests, capacity, length=10, max_units=3, off=(day(5), day(6)))
