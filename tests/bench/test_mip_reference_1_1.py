"""The MIP reference on format 1.1: rules 7-10 change its optimum, its plans pass the checker.

Each rule gets a hand-built week where it binds: the MIP's priority with the
rule is below its priority on the same problem without it, and the plan
obeys it. Small generated 1.1 problems compare it with the greedy baseline.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from inspection.generator import generate
from inspection.solver import check
from inspection.solver.greedy_solution import greedy_solution
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
from mip_reference import MipResult, main, solve_mip, solve_mip_plan

LIMIT_S = 10.0


def day(number: int) -> date:
    """A day of June 2024; the 3rd is a Monday, and the week has no day off."""
    return date(2024, 6, number)


def request(ident: str, unit: str, enterprise: str, first: int, last: int, **extra: Any) -> Request:
    window = {"earliest": day(first), "latest": day(last)}
    return Request.model_validate(
        {"id": ident, "unit": unit, "enterprise": enterprise} | window | extra
    )


def week(
    *requests: Request,
    rules: dict[str, Any] | None = None,
    officers: tuple[Officer, ...] = (),
    no_disturb: tuple[str, ...] = (),
) -> Problem:
    """A 1.1 week of units A and B (three rounds a day each) and enterprises E1-E3."""
    return Problem(
        format="inspect-once/1.1",
        horizon=Horizon(start=day(3), end=day(7)),
        non_working_days=(),
        units=(Unit(id="A", daily_capacity=3), Unit(id="B", daily_capacity=3)),
        enterprises=tuple(
            Enterprise(id=ident, no_disturb=ident in no_disturb) for ident in ("E1", "E2", "E3")
        ),
        requests=requests,
        rules=Rules.model_validate(rules or {}),
        officers=officers,
    )


def solved(problem: Problem, exact: bool = False) -> tuple[MipResult, Solution]:
    """The MIP's result and plan, after checking the plan here too."""
    result, solution = solve_mip_plan(problem, LIMIT_S, exact_officers=exact)
    report = check(problem, solution)
    if result.staffed:
        assert report.violations == ()
    assert report.statistics.scheduled_priority == result.priority
    assert report.statistics.rounds == result.rounds
    assert result.priority_proven
    assert result.rounds_proven
    return result, solution


def placed(solution: Solution) -> dict[str, date]:
    """Each scheduled request's day."""
    return {rid: round_.date for round_ in solution.rounds for rid in round_.requests}


def test_quiet_days_keep_out_all_but_the_exempt() -> None:
    rules = {"quiet_days": {"days": [day(3)], "exempt_categories": ["complaint"]}}
    requests = (
        request("R1", "A", "E1", 3, 3),
        request("R2", "A", "E2", 3, 3, category="complaint", joinable=False),
        request("R3", "B", "E1", 3, 4),
    )
    with_rule, plan = solved(week(*requests, rules=rules))
    without, _ = solved(week(*requests))
    assert (with_rule.priority, without.priority) == (2, 3)
    assert placed(plan) == {"R2": day(3), "R3": day(4)}


def test_no_disturb_keeps_out_all_but_the_exempt() -> None:
    rules = {"no_disturb": {"exempt_categories": ["safety"]}}
    requests = (
        request("R1", "A", "E2", 3, 7),
        request("R2", "B", "E2", 3, 7, category="safety"),
        request("R3", "A", "E1", 3, 7),
    )
    with_rule, plan = solved(week(*requests, rules=rules, no_disturb=("E2",)))
    without, _ = solved(week(*requests, rules=rules))
    assert (with_rule.priority, without.priority) == (2, 3)
    assert set(placed(plan)) == {"R2", "R3"}


def test_a_unit_cap_counts_its_rounds_with_counted_requests() -> None:
    caps = {
        "exempt_categories": ["follow_up"],
        "unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": 1}],
    }
    requests = (  # four rounds of A at E1 on four days, one of them not counted
        request("R1", "A", "E1", 3, 3),
        request("R2", "A", "E1", 5, 5),
        request("R3", "A", "E1", 4, 4, category="follow_up"),
        request("R4", "A", "E1", 6, 6, joinable=False),
    )
    with_rule, plan = solved(week(*requests, rules={"caps": caps}))
    without, _ = solved(week(*requests))
    assert (with_rule.priority, without.priority) == (2, 4)
    assert "R3" in placed(plan)


def test_an_enterprise_cap_counts_a_joint_round_once() -> None:
    caps = {"enterprise": [{"enterprise": "E1", "remaining": 1}]}
    requests = (
        request("R1", "A", "E1", 3, 5),
        request("R2", "B", "E1", 3, 5),
        request("R3", "B", "E1", 7, 7),  # cannot join the others
    )
    with_rule, plan = solved(week(*requests, rules={"caps": caps}))
    without, _ = solved(week(*requests))
    # the joint round of R1 and R2 is one round of the cap (counted per unit, only one fits)
    assert (with_rule.priority, with_rule.rounds) == (2, 1)
    assert without.priority == 3
    assert set(placed(plan)) == {"R1", "R2"}


def test_an_enterprise_cap_does_not_count_a_round_of_exempt_requests() -> None:
    caps = {
        "exempt_categories": ["follow_up"],
        "enterprise": [{"enterprise": "E1", "remaining": 1}],
    }
    requests = (
        request("R1", "A", "E1", 3, 3),  # would make the 3rd's round a counted one
        request("R2", "B", "E1", 3, 3, category="follow_up"),
        request("R3", "B", "E1", 5, 5, priority=2),
    )
    with_rule, plan = solved(week(*requests, rules={"caps": caps}))
    without, _ = solved(week(*requests))
    assert (with_rule.priority, without.priority) == (3, 4)
    assert placed(plan) == {"R2": day(3), "R3": day(5)}


