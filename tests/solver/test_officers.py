"""The draw of officers (双随机): eligible only, replayable from its seed, fair, never stuck."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.solver.check import check
from inspection.solver.errors import StaffingError
from inspection.solver.greedy import greedy_plan
from inspection.solver.greedy_solution import greedy_solution
from inspection.solver.officers import draw_officers, staff
from inspection.solver.schema import Officer, Problem, Round, Solution
from tests.support.paths import ROOT
from tests.support.rules_strategies import day, rules_problem, rules_problems, visit

SEEDS = range(600)


def one_round_problem() -> tuple[Problem, tuple[Round, ...]]:
    """Unit A, five officers: A5 recused from E1, A4 off that day; so A1-A3 are eligible."""
    officers = (
        Officer(id="A1", unit="A"),
        Officer(id="A2", unit="A"),
        Officer(id="A3", unit="A"),
        Officer(id="A4", unit="A", days_off=(day(0),)),
        Officer(id="A5", unit="A", recusals=("E1",)),
        Officer(id="B1", unit="B"),
        Officer(id="B2", unit="B"),
    )
    problem = rules_problem(
        [visit("R1", "A", "E1", 0, 0), visit("R2", "B", "E1", 0, 0), visit("R3", "C", "E1", 0, 0)],
        officers=officers,
    )
    rounds = (Round(enterprise="E1", date=day(0), requests=("R1", "R2", "R3")),)
    return problem, rounds


def test_every_unit_with_officers_sends_two_eligible_ones_and_others_none() -> None:
    problem, rounds = one_round_problem()
    (drawn,) = draw_officers(problem, rounds, 11)
    assert drawn.officers is not None
    assert set(drawn.officers) == {"A", "B"}  # C has no officers listed: it needs none
    assert set(drawn.officers["A"]) <= {"A1", "A2", "A3"}
    assert len(set(drawn.officers["A"])) == 2
    assert drawn.officers["B"] == ("B1", "B2")


def test_the_same_problem_rounds_and_seed_give_the_same_officers() -> None:
    problem = rules_problem(
        [visit(f"R{i}", "A", f"E{i}", 0, 4) for i in range(4)],
        {"officer_daily_rounds": 2},
        tuple(Officer(id=f"A{n}", unit="A") for n in range(6)),
    )
    rounds = greedy_plan(problem).rounds
    first = draw_officers(problem, rounds, 2024)
    assert draw_officers(problem, rounds, 2024) == first
    # the order the rounds are given in does not matter
    again = draw_officers(problem, tuple(reversed(rounds)), 2024)
    assert tuple(reversed(again)) == first
    # and another seed draws otherwise, somewhere
    assert any(draw_officers(problem, rounds, seed) != first for seed in range(1, 20))


def test_each_eligible_officer_is_drawn_about_equally_often() -> None:
    problem, rounds = one_round_problem()
    counts = Counter(
        officer
        for seed in SEEDS
        for officer in draw_officers(problem, rounds, seed)[0].officers_of("A")
    )
    assert set(counts) == {"A1", "A2", "A3"}  # nobody ineligible, ever
    expected = len(SEEDS) * 2 / 3
    chi_square = sum((counts[o] - expected) ** 2 / expected for o in ("A1", "A2", "A3"))
    assert chi_square < 13.8  # 2 degrees of freedom: p = 0.001


def test_the_draw_is_fair_across_the_rounds_of_one_day() -> None:
    """Two rounds of A on one day, one round per officer: who goes where is random too."""
    problem = rules_problem(
        [visit("R1", "A", "E1", 0, 0), visit("R2", "A", "E2", 0, 0)],
        officers=tuple(Officer(id=f"A{n}", unit="A") for n in range(5)),
    )
    rounds = (
        Round(enterprise="E1", date=day(0), requests=("R1",)),
        Round(enterprise="E2", date=day(0), requests=("R2",)),
    )
    at_e1: Counter[str] = Counter()
    for seed in SEEDS:
        drawn = draw_officers(problem, rounds, seed)
        first, second = drawn[0].officers_of("A"), drawn[1].officers_of("A")
        assert not set(first) & set(second)  # one round a day each
        at_e1.update(first)
    expected = len(SEEDS) * 2 / 5
    chi_square = sum((at_e1[f"A{n}"] - expected) ** 2 / expected for n in range(5))
    assert chi_square < 18.5  # 4 degrees of freedom: p = 0.001


def test_the_matching_finds_the_one_staffing_a_first_choice_would_miss() -> None:
    """A1 and A2 are recused from E2: whatever the seed, E1 must get them and E2 the others."""
    problem = rules_problem(
        [visit("R1", "A", "E1", 0, 0), visit("R2", "A", "E2", 0, 0)],
        officers=(
            Officer(id="A1", unit="A", recusals=("E2",)),
            Officer(id="A2", unit="A", recusals=("E2",)),
            Officer(id="A3", unit="A"),
            Officer(id="A4", unit="A"),
        ),
    )
    rounds = (
        Round(enterprise="E1", date=day(0), requests=("R1",)),
        Round(enterprise="E2", date=day(0), requests=("R2",)),
    )
    for seed in range(40):
        drawn = draw_officers(problem, rounds, seed)
        assert drawn[0].officers_of("A") == ("A1", "A2")
        assert drawn[1].officers_of("A") == ("A3", "A4")


def test_staff_reports_when_no_assignment_exists() -> None:
    # three rounds of two officers from four officers with one round each
    assert staff([[0, 1, 2, 3]] * 3, 2, 1) is None
    assert staff([[0, 1, 2, 3]] * 3, 2, 2) is not None
    # enough officers in total, but round 2 may only have officer 0
    assert staff([[0, 1], [0, 1], [0]], 1, 1) is None


def test_rounds_that_cannot_be_staffed_raise_a_clear_error() -> None:
    problem = rules_problem(
        [visit("R1", "A", "E1", 0, 0)],
        officers=(Officer(id="A1", unit="A"), Officer(id="A2", unit="A", recusals=("E1",))),
    )
    rounds = (Round(enterprise="E1", date=day(0), requests=("R1",)),)
    with pytest.raises(StaffingError, match=r"rounds\[0\]\.officers: unit 'A' cannot staff"):
        draw_officers(problem, rounds, 1)


@settings(max_examples=60, deadline=None)
@given(rules_problems())
def test_the_checker_accepts_the_drawn_officers_and_the_draw_replays(problem: Problem) -> None:
    solution = greedy_solution(problem, draw_seed=5)
    assert check(problem, solution).violations == ()
    assert solution.draw_seed == 5
    replayed = draw_officers(
        problem, tuple(r.model_copy(update={"officers": None}) for r in solution.rounds), 5
    )
    assert replayed == solution.rounds
    assert isinstance(solution, Solution)


def _brute_force(eligible: list[list[int]], needed: int, daily_rounds: int) -> bool:
    """Whether some choice of `needed` officers per round keeps every officer's daily rounds."""

    def place(j: int, load: Counter[int]) -> bool:
        if j == len(eligible):
            return True
        return any(
            all(load[o] < daily_rounds for o in chosen) and place(j + 1, load + Counter(chosen))
            for chosen in combinations(eligible[j], needed)
        )

    return place(0, Counter())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 4), max_size=5, unique=True), max_size=4),
    st.integers(1, 2),
    st.integers(1, 2),
)
def test_staff_finds_an_assignment_exactly_when_one_exists(
    eligible: list[list[int]], needed: int, daily_rounds: int
) -> None:
    found = staff(eligible, needed, daily_rounds)
    assert (found is not None) == _brute_force(eligible, needed, daily_rounds)
    if found is not None:
        load = Counter(o for chosen in found for o in chosen)
        assert all(count <= daily_rounds for count in load.values())
        for chosen, allowed in zip(found, eligible, strict=True):
            assert len(set(chosen)) == len(chosen) == needed
            assert set(chosen) <= set(allowed)


