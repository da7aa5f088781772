"""Each rule of the model with a feasible/infeasible pair.

For every rule: a valid assignment is feasible under all rules; a minimally
different assignment that breaks exactly that rule is infeasible under all
rules, and becomes feasible once that one rule is left out, so the rule is
what rejects it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from ortools.sat.python import cp_model

from inspection.solver import constraints
from inspection.solver.instance import Component, build_instance
from inspection.solver.schema import Problem, Round
from inspection.solver.variables import Variables, make_variables

Rule = Callable[[cp_model.CpModel, Variables], None]


def _problem(max_units: int = 4, capacity: int = 2, joinable_c: bool = True) -> Problem:
    """Five working days, three units, two enterprises; windows open all week."""
    week = {"earliest": "2024-06-03", "latest": "2024-06-07"}
    return Problem.model_validate(
        {
            "format": "inspect-once/1",
            "horizon": {"start": "2024-06-03", "end": "2024-06-09"},
            "non_working_days": ["2024-06-08", "2024-06-09"],
            "max_units_per_round": max_units,
            "units": [{"id": u, "daily_capacity": capacity} for u in ("A", "B", "C")],
            "enterprises": [{"id": "E1"}, {"id": "E2"}],
            "requests": [
                {"id": "a1", "unit": "A", "enterprise": "E1", **week},
                {"id": "a2", "unit": "A", "enterprise": "E1", **week},
                {"id": "b1", "unit": "B", "enterprise": "E1", **week},
                {"id": "c1", "unit": "C", "enterprise": "E1", "joinable": joinable_c, **week},
                {"id": "a3", "unit": "A", "enterprise": "E2", **week},
            ],
        }
    )


def _all_rules(problem: Problem, pinned: tuple[Round, ...] = ()) -> dict[str, Rule]:
    instance = build_instance(problem, pinned, open_pins=True)
    return {
        "pinned_requests_kept": constraints.add_pinned_requests_kept,
        "each_request_at_most_once": constraints.add_each_request_at_most_once,
        "joint_round_membership": constraints.add_joint_round_membership,
        "no_empty_round": constraints.add_no_empty_round,
        "one_round_per_enterprise_day": constraints.add_one_round_per_enterprise_day,
        "max_units_per_round": lambda m, v: constraints.add_max_units_per_round(
            m, v, problem.max_units_per_round
        ),
        "unit_capacity": lambda m, v: constraints.add_unit_capacity(m, v, instance.capacity),
    }


def _feasible(
    problem: Problem,
    fixed: dict[str, list[int]],
    leave_out: str | None = None,
    pinned: tuple[Round, ...] = (),
) -> bool:
    """Whether the assignment (request id -> days it takes) satisfies the rules.

    `pinned` are rounds open to joiners: their requests are in the model, held to their day.
    """
    instance = build_instance(problem, pinned, open_pins=True)
    model = cp_model.CpModel()
    variables = make_variables(model, Component(requests=list(instance.slots.values())))
    for name, rule in _all_rules(problem, pinned).items():
        if name != leave_out:
            rule(model, variables)
    for request_id, index in instance.request_index.items():
        chosen = fixed.get(request_id, [])
        assert set(chosen) <= set(variables.assign[index]), f"{request_id} cannot take {chosen}"
        for day, literal in variables.assign[index].items():
            model.add(literal == int(day in chosen))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _pair(
    problem: Problem,
    good: dict[str, list[int]],
    bad: dict[str, list[int]],
    rule: str,
    pinned: tuple[Round, ...] = (),
) -> None:
    assert _feasible(problem, good, pinned=pinned)
    assert not _feasible(problem, bad, pinned=pinned)
    assert _feasible(problem, bad, leave_out=rule, pinned=pinned)


def test_each_request_at_most_once() -> None:
    _pair(_problem(), {"a1": [0]}, {"a1": [0, 1]}, "each_request_at_most_once")


def test_one_round_per_enterprise_day_keeps_non_joinable_alone() -> None:
    problem = _problem(joinable_c=False)
    _pair(problem, {"a1": [0], "c1": [1]}, {"a1": [0], "c1": [0]}, "one_round_per_enterprise_day")


def test_max_units_per_round() -> None:
    problem = _problem(max_units=2)
    _pair(
        problem,
        {"a1": [0], "b1": [0], "c1": [1]},
        {"a1": [0], "b1": [0], "c1": [0]},
        "max_units_per_round",
    )


def test_same_unit_counts_once_in_a_round() -> None:
    problem = _problem(max_units=2, capacity=1)
    assert _feasible(problem, {"a1": [0], "a2": [0], "b1": [0]})


def test_unit_capacity() -> None:
    problem = _problem(capacity=1)
    _pair(problem, {"a1": [0], "a3": [1]}, {"a1": [0], "a3": [0]}, "unit_capacity")


def test_unit_capacity_counts_a_joint_round_once_per_unit() -> None:
    problem = _problem(capacity=1)
    assert _feasible(problem, {"a1": [2], "a2": [2]})
    assert not _feasible(problem, {"a1": [2], "a2": [2], "a3": [2]})


def test_joint_round_membership_links_requests_to_rounds() -> None:
    """Without membership a joinable request could share a day with a non-joinable one."""
    problem = _problem(joinable_c=False)
    _pair(problem, {"a1": [3], "c1": [4]}, {"a1": [3], "c1": [3]}, "joint_round_membership")


@pytest.mark.parametrize("rule", ["no_empty_round"])
def test_no_empty_round_forbids_a_round_without_requests(rule: str) -> None:
    """A joint round literal set with nobody in it is rejected only by this rule."""
    problem = _problem()
    instance = build_instance(problem)
    for leave_out, expected in ((None, cp_model.INFEASIBLE), (rule, cp_model.OPTIMAL)):
        model = cp_model.CpModel()
        variables = make_variables(model, Component(requests=list(instance.slots.values())))
        for name, add in _all_rules(problem).items():
            if name != leave_out:
                add(model, variables)
        for by_day in variables.assign.values():
            for literal in by_day.values():
                model.add(literal == 0)
        model.add(variables.joint[(instance.enterprise_index["E1"], 0)] == 1)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(model) == expected


def test_feasible_days_leave_out_blackout_and_non_working_days() -> None:
    """Rule 2's day conditions hold by construction: no variable exists for a forbidden day."""
    base = _problem().model_dump()
    base["enterprises"][0]["blackout_days"] = [date(2024, 6, 5)]
    instance = build_instance(Problem.model_validate(base))
    a1 = instance.slots[instance.request_index["a1"]]
    a3 = instance.slots[instance.request_index["a3"]]
    assert [instance.days[d] for d in a1.days] == [
        date(2024, 6, 3),
        date(2024, 6, 4),
        date(2024, 6, 6),
        date(2024, 6, 7),
    ]
    assert len(a3.days) == 5


