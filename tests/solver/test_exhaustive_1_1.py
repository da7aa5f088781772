"""Acceptance tests: `solve` finds the lexicographic optimum under the rules of format 1.1.

The optimum is the brute-force oracle's (:mod:`tests.support.exhaustive`,
verified on its own in ``test_exhaustive_oracle_1_1.py``) or, for the
hand-built cases, the one worked out by hand: `solve` must plan lawfully and
prove its plan optimal.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from inspection.solver import Problem, Round, Solution, SolveOptions, check, solve
from tests.support.exhaustive import exhaustive_optimum
from tests.support.exhaustive_cases import HAND_CASES, HandCase
from tests.support.rules_strategies import tiny_rules_problems, tiny_rules_problems_with_pins

_OPTIONS = SolveOptions(time_limit_s=20, workers=1, seed=3)


def _figures(solution: Solution) -> tuple[int, int]:
    assert solution.statistics is not None
    return solution.statistics.scheduled_priority, solution.statistics.rounds


def _lawful_optimum(
    problem: Problem, options: SolveOptions = _OPTIONS, open_pins: bool = False
) -> tuple[int, int]:
    """Solve, check the plan (with its pins) and that it is proven optimal; its figures."""
    solution = solve(problem, options)
    report = check(problem, solution, options.pinned, open_pins)
    assert report.ok, report.violations
    assert solution.status == "optimal"
    return _figures(solution)


@pytest.mark.parametrize("case", HAND_CASES, ids=lambda case: case.name)
def test_solve_finds_the_optimum_worked_out_by_hand(case: HandCase) -> None:
    assert _lawful_optimum(case.problem) == case.optimum, case.why


@given(tiny_rules_problems())
@settings(max_examples=40, deadline=None)
def test_solve_reaches_the_exhaustive_optimum_under_the_rules(problem: Problem) -> None:
    assert _lawful_optimum(problem) == exhaustive_optimum(problem)


@given(tiny_rules_problems_with_pins())
@settings(max_examples=25, deadline=None)
def test_solve_with_pins_reaches_the_exhaustive_optimum_under_the_rules(
    case: tuple[Problem, tuple[Round, ...]],
) -> None:
    problem, pinned = case
    for open_pins in (True, False):
        options = _OPTIONS.model_copy(update={"pinned": pinned, "open_pins": open_pins})
        found = _lawful_optimum(problem, options, open_pins)
        assert found == exhaustive_optimum(problem, pinned, open_pins)
