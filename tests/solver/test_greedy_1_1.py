"""The greedy under the rules of format 1.1: a lawful baseline, and why a rule keeps a request out.

For each rule a feasible case (the rule shapes the plan but everything is
scheduled) next to an infeasible one (the rule keeps a request out, with its
reason code); then a property: every greedy 1.1 solution passes the checker.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from inspection.solver.check import check, rounds_lower_bound
from inspection.solver.greedy_solution import greedy_solution
from inspection.solver.io import load_problem
from inspection.solver.reason_codes import ReasonCode
from inspection.solver.schema import Officer, Problem, Solution
from tests.support.paths import ROOT
from tests.support.rules_strategies import day, rules_problem, rules_problems, visit

_R = ReasonCode
QUIET = {"quiet_days": {"days": [day(0).isoformat()], "exempt_categories": ["complaint"]}}
NO_DISTURB = {"no_disturb": {"exempt_categories": ["safety"]}}


def unit_cap(remaining: int) -> dict[str, Any]:
    return {
        "caps": {
            "exempt_categories": ["follow_up"],
            "unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": remaining}],
        }
    }


def enterprise_cap(remaining: int) -> dict[str, Any]:
    return {"caps": {"enterprise": [{"enterprise": "E1", "remaining": remaining}]}}


def officers(count: int, **extra: Any) -> tuple[Officer, ...]:
    return tuple(Officer(id=f"A{n}", unit="A", **extra) for n in range(count))


def solved(problem: Problem) -> Solution:
    solution = greedy_solution(problem, draw_seed=1)
    assert check(problem, solution).violations == ()
    return solution


def left_out(problem: Problem) -> dict[str, str | None]:
    return {u.request: u.code for u in solved(problem).unscheduled}


def days_of(problem: Problem) -> dict[str, int]:
    return {
        rid: (round_.date - day(0)).days
        for round_ in solved(problem).rounds
        for rid in round_.requests
    }


# name: (a problem the rule shapes, a problem in which it keeps requests out, their codes)
CASES: dict[str, tuple[Problem, Problem, dict[str, ReasonCode]]] = {
    "quiet day": (
        rules_problem(
            [visit("R1", "A", "E1", 0, 1), visit("R2", "B", "E2", 0, 0, category="complaint")],
            QUIET,
        ),
        rules_problem([visit("R1", "A", "E1", 0, 0)], QUIET),
        {"R1": _R.QUIET_DAY},
    ),
    "no-disturb": (
        rules_problem(
            [visit("R1", "A", "E1", 0, 4, category="safety")], NO_DISTURB, no_disturb=("E1",)
        ),
        rules_problem(
            [visit("R1", "A", "E1", 0, 4), visit("R2", "A", "E2", 0, 4)],
            NO_DISTURB,
            no_disturb=("E1",),
        ),
        {"R1": _R.NO_DISTURB},
    ),
    "unit-enterprise cap": (
        # one visit left: the two requests share a round; the exempt follow-up goes anyway
        rules_problem(
            [
                visit("R1", "A", "E1", 0, 2),
                visit("R2", "A", "E1", 2, 4),
                visit("R3", "A", "E1", 4, 4, category="follow_up", joinable=False),
            ],
            unit_cap(1),
        ),
        rules_problem(
            [visit("R1", "A", "E1", 0, 1, priority=2), visit("R2", "A", "E1", 3, 4)], unit_cap(1)
        ),
        {"R2": _R.CAP_REACHED},
    ),
    "unit-enterprise cap of 0": (
        rules_problem([visit("R1", "A", "E1", 0, 4, category="follow_up")], unit_cap(0)),
        rules_problem([visit("R1", "A", "E1", 0, 4), visit("R2", "B", "E1", 0, 4)], unit_cap(0)),
        {"R1": _R.CAP_REACHED},
    ),
    "enterprise cap, a joint round counts once": (
        rules_problem(
            [visit("R1", "A", "E1", 0, 2), visit("R2", "B", "E1", 2, 4)], enterprise_cap(1)
        ),
        rules_problem(
            [visit("R1", "A", "E1", 0, 1, priority=3), visit("R2", "B", "E1", 3, 4)],
            enterprise_cap(1),
        ),
        {"R2": _R.CAP_REACHED},
    ),
    "officers' daily rounds": (
        rules_problem(
            [visit("R1", "A", "E1", 0, 0), visit("R2", "A", "E2", 0, 0)],
            {"officer_daily_rounds": 2},
            officers(2),
        ),
        rules_problem(
            [visit("R1", "A", "E1", 0, 0, priority=2), visit("R2", "A", "E2", 0, 0)],
            {"officer_daily_rounds": 1},
            officers(2),
        ),
        {"R2": _R.NO_OFFICER},
    ),
    "days off": (
        rules_problem([visit("R1", "A", "E1", 0, 1)], officers=officers(2, days_off=(day(0),))),
        rules_problem([visit("R1", "A", "E1", 0, 0)], officers=officers(2, days_off=(day(0),))),
        {"R1": _R.NO_OFFICER},
    ),
    "recusals": (
        rules_problem(
            [visit("R1", "A", "E1", 0, 0)],
            officers=(*officers(2), Officer(id="A9", unit="A", recusals=("E1",))),
        ),
        rules_problem(
            [visit("R1", "A", "E1", 0, 0), visit("R2", "A", "E2", 0, 0)],
            officers=(Officer(id="A9", unit="A", recusals=("E1",)), *officers(1)),
        ),
        {"R1": _R.NO_OFFICER},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_rule_shapes_the_plan_yet_everything_is_scheduled(name: str) -> None:
    feasible, _infeasible, _codes = CASES[name]
    assert left_out(feasible) == {}


@pytest.mark.parametrize("name", list(CASES))
def test_the_rule_keeps_requests_out_with_its_reason(name: str) -> None:
    _feasible, infeasible, codes = CASES[name]
    assert left_out(infeasible) == codes


def test_a_quiet_day_moves_a_routine_check_but_not_an_exempt_one() -> None:
    feasible = CASES["quiet day"][0]
    assert days_of(feasible) == {"R1": 1, "R2": 0}


def test_a_cap_of_one_visit_folds_the_units_requests_into_one_round() -> None:
    problem = CASES["unit-enterprise cap"][0]
    solution = solved(problem)
    counted = [r for r in solution.rounds if set(r.requests) & {"R1", "R2"}]
    assert [r.requests for r in counted] == [("R1", "R2")]
    assert len(solution.rounds) == 2  # the exempt follow-up is a round of its own


def test_a_reason_sentence_is_chinese_and_names_the_rule() -> None:
    problem = CASES["no-disturb"][1]
    (reason,) = solved(problem).unscheduled
    assert "无事不扰" in reason.reason


def test_a_mix_of_obstacles_is_counted_per_day() -> None:
    # day 0 is quiet, day 1 the unit's two officers are at E2's more important check
    problem = rules_problem(
        [visit("R1", "A", "E1", 0, 1), visit("R2", "A", "E2", 1, 1, priority=3)],
        QUIET,
        officers(2),
    )
    (reason,) = solved(problem).unscheduled
    assert reason.code == _R.NO_FREE_SLOT
    assert "1天为宁静日" in reason.reason
    assert "1天没有足够的可派执法人员" in reason.reason


def test_a_version_1_problem_gets_a_version_1_solution() -> None:
    problem = rules_problem([visit("R1", "A", "E1", 0, 4)]).model_copy(
        update={"format": "inspect-once/1", "rules": None}
    )
    solution = solved(problem)
    assert solution.format == "inspect-once-solution/1"
    assert solution.draw_seed is None
    assert solution.rounds[0].officers is None


@settings(max_examples=150, deadline=None)
@given(rules_problems())
def test_every_greedy_1_1_solution_passes_the_checker(problem: Problem) -> None:
    solution = greedy_solution(problem, draw_seed=9)
    report = check(problem, solution)
    assert report.violations == ()
    assert solution.format == "inspect-once-solution/1.1"
    assert solution.draw_seed == 9
    scheduled = [rid for round_ in solution.rounds for rid in round_.requests]
    assert len(solution.rounds) >= rounds_lower_bound(problem, scheduled)
    assert all(u.code in set(ReasonCode) for u in solution.unscheduled)


def test_a_used_up_cap_goes_to_the_more_important_request() -> None:
    # the tight, unimportant special check would take the enterprise's one visit first
    problem = rules_problem(
        [
            visit("R1", "A", "E1", 0, 0, joinable=False, category="special"),
            visit("R2", "B", "E1", 0, 4, priority=3),
        ],
        enterprise_cap(1),
    )
    assert left_out(problem) == {"R1": _R.CAP_REACHED}


def test_the_sample_week_gets_a_lawful_greedy_plan() -> None:
    problem = load_problem(ROOT / "src/inspection/samples/problem-week-rules.json")
    solution = solved(problem)
    assert {u.request: u.code for u in solution.unscheduled} == {
        "R0007": _R.NO_DISTURB,  # a routine check at the no-disturb enterprise
        "R0010": _R.CAP_REACHED,  # XFJY has no visit left at that enterprise
    }
    assert all(round_.officers for round_ in solution.rounds)


@settings(max_examples=60, deadline=None)
@given(rules_problems())
def test_pinned_rounds_count_against_the_rules_of_what_joins_them(problem: Problem) -> None:
    first = greedy_solution(problem, draw_seed=2)
    pinned = first.rounds[::2]  # half the plan is published, the rest planned again
    for open_pins in (False, True):
        again = greedy_solution(problem, draw_seed=2, pinned=pinned, open_pins=open_pins)
        assert check(problem, again, pinned, open_pins).violations == ()


def test_a_swap_that_finds_no_day_puts_the_round_back_whole() -> None:
    # R04 (more important) has one day, on which U3's only officer is off: no swap helps,
    # and each failed try must put R06's round back as it was (it once crashed here)
    problem = rules_problem(
        [
            visit("R00", "U0", "E0", 0, 0),
            visit("R04", "U3", "E0", 2, 2, joinable=False, priority=2),
            visit("R06", "U3", "E0", 2, 3, joinable=False),
        ],
        {
            "caps": {"unit_enterprise": [{"unit": "U0", "enterprise": "E0", "remaining": 0}]},
            "officers_per_unit": 1,
        },
        (Officer(id="U3-0", unit="U3", days_off=(day(2),)),),
        capacity=1,
        length=4,
    )
    assert left_out(problem) == {"R00": _R.CAP_REACHED, "R04": _R.NO_OFFICER}


def test_a_round_moves_to_another_day_to_free_the_units_officers() -> None:
    # A has room for three rounds on day 0 but officers for one: the important R1 takes
    # day 0 first, so R2 (day 0 only) gets in only once R1 moves to day 1
    problem = rules_problem(
        [visit("R1", "A", "E1", 0, 1, priority=3), visit("R2", "A", "E2", 0, 0)],
        officers=officers(2),
        capacity=1,
        length=2,
    )
    roomy = problem.units[0].model_copy(update={"capacity_by_date": {day(0): 3}})
    problem = problem.model_copy(update={"units": (roomy,)})
    assert days_of(problem) == {"R1": 1, "R2": 0}
