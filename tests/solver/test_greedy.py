"""Tests of the greedy baseline planner: validity, pins, merging, capacity, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from hypothesis import given

from inspection.solver.calendar import working_days
from inspection.solver.check import check, rounds_lower_bound
from inspection.solver.errors import InvalidOptionsError
from inspection.solver.greedy import greedy_plan
from inspection.solver.schema import Problem, Round
from tests.support.greedy_strategies import (
    as_solution,
    assert_valid,
    day,
    greedy_problems,
    mid_size_problem,
    problem_of,
    request,
    round_of,
)
from tests.support.paths import ROOT
from tests.support.strategies import problems_with_pins

# -- properties on random small problems --------------------------------------------------------


@given(greedy_problems())
def test_every_plan_keeps_every_rule(problem: Problem) -> None:
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    scheduled = [rid for round_ in plan.rounds for rid in round_.requests]
    assert len(plan.rounds) >= rounds_lower_bound(problem, scheduled)
    order = {r.id: i for i, r in enumerate(problem.requests)}
    assert [order[r] for r in plan.unscheduled] == sorted(order[r] for r in plan.unscheduled)


@given(greedy_problems())
def test_rounds_carry_sorted_units_merged_items_and_the_lead_unit(problem: Problem) -> None:
    by_id = {r.id: r for r in problem.requests}
    for round_ in greedy_plan(problem).rounds:
        members = [by_id[rid] for rid in round_.requests]
        assert round_.units == tuple(sorted({r.unit for r in members}))
        merged: list[str] = []
        for item in (item for member in members for item in member.items):
            if item not in merged:
                merged.append(item)
        assert list(round_.items) == merged
        distinct = {
            u: len({i for r in members if r.unit == u for i in r.items}) for u in round_.units
        }
        most = max(distinct.values())
        assert round_.lead_unit == min(u for u, n in distinct.items() if n == most)


@given(greedy_problems())
def test_no_unscheduled_request_fits_without_moving_another(problem: Problem) -> None:
    plan = greedy_plan(problem)
    by_id = {r.id: r for r in problem.requests}
    capacity = {u.id: u.daily_capacity for u in problem.units}
    blackouts = {e.id: set(e.blackout_days) for e in problem.enterprises}
    used = Counter((u, r.date) for r in plan.rounds for u in r.units)
    rounds = {(r.enterprise, r.date): r for r in plan.rounds}
    for rid in plan.unscheduled:
        wanted = by_id[rid]
        for d in working_days(problem):
            if not wanted.earliest <= d <= wanted.latest or d in blackouts[wanted.enterprise]:
                continue
            unit_free = used[wanted.unit, d] < capacity[wanted.unit]
            there = rounds.get((wanted.enterprise, d))
            if there is None:
                assert not unit_free, f"{rid} fits alone on {d}"
                continue
            shares = wanted.joinable and all(by_id[m].joinable for m in there.requests)
            if wanted.unit in there.units:
                assert not shares, f"{rid} could join its unit on {d}"
            elif len(there.units) < problem.max_units_per_round:
                assert not (shares and unit_free), f"{rid} could join the round on {d}"


@given(problems_with_pins())
def test_open_pinned_rounds_keep_what_they_hold_and_the_plan_every_rule(
    case: tuple[Problem, tuple[Round, ...]],
) -> None:
    problem, pinned = case
    plan = greedy_plan(problem, pinned, open_pins=True)
    report = check(problem, as_solution(plan), pinned, open_pins=True)
    assert report.ok, report.violations


@given(greedy_problems())
def test_pinned_rounds_are_kept_exactly_and_the_rest_still_valid(problem: Problem) -> None:
    pinned = greedy_plan(problem).rounds[::2]
    plan = greedy_plan(problem, pinned)
    assert_valid(problem, plan)
    for round_ in pinned:
        assert round_ in plan.rounds
    pinned_ids = [rid for round_ in pinned for rid in round_.requests]
    everywhere = [rid for round_ in plan.rounds for rid in round_.requests]
    assert all(everywhere.count(rid) == 1 for rid in pinned_ids)
    assert not set(pinned_ids) & set(plan.unscheduled)


@given(greedy_problems())
def test_with_ample_capacity_every_feasible_request_is_scheduled_in_the_fewest_rounds(
    problem: Problem,
) -> None:
    # All joinable, capacities and the unit limit out of reach: the sweep is exact.
    loose = Problem.model_validate(
        problem.model_dump()
        | {
            "max_units_per_round": len(problem.units),
            "units": [u.model_dump() | {"daily_capacity": 100} for u in problem.units],
            "requests": [r.model_dump() | {"joinable": True} for r in problem.requests],
        }
    )
    plan = greedy_plan(loose)
    assert_valid(loose, plan)
    workdays = working_days(loose)
    blackouts = {e.id: set(e.blackout_days) for e in loose.enterprises}
    for rid in plan.unscheduled:
        (wanted,) = [r for r in loose.requests if r.id == rid]
        feasible = [d for d in workdays if wanted.earliest <= d <= wanted.latest]
        assert all(d in blackouts[wanted.enterprise] for d in feasible)
    scheduled = [rid for round_ in plan.rounds for rid in round_.requests]
    assert len(plan.rounds) == rounds_lower_bound(loose, scheduled)


@given(greedy_problems())
def test_the_same_problem_gives_the_same_plan(problem: Problem) -> None:
    assert greedy_plan(problem) == greedy_plan(problem)


def test_the_plan_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "import json; from tests.support.greedy_strategies import mid_size_problem as p;"
        "from inspection.solver.greedy import greedy_plan;"
        "plan = greedy_plan(p());"
        "print(json.dumps([[r.model_dump(mode='json') for r in plan.rounds], plan.unscheduled]))"
    )
    outputs = []
    root = ROOT
    for seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert outputs[0][0], "the problem should give some rounds"


def test_a_mid_size_problem_gives_a_valid_plan() -> None:
    problem = mid_size_problem()
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    assert len(plan.unscheduled) < len(problem.requests) // 2


# -- hand-built cases ----------------------------------------------------------------------------


def test_two_units_with_overlapping_windows_share_one_round() -> None:
    problem = problem_of(
        [request("R1", "SCJG", "E1", 0, 2, items=("食品",)), request("R2", "XF", "E1", 1, 4)]
    )
    plan = greedy_plan(problem)
    assert len(plan.rounds) == 1
    (round_,) = plan.rounds
    assert round_.requests == ("R1", "R2")
    assert round_.units == ("SCJG", "XF")
    assert day(1) <= round_.date <= day(2)
    assert round_.lead_unit == "SCJG"


def test_windows_that_only_chain_need_two_rounds() -> None:
    # Monday, Monday-Wednesday and Wednesday: no day hits all three, two days do.
    problem = problem_of(
        [
            request("R1", "A", "E1", 0, 0),
            request("R2", "B", "E1", 0, 2),
            request("R3", "C", "E1", 2, 2),
        ]
    )
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    assert len(plan.rounds) == 2
    assert not plan.unscheduled


def test_the_unit_limit_splits_a_round() -> None:
    problem = problem_of([request(f"R{u}", u, "E1", 0, 4) for u in ("A", "B", "C")], max_units=2)
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    assert sorted(len(r.units) for r in plan.rounds) == [1, 2]


def test_a_unit_with_two_requests_at_one_enterprise_joins_once() -> None:
    problem = problem_of(
        [
            request("R1", "A", "E1", 0, 4),
            request("R2", "A", "E1", 2, 3),
            request("R3", "B", "E1", 0, 4),
        ],
        {"A": 1, "B": 1},
        max_units=2,
    )
    plan = greedy_plan(problem)
    assert [r.requests for r in plan.rounds] == [("R1", "R2", "R3")]


def test_a_non_joinable_request_has_a_round_of_its_own() -> None:
    problem = problem_of(
        [
            request("R1", "A", "E1", 0, 4),
            request("R2", "B", "E1", 0, 4, joinable=False),
            request("R3", "C", "E1", 0, 4),
        ]
    )
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    assert round_of(plan, "R2").requests == ("R2",)
    assert round_of(plan, "R1") == round_of(plan, "R3")
    assert len(plan.rounds) == 2


def test_a_non_joinable_request_and_another_on_one_day_cannot_both_go() -> None:
    problem = problem_of(
        [request("R1", "A", "E1", 1, 1), request("R2", "B", "E1", 1, 1, joinable=False, priority=2)]
    )
    plan = greedy_plan(problem)
    assert [r.requests for r in plan.rounds] == [("R2",)]
    assert plan.unscheduled == ("R1",)


def test_capacity_leaves_the_less_important_request_unscheduled() -> None:
    problem = problem_of(
        [request("R1", "A", "E1", 0, 0), request("R2", "A", "E2", 0, 0, priority=2)], {"A": 1}
    )
    plan = greedy_plan(problem)
    assert [r.requests for r in plan.rounds] == [("R2",)]
    assert plan.unscheduled == ("R1",)


def test_capacity_moves_a_flexible_request_to_another_day() -> None:
    problem = problem_of(
        [request("R1", "A", "E1", 0, 1), request("R2", "A", "E2", 0, 0)], {"A": 1}, length=2
    )
    plan = greedy_plan(problem)
    assert not plan.unscheduled
    assert round_of(plan, "R2").date == day(0)
    assert round_of(plan, "R1").date == day(1)


def test_capacity_moves_a_whole_joint_round_to_another_day() -> None:
    problem = problem_of(
        [
            request("R1", "A", "E1", 0, 1, priority=3),
            request("R2", "B", "E1", 0, 1, priority=3),
            request("R3", "A", "E2", 0, 0),
            request("R4", "B", "E3", 0, 0),
        ],
        {"A": 1, "B": 1},
        length=2,
    )
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    assert not plan.unscheduled
    assert round_of(plan, "R1").requests == ("R1", "R2")
    assert round_of(plan, "R1").date == day(1)


def test_a_unit_leaves_a_joint_round_to_make_room_for_another_request() -> None:
    # E1's round (placed first: it matters most) must be on Tuesday for B, and takes A's
    # only slot there; E2 needs A on Tuesday too. A's wide request moves to Monday alone.
    problem = problem_of(
        [
            request("R1", "A", "E1", 0, 1, priority=3),
            request("R2", "B", "E1", 1, 1, priority=3),
            request("R3", "A", "E2", 1, 1, priority=2),
        ],
        {"A": 1, "B": 1},
        length=2,
    )
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    assert not plan.unscheduled
    assert round_of(plan, "R1").date == day(0)
    assert round_of(plan, "R3").date == day(1)


def test_rounds_split_by_a_repair_are_merged_again() -> None:
    # E2's A and B can only share Wednesday, where E1 needs A's one slot: A's request at
    # E2 moves to an earlier day alone, and B's joins E2's Thursday round.
    problem = problem_of(
        [
            request("R1", "A", "E2", 0, 2),
            request("R2", "B", "E2", 2, 3),
            request("R3", "A", "E2", 3, 3),
            request("R4", "A", "E1", 2, 2),
        ],
        {"A": 1, "B": 1},
        length=4,
        max_units=2,
    )
    plan = greedy_plan(problem)
    assert_valid(problem, plan)
    assert not plan.unscheduled
    assert len(plan.rounds) == 3
    assert round_of(plan, "R2") == round_of(plan, "R3")


@pytest.mark.parametrize(
    ("earliest", "latest", "blackout", "off"),
    [
        (6, 9, (), ()),  # after the horizon
        (-4, -1, (), ()),  # before it
        (2, 3, (), (day(2), day(3))),  # only on days off
        (2, 3, (day(2), day(3)), ()),  # only on the enterprise's blackout days
    ],
)
def test_a_request_without_a_feasible_day_is_unscheduled(
    earliest: int, latest: int, blackout: tuple[date, ...], off: tuple[date, ...]
) -> None:
    problem = problem_of(
        [request("R1", "A", "E1", earliest, latest), request("R2", "A", "E1", 0, 4)],
        blackouts={"E1": blackout},
        off=off,
    )
    plan = greedy_plan(problem)
    assert plan.unscheduled == ("R1",)
    assert [r.requests for r in plan.rounds] == [("R2",)]


# -- pinned rounds -------------------------------------------------------------------------------


def _pin(enterprise: str, offset: int, *request_ids: str) -> Round:
    return Round(enterprise=enterprise, date=day(offset), requests=request_ids)


def test_no_request_joins_a_pinned_round_nor_takes_its_enterprise_day() -> None:
    problem = problem_of(
        [
            request("P1", "A", "E1", 0, 0),
            request("R1", "B", "E1", 0, 0),
            request("R2", "B", "E1", 0, 1),
        ],
        length=2,
    )
    pinned = _pin("E1", 0, "P1")
    plan = greedy_plan(problem, [pinned])
    assert_valid(problem, plan)
    assert pinned in plan.rounds
    assert plan.unscheduled == ("R1",)
    assert round_of(plan, "R2").date == day(1)


def test_a_request_joins_an_open_pinned_round_and_the_round_keeps_its_lead() -> None:
    problem = problem_of(
        [
            request("P1", "A", "E1", 0, 1, items=("甲",)),
            request("R1", "B", "E1", 0, 1, items=("乙", "丙")),
            request("R2", "B", "E1", 0, 1, joinable=False),
        ],
        length=2,
    )
    pinned = Round(
        enterprise="E1", date=day(0), requests=("P1",), lead_unit="A", units=("A",), items=("甲",)
    )
    plan = greedy_plan(problem, [pinned], open_pins=True)
    assert check(problem, as_solution(plan), [pinned], open_pins=True).ok
    joined = round_of(plan, "R1")
    assert (joined.date, joined.requests, joined.lead_unit) == (day(0), ("P1", "R1"), "A")
    assert (joined.units, joined.items) == (("A", "B"), ("甲", "乙", "丙"))
    assert round_of(plan, "R2").date == day(1)  # a non-joinable check never joins
    closed = greedy_plan(problem, [pinned])
    assert pinned in closed.rounds
    assert len(closed.unscheduled) == 1  # R1 and R2 cannot share the one day left


def test_a_pinned_round_uses_its_units_capacity() -> None:
    problem = problem_of(
        [
            request("P1", "A", "E1", 0, 0),
            request("R1", "A", "E2", 0, 1),
            request("R2", "A", "E3", 0, 0),
        ],
        {"A": 1},
        length=2,
    )
    plan = greedy_plan(problem, [_pin("E1", 0, "P1")])
    assert_valid(problem, plan)
    assert round_of(plan, "R1").date == day(1)
    assert plan.unscheduled == ("R2",)


@pytest.mark.parametrize(
    "pinned",
    [
        [_pin("E1", 0, "R9")],  # unknown request
        [_pin("E1", 0, "R1"), _pin("E1", 1, "R1")],  # pinned twice
        [_pin("E2", 0, "R1")],  # another enterprise's request
        [_pin("E1", 3, "R1")],  # outside the request's window
        [_pin("E1", 0, "R1"), _pin("E2", 0, "R2")],  # unit A over its capacity of one
        [_pin("E1", 0, "R1", "R3")],  # a non-joinable request shares the round
        [_pin("E9", 0, "R1")],  # unknown enterprise
    ],
)
def test_a_pinned_round_that_breaks_a_rule_is_refused(pinned: list[Round]) -> None:
    problem = problem_of(
        [
            request("R1", "A", "E1", 0, 1),
            request("R2", "A", "E2", 0, 1),
            request("R3", "B", "E1", 0, 1, joinable=False),
        ],
        {"A": 1},
    )
    with pytest.raises(InvalidOptionsError):
        greedy_plan(problem, pinned)


@pytest.mark.parametrize(
    "pinned",
    [
        [_pin("E1", 0, "R1", "R2")],  # two units where a round may hold one
        [_pin("E1", 0, "R1"), _pin("E1", 0, "R2")],  # two rounds of E1 on one day
        [_pin("E1", 1, "R1")],  # a blackout day of E1
        [_pin("E1", 2, "R1")],  # a day off
    ],
)
def test_a_pinned_round_must_keep_the_day_and_unit_rules(pinned: list[Round]) -> None:
    problem = problem_of(
        [request("R1", "A", "E1", 0, 4), request("R2", "B", "E1", 0, 4)],
        max_units=1,
        blackouts={"E1": (day(1),)},
        off=(day(2),),
    )
    with pytest.raises(InvalidOptionsError):
        greedy_plan(problem, pinned)
    assert greedy_plan(problem, [_pin("E1", 0, "R1")]).rounds[0] == _pin("E1", 0, "R1")
