"""Figures a plan is measured against, computed from the problem alone.

The format document's lower bound on rounds (capacity-blind, per enterprise:
the fewest days hitting every joinable window, or the units over
`max_units_per_round`, plus one per non-joinable request) and the priority of
every request that has at least one allowed day. Like the checker, it shares
no code with the CP-SAT model.

For a 1.1 problem a request's feasible days also leave out the quiet days
(unless its category is exempt), and it has none at a no-disturb enterprise
(unless exempt); for the bound the feasible days are widened to the run of
the enterprise's allowed days from the first feasible day to the last, as the
format defines. Caps and officers are ignored by the bound.
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
    days (in 1.1, widened to one), so they are kept as a pair of working-day
    indices (first, last).
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
        self.rules = problem.effective_rules if problem.is_1_1 else None
        quiet = problem.effective_rules.quiet_days.days if problem.is_1_1 else ()
        self.quiet = frozenset(position.get(d.toordinal(), -1) for d in quiet) - {-1}
        self.no_disturb = frozenset(e.id for e in problem.enterprises if e.no_disturb)

    def day_open(self, request: Request, index: int) -> bool:
        """Whether working day `index` is a feasible day of the request, bar its window."""
        if index in self.blocked.get(request.enterprise, ()):
            return False
        rules = self.rules
        return (
            rules is None
            or index not in self.quiet
            or request.category in rules.quiet_days.exempt_categories
        )

    def feasible_run(self, request: Request) -> tuple[int, int] | None:
        """The first and last working-day index the request can take, or None if none."""
        rules = self.rules
        no_disturb = request.enterprise in self.no_disturb
        if rules is not None and no_disturb and rules.disturbs(request.category):
            return None
        first = bisect_left(self.ordinals, request.earliest.toordinal())
        last = bisect_right(self.ordinals, request.latest.toordinal()) - 1
        if request.enterprise in self.blocked or (rules is not None and self.quiet):
            while first <= last and not self.day_open(request, first):
                first += 1
            while last >= first and not self.day_open(request, last):
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
    (capacity 0 in `capacity_by_date`). In 1.1 it is also off the quiet days
    and the no-disturb list (unless exempt), the request's counted caps are
    not 0, and a unit with officers listed has enough of them that day who are
    neither off nor recused. No plan schedules more.

    Args:
        problem: The problem.
        working: The horizon's working days, when already known; computed otherwise.

    Raises:
        UnknownCalendarError: The statutory calendar is needed for a year it does not know.
    """
    allowed = AllowedDays(problem, working)
    units = {unit.id: unit for unit in problem.units}
    capped = _capped_out(problem)
    staff = _Staff(problem)
    total = 0
    for request in problem.requests:
        run = allowed.feasible_run(request)
        if run is None or capped(request):
            continue
        unit = units[request.unit]
        for index in range(run[0], run[1] + 1):
            day = date.fromordinal(allowed.ordinals[index])
            if (
                allowed.day_open(request, index)
                and unit.capacity_on(day) > 0
                and staff.can_staff(request, day)
            ):
                total += request.priority
                break
    return total


def _capped_out(problem: Problem) -> Callable[[Request], bool]:
    """Whether a request is kept out by a cap with nothing left (1.1)."""
    if not problem.is_1_1:
        return lambda request: False
    caps = problem.effective_rules.caps
    pairs = {(c.unit, c.enterprise) for c in caps.unit_enterprise if c.remaining == 0}
    enterprises = {c.enterprise for c in caps.enterprise if c.remaining == 0}
    return lambda request: (
        caps.counts(request.category)
        and ((request.unit, request.enterprise) in pairs or request.enterprise in enterprises)
    )


class _Staff:
    """Whether a unit with officers listed can send enough of them to an enterprise on a day."""

    def __init__(self, problem: Problem) -> None:
        self.needed = problem.effective_rules.officers_per_unit
        self.officers: dict[str, list[tuple[frozenset[date], frozenset[str]]]] = defaultdict(list)
        if problem.is_1_1:
            for officer in problem.officers:
                entry = (frozenset(officer.days_off), frozenset(officer.recusals))
                self.officers[officer.unit].append(entry)

    def can_staff(self, request: Request, day: date) -> bool:
        roster = self.officers.get(request.unit)
        if not roster:
            return True
        free = sum(
            1 for off, recused in roster if day not in off and request.enterprise not in recused
        )
        return free >= self.needed
