"""An independent checker of plans against the interchange format.

It re-reads the format document's rules ("What makes a solution valid", rules
0-6, and for a 1.1 problem rules 7-10 in :mod:`inspection.solver.check_rules`)
straight from the problem and the solution, and recomputes every figure a
plan states. It shares no code with the CP-SAT model on purpose: a checker
that reused the model's helpers would repeat the model's mistakes. Only the
interchange models and the working calendar are imported.

Rule 11 is this module's own: a plan's derived fields (a round's `units` and
`items`, the `statistics` block) must agree with what its rounds imply.

Rule 12 is this project's extension, checked when the plan was made with pinned
rounds: each pinned round is in the plan on its date at its enterprise, with
its lead unit and every one of its requests (hence its units); a closed pin
holds nothing else. A joiner of an open pin is a member like any other, so
rules 2 (window, blackout), 4 (units per round), 5 (joinability) and 6 (its
unit's capacity) already judge it.

Everything is a pass or two over dicts and sets, so a plan of several hundred
thousand requests checks in seconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from itertools import chain

from pydantic import BaseModel, ConfigDict

from inspection.solver.bounds import (
    AllowedDays,
    lower_bound_over,
    rounds_lower_bound,
    schedulable_priority,
)
from inspection.solver.check_codes import RULE_OF_CODE, Violation, ViolationCode
from inspection.solver.check_rules import check_rules_1_1
from inspection.solver.schema import Problem, Round, Solution, Statistics

__all__ = [
    "RULE_OF_CODE",
    "CheckReport",
    "CheckStatistics",
    "Violation",
    "ViolationCode",
    "check",
    "rounds_lower_bound",
    "schedulable_priority",
]


_C = ViolationCode


class CheckStatistics(BaseModel):
    """The figures of a plan, recomputed from the problem and the rounds alone."""

    model_config = ConfigDict(frozen=True)

    requests: int
    scheduled_requests: int
    requested_visits: int
    rounds: int
    visits_saved: int
    scheduled_priority: int
    total_priority: int
    schedulable_priority: int
    rounds_lower_bound: int


class CheckReport(BaseModel):
    """What :func:`check` found: every violation, and the recomputed statistics."""

    model_config = ConfigDict(frozen=True)

    violations: tuple[Violation, ...]
    statistics: CheckStatistics

    @property
    def ok(self) -> bool:
        """Whether the plan breaks no rule at all."""
        return not self.violations


# Every figure the plan states and the checker recomputes must agree exactly.
_EXACT_FIGURES = [name for name in CheckStatistics.model_fields if name in Statistics.model_fields]


class _Checker:
    """One pass over a plan, collecting violations; split out to keep each rule short."""

    def __init__(self, problem: Problem, solution: Solution, allowed: AllowedDays) -> None:
        self.problem = problem
        self.solution = solution
        self.allowed = allowed
        self.requests = {request.id: request for request in problem.requests}
        self.blackouts = {e.id: frozenset(e.blackout_days) for e in problem.enterprises}
        self.units = {unit.id: unit for unit in problem.units}
        self.found: list[Violation] = []
        self.scheduled: set[str] = set()

    def add(self, code: ViolationCode, message: str) -> None:
        self.found.append(Violation(rule=RULE_OF_CODE[code], code=code, message=message))

    def run(self) -> None:
        expected = self.problem.solution_format
        if self.solution.format != expected:
            self.add(
                _C.BAD_FORMAT,
                f"solution format {self.solution.format!r}, the problem's is {expected!r}",
            )
        self.check_occurrences()
        same_day: dict[tuple[str, date], list[int]] = defaultdict(list)
        unit_day: dict[tuple[str, date], list[int]] = defaultdict(list)
        for index, round_ in enumerate(self.solution.rounds):
            same_day[round_.enterprise, round_.date].append(index)
            for unit in self.check_round(
                f"rounds[{index}] ({round_.enterprise} on {round_.date})", round_
            ):
                unit_day[unit, round_.date].append(index)
        for (enterprise, day), indices in same_day.items():
            if len(indices) > 1:
                listed = ", ".join(f"rounds[{i}]" for i in indices)
                self.add(_C.TWO_ROUNDS_SAME_DAY, f"{enterprise} has {listed} on {day}")
        for (unit, day), indices in unit_day.items():
            if len(indices) > self.units[unit].capacity_on(day):
                listed = ", ".join(f"rounds[{i}]" for i in indices)
                limit = f"capacity {self.units[unit].capacity_on(day)}"
                self.add(_C.UNIT_OVER_CAPACITY, f"unit {unit} ({limit}) joins {listed} on {day}")
        if self.problem.is_1_1:
            check_rules_1_1(self.problem, self.solution, self.requests, self.add)

    def check_occurrences(self) -> None:
        """Rule 1: every request exactly once, unscheduled ones with a readable reason."""
        # Counting first and locating records only for the rare offenders keeps
        # the common case (a valid plan of 300,000 requests) to a few C-speed passes.
        rounds, left_out = self.solution.rounds, self.solution.unscheduled
        count = Counter(chain.from_iterable(round_.requests for round_ in rounds))
        self.scheduled = count.keys() & self.requests.keys()
        unknown_in_rounds = count.keys() - self.requests.keys()
        count.update(entry.request for entry in left_out)
        twice = {i for i in self.requests if count[i] > 1}
        places: dict[str, list[str]] = defaultdict(list)
        if unknown_in_rounds or twice:
            for index, round_ in enumerate(rounds):
                for request_id in round_.requests:
                    if request_id in unknown_in_rounds:
                        self.add(
                            _C.UNKNOWN_REQUEST, f"rounds[{index}] holds unknown {request_id!r}"
                        )
                    elif request_id in twice:
                        places[request_id].append(f"rounds[{index}]")
        for index, entry in enumerate(left_out):
            name = f"unscheduled[{index}] ({entry.request!r})"
            if entry.request not in self.requests:
                self.add(_C.UNKNOWN_REQUEST, f"{name} names an unknown request")
            elif entry.request in twice:
                places[entry.request].append(f"unscheduled[{index}]")
            if not entry.reason.strip():
                self.add(_C.EMPTY_REASON, f"{name} gives no readable reason")
        for request_id in self.requests:
            if request_id not in count:
                self.add(_C.REQUEST_MISSING, f"request {request_id!r} is nowhere in the plan")
            elif request_id in twice:
                listed = ", ".join(places[request_id])
                self.add(_C.REQUEST_TWICE, f"request {request_id!r} is in {listed}")

    def check_round(self, name: str, round_: Round) -> list[str]:
        """Rules 0, 2, 4, 5 and 11 for one round; returns the units that join it."""
        blackouts = self.blackouts.get(round_.enterprise)
        if blackouts is None:
            self.add(_C.UNKNOWN_ENTERPRISE, f"{name} names an unknown enterprise")
        elif round_.date in blackouts:
            self.add(_C.BLACKOUT_DAY, f"{name} is on a blackout day of the enterprise")
        if not round_.requests:
            self.add(_C.EMPTY_ROUND, f"{name} holds no request")
        if not self.allowed.start <= round_.date <= self.allowed.end:
            self.add(_C.OUTSIDE_HORIZON, f"{name} is outside the horizon")
        elif round_.date.toordinal() not in self.allowed.working:
            self.add(_C.NON_WORKING_DAY, f"{name} is on a non-working day")
        distinct_ids = list(dict.fromkeys(round_.requests))
        members = [self.requests[i] for i in distinct_ids if i in self.requests]
        units = list(dict.fromkeys(request.unit for request in members))
        for request in members:
            what = f"{name} holds request {request.id!r}"
            if blackouts is not None and request.enterprise != round_.enterprise:
                self.add(_C.WRONG_ENTERPRISE, f"{what} of enterprise {request.enterprise}")
            if not request.earliest <= round_.date <= request.latest:
                window = f"{request.earliest}..{request.latest}"
                self.add(_C.OUTSIDE_WINDOW, f"{what} outside its window {window}")
            if not request.joinable and len(distinct_ids) > 1:
                self.add(_C.NOT_JOINABLE_SHARED, f"{what}, non-joinable, with other requests")
        if len(units) > self.problem.max_units_per_round:
            limit = f"at most {self.problem.max_units_per_round}"
            self.add(_C.TOO_MANY_UNITS, f"{name} joins units {', '.join(units)} ({limit})")
        if round_.lead_unit is not None and round_.lead_unit not in units:
            self.add(_C.BAD_LEAD_UNIT, f"{name} has lead unit {round_.lead_unit!r}, not a member")
        # Rule 11: stated units and items, when given, are exactly those of the requests.
        if round_.units and not _same_without_repeats(round_.units, set(units)):
            self.add(_C.ROUND_UNITS_MISMATCH, f"{name} states units {list(round_.units)}")
        items = {item for request in members for item in request.items}
        if round_.items and not _same_without_repeats(round_.items, items):
            self.add(_C.ROUND_ITEMS_MISMATCH, f"{name} states items {list(round_.items)}")
        return units

    def check_pins(self, pinned: Sequence[Round], open_pins: bool) -> None:
        """Rule 12: every pinned round kept, with its date, lead unit and requests."""
        at: dict[tuple[str, date], list[Round]] = defaultdict(list)
        for round_ in self.solution.rounds:
            at[round_.enterprise, round_.date].append(round_)
        for index, pin in enumerate(pinned):
            name = f"pinned[{index}] ({pin.enterprise} on {pin.date})"
            found = at.get((pin.enterprise, pin.date), [])
            held = {request for round_ in found for request in round_.requests}
            if not found:
                self.add(_C.PINNED_ROUND_MISSING, f"{name} is not in the plan")
                continue
            lost = [request for request in pin.requests if request not in held]
            if lost:
                self.add(_C.PINNED_ROUND_CHANGED, f"{name} lost {', '.join(lost)}")
            leads = {round_.lead_unit for round_ in found} - {None}
            if pin.lead_unit is not None and leads - {pin.lead_unit}:
                changed = ", ".join(sorted(str(lead) for lead in leads))
                self.add(_C.PINNED_ROUND_CHANGED, f"{name} is led by {changed}")
            joined = sorted(held - set(pin.requests))
            if joined and not open_pins:
                self.add(_C.PINNED_ROUND_JOINED, f"{name} is closed but takes {', '.join(joined)}")

    def statistics(self) -> CheckStatistics:
        rounds, scheduled = len(self.solution.rounds), len(self.scheduled)
        every = self.problem.requests
        runs = {r.id: self.allowed.feasible_run(r) for r in every}
        return CheckStatistics(
            requests=len(every),
            scheduled_requests=scheduled,
            requested_visits=scheduled,
            rounds=rounds,
            visits_saved=scheduled - rounds,
            scheduled_priority=sum(self.requests[i].priority for i in self.scheduled),
            total_priority=sum(r.priority for r in every),
            schedulable_priority=sum(r.priority for r in every if runs[r.id] is not None),
            rounds_lower_bound=lower_bound_over(self.problem, self.scheduled, lambda r: runs[r.id]),
        )

    def check_statistics(self, recomputed: CheckStatistics) -> None:
        """Rule 11: the plan's own statistics agree with the recomputed ones."""
        claimed = self.solution.statistics
        if claimed is None:
            return
        for field in _EXACT_FIGURES:
            stated, actual = getattr(claimed, field), getattr(recomputed, field)
            if stated != actual:
                self.add(_C.STATISTICS_MISMATCH, f"statistics.{field} is {stated}, not {actual}")
        upper, priority = claimed.priority_upper_bound, recomputed.scheduled_priority
        if upper < priority:
            self.add(_C.BOUND_CONTRADICTED, f"priority_upper_bound {upper} < plan's {priority}")
        # Whatever set of plans the proven bound covers, a plan reaching the
        # priority bound is among them, so its rounds cannot fall below it.
        lower, rounds = claimed.rounds_lower_bound_proven, recomputed.rounds
        if priority >= upper and lower > rounds:
            self.add(_C.BOUND_CONTRADICTED, f"rounds_lower_bound_proven {lower} > plan's {rounds}")


