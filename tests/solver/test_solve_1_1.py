"""`solve` on 1.1 problems: refused while a rule could bind, planned as 1 when all are moot."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspection.solver import SolveOptions, UnsupportedProblemError, check, solve
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Officer,
    Problem,
    Request,
    Rules,
    Unit,
)


def day(number: int) -> date:
    return date(2024, 6, number)


def problem(
    rules: dict[str, Any] | None = None,
    officers: tuple[Officer, ...] = (),
    no_disturb: bool = False,
    category: str = "routine",
    requests: int = 2,
) -> Problem:
    """Two units' requests at E1 in the week of June 3rd 2024 (E2 has none)."""
    return Problem(
        format="inspect-once/1.1",
        horizon=Horizon(start=day(3), end=day(7)),
        non_working_days=(),
        units=(
            Unit(id="A", daily_capacity=2),
            Unit(id="B", daily_capacity=2),
            Unit(id="C", daily_capacity=1),
        ),
        enterprises=(Enterprise(id="E1", no_disturb=no_disturb), Enterprise(id="E2")),
        requests=(
            Request(
                id="R1",
                unit="A",
                enterprise="E1",
                earliest=day(3),
                latest=day(5),
                category=category,
            ),
            Request(id="R2", unit="B", enterprise="E1", earliest=day(4), latest=day(7)),
        )[:requests],
        rules=None if rules is None else Rules.model_validate(rules),
        officers=officers,
    )


OPTIONS = SolveOptions(time_limit_s=5, workers=1, seed=11)


@pytest.mark.parametrize(
    ("built", "path", "words"),
    [
        (
            problem({"quiet_days": {"days": [day(4)]}}),
            "rules.quiet_days.days",
            "quiet day 2024-06-04",
        ),
        (problem(no_disturb=True), "requests[0].category", "no-disturb enterprise"),
        (
            problem(
                {"caps": {"unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": 0}]}}
            ),
            "rules.caps.unit_enterprise[0]",
            "the cap can bind",
        ),
        (
            problem({"caps": {"enterprise": [{"enterprise": "E1", "remaining": 1}]}}),
            "rules.caps.enterprise[0]",
            "the cap can bind",
        ),
        (
            problem(officers=(Officer(id="A-1", unit="A"), Officer(id="A-2", unit="A"))),
            "officers[0]",
            "officers to draw",
        ),
    ],
    ids=["quiet day", "no-disturb", "unit cap", "enterprise cap", "officers"],
)
def test_a_binding_rule_is_refused_in_one_line(built: Problem, path: str, words: str) -> None:
    with pytest.raises(UnsupportedProblemError) as caught:
        solve(built, OPTIONS)
    assert caught.value.path == path
    assert words in str(caught.value)
    assert "does not obey this rule yet" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "built",
    [
        problem(),
        problem({}),
        # quiet only for others, no-disturb and caps exempting the one request there is
        problem(
            {
                "quiet_days": {"days": [day(3)], "exempt_categories": ["complaint"]},
                "no_disturb": {"exempt_categories": ["complaint"]},
                "caps": {
                    "exempt_categories": ["complaint"],
                    "unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": 0}],
                    "enterprise": [{"enterprise": "E1", "remaining": 0}],
                },
            },
            no_disturb=True,
            category="complaint",
            requests=1,
        ),
        # a cap as large as the counted requests it covers
        problem({"caps": {"enterprise": [{"enterprise": "E1", "remaining": 2}]}}),
        # officers only of a unit without requests
        problem(officers=(Officer(id="C-1", unit="C"), Officer(id="C-2", unit="C"))),
    ],
    ids=["no rules", "empty rules", "moot rules", "loose cap", "idle officers"],
)
def test_moot_rules_are_planned_as_version_1_in_format_1_1(built: Problem) -> None:
    solution = solve(built, OPTIONS)
    assert solution.format == "inspect-once-solution/1.1"
    assert solution.draw_seed == 11
    assert solution.rounds
    assert all(round_.officers == {} for round_ in solution.rounds)
    report = check(built, solution)
    assert report.ok, report.violations


def test_a_version_1_problem_is_solved_as_before() -> None:
    version_1 = problem().model_copy(update={"format": "inspect-once/1"})
    solution = solve(version_1, OPTIONS)
    assert solution.format == "inspect-once-solution/1"
    assert solution.draw_seed is None
    assert all(round_.officers is None for round_ in solution.rounds)
    assert check(version_1, solution).ok
