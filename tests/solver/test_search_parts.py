"""The pieces behind large parts: LP bound, guided rounding, sweeps, neighbourhoods.

Also the CP-SAT parameters every solve shares.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from inspection.solver import Problem, SolveOptions, check, solve
from inspection.solver import lns as lns_module
from inspection.solver import search as search_module
from inspection.solver.assemble import rounds_of
from inspection.solver.construct import round_guided
from inspection.solver.instance import Component, Instance, build_instance
from inspection.solver.lns import LnsSettings, improve_by_neighbourhoods, sweep_enterprises
from inspection.solver.objective import better, score
from inspection.solver.occupancy import Occupancy
from inspection.solver.parameters import MIN_SOLVE_S, Portfolio, cp_solver
from inspection.solver.relaxation import Relaxation
from inspection.solver.schema import Round, Solution, Unscheduled
from tests.support.exhaustive import exhaustive_optimum
from tests.support.strategies import problems, problems_with_pins, tiny_problems


def _as_solution(instance: Instance, days: dict[int, int]) -> Solution:
    occupancy = Occupancy.from_days(instance, days)
    return Solution(
        rounds=tuple(rounds_of(instance, occupancy)),
        unscheduled=tuple(
            Unscheduled(request=r.id, reason="left out")
            for i, r in enumerate(instance.problem.requests)
            if i not in days
        ),
    )


def _everything(instance: Instance) -> Component:
    return Component(requests=list(instance.slots.values()))


@given(tiny_problems())
@settings(max_examples=60)
def test_relaxation_never_cuts_off_the_optimum(problem: Problem) -> None:
    instance = build_instance(problem)
    relaxation = Relaxation(_everything(instance), instance.capacity, problem.max_units_per_round)
    bound = relaxation.priority_bound(10)
    assert bound is not None
    assert bound >= exhaustive_optimum(problem)[0]


@given(problems(max_requests=20))
@settings(max_examples=25)
def test_guided_rounding_sweep_and_neighbourhoods_give_valid_plans(problem: Problem) -> None:
    instance = build_instance(problem)
    part = _everything(instance)
    relaxation = Relaxation(part, instance.capacity, problem.max_units_per_round)
    values = relaxation.guide(10)
    assert values is not None
    rounded = round_guided(part, instance.capacity, problem.max_units_per_round, values)
    assert check(problem, _as_solution(instance, rounded)).ok

    tidy = LnsSettings(5.0, 0, 1)
    swept = sweep_enterprises(part, instance.capacity, problem.max_units_per_round, rounded, tidy)
    assert check(problem, _as_solution(instance, swept)).ok
    assert not better(score(part.requests, rounded), score(part.requests, swept))

    search = LnsSettings(2.0, 3, 1)
    improved = improve_by_neighbourhoods(
        part, instance.capacity, problem.max_units_per_round, swept, search
    )
    assert check(problem, _as_solution(instance, improved)).ok
    assert not better(score(part.requests, swept), score(part.requests, improved))


@given(problems_with_pins(tiny=True))
@settings(max_examples=40)
def test_relaxation_with_open_pins_never_cuts_off_the_optimum(
    case: tuple[Problem, tuple[Round, ...]],
) -> None:
    problem, pinned = case
    instance = build_instance(problem, pinned, open_pins=True)
    relaxation = Relaxation(_everything(instance), instance.capacity, problem.max_units_per_round)
    bound = relaxation.priority_bound(10)
    assert bound is not None
    assert bound >= exhaustive_optimum(problem, pinned, open_pins=True)[0]


@given(problems_with_pins())
@settings(max_examples=25)
def test_guided_rounding_sweep_and_neighbourhoods_keep_open_pins(
    case: tuple[Problem, tuple[Round, ...]],
) -> None:
    problem, pinned = case
    instance = build_instance(problem, pinned, open_pins=True)
    part, capacity, most = _everything(instance), instance.capacity, problem.max_units_per_round

    def valid(days: dict[int, int]) -> bool:
        return check(problem, _as_solution(instance, days), pinned, open_pins=True).ok

    values = Relaxation(part, capacity, most).guide(10)
    assert values is not None
    rounded = round_guided(part, capacity, most, values)
    assert valid(rounded)
    swept = sweep_enterprises(part, capacity, most, rounded, LnsSettings(5.0, 0, 1))
    assert valid(swept)
    improved = improve_by_neighbourhoods(part, capacity, most, swept, LnsSettings(2.0, 3, 1))
    assert valid(improved)
    assert not better(score(part.requests, swept), score(part.requests, improved))


@given(problems_with_pins())
@settings(max_examples=25)
def test_large_part_path_keeps_open_pins(case: tuple[Problem, tuple[Round, ...]]) -> None:
    problem, pinned = case
    solution = solve(
        problem, SolveOptions(time_limit_s=5, workers=1, pinned=pinned, open_pins=True)
    )
    report = check(problem, solution, pinned, open_pins=True)
    assert report.ok, report.violations


@given(problems(max_requests=16))
@settings(max_examples=25)
def test_large_part_path_is_valid_and_bounded(problem: Problem) -> None:
    solution = solve(problem, SolveOptions(time_limit_s=5, workers=1))
    report = check(problem, solution)
    assert report.ok, report.violations
    assert solution.statistics is not None
    assert solution.statistics.scheduled_priority <= solution.statistics.priority_upper_bound


@pytest.fixture(autouse=True)
def _every_part_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route even small parts through the large-part path, which tests here exercise."""
    monkeypatch.setattr(search_module, "_LARGE_PART_LITERALS", 0)
    monkeypatch.setattr(search_module, "_GUIDE_WHEN_SHORT_BY", 0.0)