# -- pinned rounds open to joiners: the pinned requests are in the model, held to their day ------


def _pin(enterprise: str, day: int, *requests: str) -> Round:
    return Round(enterprise=enterprise, date=date(2024, 6, 3 + day), requests=requests)


def test_an_open_pin_keeps_its_requests_on_its_day() -> None:
    pin = _pin("E1", 2, "a1", "b1")
    _pair(_problem(), {"a1": [2], "b1": [2]}, {"a1": [2]}, "pinned_requests_kept", (pin,))


def test_an_open_pin_takes_joiners_up_to_max_units_per_round() -> None:
    problem = _problem(max_units=2)
    pin = (_pin("E1", 0, "a1", "b1"),)
    good = {"a1": [0], "b1": [0], "c1": [1]}
    _pair(problem, good, {"a1": [0], "b1": [0], "c1": [0]}, "max_units_per_round", pin)
    # a request of a unit already in the round takes no place of another unit
    assert _feasible(problem, {"a1": [0], "b1": [0], "a2": [0]}, pinned=pin)


def test_a_joiner_of_another_unit_needs_that_unit_s_capacity_on_the_pinned_day() -> None:
    problem = _problem(capacity=1)
    pins = (_pin("E1", 0, "b1"), _pin("E2", 0, "a3"))  # A's one round on day 0 is at E2
    good = {"b1": [0], "a3": [0], "a1": [1]}
    _pair(problem, good, {"b1": [0], "a3": [0], "a1": [0]}, "unit_capacity", pins)
    # a unit already in the pinned round joins it again at no cost to its capacity
    assert _feasible(problem, {"a1": [0], "a2": [0]}, pinned=(_pin("E1", 0, "a1"),))


def test_a_pinned_non_joinable_request_takes_no_joiner() -> None:
    problem = _problem(joinable_c=False)
    pin = (_pin("E1", 0, "c1"),)
    good = {"c1": [0], "a1": [1]}
    _pair(problem, good, {"c1": [0], "a1": [0]}, "one_round_per_enterprise_day", pin)


def test_a_non_joinable_request_never_joins_an_open_pin() -> None:
    problem = _problem(joinable_c=False)
    pin = (_pin("E1", 0, "a1"),)
    good = {"a1": [0], "c1": [1]}
    _pair(problem, good, {"a1": [0], "c1": [0]}, "one_round_per_enterprise_day", pin)


def test_only_an_open_pin_leaves_its_enterprise_day_to_other_requests() -> None:
    problem = _problem()
    pin = (_pin("E1", 1, "a1"),)
    closed, opened = build_instance(problem, pin), build_instance(problem, pin, open_pins=True)
    a1, a2 = (closed.request_index[r] for r in ("a1", "a2"))
    assert a1 not in closed.slots
    assert 1 not in closed.slots[a2].days
    assert opened.slots[a1].days == (1,)
    assert opened.slots[a1].fixed
    assert not opened.slots[a2].fixed
    assert 1 in opened.slots[a2].days
    # the open pin's load is the model's to count, not taken off the capacity beforehand
    assert closed.capacity[0][1] == opened.capacity[0][1] - 1