def _same_without_repeats(stated: tuple[str, ...], implied: set[str]) -> bool:
    return len(set(stated)) == len(stated) and set(stated) == implied


def check(
    problem: Problem,
    solution: Solution,
    pinned: Sequence[Round] = (),
    open_pins: bool = False,
) -> CheckReport:
    """Check a plan against every validity rule and recompute its statistics.

    Rules 0-6 are those of the format document's "What makes a solution
    valid", 7-10 those of "What makes a 1.1 solution valid" (for a 1.1
    problem); rule 11 covers the plan's derived fields (a round's `units` and
    `items` when given, and the `statistics` block when present); rule 12 the
    pinned rounds the plan was made with. Every violation is reported, not
    just the first.

    Args:
        problem: The problem the plan is for.
        solution: The plan.
        pinned: The rounds the plan had to keep.
        open_pins: Whether those rounds were open to joiners.

    Returns:
        The violations, ordered by rule, and the recomputed statistics.

    Raises:
        UnknownCalendarError: The statutory calendar is needed for a year it does not know.
    """
    checker = _Checker(problem, solution, AllowedDays(problem, None))
    checker.run()
    checker.check_pins(pinned, open_pins)
    recomputed = checker.statistics()
    checker.check_statistics(recomputed)
    violations = sorted(checker.found, key=lambda violation: violation.rule)
    return CheckReport(violations=tuple(violations), statistics=recomputed)
