"""The checker on hand-built 1.1 plans: a valid and a broken plan per rule 7-10, and the bound."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspection.solver.check import ViolationCode, check, rounds_lower_bound, schedulable_priority
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Officer,
    Problem,
    Request,
    Round,
    Rules,
    Solution,
    Unit,
    Unscheduled,
)

_C = ViolationCode


def day(number: int) -> date:
    """A day of June 2024; the 3rd is a Monday, and the week has no day off."""
    return date(2024, 6, number)


def request(ident: str, unit: str, enterprise: str, **extra: Any) -> Request:
    window = {"earliest": day(3), "latest": day(7)}
    return Request.model_validate(
        {"id": ident, "unit": unit, "enterprise": enterprise} | window | extra
    )


RULES: dict[str, Any] = {
    "quiet_days": {"days": [day(3)], "exempt_categories": ["complaint"]},
    "no_disturb": {"exempt_categories": ["complaint", "safety"]},
    "caps": {
        "exempt_categories": ["complaint"],
        "unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": 1}],
        "enterprise": [{"enterprise": "E1", "remaining": 1}],
    },
    "officers_per_unit": 2,
    "officer_daily_rounds": 1,
}


def problem(**rule_changes: Any) -> Problem:
    """Unit A has four officers (A2 recused from E2, A3 off on the 5th); B has none and is off
    on the 6th; E2 is on the no-disturb list."""
    return Problem(
        format="inspect-once/1.1",
        horizon=Horizon(start=day(3), end=day(7)),
        non_working_days=(),
        units=(
            Unit(id="A", daily_capacity=2),
            Unit(id="B", daily_capacity=2, capacity_by_date={day(6): 0}),
        ),
        enterprises=(Enterprise(id="E1"), Enterprise(id="E2", no_disturb=True)),
        requests=(
            request("R1", "A", "E1"),
            request("R2", "B", "E1"),
            request("R3", "A", "E1", category="complaint", joinable=False),
            request("R4", "A", "E2", category="safety"),
            request("R5", "B", "E2"),
            request("R6", "A", "E1", category="special"),
        ),
        rules=Rules.model_validate(RULES | rule_changes),
        officers=(
            Officer(id="A1", unit="A"),
            Officer(id="A2", unit="A", recusals=("E2",)),
            Officer(id="A3", unit="A", days_off=(day(5),)),
            Officer(id="A4", unit="A"),
        ),
    )


def joint(number: int = 4, **officers: tuple[str, ...]) -> Round:
    return Round(
        enterprise="E1",
        date=day(number),
        requests=("R1", "R2", "R6"),
        officers=officers or {"A": ("A1", "A3")},
    )


def plan(*rounds: Round, unscheduled: tuple[str, ...] = ("R5",)) -> Solution:
    left_out = tuple(Unscheduled(request=r, reason="无事不扰") for r in unscheduled)
    return Solution(
        format="inspect-once-solution/1.1", draw_seed=7, rounds=rounds, unscheduled=left_out
    )


COMPLAINT = Round(enterprise="E1", date=day(3), requests=("R3",), officers={"A": ("A2", "A4")})
SAFETY = Round(enterprise="E2", date=day(5), requests=("R4",), officers={"A": ("A1", "A4")})
VALID = plan(joint(), COMPLAINT, SAFETY)


def codes(problem_: Problem, solution: Solution) -> set[ViolationCode]:
    return {violation.code for violation in check(problem_, solution).violations}


def test_the_base_plan_is_valid() -> None:
    report = check(problem(), VALID)
    assert report.violations == ()


def with_officers(round_: Round, **officers: tuple[str, ...]) -> Round:
    return round_.model_copy(update={"officers": officers})


# name: (problem changes, the broken plan, the codes it breaks, a valid plan next to it)
PAIRS: dict[str, tuple[dict[str, Any], Solution, set[ViolationCode], Solution]] = {
    "quiet day": (
        {},
        plan(joint(3), COMPLAINT.model_copy(update={"date": day(6)}), SAFETY),
        {_C.QUIET_DAY},
        VALID,  # the complaint, exempt, runs on the quiet day
    ),
    "no-disturb": (
        {},
        plan(
            joint(), COMPLAINT, SAFETY.model_copy(update={"requests": ("R4", "R5")}), unscheduled=()
        ),
        {_C.NO_DISTURB},
        VALID,  # the safety check, exempt, visits the no-disturb enterprise
    ),
    "unit cap": (
        {"caps": RULES["caps"] | {"enterprise": []}},
        plan(
            joint().model_copy(update={"requests": ("R1", "R2")}),
            COMPLAINT,
            SAFETY,
            Round(enterprise="E1", date=day(6), requests=("R6",), officers={"A": ("A1", "A3")}),
        ),
        {_C.UNIT_CAP_EXCEEDED},
        VALID,  # joined into one round, and the exempt complaint is not counted
    ),
    "enterprise cap": (
        {"caps": RULES["caps"] | {"unit_enterprise": []}},
        plan(
            joint().model_copy(update={"requests": ("R1", "R6")}),
            COMPLAINT,
            SAFETY,
            Round(enterprise="E1", date=day(7), requests=("R2",)),
        ),
        {_C.ENTERPRISE_CAP_EXCEEDED},
        VALID,  # a joint round counts once
    ),
    "officer count": ({}, plan(joint(A=("A1",)), COMPLAINT, SAFETY), {_C.OFFICER_COUNT}, VALID),
    "officers missing": (
        {},
        plan(joint().model_copy(update={"officers": None}), COMPLAINT, SAFETY),
        {_C.OFFICER_COUNT},
        VALID,
    ),
    "officer repeated": (
        {},
        plan(joint(A=("A1", "A3", "A1")), COMPLAINT, SAFETY),
        {_C.OFFICER_REPEATED},
        VALID,
    ),
    "officer of no unit": (
        {},
        plan(joint(A=("A1", "B7")), COMPLAINT, SAFETY),
        {_C.OFFICER_NOT_OF_UNIT},
        VALID,
    ),
    "officer on a day off": (
        {},
        plan(joint(), COMPLAINT, with_officers(SAFETY, A=("A1", "A3"))),
        {_C.OFFICER_DAY_OFF},
        VALID,
    ),
    "officer recused": (
        {},
        plan(joint(), COMPLAINT, with_officers(SAFETY, A=("A1", "A2"))),
        {_C.OFFICER_RECUSED},
        VALID,
    ),
    "officer over daily rounds": (
        {},
        plan(joint(), COMPLAINT, SAFETY.model_copy(update={"date": day(4)})),
        {_C.OFFICER_OVER_DAILY_ROUNDS},
        VALID,
    ),
    "officers for a unit without any": (
        {},
        plan(joint(A=("A1", "A3"), B=("A4", "A2")), COMPLAINT, SAFETY),
        {_C.OFFICERS_OF_OTHER_UNIT},
        VALID,
    ),
    "capacity by date": ({}, plan(joint(6), COMPLAINT, SAFETY), {_C.UNIT_OVER_CAPACITY}, VALID),
    "format": (
        {},
        VALID.model_copy(update={"format": "inspect-once-solution/1"}),
        {_C.BAD_FORMAT},
        VALID,
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_each_rule_has_a_broken_and_a_valid_plan(name: str) -> None:
    changes, broken, expected, valid = PAIRS[name]
    rules_problem = problem(**changes)
    assert codes(rules_problem, broken) == expected
    assert check(rules_problem, valid).ok


def test_two_rounds_a_day_are_lawful_when_officers_may_do_two() -> None:
    busy = plan(joint(), COMPLAINT, SAFETY.model_copy(update={"date": day(4)}))
    assert check(problem(officer_daily_rounds=2), busy).ok


def test_a_cap_of_zero_forbids_the_unit_but_not_its_exempt_requests() -> None:
    caps = RULES["caps"] | {"unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": 0}]}
    rules_problem = problem(caps=caps)
    assert codes(rules_problem, VALID) == {_C.UNIT_CAP_EXCEEDED}
    only_b = plan(
        Round(enterprise="E1", date=day(4), requests=("R2",)),
        COMPLAINT,
        SAFETY,
        unscheduled=("R1", "R5", "R6"),
    )
    assert check(rules_problem, only_b).ok


def test_violations_name_the_round_and_the_officer() -> None:
    broken = plan(joint(), COMPLAINT, with_officers(SAFETY, A=("A1", "A2")))
    (violation,) = check(problem(), broken).violations
    assert violation.rule == 10
    assert "rounds[2] (E2 on 2024-06-05)" in violation.message
    assert "'A2'" in violation.message


def test_without_rules_a_1_1_problem_has_the_defaults() -> None:
    bare = problem().model_copy(update={"rules": None})
    # no exemption: even the safety check may not visit E2; no quiet day, no cap
    assert codes(bare, VALID) == {_C.NO_DISTURB}


def bound_problem(requests: list[Request], rules: dict[str, Any], no_disturb: bool) -> Problem:
    return Problem(
        format="inspect-once/1.1",
        horizon=Horizon(start=day(3), end=day(7)),
        non_working_days=(),
        units=(Unit(id="A", daily_capacity=5), Unit(id="B", daily_capacity=5)),
        enterprises=(Enterprise(id="E1", no_disturb=no_disturb),),
        requests=tuple(requests),
        rules=Rules.model_validate(rules | {"no_disturb": {"exempt_categories": ["safety"]}}),
    )


QUIET_4 = {"quiet_days": {"days": [day(4)], "exempt_categories": ["complaint"]}}
ROUTINE_3_4 = request("Ra", "A", "E1", earliest=day(3), latest=day(4))
COMPLAINT_4_5 = request("Rb", "B", "E1", earliest=day(4), latest=day(5), category="complaint")
ROUTINE_3 = request("Ra", "A", "E1", earliest=day(3), latest=day(3))
SAFETY_5 = request("Rb", "B", "E1", earliest=day(5), latest=day(5), category="safety")


@pytest.mark.parametrize(
    ("requests", "rules", "no_disturb", "bound"),
    [
        # Routine 3-4 and complaint 4-5 meet on the 4th, unless it is quiet for the routine one.
        ([ROUTINE_3_4, COMPLAINT_4_5], {}, False, 1),
        ([ROUTINE_3_4, COMPLAINT_4_5], QUIET_4, False, 2),
        # Routine 3-5 has the 3rd and the 5th; widened for the bound it runs over the quiet
        # 4th, so one day hits it and the complaint fixed on the 4th.
        (
            [
                request("Ra", "A", "E1", earliest=day(3), latest=day(5)),
                request("Rb", "B", "E1", earliest=day(4), latest=day(4), category="complaint"),
            ],
            QUIET_4,
            False,
            1,
        ),
        # Two routine requests whose windows share only the quiet 4th.
        (
            [ROUTINE_3_4, request("Rb", "B", "E1", earliest=day(4), latest=day(5))],
            QUIET_4,
            False,
            2,
        ),
        # At a no-disturb enterprise a routine request has no day: it adds none (its unit still
        # counts); the safety check, exempt, keeps its day.
        ([ROUTINE_3, SAFETY_5], {}, True, 1),
        ([ROUTINE_3, SAFETY_5], {}, False, 2),
        # Caps (and officers) are ignored by the bound.
        (
            [request("Ra", "A", "E1"), request("Rb", "A", "E1", joinable=False)],
            {"caps": {"enterprise": [{"enterprise": "E1", "remaining": 0}]}},
            False,
            2,
        ),
    ],
)
def test_the_1_1_lower_bound(
    requests: list[Request], rules: dict[str, Any], no_disturb: bool, bound: int
) -> None:
    built = bound_problem(requests, rules, no_disturb)
    assert rounds_lower_bound(built, [r.id for r in requests]) == bound


def test_the_checker_states_the_1_1_bound_and_schedulable_priority() -> None:
    rules_problem = problem()
    stats = check(rules_problem, VALID).statistics
    # R5 (routine at the no-disturb E2) has no feasible day; the rest can be scheduled
    assert stats.schedulable_priority == 5
    assert stats.rounds_lower_bound == rounds_lower_bound(
        rules_problem, ["R1", "R2", "R3", "R4", "R6"]
    )
    assert stats.rounds_lower_bound == 3  # the joint round, the complaint, the safety check


def test_schedulable_priority_leaves_out_what_caps_and_officers_forbid() -> None:
    rules_problem = problem()
    assert schedulable_priority(rules_problem) == 5
    caps = {"unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": 0}]}
    # R1 and R6 are A's counted requests at E1; the complaint R3 is exempt
    assert schedulable_priority(problem(caps=caps | {"exempt_categories": ["complaint"]})) == 3
    # with three, A still staffs E2 on the days A3 is not off
    assert schedulable_priority(problem(officers_per_unit=3)) == 5
    # with four, A can never staff E2 (A2 is recused): the safety check R4 is out
    assert schedulable_priority(problem(officers_per_unit=4)) == 4