def test_officers_limit_a_units_rounds_a_day() -> None:
    officers = (Officer(id="A1", unit="A"), Officer(id="A2", unit="A"), Officer(id="A3", unit="A"))
    requests = tuple(request(f"R{n}", "A", f"E{n}", 3, 3) for n in (1, 2, 3))
    # three officers, two a round, one round each a day: one round of A on the 3rd
    with_rule, plan = solved(week(*requests, officers=officers))
    without, _ = solved(week(*requests))
    assert (with_rule.priority, without.priority) == (1, 3)
    assert with_rule.officers_model == "aggregate"
    assert all(len(r.officers_of("A")) == 2 for r in plan.rounds)


def test_recused_officers_and_days_off_take_a_units_days_away() -> None:
    officers = (
        Officer(id="A1", unit="A", recusals=("E1",)),
        Officer(id="A2", unit="A"),
        Officer(id="A3", unit="A", days_off=(day(4),)),
    )
    requests = (
        request("R1", "A", "E1", 3, 3),  # only A2 and A3 may go to E1, and A3 is in
        request("R2", "A", "E1", 4, 4),  # ... but not on the 4th, A3's day off
        request("R3", "B", "E2", 4, 4),  # B has no officers: its capacity alone limits it
    )
    with_rule, plan = solved(week(*requests, officers=officers, rules={"officer_daily_rounds": 2}))
    without, _ = solved(week(*requests))
    assert (with_rule.priority, without.priority) == (2, 3)
    assert set(placed(plan)) == {"R1", "R3"}
    e1 = next(r for r in plan.rounds if r.enterprise == "E1")
    assert e1.officers == {"A": ("A2", "A3")}


def hall_problem() -> Problem:
    """Two rounds of A on the 3rd that only A1 and A2 may staff: the aggregate allows both."""
    officers = (
        Officer(id="A1", unit="A"),
        Officer(id="A2", unit="A"),
        Officer(id="A3", unit="A", recusals=("E1", "E2")),
        Officer(id="A4", unit="A", recusals=("E1", "E2")),
    )
    requests = (request("R1", "A", "E1", 3, 3), request("R2", "A", "E2", 3, 3, priority=2))
    return week(*requests, officers=officers)


def test_the_aggregate_is_a_relaxation_and_says_when_its_plan_cannot_be_staffed() -> None:
    aggregate, plan = solved(hall_problem())
    assert (aggregate.priority, aggregate.priority_bound) == (3, 3)
    assert not aggregate.staffed
    assert not aggregate.stage_one_staffed
    assert "the aggregate relaxation's plan cannot be staffed" in aggregate.staffing
    assert len(plan.rounds) == 2


def test_the_exact_officers_plan_is_staffed_and_within_the_aggregate_bound() -> None:
    exact, plan = solved(hall_problem(), exact=True)
    assert exact.officers_model == "exact"
    assert exact.staffed
    assert exact.staffing == ""
    assert (exact.priority, exact.rounds) == (2, 1)
    assert placed(plan) == {"R2": day(3)}
    assert plan.rounds[0].officers == {"A": ("A1", "A2")}
    assert plan.format == "inspect-once-solution/1.1"


def test_the_command_reports_an_unstaffable_plan_instead_of_failing(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hall.json"
    path.write_text(hall_problem().model_dump_json(), encoding="utf-8")
    main(["--problem", str(path), "--time-limit", "10"])
    printed = json.loads(capsys.readouterr().out)
    assert printed["staffed"] is False
    assert printed["staffing"].startswith("the aggregate relaxation's plan cannot be staffed")
    assert printed["priority_bound"] == 3
    main(["--problem", str(path), "--time-limit", "10", "--exact-officers"])
    printed = json.loads(capsys.readouterr().out)
    assert (printed["staffed"], printed["priority"]) == (True, 2)


def greedy_priority(problem: Problem) -> int:
    report = check(problem, greedy_solution(problem, draw_seed=0))
    assert report.violations == ()
    return report.statistics.scheduled_priority


@pytest.mark.parametrize("seed", [1, 2])
def test_on_a_generated_problem_the_mip_is_at_least_the_greedy(seed: int) -> None:
    problem = generate("S", seed, scale=0.3, rules=True)
    result, plan = solved(problem)
    assert result.staffed
    assert check(problem, plan).violations == ()
    assert result.priority >= greedy_priority(problem)


def test_exact_officers_on_a_tiny_generated_problem() -> None:
    problem = generate("S", 1, scale=0.1, rules=True)
    aggregate = solve_mip(problem, LIMIT_S)
    exact, plan = solved(problem, exact=True)
    assert check(problem, plan).violations == ()
    assert greedy_priority(problem) <= exact.priority <= aggregate.priority_bound


def test_a_version_1_problem_gets_no_rules() -> None:
    problem = generate("S", 1, scale=0.2)
    as_1_1 = problem.model_copy(update={"format": "inspect-once/1.1"})
    first, second = solve_mip(problem, LIMIT_S), solve_mip(as_1_1, LIMIT_S)
    assert first.officers_model == second.officers_model == "none"
    assert (first.variables, first.constraints) == (second.variables, second.constraints)
    assert (first.priority, first.rounds) == (second.priority, second.rounds)