@given(problems(max_requests=14))
@settings(max_examples=20)
def test_two_workers_small_parts_reach_the_exact_optimum(problem: Problem) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_module, "_LARGE_PART_LITERALS", 4000)
        solution = solve(problem, SolveOptions(time_limit_s=10, workers=2))
    assert check(problem, solution).ok
    assert solution.status == "optimal"


def test_neighbourhood_search_on_an_industrial_area_month() -> None:
    """A part far larger than one slice: days and enterprise clusters are re-solved in turn."""
    from inspection.generator import generate
    from inspection.solver.greedy import greedy_plan

    problem = generate("H", 5, scale=0.4)
    instance = build_instance(problem)
    part = _everything(instance)
    assert sum(len(s.days) for s in part.requests) > lns_module._SLICE_LITERALS
    index = {d: i for i, d in enumerate(instance.days)}
    start = {
        instance.request_index[r]: index[rnd.date]
        for rnd in greedy_plan(problem).rounds
        for r in rnd.requests
    }
    improved = improve_by_neighbourhoods(
        part, instance.capacity, problem.max_units_per_round, start, LnsSettings(4.0, 1, 1)
    )
    assert check(problem, _as_solution(instance, improved)).ok
    assert not better(score(part.requests, start), score(part.requests, improved))


def test_cp_sat_solves_get_level_two_and_their_portfolio_from_two_workers() -> None:
    proving = cp_solver(1.5, 2, 7, portfolio=Portfolio.PROVING, log_search=True).parameters
    assert (proving.max_time_in_seconds, proving.num_workers, proving.random_seed) == (1.5, 2, 7)
    assert proving.log_search_progress
    assert proving.linearization_level == 2
    assert list(proving.subsolvers) == ["lb_tree_search", "max_lp"]
    finding = cp_solver(1.5, 2, 7, portfolio=Portfolio.FINDING).parameters
    assert (list(finding.ignore_subsolvers), list(finding.extra_subsolvers)) == (
        ["default_lp"],
        ["max_lp"],
    )
    assert not finding.subsolvers
    # the slices' solver, and any solver with one worker: CP-SAT's own search, at level two
    for plain in (cp_solver(0.01, 8, 3), cp_solver(1.0, 1, 3, portfolio=Portfolio.PROVING)):
        parameters = plain.parameters
        assert parameters.linearization_level == 2
        assert not parameters.log_search_progress
        assert not parameters.subsolvers
        assert not parameters.ignore_subsolvers
        assert not parameters.extra_subsolvers
    assert cp_solver(0.01, 8, 3).parameters.max_time_in_seconds == 0.01  # used as given


def test_full_model_solves_get_at_least_the_least_solve_time() -> None:
    settings = search_module.SearchSettings(0.0, 1, 0)
    floored = search_module._solver(settings, 0.001, Portfolio.FINDING)
    assert floored.parameters.max_time_in_seconds == MIN_SOLVE_S
