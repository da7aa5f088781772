"""Solving one independent part: bound, improve, then prove what can be proven.

Every part first gets its priority bound from the linear relaxation. Then:

- small parts: CP-SAT on the full model maximises the combined objective
  (priority first, rounds second) from the hint, stopping as soon as the
  priority bound is reached; stage two fixes that priority and minimises
  rounds alone, with workers chosen to prove it;
- large parts: when the hint is clearly short of the priority bound, a plan
  rounded from the guiding LP and tidied enterprise by enterprise may replace
  it; the neighbourhood search improves it; stage two polishes rounds.

The result is never worse than the hint, and says what was proven.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from inspection.solver.constraints import add_all_rules
from inspection.solver.construct import round_guided
from inspection.solver.instance import Component
from inspection.solver.interrupt import solve_stoppable
from inspection.solver.lns import LnsSettings, improve_by_neighbourhoods, sweep_enterprises
from inspection.solver.objective import (
    Objectives,
    better,
    make_objectives,
    priority_bound_from_weighted,
    rounds_bound_from_weighted,
    score,
)
from inspection.solver.parameters import MIN_SOLVE_S, Portfolio, cp_solver
from inspection.solver.relaxation import Relaxation
from inspection.solver.rules_instance import NO_CAPS, Caps, OfficerLoad
from inspection.solver.variables import Variables, make_variables

__all__ = ["ComponentResult", "LiveFigures", "SearchSettings", "solve_component"]

# Share of a component's time the linear relaxation may take at most.
_RELAXATION_SHARE = 0.3
# Share of the time left that stage one may use before rounds get the rest.
_STAGE_ONE_SHARE = 0.6
# Parts with more literals than this get the neighbourhood search instead of stage one,
# for this share of the time left.
_LARGE_PART_LITERALS = 4000
_LNS_SHARE = 0.75
# The guiding LP costs about half of a part's time; it pays only when the starting plan
# leaves a real share of the provable priority behind (industrial areas: 2-3 %).
_GUIDE_WHEN_SHORT_BY = 0.001
# Share of a small part's rounds stage spent finding plans (under caps) before proving.
_FIND_SHARE = 0.4
# Shares of the time left that the guiding LP, and the tidying of its rounding, may take.
# The tidying sweep is what merges the visits a rounded LP scatters, and it ends as soon as a
# pass changes nothing (the rest goes to the neighbourhood search): at 0.3 it stopped part-way
# through L seed 2's enterprises, whose plan kept 21 % more rounds than the bound (19,845
# against 16,405, bench/README.md "Tidying a rounded LP"); the search after it gained ~1 %.
_GUIDE_SHARE = 0.5
_SWEEP_SHARE = 0.9


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
        stage: int,
        objectives: Objectives,
        fixed_priority: int,
        report: Callable[[LiveFigures], None] | None,
    ) -> None:
        super().__init__()
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
    for active, indices in variables.any_scheduled:
        model.add_hint(active, any(i in days for i in indices))
    for count, span in variables.rounds_count:
        model.add_hint(count, sum(key in used_joint for key in span))
    for indicator, covered in variables.cap_indicators:
        model.add_hint(indicator, any(days.get(index) == day for index, day in covered))


def _read_days(solver: cp_model.CpSolver, variables: Variables) -> dict[int, int]:
    days: dict[int, int] = {}
    for index, by_day in variables.assign.items():
        for day, literal in by_day.items():
            if solver.boolean_value(literal):
                days[index] = day
                break
    return days


def _solver(
    settings: SearchSettings, time_limit_s: float, portfolio: Portfolio
) -> cp_model.CpSolver:
    """A CP-SAT solver for this component's full model, given at least `MIN_SOLVE_S`."""
    return cp_solver(
        max(MIN_SOLVE_S, time_limit_s),
        settings.workers,
        settings.seed,
        portfolio=portfolio,
        log_search=settings.log_search,
    )


