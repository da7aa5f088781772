"""Solver properties on generated problems: against the checker, the greedy and brute force."""

from __future__ import annotations

from hypothesis import given, settings

from inspection.solver import Problem, SolveOptions, check, solve
from inspection.solver.greedy import greedy_plan
from inspection.solver.reasons import REASON_CODES
from tests.support.exhaustive import exhaustive_optimum
from tests.support.strategies import problems, tiny_problems

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
