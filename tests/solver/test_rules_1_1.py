"""The rules of format 1.1 in the model: caps with feasible/infeasible pairs, day filters, staffing.

The caps are constraints of the CP-SAT model, tested as the version 1 rules are
(:mod:`tests.solver.test_rules`): a valid assignment is feasible, one that breaks
exactly that cap is not, and becomes feasible once that cap is left out. Quiet
days, no-disturb and a round's staffing are filters of each request's days, and
a unit's staffing across a day is its capacity (with recused officers assigned
explicitly): tested on the instance and the model, and the exact staffing check
with its repair on the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from inspection.solver import SolveOptions, check, constraints, solve
from inspection.solver.constraints_rules import (
    add_enterprise_caps,
    add_officer_staffing,
    add_unit_enterprise_caps,
)
from inspection.solver.instance import Component, Instance, build_instance
from inspection.solver.occupancy import Blocker, Occupancy
from inspection.solver.reason_codes import ReasonCode
from inspection.solver.repair import repair_staffing
from inspection.solver.rules_instance import OfficerLoad
from inspection.solver.schema import Problem
from inspection.solver.variables import Variables, make_variables

Rule = Callable[[cp_model.CpModel, Variables], None]
WEEK = {"earliest": "2024-06-03", "latest": "2024-06-07"}


def _problem(
    rules: dict[str, Any] | None = None,
    officers: list[dict[str, Any]] | None = None,
    categories: dict[str, str] | None = None,
    joinable_c: bool = True,
    no_disturb: bool = False,
) -> Problem:
    """Five working days, three units, two enterprises; windows open all week."""
    categories = categories or {}
    requests = [
        ("a1", "A", "E1"),
        ("a2", "A", "E1"),
        ("b1", "B", "E1"),
        ("c1", "C", "E1"),
        ("a3", "A", "E2"),
    ]
    return Problem.model_validate(
        {
            "format": "inspect-once/1.1",
            "horizon": {"start": "2024-06-03", "end": "2024-06-09"},
            "non_working_days": ["2024-06-08", "2024-06-09"],
            "units": [{"id": u, "daily_capacity": 2} for u in ("A", "B", "C")],
            "enterprises": [{"id": "E1", "no_disturb": no_disturb}, {"id": "E2"}],
            "requests": [
                {
                    "id": rid,
                    "unit": unit,
                    "enterprise": enterprise,
                    "joinable": joinable_c or rid != "c1",
                    "category": categories.get(rid, "routine"),
                    **WEEK,
                }
                for rid, unit, enterprise in requests
            ],
            "rules": rules or {},
            "officers": officers or [],
        }
    )


def _rules(instance: Instance, officers: bool = False) -> dict[str, Rule]:
    most = instance.problem.max_units_per_round
    load = None
    if officers and instance.staffing is not None:
        load = OfficerLoad(instance.staffing, instance.closed_visits)
    return {
        "officer_staffing": lambda m, v: add_officer_staffing(m, v, load),
        "each_request_at_most_once": constraints.add_each_request_at_most_once,
        "joint_round_membership": constraints.add_joint_round_membership,
        "no_empty_round": constraints.add_no_empty_round,
        "one_round_per_enterprise_day": constraints.add_one_round_per_enterprise_day,
        "max_units_per_round": lambda m, v: constraints.add_max_units_per_round(m, v, most),
        "unit_capacity": lambda m, v: constraints.add_unit_capacity(m, v, instance.capacity),
        "unit_enterprise_caps": lambda m, v: add_unit_enterprise_caps(m, v, instance.caps),
        "enterprise_caps": lambda m, v: add_enterprise_caps(m, v, instance.caps),
    }


def _feasible(
    problem: Problem,
    fixed: dict[str, list[int]],
    leave_out: str | None = None,
    officers: bool = False,
) -> bool:
    """Whether the assignment (request id -> day indices it takes) satisfies the rules.

    With `officers`, the explicit staffing of recused officers is among them.
    """
    instance = build_instance(problem)
    model = cp_model.CpModel()
    variables = make_variables(model, Component(requests=list(instance.slots.values())))
    for name, rule in _rules(instance, officers).items():
        if name != leave_out:
            rule(model, variables)
    for index, by_day in variables.assign.items():
        chosen = fixed.get(problem.requests[index].id, [])
        assert set(chosen) <= set(by_day), f"{problem.requests[index].id} cannot take {chosen}"
        for day, literal in by_day.items():
            model.add(literal == int(day in chosen))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _pair(
    problem: Problem, good: dict[str, list[int]], bad: dict[str, list[int]], rule: str
) -> None:
    assert _feasible(problem, good)
    assert not _feasible(problem, bad)
    assert _feasible(problem, bad, leave_out=rule)


def _pair_cap(remaining: int) -> dict[str, Any]:
    return {
        "caps": {"unit_enterprise": [{"unit": "A", "enterprise": "E1", "remaining": remaining}]}
    }


def _enterprise_cap(remaining: int, exempt: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "caps": {
            "exempt_categories": list(exempt),
            "enterprise": [{"enterprise": "E1", "remaining": remaining}],
        }
    }


def test_unit_enterprise_cap_counts_the_units_rounds_there() -> None:
    # a1 and a2 in one round is one visit of A at E1; on two days it is two
    _pair(
        _problem(_pair_cap(1)),
        {"a1": [0], "a2": [0]},
        {"a1": [0], "a2": [1]},
        "unit_enterprise_caps",
    )


def test_unit_enterprise_cap_ignores_other_units() -> None:
    assert _feasible(_problem(_pair_cap(1)), {"a1": [0], "b1": [1], "c1": [2]})


def test_unit_enterprise_cap_with_an_exempt_request_counts_only_the_counted() -> None:
    rules = {"caps": {**_pair_cap(1)["caps"], "exempt_categories": ["complaint"]}}
    exempt = _problem(rules, categories={"a2": "complaint"})
    assert _feasible(exempt, {"a1": [0], "a2": [1]})  # a2 is exempt: one counted round
    assert not _feasible(_problem(rules), {"a1": [0], "a2": [1]})


def test_enterprise_cap_counts_a_joint_round_once() -> None:
    _pair(
        _problem(_enterprise_cap(1)),
        {"a1": [0], "b1": [0], "c1": [0]},
        {"a1": [0], "b1": [0], "c1": [1]},
        "enterprise_caps",
    )


def test_enterprise_cap_counts_a_non_joinable_request_as_its_own_round() -> None:
    _pair(
        _problem(_enterprise_cap(1), joinable_c=False),
        {"c1": [1]},
        {"a1": [0], "c1": [1]},
        "enterprise_caps",
    )


def test_enterprise_cap_leaves_rounds_of_exempt_requests_out() -> None:
    problem = _problem(_enterprise_cap(1, exempt=("complaint",)), categories={"c1": "complaint"})
    assert _feasible(problem, {"a1": [0], "b1": [0], "c1": [1]})  # c1's round is not counted
    _pair(
        problem,
        {"a1": [0], "b1": [0], "c1": [1]},
        {"a1": [0], "b1": [2], "c1": [1]},
        "enterprise_caps",
    )


def test_a_used_up_cap_leaves_the_request_no_day() -> None:
    instance = build_instance(_problem(_pair_cap(0)))
    assert instance.precluded == {0: ReasonCode.CAP_REACHED, 1: ReasonCode.CAP_REACHED}


def _officers(*specs: tuple[str, list[str], list[str]]) -> list[dict[str, Any]]:
    return [
        {"id": ident, "unit": "A", "days_off": off, "recusals": recused}
        for ident, off, recused in specs
    ]


def test_officers_present_lower_the_units_capacity() -> None:
    # two officers, two per round, one round each a day: one round a day, not two
    officers = _officers(("A1", [], []), ("A2", ["2024-06-04"], []))
    problem = _problem(officers=officers)
    instance = build_instance(problem)
    assert instance.capacity[0][:2] == [1, 0]
    assert 1 not in instance.slots[0].days  # nobody to send on June 4th
    _pair(problem, {"a1": [0], "a3": [2]}, {"a1": [0], "a3": [0]}, "unit_capacity")


def test_more_daily_rounds_per_officer_raise_the_count() -> None:
    officers = _officers(("A1", [], []), ("A2", [], []), ("A3", [], []))
    instance = build_instance(_problem({"officer_daily_rounds": 2}, officers=officers))
    assert instance.capacity[0][0] == 2  # 3 officers x 2 rounds / 2 per round = 3, capacity 2


def test_quiet_days_and_no_disturb_filter_days() -> None:
    rules = {
        "quiet_days": {"days": ["2024-06-03", "2024-06-05"], "exempt_categories": ["safety"]},
        "no_disturb": {"exempt_categories": ["complaint"]},
    }
    problem = _problem(rules, categories={"b1": "safety", "c1": "complaint"}, no_disturb=True)
    instance = build_instance(problem)
    assert instance.precluded == {
        0: ReasonCode.NO_DISTURB,
        1: ReasonCode.NO_DISTURB,
        2: ReasonCode.NO_DISTURB,
    }
    assert instance.slots[3].days == (1, 3, 4)  # complaint: may visit, but not on quiet days
    assert instance.slots[4].days == (1, 3, 4)  # E2 is not on the list
    assert instance.removed[3] == {ReasonCode.QUIET_DAY: 2}


def test_a_recusal_keeps_the_unit_from_that_enterprise_only() -> None:
    officers = _officers(("A1", [], []), ("A2", [], ["E1"]))
    instance = build_instance(_problem(officers=officers))
    assert instance.precluded[0] == ReasonCode.NO_OFFICER
    assert instance.slots[4].days == (0, 1, 2, 3, 4)


def _overlapping_recusals() -> Problem:
    # four officers: two rounds a day by the count; but A1 and A2 are recused from both
    # enterprises, so E1 and E2 on one day need A3 and A4 twice each
    officers = _officers(
        ("A1", [], ["E1", "E2"]), ("A2", [], ["E1", "E2"]), ("A3", [], []), ("A4", [], [])
    )
    return _problem({"officer_daily_rounds": 1}, officers=officers)


def test_staffing_is_checked_exactly_across_a_units_rounds() -> None:
    instance = build_instance(_overlapping_recusals())
    staffing = instance.staffing
    assert staffing is not None
    assert instance.capacity[0][0] == 2
    assert staffing.can_staff(0, 0, [0])
    assert staffing.can_staff(0, 0, [1])
    assert not staffing.can_staff(0, 0, [0, 1])
    occupancy = Occupancy.of(instance)
    occupancy.place(instance.slots[0], 0)
    assert occupancy.blocker(instance.slots[4], 0) is Blocker.NO_OFFICER
    assert occupancy.blocker(instance.slots[4], 1) is None


def test_repair_takes_a_unit_out_of_a_round_it_cannot_staff() -> None:
    instance = build_instance(_overlapping_recusals())
    occupancy = Occupancy.from_days(instance, {0: 0, 4: 0})  # what the count alone allows
    taken = repair_staffing(instance, occupancy)
    assert len(taken) == 1
    staffing = instance.staffing
    assert staffing is not None
    assert all(staffing.can_staff(u, d, v) for (u, d), v in occupancy.visits.items())


@pytest.mark.parametrize("seed", range(3))
def test_solve_staffs_every_round_despite_overlapping_recusals(seed: int) -> None:
    problem = _overlapping_recusals()
    solution = solve(problem, SolveOptions(time_limit_s=5, workers=1, seed=seed))
    report = check(problem, solution)
    assert report.ok, report.violations
    assert not solution.unscheduled  # a1, a2 and a3 on different days: all fit


@st.composite
def _unit_days(draw: st.DrawFn) -> Problem:
    """One unit, one day, up to four rounds, a few officers with random recusals."""
    enterprises = [f"E{n}" for n in range(draw(st.integers(2, 4)))]
    officers = [
        {
            "id": f"A{n}",
            "unit": "A",
            "recusals": draw(st.lists(st.sampled_from(enterprises), max_size=2, unique=True)),
        }
        for n in range(draw(st.integers(1, 6)))
    ]
    return Problem.model_validate(
        {
            "format": "inspect-once/1.1",
            "horizon": {"start": "2024-06-03", "end": "2024-06-03"},
            "non_working_days": [],
            "units": [{"id": "A", "daily_capacity": 4}],
            "enterprises": [{"id": e} for e in enterprises],
            "requests": [
                {
                    "id": f"R{e}",
                    "unit": "A",
                    "enterprise": e,
                    "earliest": "2024-06-03",
                    "latest": "2024-06-03",
                }
                for e in enterprises
            ],
            "rules": {
                "officers_per_unit": draw(st.integers(1, 2)),
                "officer_daily_rounds": draw(st.integers(1, 2)),
            },
            "officers": officers,
        }
    )


@settings(max_examples=150, deadline=None)
@given(_unit_days())
def test_the_model_staffs_a_units_rounds_exactly_when_a_matching_exists(problem: Problem) -> None:
    instance = build_instance(problem)
    staffing = instance.staffing
    assert staffing is not None
    assume(len(instance.slots) == len(problem.requests))  # each round staffable alone
    everyone = {r.id: [0] for r in problem.requests}
    matching = staffing.can_staff(0, 0, range(len(problem.enterprises)))
    assert _feasible(problem, everyone, officers=True) == matching


def test_a_counted_request_joining_its_units_exempt_round_still_meets_the_cap() -> None:
    # A is in the June 3rd round with an exempt complaint only and makes its one counted
    # visit on June 4th: another counted request of A may not join June 3rd, though A
    # spends no capacity there (found by hypothesis)
    rules = {"caps": {**_pair_cap(1)["caps"], "exempt_categories": ["complaint"]}}
    problem = _problem(rules, categories={"a2": "complaint"})
    instance = build_instance(problem)
    occupancy = Occupancy.of(instance)
    occupancy.place(instance.slots[1], 0)  # a2, exempt
    another = replace(instance.slots[0], index=len(problem.requests))  # counted, A at E1
    assert occupancy.blocker(another, 0) is None
    occupancy.place(instance.slots[0], 1)  # a1, counted: the cap is used
    assert occupancy.blocker(another, 0) is Blocker.CAP_REACHED
