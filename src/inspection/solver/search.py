"""Solving one component with CP-SAT, in two lexicographic stages.

Stage one maximises the combined objective (priority first, rounds second)
from a hint. As soon as the proven bound shows that no plan reaches a higher
priority, or its share of the time is spent, stage two fixes the priority
reached and minimises rounds alone. Each stage reports what it proved.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from inspection.solver.constraints import add_all_rules
from inspection.solver.instance import Component
from inspection.solver.objective import (
    Objectives,
    make_objectives,
    priority_bound_from_weighted,
    rounds_bound_from_weighted,
)
from inspection.solver.variables import Variables, make_variables

__all__ = ["ComponentResult", "LiveFigures", "SearchSettings", "solve_component"]

# Share of a component's time stage one may use before rounds get the rest.
_STAGE_ONE_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class SearchSettings:
    """CP-SAT settings for one component."""

    time_limit_s: float
    workers: int
    seed: int
    log_search: bool = False


@dataclass(frozen=True, slots=True)
class LiveFigures:
    """What one component's search has reached so far."""

    stage: int
    priority: int
    priority_bound: int
    rounds: int
    rounds_bound: int


@dataclass(frozen=True, slots=True)
class ComponentResult:
    """The best assignment found for one component and what was proven about it.

    Attributes:
        days: Request index to its day index; requests left out are absent.
        priority: Scheduled priority of the assignment.
        rounds: Rounds of the assignment.
        priority_bound: No plan of this component schedules more priority.
        rounds_bound: No plan reaching at least `priority` uses fewer rounds.
        stopped: The search was interrupted from outside.
    """

    days: dict[int, int]
    priority: int
    rounds: int
    priority_bound: int
    rounds_bound: int
    stopped: bool


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution and ends stage one once priority is proven."""

    def __init__(
        self,
        solver: cp_model.CpSolver,
        stage: int,
        objectives: Objectives,
        fixed_priority: int,
        report: Callable[[LiveFigures], None] | None,
    ) -> None:
        super().__init__()
        self._solver = solver
        self._stage = stage
        self._objectives = objectives
        self._fixed_priority = fixed_priority
        self._report = report
        self.priority_proven = False

    def _figures(self, value: float, bound: float) -> LiveFigures:
        if self._stage == 1:
            priority, rounds = self._objectives.split(round(value))
            priority_bound = priority_bound_from_weighted(bound, self._objectives)
            return LiveFigures(
                1,
                priority,
                priority_bound,
                rounds,
                rounds_bound_from_weighted(bound, self._objectives, priority),
            )
        return LiveFigures(
            2, self._fixed_priority, self._fixed_priority, round(value), _ceil(bound)
        )

    def on_solution_callback(self) -> None:
        figures = self._figures(self.objective_value, self.best_objective_bound)
        if self._report is not None:
            self._report(figures)
        if self._stage == 1 and figures.priority >= figures.priority_bound:
            self.priority_proven = True
            self.stop_search()


def _ceil(value: float) -> int:
    return -int(-value // 1) if value == value else 0  # NaN-safe ceiling


def _hint(model: cp_model.CpModel, variables: Variables, days: dict[int, int]) -> None:
    """Give CP-SAT a complete assignment to start from."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index, by_day in variables.assign.items():
        chosen = days.get(index)
        for option, literal in by_day.items():
            model.add_hint(literal, option == chosen)
    used_joint: set[tuple[int, int]] = set()
    used_joins: set[tuple[int, int, int]] = set()
    for (unit, enterprise), requests in variables.unit_requests.items():
        for request in requests:
            day = days.get(request.index)
            if day is not None:
                used_joint.add((enterprise, day))
                used_joins.add((unit, enterprise, day))
    for joint_key, literal in variables.joint.items():
        model.add_hint(literal, joint_key in used_joint)
    for joins_key, literal in variables.joins.items():
        if len(variables.unit_requests[joins_key[:2]]) > 1:
            model.add_hint(literal, joins_key in used_joins)


