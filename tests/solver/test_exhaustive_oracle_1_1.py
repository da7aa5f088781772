"""The brute-force oracle under the rules of format 1.1, verified before it judges the solver.

Three kinds of evidence, none of which runs `solve`: hand-built problems whose
optimum is worked out by hand (:mod:`tests.support.exhaustive_cases`); the
oracle's rules against the independent checker on random plans of tiny
generated problems (each written from the format document by someone else);
and the oracle's optimum against the lawful greedy, which it must never trail,
with its plan (officers drawn by :func:`draw_officers`) passing the checker.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.solver import (
    Problem,
    Round,
    Solution,
    StaffingError,
    Unscheduled,
    check,
    draw_officers,
    greedy_solution,
)
from inspection.solver.schema import Officer
from tests.support.exhaustive import (
    ExhaustivePlan,
    PlanRound,
    broken_rules,
    exhaustive_best_plan,
    rounds_of,
)
from tests.support.exhaustive_cases import HAND_CASES, HandCase
from tests.support.exhaustive_rules import broken_rules_1_1, staffable
from tests.support.rules_strategies import day, tiny_rules_problems

_SEED = 7


def as_solution(
    problem: Problem, rounds: tuple[PlanRound, ...], draw_seed: int, draw: bool = True
) -> Solution:
    """The rounds as a 1.1 solution, their officers drawn unless not `draw`; the rest unscheduled.

    Raises:
        StaffingError: `draw` and some unit cannot staff its rounds of a day.
    """
    plain = tuple(
        Round(enterprise=r.enterprise, date=r.day, requests=r.request_ids) for r in rounds
    )
    scheduled = {rid for r in rounds for rid in r.request_ids}
    return Solution(
        format="inspect-once-solution/1.1",
        draw_seed=draw_seed,
        rounds=draw_officers(problem, plain, draw_seed) if draw else plain,
        unscheduled=tuple(
            Unscheduled(request=r.id, reason="穷举参考解未排入")
            for r in problem.requests
            if r.id not in scheduled
        ),
    )


def figures(plan: ExhaustivePlan) -> tuple[int, int]:
    return plan.priority, len(plan.rounds)


def greedy_figures(problem: Problem) -> tuple[int, int]:
    solution = greedy_solution(problem, _SEED)
    priority = {r.id: r.priority for r in problem.requests}
    return sum(priority[i] for r in solution.rounds for i in r.requests), len(solution.rounds)


@pytest.mark.parametrize("case", HAND_CASES, ids=lambda case: case.name)
def test_the_oracle_finds_the_optimum_worked_out_by_hand(case: HandCase) -> None:
    best = exhaustive_best_plan(case.problem)
    assert figures(best) == case.optimum, case.why
    for rid, expected in case.days.items():
        assert best.assignment[rid] == expected, f"{rid}: {case.why}"
    # and the checker agrees that the plan is lawful
    report = check(case.problem, as_solution(case.problem, best.rounds, _SEED))
    assert report.ok, report.violations


def _officer(n: int, **extra: tuple[str, ...] | tuple[date, ...]) -> Officer:
    return Officer.model_validate({"id": f"A{n}", "unit": "A"} | extra)


def test_staffing_by_brute_force_follows_halls_condition() -> None:
    four = [_officer(n) for n in range(3)] + [_officer(3, recusals=("E1", "E2"))]
    # four officers for two rounds of two, but only three of them may go to either
    assert not staffable(four, day(0), ["E1", "E2"], per_unit=2, daily_rounds=1)
    assert staffable(four, day(0), ["E1", "E3"], per_unit=2, daily_rounds=1)
    # two rounds a day each: the same three cover both rounds
    assert staffable(four, day(0), ["E1", "E2"], per_unit=2, daily_rounds=2)
    off = [_officer(0, days_off=(day(0),)), _officer(1)]
    assert not staffable(off, day(0), ["E1"], per_unit=2, daily_rounds=1)
    assert staffable(off, day(1), ["E1"], per_unit=2, daily_rounds=1)
    assert staffable(off, day(0), [], per_unit=2, daily_rounds=1)  # no round, nothing to staff


def test_the_rules_are_told_apart() -> None:
    by_name = {case.name: case.problem for case in HAND_CASES}
    quiet = by_name["quiet day: a routine check has no other day"]
    assert broken_rules_1_1(quiet, [PlanRound("E1", day(0), ("R1",))]) == {7}
    no_disturb = by_name["no-disturb: only the exempt category visits"]
    assert broken_rules_1_1(no_disturb, [PlanRound("E1", day(0), ("R1", "R2"))]) == {8}
    assert broken_rules_1_1(no_disturb, [PlanRound("E1", day(0), ("R2",))]) == set()
    capped = by_name["enterprise cap of 1 between windows that never meet"]
    both = [PlanRound("E1", day(0), ("R1",)), PlanRound("E1", day(2), ("R2",))]
    assert broken_rules_1_1(capped, both) == {9}
    merged = by_name["enterprise cap of 1 forces two units into one round"]
    joint = [PlanRound("E1", day(1), ("R1", "R2"))]  # two counted units, one round: counted once
    assert broken_rules_1_1(merged, joint) == set()
    apart = [PlanRound("E1", day(0), ("R1",)), PlanRound("E1", day(1), ("R2",))]
    assert broken_rules_1_1(merged, apart) == {9}
    short = by_name["officers: a recusal leaves one unit short of two rounds on a day"]
    monday = [PlanRound("E1", day(0), ("R1",)), PlanRound("E2", day(0), ("R2",))]
    assert broken_rules_1_1(short, monday) == {10}
    assert broken_rules_1_1(short, monday[1:]) == set()


@st.composite
def problems_and_plans(draw: st.DrawFn) -> tuple[Problem, dict[str, date | None]]:
    """A tiny 1.1 problem and any assignment of days to its requests, lawful or not.

    A request mostly gets a day of its window inside the horizon or none (so that
    rules 6 to 10 are what decides), now and then any day of the horizon.
    """
    problem = draw(tiny_rules_problems())
    horizon = problem.horizon.days()
    assignment: dict[str, date | None] = {}
    for request in problem.requests:
        window = [d for d in horizon if request.earliest <= d <= request.latest]
        anything = st.sampled_from([None, *horizon])
        mostly = st.sampled_from([None, *window])
        assignment[request.id] = draw(st.one_of(mostly, mostly, mostly, anything))
    return problem, assignment


@given(problems_and_plans())
@settings(max_examples=300, deadline=None)
def test_the_oracle_and_the_checker_agree_on_every_rule(
    case: tuple[Problem, dict[str, date | None]],
) -> None:
    problem, assignment = case
    rounds = rounds_of(problem, assignment)
    oracle = broken_rules(problem, rounds) | broken_rules_1_1(problem, rounds)
    try:
        solution = as_solution(problem, tuple(rounds), _SEED)
        staffed = True
    except StaffingError:  # no officers exist for some unit's day: judge the rest without them
        solution = as_solution(problem, tuple(rounds), _SEED, draw=False)
        staffed = False
    found = {v.rule for v in check(problem, solution).violations}
    assert (10 not in oracle) == staffed
    assert oracle - {10} == found - {10}
    assert (10 in oracle) == (10 in found)


@given(tiny_rules_problems())
@settings(max_examples=150, deadline=None)
def test_the_oracle_is_lawful_and_never_trails_the_greedy(problem: Problem) -> None:
    best = exhaustive_best_plan(problem)
    report = check(problem, as_solution(problem, best.rounds, _SEED))
    assert report.ok, report.violations
    assert figures(best) <= (report.statistics.schedulable_priority, len(best.rounds))
    assert len(best.rounds) >= report.statistics.rounds_lower_bound
    priority, rounds = greedy_figures(problem)
    assert (best.priority, -len(best.rounds)) >= (priority, -rounds)


@given(tiny_rules_problems())
@settings(max_examples=150, deadline=None)
def test_every_greedy_plan_is_lawful_for_the_oracle(problem: Problem) -> None:
    solution = greedy_solution(problem, _SEED)
    rounds = [PlanRound(r.enterprise, r.date, r.requests) for r in solution.rounds]
    assert broken_rules(problem, rounds) | broken_rules_1_1(problem, rounds) == set()
