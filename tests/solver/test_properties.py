"""Solver properties on generated problems: against the checker, the greedy and brute force."""

from __future__ import annotations

from hypothesis import given, settings

from inspection.solver import Problem, Round, Solution, SolveOptions, check, solve
from inspection.solver.greedy import greedy_plan
from inspection.solver.reasons import REASON_CODES
from tests.support.exhaustive import exhaustive_optimum
from tests.support.strategies import problems, problems_with_pins, tiny_problems

_OPTIONS = SolveOptions(time_limit_s=20, workers=1, seed=0)


@given(problems())
@settings(max_examples=40)
def test_every_plan_passes_the_checker_and_respects_the_bounds(problem: Problem) -> None:
    solution = solve(problem, _OPTIONS)
    report = check(problem, solution)
    assert report.ok, report.violations
    stats = solution.statistics
    assert stats is not None
    assert stats.rounds >= report.statistics.rounds_lower_bound
    assert stats.rounds >= stats.rounds_lower_bound_proven
    assert stats.scheduled_priority <= stats.priority_upper_bound
    assert stats.priority_upper_bound <= report.statistics.schedulable_priority
    assert all(u.code in REASON_CODES for u in solution.unscheduled)
    # small problems are solved to proven optimality well within the limit
    assert solution.status == "optimal"


@given(problems())
@settings(max_examples=30)
def test_never_lexicographically_worse_than_the_greedy_baseline(problem: Problem) -> None:
    solution = solve(problem, _OPTIONS)
    baseline = greedy_plan(problem)
    by_id = {r.id: r for r in problem.requests}
    greedy_priority = sum(by_id[r].priority for rnd in baseline.rounds for r in rnd.requests)
    assert solution.statistics is not None
    ours = (solution.statistics.scheduled_priority, -solution.statistics.rounds)
    assert ours >= (greedy_priority, -len(baseline.rounds))


@given(tiny_problems())
@settings(max_examples=60)
def test_optimum_equals_exhaustive_search(problem: Problem) -> None:
    solution = solve(problem, _OPTIONS)
    assert solution.statistics is not None
    assert solution.status == "optimal"
    found = (solution.statistics.scheduled_priority, solution.statistics.rounds)
    assert found == exhaustive_optimum(problem)


def _figures(solution: Solution) -> tuple[int, int]:
    assert solution.statistics is not None
    return solution.statistics.scheduled_priority, solution.statistics.rounds


def _with_pins(pinned: tuple[Round, ...], open_pins: bool) -> SolveOptions:
    return _OPTIONS.model_copy(update={"pinned": pinned, "open_pins": open_pins})


@given(problems_with_pins())
@settings(max_examples=40)
def test_open_pins_are_kept_and_never_plan_worse_than_closed_ones(
    case: tuple[Problem, tuple[Round, ...]],
) -> None:
    problem, pinned = case
    opened = solve(problem, _with_pins(pinned, open_pins=True))
    report = check(problem, opened, pinned, open_pins=True)
    assert report.ok, report.violations
    assert opened.status == "optimal"
    assert all(u.code in REASON_CODES for u in opened.unscheduled)
    closed = solve(problem, _with_pins(pinned, open_pins=False))
    assert check(problem, closed, pinned).ok
    # a closed plan is an open plan in which nobody joined
    priority, rounds = _figures(opened)
    closed_priority, closed_rounds = _figures(closed)
    assert (priority, -rounds) >= (closed_priority, -closed_rounds)


@given(problems_with_pins(tiny=True))
@settings(max_examples=60)
def test_optimum_with_pins_equals_exhaustive_search(
    case: tuple[Problem, tuple[Round, ...]],
) -> None:
    problem, pinned = case
    for open_pins in (True, False):
        solution = solve(problem, _with_pins(pinned, open_pins))
        assert solution.status == "optimal"
        assert _figures(solution) == exhaustive_optimum(problem, pinned, open_pins)