def _read_days(solver: cp_model.CpSolver, variables: Variables) -> dict[int, int]:
    days: dict[int, int] = {}
    for index, by_day in variables.assign.items():
        for day, literal in by_day.items():
            if solver.boolean_value(literal):
                days[index] = day
                break
    return days


def _solver(settings: SearchSettings, time_limit_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    solver.parameters.num_workers = settings.workers
    solver.parameters.random_seed = settings.seed
    solver.parameters.log_search_progress = settings.log_search
    # The bounds come from the LP: it must see the implications linking requests to
    # rounds, which only the second linearization level puts in. With one worker that
    # is the main search; with more, the LP worker is the one at that level.
    solver.parameters.linearization_level = 2
    if settings.workers >= 2:
        solver.parameters.ignore_subsolvers.append("default_lp")
        solver.parameters.extra_subsolvers.append("max_lp")
    return solver


def _run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    watcher: _Watcher,
    stop: threading.Event | None,
) -> int:
    """Solve, letting `stop` interrupt the search from another thread."""
    if stop is None:
        return int(solver.solve(model, watcher))
    finished = threading.Event()

    def relay() -> None:
        while not finished.is_set():
            if stop.wait(0.05):
                solver.stop_search()
                return

    thread = threading.Thread(target=relay, daemon=True)
    thread.start()
    try:
        return int(solver.solve(model, watcher))
    finally:
        finished.set()
        thread.join()


def solve_component(
    component: Component,
    capacity: list[list[int]],
    max_units_per_round: int,
    hint: dict[int, int],
    settings: SearchSettings,
    report: Callable[[LiveFigures], None] | None = None,
    stop: threading.Event | None = None,
) -> ComponentResult | None:
    """Solve one component lexicographically.

    Args:
        component: The requests and enterprises of the part.
        capacity: Remaining capacity per unit and day index.
        max_units_per_round: Rule 4's limit.
        hint: A valid assignment (request index to day index) to start from.
        settings: Time, workers and seed for this component.
        report: Called with the figures of each improving solution.
        stop: Set from another thread to end the search early.

    Returns:
        The best assignment and its proofs, or None when CP-SAT found no plan in time.
    """
    started = time.monotonic()
    model = cp_model.CpModel()
    variables = make_variables(model, component)
    add_all_rules(model, variables, capacity, max_units_per_round)
    objectives = make_objectives(variables, {r.index: r.priority for r in component.requests})
    model.maximize(objectives.combined())
    _hint(model, variables, hint)

    stage_one_limit = settings.time_limit_s * _STAGE_ONE_SHARE
    solver = _solver(settings, stage_one_limit - (time.monotonic() - started))
    watcher = _Watcher(solver, 1, objectives, 0, report)
    status = _run(solver, model, watcher, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    days = _read_days(solver, variables)
    priority, rounds = objectives.split(round(solver.objective_value))
    stopped = stop is not None and stop.is_set()
    if status == cp_model.OPTIMAL:
        return ComponentResult(days, priority, rounds, priority, rounds, stopped)
    priority_bound = (
        priority
        if watcher.priority_proven
        else priority_bound_from_weighted(solver.best_objective_bound, objectives)
    )
    rounds_bound = rounds_bound_from_weighted(solver.best_objective_bound, objectives, priority)
    remaining = settings.time_limit_s - (time.monotonic() - started)
    if stopped or remaining <= 0.05:
        return ComponentResult(days, priority, rounds, priority_bound, rounds_bound, stopped)

    # Stage two: keep the priority reached, minimise rounds.
    model.add(objectives.priority >= priority)
    model.minimize(objectives.rounds)
    _hint(model, variables, days)
    solver = _solver(settings, remaining)
    watcher = _Watcher(solver, 2, objectives, priority, report)
    status = _run(solver, model, watcher, stop)
    stopped = stop is not None and stop.is_set()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        stage_two_rounds = round(solver.objective_value)
        rounds_bound = max(rounds_bound, _ceil(solver.best_objective_bound))
        if stage_two_rounds <= rounds:
            days, rounds = _read_days(solver, variables), stage_two_rounds
            priority = sum(r.priority for r in component.requests if r.index in days)
    return ComponentResult(days, priority, rounds, priority_bound, rounds_bound, stopped)
