"""Figures a plan is measured against, computed from the problem alone.

The format document's lower bound on rounds (capacity-blind, per enterprise:
the fewest days hitting every joinable window, or the units over
`max_units_per_round`, plus one per non-joinable request) and the priority of
every request that has at least one allowed day. Like the checker, it shares
no code with the CP-SAT model.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from inspection.solver.calendar import working_days
from inspection.solver.schema import Problem, Request

__all__ = ["AllowedDays", "lower_bound_over", "rounds_lower_bound", "schedulable_priority"]


class AllowedDays:
    """The horizon's working days, indexed, and each enterprise's blackouts among them.

    A request's feasible days are a contiguous run of its enterprise's allowed
    days, so they are kept as a pair of working-day indices (first, last).
    """

    def __init__(self, problem: Problem, working: Sequence[date] | None) -> None:
        self.start = problem.horizon.start
        self.end = problem.horizon.end
        days = working_days(problem) if working is None else working
        self.ordinals = sorted({d.toordinal() for d in days if self.start <= d <= self.end})
        self.working = frozenset(self.ordinals)
        position = {ordinal: index for index, ordinal in enumerate(self.ordinals)}
        self.blocked: dict[str, frozenset[int]] = {}
        for enterprise in problem.enterprises:
            indices = {position.get(day.toordinal(), -1) for day in enterprise.blackout_days}
            indices.discard(-1)
            if indices:
                self.blocked[enterprise.id] = frozenset(indices)

    def feasible_run(self, request: Request) -> tuple[int, int] | None:
        """The first and last working-day index the request can take, or None if none."""
        first = bisect_left(self.ordinals, request.earliest.toordinal())
        last = bisect_right(self.ordinals, request.latest.toordinal()) - 1
        blocked = self.blocked.get(request.enterprise)
        if blocked:
            while first <= last and first in blocked:
                first += 1
            while last >= first and last in blocked:
                last -= 1
        return (first, last) if first <= last else None


def _fewest_days_hitting(runs: list[tuple[int, int]]) -> int:
    """Fewest points that hit every run: the greedy sweep by last day is exact."""
    count = 0
    last_chosen = -1
    for first, last in sorted(runs, key=lambda run: run[1]):
        if first > last_chosen:
            count += 1
            last_chosen = last
    return count


def lower_bound_over(
    problem: Problem, wanted: set[str], run_of: Callable[[Request], tuple[int, int] | None]
) -> int:
    """The format's bound for the requests in `wanted`, given each one's feasible run of days."""
    runs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    units: dict[str, set[str]] = defaultdict(set)
    total = 0
    for request in problem.requests:
        if request.id not in wanted:
            continue
        if not request.joinable:
            total += 1
            continue
        units[request.enterprise].add(request.unit)
        run = run_of(request)
        # A request with no feasible day cannot be hit; its plan is invalid anyway.
        if run is not None:
            runs[request.enterprise].append(run)
    for enterprise, enterprise_units in units.items():
        by_units = math.ceil(len(enterprise_units) / problem.max_units_per_round)
        total += max(_fewest_days_hitting(runs.get(enterprise, [])), by_units)
    return total


def rounds_lower_bound(
    problem: Problem, scheduled_request_ids: Iterable[str], working: Sequence[date] | None = None
) -> int:
    """The format document's lower bound on rounds for the given scheduled requests.

    Per enterprise: the larger of the fewest days hitting every joinable
    request's feasible window and the distinct joinable units divided by
    `max_units_per_round` (rounded up); plus one per non-joinable request.
    Unit capacities are ignored. A joinable request without any feasible day
    counts for its unit but adds no day.

    Args:
        problem: The problem.
        scheduled_request_ids: Ids of the requests a plan schedules (repeats are ignored).
        working: The horizon's working days, when already known; computed otherwise.

    Returns:
        The bound, a number of rounds.

    Raises:
        ValueError: An id names no request of the problem.
        UnknownCalendarError: The statutory calendar is needed for a year it does not know.
    """
    wanted = set(scheduled_request_ids)
    unknown = wanted - {request.id for request in problem.requests}
    if unknown:
        raise ValueError(f"unknown request ids: {', '.join(sorted(unknown)[:5])}")
    return lower_bound_over(problem, wanted, AllowedDays(problem, working).feasible_run)


def schedulable_priority(problem: Problem, working: Sequence[date] | None = None) -> int:
    """The summed priority of requests with at least one feasible day.

    A feasible day lies in the request's window, in the horizon, on a working
    day, off its enterprise's blackout days, and not a day off of its unit
    (capacity 0 in the `capacity_by_date` extension). No plan schedules more.

    Args:
        problem: The problem.
        working: The horizon's working days, when already known; computed otherwise.

    Raises:
        UnknownCalendarError: The statutory calendar is needed for a year it does not know.
    """
    allowed = AllowedDays(problem, working)
    units = {unit.id: unit for unit in problem.units}
    total = 0
    for request in problem.requests:
        run = allowed.feasible_run(request)
        if run is None:
            continue
        blocked = allowed.blocked.get(request.enterprise, frozenset())
        unit = units[request.unit]
        if any(
            index not in blocked and unit.capacity_on(date.fromordinal(allowed.ordinals[index])) > 0
            for index in range(run[0], run[1] + 1)
        ):
            total += request.priority
    return total
