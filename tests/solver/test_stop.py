"""A stop request ends the solve within about a second, whatever search is running.

The problem is an industrial area's month at a fifth of its size: one part of
about 4,300 request-day literals, more than the full two-stage model takes and
few enough for the neighbourhood search to solve it as one slice, in a single
CP-SAT solve that runs for most of the time limit unless stopped (about 85 s
of a 120 s limit on two workers).
"""

from __future__ import annotations

import threading
import time

import pytest
from ortools.sat.python import cp_model

from inspection.generator import generate
from inspection.solver import Problem, SolveOptions, check, solve
from inspection.solver.assemble import rounds_of
from inspection.solver.constraints import add_all_rules
from inspection.solver.instance import Component, Instance, build_instance
from inspection.solver.interrupt import solve_stoppable
from inspection.solver.lns import LnsSettings, improve_by_neighbourhoods
from inspection.solver.objective import better, make_objectives, score
from inspection.solver.occupancy import Occupancy
from inspection.solver.relaxation import Relaxation
from inspection.solver.schema import Solution, Unscheduled
from inspection.solver.variables import make_variables

_LIMIT_S = 120.0
_STOP_AFTER_S = 2.0
# Generous: the solvers themselves end within a tenth of a second of the request.
_ENDS_WITHIN_S = 10.0


@pytest.fixture(scope="module")
def problem() -> Problem:
    return generate("H", 2, scale=0.2)


def _stop_after(delay_s: float) -> threading.Event:
    stop = threading.Event()
    timer = threading.Timer(delay_s, stop.set)
    timer.daemon = True
    timer.start()
    return stop


def _whole(instance: Instance) -> Component:
    return Component(requests=list(instance.slots.values()))


def _as_solution(instance: Instance, days: dict[int, int]) -> Solution:
    return Solution(
        rounds=tuple(rounds_of(instance, Occupancy.from_days(instance, days))),
        unscheduled=tuple(
            Unscheduled(request=r.id, reason="left out")
            for i, r in enumerate(instance.problem.requests)
            if i not in days
        ),
    )


def test_a_stop_ends_a_long_solve_with_a_valid_plan(problem: Problem) -> None:
    stop = _stop_after(_STOP_AFTER_S)
    started = time.monotonic()
    solution = solve(problem, SolveOptions(time_limit_s=_LIMIT_S, workers=2), stop=stop)
    late = time.monotonic() - started - _STOP_AFTER_S
    assert late < _ENDS_WITHIN_S, f"solve returned {late:.1f} s after the stop request"
    assert solution.status == "stopped"
    report = check(problem, solution)
    assert report.ok, report.violations
    assert solution.rounds


def test_a_stop_ends_the_one_slice_neighbourhood_search(problem: Problem) -> None:
    instance = build_instance(problem)
    part = _whole(instance)
    occupancy = Occupancy.of(instance)
    occupancy.insert_what_fits(part.requests)
    start = occupancy.days()
    reported: list[tuple[int, int]] = []
    stop = _stop_after(_STOP_AFTER_S)
    started = time.monotonic()
    days = improve_by_neighbourhoods(
        part,
        instance.capacity,
        problem.max_units_per_round,
        start,
        LnsSettings(_LIMIT_S, 0, 2),
        lambda priority, rounds: reported.append((priority, rounds)),
        stop,
    )
    late = time.monotonic() - started - _STOP_AFTER_S
    assert late < _ENDS_WITHIN_S, f"the search returned {late:.1f} s after the stop request"
    assert check(problem, _as_solution(instance, days)).ok
    assert not better(score(part.requests, start), score(part.requests, days))
    # whatever was reported while the slice was searched is a plan at hand, the last one kept
    assert all(better(figures, score(part.requests, start)) for figures in reported)
    if reported:
        assert reported[-1] == score(part.requests, days)


def test_a_stop_set_before_a_cp_sat_solve_starts_still_ends_it(problem: Problem) -> None:
    # CP-SAT ignores `stop_search` until its solve is under way: the request must be repeated
    instance = build_instance(problem)
    part = _whole(instance)
    model = cp_model.CpModel()
    variables = make_variables(model, part)
    add_all_rules(model, variables, instance.capacity, problem.max_units_per_round)
    objectives = make_objectives(variables, {r.index: r.priority for r in part.requests})
    model.maximize(objectives.combined())
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = _LIMIT_S
    solver.parameters.num_workers = 2
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    solve_stoppable(solver, model, stop=stop)
    assert time.monotonic() - started < _ENDS_WITHIN_S


def test_a_stop_interrupts_the_linear_relaxation() -> None:
    problem = generate("H", 2, scale=0.5)  # its guiding LP takes about 1.5 s on one core
    instance = build_instance(problem)
    stop = threading.Event()
    relaxation = Relaxation(_whole(instance), instance.capacity, problem.max_units_per_round, stop)
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    started = time.monotonic()
    relaxation.guide(_LIMIT_S)
    assert time.monotonic() - started < 0.2 + 1.0
    timer.join()
    assert relaxation.priority_bound(_LIMIT_S) is None  # stopped: no further LP is solved
