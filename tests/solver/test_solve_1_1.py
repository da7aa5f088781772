"""`solve` on 1.1 problems: each rule binding on a tiny problem, and moot rules planned as 1."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspection.solver import SolveOptions, check, solve
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Officer,
    Problem,
    Request,
    Rules,
    Solution,
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


def _placed(solution: Solution) -> dict[str, date]:
    return {rid: round_.date for round_ in solution.rounds for rid in round_.requests}


def _codes(solution: Solution) -> dict[str, str | None]:
    return {u.request: u.code for u in solution.unscheduled}


def test_a_quiet_day_moves_the_joint_round_off_it() -> None:
    built = problem({"quiet_days": {"days": [day(4)]}})
    solution = solve(built, OPTIONS)
    assert check(built, solution).ok
    assert _placed(solution) == {"R1": day(5), "R2": day(5)}
    assert solution.status == "optimal"


def test_a_no_disturb_enterprise_gets_no_routine_visit() -> None:
    built = problem(no_disturb=True)
    solution = solve(built, OPTIONS)
    assert check(built, solution).ok
    assert solution.rounds == ()
    assert _codes(solution) == {"R1": "NO_DISTURB", "R2": "NO_DISTURB"}


def test_a_used_up_unit_cap_keeps_only_that_unit_out() -> None:
    caps = {"unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": 0}]}
    built = problem({"caps": caps})
    solution = solve(built, OPTIONS)
    assert check(built, solution).ok
    assert set(_placed(solution)) == {"R2"}
    assert _codes(solution) == {"R1": "CAP_REACHED"}


def test_an_enterprise_cap_of_one_forces_one_joint_round() -> None:
    # both windows meet on June 4th and 5th only; two rounds would pass the cap
    built = problem({"caps": {"enterprise": [{"enterprise": "E1", "remaining": 1}]}})
    solution = solve(built, OPTIONS)
    assert check(built, solution).ok
    assert len(solution.rounds) == 1
    assert solution.rounds[0].date in (day(4), day(5))
    assert set(solution.rounds[0].requests) == {"R1", "R2"}


def test_officers_are_drawn_for_the_units_that_have_them() -> None:
    built = problem(officers=(Officer(id="A-1", unit="A"), Officer(id="A-2", unit="A")))
    solution = solve(built, OPTIONS)
    assert check(built, solution).ok
    assert solution.draw_seed == 11
    for round_ in solution.rounds:
        assert round_.officers == ({"A": ("A-1", "A-2")} if "R1" in round_.requests else {})


@pytest.mark.parametrize(
    "officers",
    [
        (
            Officer(id="A-1", unit="A", days_off=(day(3), day(4), day(5))),
            Officer(id="A-2", unit="A"),
        ),
        (Officer(id="A-1", unit="A"), Officer(id="A-2", unit="A", recusals=("E1",))),
    ],
    ids=["day off", "recusal"],
)
def test_a_unit_without_two_eligible_officers_stays_out(officers: tuple[Officer, ...]) -> None:
    built = problem(officers=officers)
    solution = solve(built, OPTIONS)
    assert check(built, solution).ok
    assert set(_placed(solution)) == {"R2"}
    assert _codes(solution) == {"R1": "NO_OFFICER"}


def test_the_draw_seed_option_is_recorded_and_replayed() -> None:
    officers = tuple(Officer(id=f"A-{n}", unit="A") for n in range(1, 7))
    built = problem(officers=officers)
    first = solve(built, OPTIONS.model_copy(update={"draw_seed": 2024}))
    again = solve(built, OPTIONS.model_copy(update={"draw_seed": 2024}))
    assert first.draw_seed == 2024
    assert [r.officers for r in first.rounds] == [r.officers for r in again.rounds]
    draws = {
        tuple(r.officers["A"])
        for seed in range(30)
        for r in solve(built, OPTIONS.model_copy(update={"draw_seed": seed})).rounds
        if r.officers
    }
    assert len(draws) > 5  # fifteen pairs to draw from: the seed does choose


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
