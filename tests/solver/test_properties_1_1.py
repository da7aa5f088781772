"""Acceptance properties of `solve` on small generated 1.1 problems whose rules often bind.

On :func:`~tests.support.rules_strategies.rules_problems` (up to 12 requests,
quiet days, no-disturb enterprises, caps of 0-2, officers with days off and
recusals): the plan is lawful, its officers are drawn and replayable from its
`draw_seed`, its stated bounds hold, and it is never lexicographically worse
than the lawful greedy.
"""

from __future__ import annotations

from hypothesis import given, settings

from inspection.solver import (
    Problem,
    Solution,
    SolveOptions,
    check,
    draw_officers,
    greedy_solution,
    solve,
)
from inspection.solver.reasons import REASON_CODES
from tests.support.rules_strategies import rules_problems

_OPTIONS = SolveOptions(time_limit_s=5, workers=1, seed=11)
_EXAMPLES = 12


def _lawful(problem: Problem) -> Solution:
    solution = solve(problem, _OPTIONS)
    report = check(problem, solution)
    assert report.ok, report.violations
    return solution


def _officered_units(problem: Problem, round_requests: tuple[str, ...]) -> set[str]:
    """The units of a round's requests that have officers listed."""
    with_officers = {o.unit for o in problem.officers}
    unit_of = {r.id: r.unit for r in problem.requests}
    return {unit_of[rid] for rid in round_requests} & with_officers


@given(rules_problems())
@settings(max_examples=_EXAMPLES, deadline=None)
def test_every_1_1_plan_passes_the_checker_and_respects_its_bounds(problem: Problem) -> None:
    solution = _lawful(problem)
    report = check(problem, solution)
    stats = solution.statistics
    assert stats is not None
    assert stats.scheduled_priority <= stats.priority_upper_bound
    assert stats.priority_upper_bound <= report.statistics.schedulable_priority
    assert stats.rounds >= stats.rounds_lower_bound
    assert stats.rounds >= stats.rounds_lower_bound_proven
    assert stats.rounds >= report.statistics.rounds_lower_bound
    assert all(u.code in REASON_CODES for u in solution.unscheduled)


@given(rules_problems())
@settings(max_examples=_EXAMPLES, deadline=None)
def test_every_round_carries_the_officers_of_its_units_and_the_plan_its_seed(
    problem: Problem,
) -> None:
    solution = _lawful(problem)
    assert solution.format == "inspect-once-solution/1.1"
    assert solution.draw_seed is not None
    per_unit = problem.effective_rules.officers_per_unit
    for round_ in solution.rounds:
        units = _officered_units(problem, round_.requests)
        # a round without such units may leave `officers` out
        assert set(round_.officers or {}) == units
        assert all(len(set(round_.officers_of(unit))) == per_unit for unit in units)


@given(rules_problems())
@settings(max_examples=_EXAMPLES, deadline=None)
def test_never_lexicographically_worse_than_the_lawful_greedy(problem: Problem) -> None:
    solution = _lawful(problem)
    baseline = greedy_solution(problem, _OPTIONS.seed)
    priority = {r.id: r.priority for r in problem.requests}
    greedy_priority = sum(priority[i] for rnd in baseline.rounds for i in rnd.requests)
    assert solution.statistics is not None
    ours = (solution.statistics.scheduled_priority, -solution.statistics.rounds)
    assert ours >= (greedy_priority, -len(baseline.rounds))


@given(rules_problems())
@settings(max_examples=_EXAMPLES, deadline=None)
def test_the_same_seed_gives_the_same_officers(problem: Problem) -> None:
    first, second = _lawful(problem), _lawful(problem)
    assert [(r.enterprise, r.date, r.requests, r.officers) for r in first.rounds] == [
        (r.enterprise, r.date, r.requests, r.officers) for r in second.rounds
    ]
    # and the draw replays from the plan's rounds and seed alone
    assert first.draw_seed is not None
    replayed = draw_officers(problem, first.rounds, first.draw_seed)
    assert [r.officers for r in replayed] == [r.officers for r in first.rounds]