def _stage_one(
    model: cp_model.CpModel,
    variables: Variables,
    objectives: Objectives,
    settings: SearchSettings,
    time_limit_s: float,
    report: Callable[[LiveFigures], None] | None,
    stop: threading.Event | None,
) -> tuple[dict[int, int], int, bool, float] | None:
    """Maximise the combined objective; None when no plan came back in time.

    Returns the assignment, the priority bound, whether the whole objective was
    proven optimal, and CP-SAT's bound on the combined objective.
    """
    model.maximize(objectives.combined())
    solver = _solver(settings, time_limit_s, Portfolio.FINDING)
    watcher = _Watcher(1, objectives, 0, report)
    status = solve_stoppable(solver, model, watcher, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    days = _read_days(solver, variables)
    priority, _rounds = objectives.split(round(solver.objective_value))
    bound = solver.best_objective_bound
    if status == cp_model.OPTIMAL or watcher.priority_proven:
        return days, priority, status == cp_model.OPTIMAL, bound
    return days, priority_bound_from_weighted(bound, objectives), False, bound


def _guided_start(
    component: Component,
    capacity: list[list[int]],
    max_units_per_round: int,
    caps: Caps,
    officers: OfficerLoad | None,
    relaxation: Relaxation,
    left: Callable[[], float],
    stop: threading.Event | None,
) -> dict[int, int] | None:
    """A plan rounded from the guiding LP and tidied enterprise by enterprise, if time allows.

    Both LP optima are rounded, the priced guide's and the priority bound's, and the
    lexicographically better plan is tidied. The guide's merges better, but it comes
    from a first-order method and, under caps, its values spread an enterprise's
    visits where rounding cannot keep them all (M with rules, seed 1: 3203 of the
    part's bound 3263); the bound LP's vertex rounds to the bound itself (3263).
    """
    guide = relaxation.guide(left() * _GUIDE_SHARE)
    candidates = [
        round_guided(component, capacity, max_units_per_round, values, caps)
        for values in (guide, relaxation.bound_values)
        if values is not None
    ]
    if not candidates:
        return None
    days = candidates[0]
    for other in candidates[1:]:
        if better(score(component.requests, other), score(component.requests, days)):
            days = other
    tidy = LnsSettings(left() * _SWEEP_SHARE, 0, 1)
    return sweep_enterprises(
        component, capacity, max_units_per_round, days, tidy, stop, caps, officers
    )


def solve_component(
    component: Component,
    capacity: list[list[int]],
    max_units_per_round: int,
    hint: dict[int, int],
    settings: SearchSettings,
    report: Callable[[LiveFigures], None] | None = None,
    stop: threading.Event | None = None,
    caps: Caps = NO_CAPS,
    officers: OfficerLoad | None = None,
) -> ComponentResult:
    """Solve one component lexicographically.

    Small parts go through CP-SAT's full model twice: combined objective, then
    rounds at the priority reached. Large parts replace the first stage by the
    neighbourhood search, which moves priority where the full model stalls.
    The linear relaxation bounds priority in both cases.

    Args:
        component: The requests and enterprises of the part.
        capacity: Remaining capacity per unit and day index.
        max_units_per_round: Rule 4's limit.
        hint: A valid assignment (request index to day index) to start from.
        settings: Time, workers and seed for this component.
        report: Called with the figures of each improving solution.
        stop: Set from another thread to end the search early.
        caps: The caps of format 1.1 left for the part.
        officers: The officers of format 1.1, for the unit-days that recusals make hard.

    Returns:
        The best assignment found (never worse than `hint`) and what was proven.
    """
    started = time.monotonic()

    def left() -> float:
        return settings.time_limit_s - (time.monotonic() - started)

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    model = cp_model.CpModel()
    variables = make_variables(model, component)
    add_all_rules(model, variables, capacity, max_units_per_round, caps, officers)
    objectives = make_objectives(variables, {r.index: r.priority for r in component.requests})
    relaxation = Relaxation(component, capacity, max_units_per_round, stop, caps)
    relaxed = relaxation.priority_bound(settings.time_limit_s * _RELAXATION_SHARE)
    if relaxed is not None and relaxed < objectives.max_priority:
        # a proven cut: lets CP-SAT stop as soon as a plan reaches it
        objectives.max_priority = relaxed
        model.add(objectives.priority <= relaxed)
    _hint(model, variables, hint)

    days = dict(hint)
    priority, rounds = score(component.requests, days)
    priority_bound = objectives.max_priority
    rounds_bound = 0
    large = sum(len(r.days) for r in component.requests) > _LARGE_PART_LITERALS
    if not large:
        outcome = _stage_one(
            model, variables, objectives, settings, left() * _STAGE_ONE_SHARE, report, stop
        )
        if outcome is not None:
            found, priority_bound, optimal, bound = outcome
            if better(score(component.requests, found), (priority, rounds)):
                days = found
                priority, rounds = score(component.requests, days)
            rounds_bound = rounds_bound_from_weighted(bound, objectives, priority)
            if optimal:
                return ComponentResult(days, priority, rounds, priority, rounds, stopped())
    elif not stopped():
        if priority < priority_bound * (1 - _GUIDE_WHEN_SHORT_BY):
            guided = _guided_start(
                component, capacity, max_units_per_round, caps, officers, relaxation, left, stop
            )
            if guided is not None and better(score(component.requests, guided), (priority, rounds)):
                days = guided
                priority, rounds = score(component.requests, days)
        lns = LnsSettings(left() * _LNS_SHARE, settings.seed, settings.workers)

        def relay(found_priority: int, found_rounds: int) -> None:
            if report is not None:
                report(LiveFigures(1, found_priority, priority_bound, found_rounds, 0))

        days = improve_by_neighbourhoods(
            component, capacity, max_units_per_round, days, lns, relay, stop, caps, officers
        )
        priority, rounds = score(component.requests, days)
    if stopped() or left() <= MIN_SOLVE_S:
        return ComponentResult(days, priority, rounds, priority_bound, rounds_bound, stopped())

    # Stage two: keep the priority reached, minimise rounds. Under caps a small part first
    # looks for better plans: there the proving workers alone may not improve the hint at
    # all (S seed 1 with rules: 157 rounds after 8 s where the finding workers reach the
    # optimum, 149, in 2 s), while without caps they need all the time to prove.
    model.add(objectives.priority >= priority)
    model.minimize(objectives.rounds)
    if large:
        phases = [Portfolio.FINDING]
    elif caps:
        phases = [Portfolio.FINDING, Portfolio.PROVING]
    else:
        phases = [Portfolio.PROVING]
    for phase, portfolio in enumerate(phases):
        if stopped() or left() <= MIN_SOLVE_S:
            break
        share = _FIND_SHARE if phase + 1 < len(phases) else 1.0
        _hint(model, variables, days)
        solver = _solver(settings, left() * share, portfolio)
        watcher = _Watcher(2, objectives, priority, report)
        status = solve_stoppable(solver, model, watcher, stop)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        rounds_bound = max(rounds_bound, _ceil(solver.best_objective_bound))
        found = _read_days(solver, variables)
        if better(score(component.requests, found), (priority, rounds)):
            days = found
            priority, rounds = score(component.requests, days)
        if status == cp_model.OPTIMAL:
            break
    return ComponentResult(days, priority, rounds, priority_bound, rounds_bound, stopped())
