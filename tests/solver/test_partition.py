"""A problem cut by enterprise, its parts solved apart, merged and its seams repaired.

The way the service solves a province (one part per district, shared units' days
shared out first) must give a valid plan of the whole, whatever the cut, and bounds
that hold for the whole: never below its optimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspection.solver import Problem, SolveOptions, check, solve
from inspection.solver.partition import (
    PartBounds,
    merge,
    pins_at,
    repair_seams,
    restrict,
    seam_problem,
    solve_part,
)
from inspection.solver.schema import Enterprise, Horizon, Request, Round, Solution, Unit
from tests.support.exhaustive import exhaustive_optimum
from tests.support.rules_strategies import rules_problems
from tests.support.strategies import problems, problems_with_pins, tiny_problems

_FAST = SolveOptions(time_limit_s=0.5, workers=1)


def _days(problem: Problem) -> list[date]:
    start, end = problem.horizon.start, problem.horizon.end
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _solve_in_parts(
    problem: Problem,
    groups: Sequence[set[str]],
    pinned: tuple[Round, ...] = (),
) -> tuple[Solution, list[PartBounds], set[str]]:
    """Cut by `groups`, share every shared unit's day and officers, solve, merge, repair."""
    group_of = {e: g for g, members in enumerate(groups) for e in members}
    spans: dict[str, set[int]] = {}
    for request in problem.requests:
        spans.setdefault(request.unit, set()).add(group_of[request.enterprise])
    shared = {u for u, gs in spans.items() if len(gs) >= 2}
    days = _days(problem)
    pinned_officers = {
        (officer, r.date): group_of[r.enterprise]
        for r in pinned
        for team in (r.officers or {}).values()
        for officer in team
    }
    solutions, bounds = [], []
    for index, members in enumerate(groups):
        capacities: dict[tuple[str, date], int] = {}
        busy: set[tuple[str, date]] = set()
        for unit in problem.units:
            if unit.id not in shared:
                continue
            for day in days:
                whole = unit.capacity_on(day)
                held = sum(1 for r in pinned if r.date == day and unit.id in r.units)
                mine = sum(
                    1
                    for r in pinned
                    if r.date == day and unit.id in r.units and group_of[r.enterprise] == index
                )
                # the first group takes the odd round; a group keeps at least its pins
                spare = whole - held
                share = spare // len(groups) + (1 if index < spare % len(groups) else 0)
                capacities[(unit.id, day)] = mine + max(0, share)
            for position, officer in enumerate(o for o in problem.officers if o.unit == unit.id):
                for day in days:
                    owner = pinned_officers.get((officer.id, day), position % len(groups))
                    if owner != index:
                        busy.add((officer.id, day))
        part = restrict(problem, members, capacities=capacities, busy=busy)
        asked = {r.unit for r in part.requests}
        relaxed = restrict(problem, members) if asked & shared else None
        options = _FAST.model_copy(update={"pinned": pins_at(pinned, members), "open_pins": True})
        solution, part_bounds = solve_part(part, options, relaxed)
        solutions.append(solution)
        bounds.append(part_bounds)
    merged = merge(problem, solutions, bounds)
    options = _FAST.model_copy(update={"pinned": pinned, "open_pins": True})
    return repair_seams(problem, merged, shared, bounds, options), bounds, shared


@st.composite
def _cut(draw: st.DrawFn, problem: Problem) -> list[set[str]]:
    groups = draw(st.integers(1, 3))
    cut: list[set[str]] = [set() for _ in range(groups)]
    for enterprise in problem.enterprises:
        cut[draw(st.integers(0, groups - 1))].add(enterprise.id)
    return [g for g in cut if g]