@given(st.integers(0, 6), st.integers(1, 5), st.integers(1, 3), st.integers(1, 3))
def test_without_recusals_only_the_counts_matter(
    present: int, rounds: int, needed: int, daily_rounds: int
) -> None:
    """The greedy's shortcut (greedy_rules.RuleBook.can_staff) agrees with the matching."""
    everyone = [list(range(present))] * rounds
    by_counts = present >= needed and present * min(daily_rounds, rounds) >= needed * rounds
    assert (staff(everyone, needed, daily_rounds) is not None) == by_counts


def test_the_draw_does_not_depend_on_the_hash_seed() -> None:
    """Replayable means in another process too: string hashing must not reach the draw."""
    script = (
        "from pathlib import Path; from inspection.solver.io import load_problem;"
        "from inspection.solver import greedy_solution;"
        "p = load_problem(Path('src/inspection/samples/problem-week-rules.json'));"
        "print(greedy_solution(p, 99).model_dump_json())"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env=os.environ | {"PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert '"officers":{"SCJG":' in outputs[0]


def test_an_announced_round_keeps_its_officers_while_they_are_eligible() -> None:
    problem, rounds = one_round_problem()
    announced = rounds[0].model_copy(update={"officers": {"A": ("A1", "A3"), "B": ("B1", "B2")}})
    for seed in range(40):
        (drawn,) = draw_officers(problem, (announced,), seed)
        assert drawn.officers is not None
        assert drawn.officers["A"] == ("A1", "A3")


def test_an_announced_officer_no_longer_eligible_is_replaced_and_the_other_kept() -> None:
    problem, rounds = one_round_problem()
    # A4 is off that day now: A1 stays, A4's place goes to A2 or A3
    announced = rounds[0].model_copy(update={"officers": {"A": ("A1", "A4"), "B": ("B1", "B2")}})
    replacements = set()
    for seed in range(40):
        (drawn,) = draw_officers(problem, (announced,), seed)
        assert drawn.officers is not None
        assert "A1" in drawn.officers["A"]
        assert "A4" not in drawn.officers["A"]
        replacements |= set(drawn.officers["A"]) - {"A1"}
    assert replacements == {"A2", "A3"}  # still drawn at random among the eligible


def test_kept_officers_give_way_when_the_day_cannot_be_staffed_around_them() -> None:
    # two rounds of A on one day, one officer a round each (2 per round, 1 round a day):
    # the announced round kept A1 and A2, but the new round can only take A1 or A2 (A3 and
    # A4 are recused from E2): keeping both would leave E2 unstaffed
    officers = (
        Officer(id="A1", unit="A"),
        Officer(id="A2", unit="A"),
        Officer(id="A3", unit="A", recusals=("E2",)),
        Officer(id="A4", unit="A", recusals=("E2",)),
    )
    problem = rules_problem(
        [visit("R1", "A", "E1", 0, 0), visit("R2", "A", "E2", 0, 0)],
        {"officers_per_unit": 2, "officer_daily_rounds": 1},
        officers,
    )
    announced = Round(enterprise="E1", date=day(0), requests=("R1",), officers={"A": ("A1", "A2")})
    fresh = Round(enterprise="E2", date=day(0), requests=("R2",))
    drawn = draw_officers(problem, (announced, fresh), 3)
    by_enterprise = {r.enterprise: r.officers for r in drawn}
    assert by_enterprise["E2"] == {"A": ("A1", "A2")}
    assert by_enterprise["E1"] == {"A": ("A3", "A4")}


def test_staff_never_moves_a_kept_officer() -> None:
    # round 0 keeps officer 0; round 1 can only take officer 0: no assignment exists
    assert staff([[0, 1], [0]], 1, 1, kept=[[0], []]) is None
    assert staff([[0, 1], [0]], 1, 1) == [[1], [0]]
