"""A brute-force reference planner for tiny problems, written from the format document alone.

It shares nothing with the solver or the checker. A plan is fixed by the day
each request gets (or none): a valid plan has one round per enterprise-day
(rule 3), so the requests given the same enterprise and day are that round,
and the plan is valid exactly when those rounds keep the rules. Trying every
assignment therefore tries every valid plan. Simplicity over speed: meant
for at most seven requests with a few options each.

Pinned rounds (this project's extension): a pinned request keeps its round's
day, so the round at the pin's enterprise and day holds all of the pin's
requests; a closed pin holds nothing else, an open one may take joiners,
which the rules above then judge like any other member.

Version 1.1: `capacity_by_date` is in rule 6 here, and rules 7 to 10 come from
:class:`tests.support.exhaustive_rules.RulesJudge`. Quiet days and the
no-disturb list judge each request by itself, so a day they forbid is not
even offered; caps and officers judge the whole plan.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from inspection.solver.schema import Problem, Request, Round
from tests.support.exhaustive_rules import RulesJudge

__all__ = [
    "Assignment",
    "ExhaustivePlan",
    "PlanRound",
    "broken_pins",
    "broken_rules",
    "exhaustive_best_plan",
    "exhaustive_optimum",
    "rounds_of",
    "valid_plans",
]

Assignment = Mapping[str, date | None]
"""Request id to its day, or None when the request is left unscheduled."""


@dataclass(frozen=True)
class PlanRound:
    """One round of a plan: an enterprise, a day, and the ids of its requests."""

    enterprise: str
    day: date
    request_ids: tuple[str, ...]


@dataclass(frozen=True)
class ExhaustivePlan:
    """A plan with its two objectives."""

    assignment: dict[str, date | None]
    rounds: tuple[PlanRound, ...]
    priority: int


def _days_of(problem: Problem) -> list[date]:
    start, end = problem.horizon.start, problem.horizon.end
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _off_days(problem: Problem) -> set[date]:
    if problem.non_working_days is None:
        raise ValueError("the exhaustive planner needs explicit non_working_days")
    return set(problem.non_working_days)


def rounds_of(
    problem: Problem, assignment: Assignment, split_non_joinable: bool = False
) -> list[PlanRound]:
    """Group the scheduled requests into rounds, one per enterprise and day.

    Args:
        problem: The problem.
        assignment: The day of each request, or None.
        split_non_joinable: Give each non-joinable request a round of its own
            (which then shares its enterprise-day with the rest) instead of
            putting it into the enterprise-day's one round.

    Returns:
        The rounds, in order of first appearance in the problem's requests.
    """
    groups: dict[tuple[str, date, str], list[str]] = {}
    for request in problem.requests:
        day = assignment.get(request.id)
        if day is None:
            continue
        own = request.id if split_non_joinable and not request.joinable else ""
        groups.setdefault((request.enterprise, day, own), []).append(request.id)
    return [PlanRound(key[0], key[1], tuple(ids)) for key, ids in groups.items()]


def broken_rules(problem: Problem, rounds: list[PlanRound]) -> set[int]:
    """The numbers of the format's validity rules (2 to 6) that the rounds break.

    Rules 0 and 1 hold by construction for rounds made by :func:`rounds_of`
    from an assignment of the problem's own requests.
    """
    requests = {request.id: request for request in problem.requests}
    blackouts = {e.id: set(e.blackout_days) for e in problem.enterprises}
    unit_by_id = {unit.id: unit for unit in problem.units}
    off = _off_days(problem)
    broken: set[int] = set()
    rounds_per_enterprise_day: Counter[tuple[str, date]] = Counter()
    rounds_per_unit_day: Counter[tuple[str, date]] = Counter()
    for round_ in rounds:
        members = [requests[i] for i in round_.request_ids]
        units = {request.unit for request in members}
        rounds_per_enterprise_day[round_.enterprise, round_.day] += 1
        for unit in units:
            rounds_per_unit_day[unit, round_.day] += 1
        for request in members:
            if (
                request.enterprise != round_.enterprise
                or not request.earliest <= round_.day <= request.latest
                or not problem.horizon.start <= round_.day <= problem.horizon.end
                or round_.day in off
                or round_.day in blackouts[round_.enterprise]
            ):
                broken.add(2)
            if not request.joinable and len(members) > 1:
                broken.add(5)
        if len(units) > problem.max_units_per_round:
            broken.add(4)
    if any(count > 1 for count in rounds_per_enterprise_day.values()):
        broken.add(3)
    if any(
        count > (unit_by_id[unit].capacity_by_date or {}).get(day, unit_by_id[unit].daily_capacity)
        for (unit, day), count in rounds_per_unit_day.items()
    ):
        broken.add(6)
    return broken


def broken_pins(
    rounds: list[PlanRound] | tuple[PlanRound, ...], pinned: tuple[Round, ...], open_pins: bool
) -> bool:
    """Whether the rounds fail to keep a pinned round: its requests together on its day,
    and, for a closed pin, nothing else with them."""
    where = {(r.enterprise, r.day): set(r.request_ids) for r in rounds}
    for pin in pinned:
        held = where.get((pin.enterprise, pin.date), set())
        if not set(pin.requests) <= held or (not open_pins and held != set(pin.requests)):
            return True
    return False


def _fits_alone(problem: Problem, request: Request, day: date) -> bool:
    """Whether the request, alone, could be visited on `day` (rule 2)."""
    blackout = next(e.blackout_days for e in problem.enterprises if e.id == request.enterprise)
    return (
        request.earliest <= day <= request.latest
        and day not in _off_days(problem)
        and day not in blackout
    )


def valid_plans(
    problem: Problem, pinned: tuple[Round, ...] = (), open_pins: bool = False
) -> Iterator[ExhaustivePlan]:
    """Every valid plan of the problem, one per assignment of days to requests.

    A pinned request has one option, its round's day; the plan must keep the pins.
    """
    pinned_day = {rid: pin.date for pin in pinned for rid in pin.requests}
    judge = RulesJudge(problem)
    options = [
        [pinned_day[request.id]]
        if request.id in pinned_day
        else [
            None,
            *(
                day
                for day in _days_of(problem)
                if _fits_alone(problem, request, day) and judge.allowed_alone(request, day)
            ),
        ]
        for request in problem.requests
    ]
    ids = [request.id for request in problem.requests]
    priority = {request.id: request.priority for request in problem.requests}
    for choice in itertools.product(*options):
        assignment = dict(zip(ids, choice, strict=True))
        rounds = rounds_of(problem, assignment)
        if (
            not broken_rules(problem, rounds)
            and not broken_pins(rounds, pinned, open_pins)
            and not judge.broken(rounds)
        ):
            gained = sum(priority[i] for i, day in assignment.items() if day is not None)
            yield ExhaustivePlan(assignment, tuple(rounds), gained)


def exhaustive_best_plan(
    problem: Problem, pinned: tuple[Round, ...] = (), open_pins: bool = False
) -> ExhaustivePlan:
    """A lexicographically best plan: most scheduled priority, then fewest rounds.

    With pins, they must be valid: leaving everything else unscheduled is then a plan.
    """
    plans = valid_plans(problem, pinned, open_pins)
    return max(plans, key=lambda plan: (plan.priority, -len(plan.rounds)))


def exhaustive_optimum(
    problem: Problem, pinned: tuple[Round, ...] = (), open_pins: bool = False
) -> tuple[int, int]:
    """The lexicographic optimum as (maximum scheduled priority, then minimum rounds)."""
    best = exhaustive_best_plan(problem, pinned, open_pins)
    return best.priority, len(best.rounds)