@given(st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_plan_made_in_parts_is_valid_and_its_bound_holds(data: st.DataObject) -> None:
    problem = data.draw(tiny_problems())
    groups = data.draw(_cut(problem))
    plan, bounds, _ = _solve_in_parts(problem, groups)
    report = check(problem, plan)
    assert report.ok, report.violations
    assert plan.statistics is not None
    best_priority, best_rounds = exhaustive_optimum(problem)
    # the parts' bounds alone, not lifted by the plan's own priority: they must hold
    assert sum(b.priority_upper_bound for b in bounds) >= best_priority
    assert plan.statistics.priority_upper_bound >= best_priority
    if plan.statistics.scheduled_priority == best_priority:
        # no plan of the whole reaching that priority uses fewer rounds than the parts say
        assert sum(b.rounds_lower_bound_proven for b in bounds) <= best_rounds
        assert plan.statistics.rounds_lower_bound_proven <= best_rounds


@given(st.data())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parts_keep_the_pinned_rounds(data: st.DataObject) -> None:
    problem, pinned = data.draw(problems_with_pins(tiny=True))
    groups = data.draw(_cut(problem))
    plan, _, _ = _solve_in_parts(problem, groups, pinned)
    report = check(problem, plan, pinned, open_pins=True)
    assert report.ok, report.violations


@given(st.data())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parts_keep_the_rules_and_the_officers(data: st.DataObject) -> None:
    problem = data.draw(rules_problems(max_requests=10))
    groups = data.draw(_cut(problem))
    plan, _, _ = _solve_in_parts(problem, groups)
    report = check(problem, plan)
    assert report.ok, report.violations


@given(problems(max_requests=10))
@settings(max_examples=20, deadline=None)
def test_restrict_keeps_a_valid_problem_of_the_enterprises(problem: Problem) -> None:
    kept = {problem.enterprises[0].id}
    part = Problem.model_validate_json(restrict(problem, kept).model_dump_json())
    assert {r.id for r in part.requests} == {r.id for r in problem.requests if r.enterprise in kept}
    assert {u.id for u in part.units} == {r.unit for r in part.requests}


def _two_districts() -> Problem:
    """A city's unit U (capacity 2) asked for twice in district A, once in B; A's own unit."""
    day = date(2024, 6, 3)
    return Problem(
        format="inspect-once/1",
        horizon=Horizon(start=day, end=day),
        units=(Unit(id="U", daily_capacity=2), Unit(id="A", daily_capacity=1)),
        enterprises=(Enterprise(id="EA1"), Enterprise(id="EA2"), Enterprise(id="EB")),
        requests=(
            Request(id="a1", unit="U", enterprise="EA1", earliest=day, latest=day),
            Request(id="a2", unit="U", enterprise="EA2", earliest=day, latest=day),
            Request(id="b", unit="U", enterprise="EB", earliest=day, latest=day),
            Request(id="own", unit="A", enterprise="EA1", earliest=day, latest=day),
        ),
    )


def test_the_seam_gives_a_districts_left_out_what_another_left_unused() -> None:
    problem = _two_districts()
    day = problem.horizon.start
    # district A got no share of U that day (say it was all given to B), B one round of two
    parts = []
    bounds = []
    for members, share in (({"EA1", "EA2"}, 0), ({"EB"}, 1)):
        part = restrict(problem, members, capacities={("U", day): share})
        solution, part_bounds = solve_part(part, _FAST, restrict(problem, members))
        parts.append(solution)
        bounds.append(part_bounds)
    merged = merge(problem, parts, bounds)
    assert {u.request for u in merged.unscheduled} == {"a1", "a2"}
    # each part is optimal on its share, the whole is not proven: A's relaxed bound is higher
    assert [p.status for p in parts] == ["optimal", "optimal"]
    assert merged.status == "feasible"
    # A's share of none is not a day off of U: its day went to B
    assert {u.code for u in merged.unscheduled} == {"UNIT_CAPACITY_FULL"}
    assert check(problem, merged).ok
    found = seam_problem(problem, merged, {"U"})
    assert found is not None
    seam, pins = found
    assert {e.id for e in seam.enterprises} == {"EA1", "EA2"}
    assert seam.units[0].capacity_on(day) == 1  # two, less B's round
    assert [r.requests for r in pins] == [("own",)]  # A's round at EA1, open to a1
    repaired = repair_seams(problem, merged, {"U"}, bounds, _FAST)
    assert check(problem, repaired).ok
    assert repaired.statistics is not None
    assert repaired.statistics.scheduled_requests == 3  # one of a1, a2 joins
    assert len({u.request for u in repaired.unscheduled} & {"a1", "a2"}) == 1
    assert {u.code for u in repaired.unscheduled} == {"UNIT_CAPACITY_FULL"}
    # A's share model schedules `own` alone (bound 1), its relaxed model two of its three:
    # the parts' bounds sum to at least the whole's optimum, 3 of 4
    assert [b.relaxed for b in bounds] == [True, True]
    assert sum(b.priority_upper_bound for b in bounds) >= 3


def test_without_shared_units_nothing_is_repaired() -> None:
    problem = _two_districts()
    merged = solve(problem, _FAST)
    assert seam_problem(problem, merged, set()) is None
    assert repair_seams(problem, merged, set(), [], _FAST) is merged


def test_merge_refuses_parts_that_miss_a_request() -> None:
    problem = _two_districts()
    part = restrict(problem, {"EB"})
    solution, part_bounds = solve_part(part, _FAST)
    with pytest.raises(ValueError, match="every request exactly once"):
        merge(problem, [solution], [part_bounds])


def test_a_relaxed_rounds_bound_counts_only_for_the_priority_it_was_proven_at() -> None:
    # U has one round: the whole's optimum gives it to B's request (priority 5), one round;
    # A's share is none, so A's part schedules nothing, while its relaxed model (U at its one
    # round) needs a round: that bound is for a priority A's plan does not reach
    day = date(2024, 6, 3)
    problem = Problem(
        format="inspect-once/1",
        horizon=Horizon(start=day, end=day),
        non_working_days=(),
        units=(Unit(id="U", daily_capacity=1),),
        enterprises=(Enterprise(id="EA"), Enterprise(id="EB")),
        requests=(
            Request(id="a", unit="U", enterprise="EA", earliest=day, latest=day),
            Request(id="b", unit="U", enterprise="EB", earliest=day, latest=day, priority=5),
        ),
    )
    bounds = []
    for members, share in (({"EA"}, 0), ({"EB"}, 1)):
        part = restrict(problem, members, capacities={("U", day): share})
        _, part_bounds = solve_part(part, _FAST, restrict(problem, members))
        bounds.append(part_bounds)
    best_priority, best_rounds = exhaustive_optimum(problem)
    assert (best_priority, best_rounds) == (5, 1)
    assert [b.rounds_lower_bound_proven for b in bounds] == [0, 1]
    assert sum(b.rounds_lower_bound_proven for b in bounds) <= best_rounds
