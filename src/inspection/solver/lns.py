"""Large-neighbourhood search over one part: re-solve a slice exactly, keep the rest.

CP-SAT's built-in neighbourhoods rarely move a request across the week, which
is what unlocking an overloaded campaign day takes. Here each move frees a
slice of the plan that is independent of the rest once the rest is fixed, and
solves that slice to optimality with CP-SAT:

- a set of days: the requests on those days, and every left-out request that
  could take one of them, are re-placed within those days. Nothing outside
  the days shares a unit-day or an enterprise-day with them.
- a set of enterprises: all their requests are re-placed on any of their days,
  within the capacity the other enterprises' rounds leave.

A move is kept when the slice gets lexicographically better (priority, then
rounds), which makes the whole plan better by the same amount.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from inspection.solver.constraints import add_all_rules
from inspection.solver.instance import Component, RequestSlot
from inspection.solver.interrupt import solve_stoppable
from inspection.solver.objective import Objectives, better, make_objectives, score
from inspection.solver.parameters import MIN_SOLVE_S, cp_solver
from inspection.solver.rules_instance import NO_CAPS, Caps, OfficerLoad
from inspection.solver.variables import make_variables

__all__ = ["LnsSettings", "improve_by_neighbourhoods", "sweep_enterprises"]

# Literals a slice should hold: large enough for real moves, small enough to prove in a second.
_SLICE_LITERALS = 5000
# Most time one drawn slice may take: twice what it should need, so one hard slice cannot eat
# the part's budget.
_SLICE_MAX_S = 2.0
# Time for one enterprise alone in a sweep: a model that small is proven well within it.
_SWEEP_ENTERPRISE_S = 1.0


@dataclass(frozen=True, slots=True)
class LnsSettings:
    """Budget and randomness of a neighbourhood search."""

    time_limit_s: float
    seed: int
    workers: int


@dataclass(frozen=True, slots=True)
class _Slicing:
    """What every slice of one part's search shares."""

    everyone: list[RequestSlot]
    capacity: list[list[int]]
    max_units_per_round: int
    settings: LnsSettings
    report: Callable[[int, int], None] | None = None
    stop: threading.Event | None = None
    caps: Caps = NO_CAPS
    officers: OfficerLoad | None = None

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()


class _SliceWatcher(cp_model.CpSolverSolutionCallback):
    """Reports each solution of a slice that makes the whole part's plan better.

    The rest of the plan shares no round with the slice, so the part's figures
    are the rest's plus the slice's.
    """

    def __init__(
        self,
        objectives: Objectives,
        rest: tuple[int, int],
        best: tuple[int, int],
        report: Callable[[int, int], None],
    ) -> None:
        super().__init__()
        self._objectives = objectives
        self._rest = rest
        self._best = best
        self._report = report

    def on_solution_callback(self) -> None:
        priority, rounds = self._objectives.split(round(self.objective_value))
        figures = (self._rest[0] + priority, self._rest[1] + rounds)
        if better(figures, self._best):
            self._best = figures
            self._report(*figures)


def _solve_slice(
    slicing: _Slicing,
    requests: list[RequestSlot],
    residual: tuple[list[list[int]], Caps, OfficerLoad | None],
    hint: dict[int, int],
    time_limit_s: float,
    seed: int,
    watch: tuple[tuple[int, int], tuple[int, int]] | None,
) -> dict[int, int] | None:
    """The best placement of `requests` found in time (None if none).

    `watch`, the (priority, rounds) of the rest of the plan and of the whole plan
    now, asks for each improving solution to be reported while the search runs.
    Setting the stop signal ends the search with its best solution so far.
    """
    model = cp_model.CpModel()
    variables = make_variables(model, Component(requests=requests))
    add_all_rules(model, variables, residual[0], slicing.max_units_per_round, *residual[1:])
    objectives = make_objectives(variables, {r.index: r.priority for r in requests})
    model.maximize(objectives.combined())
    for index, by_day in variables.assign.items():
        for day, literal in by_day.items():
            model.add_hint(literal, hint.get(index) == day)
    solver = cp_solver(time_limit_s, slicing.settings.workers, seed)
    watcher = None
    if watch is not None and slicing.report is not None:
        watcher = _SliceWatcher(objectives, *watch, slicing.report)
    status = solve_stoppable(solver, model, watcher, slicing.stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen: dict[int, int] = {}
    for index, by_day in variables.assign.items():
        for day, literal in by_day.items():
            if solver.boolean_value(literal):
                chosen[index] = day
    return chosen


class _Neighbourhoods:
    """Draws slices of one part's plan."""

    def __init__(self, requests: list[RequestSlot], rng: random.Random) -> None:
        self.requests = requests
        self.rng = rng
        self.days = sorted({d for r in requests for d in r.days})
        self.by_enterprise: dict[int, list[RequestSlot]] = defaultdict(list)
        self.enterprises_of_unit: dict[int, list[int]] = defaultdict(list)
        for slot in requests:
            self.by_enterprise[slot.enterprise].append(slot)
        for enterprise, slots in sorted(self.by_enterprise.items()):
            for unit in sorted({s.unit for s in slots}):
                self.enterprises_of_unit[unit].append(enterprise)
        self.literals = sum(len(r.days) for r in requests)

    def by_days(self, days: dict[int, int]) -> tuple[list[RequestSlot], set[int]]:
        """Free a random set of days: who is on them, and who is left out and could be."""
        share = min(1.0, _SLICE_LITERALS / max(1, self.literals))
        count = max(
            1, min(len(self.days), round(len(self.days) * share * self.rng.uniform(0.7, 1.6)))
        )
        chosen = set(self.rng.sample(self.days, count))
        freed = []
        for slot in self.requests:
            day = days.get(slot.index)
            if day is None or day in chosen:
                allowed = tuple(d for d in slot.days if d in chosen)
                if allowed:
                    freed.append(replace(slot, days=allowed))
        return freed, chosen

    def by_enterprises(self, days: dict[int, int]) -> list[RequestSlot]:
        """Free a cluster of enterprises around a left-out request (or a random one)."""
        left_out = [s for s in self.requests if s.index not in days]
        seed_slot = self.rng.choice(left_out or self.requests)
        chosen = {seed_slot.enterprise}
        frontier = [seed_slot.enterprise]
        budget = _SLICE_LITERALS * self.rng.uniform(0.5, 1.2)
        used = sum(len(s.days) for s in self.by_enterprise[seed_slot.enterprise])
        while frontier and used < budget:
            enterprise = frontier.pop(0)
            units = sorted({s.unit for s in self.by_enterprise[enterprise]})
            self.rng.shuffle(units)
            for unit in units:
                neighbours = self.enterprises_of_unit[unit]
                for other in self.rng.sample(neighbours, min(len(neighbours), 4)):
                    if other not in chosen and used < budget:
                        chosen.add(other)
                        frontier.append(other)
                        used += sum(len(s.days) for s in self.by_enterprise[other])
        return [s for e in sorted(chosen) for s in self.by_enterprise[e]]


def _residual(
    slicing: _Slicing,
    days: dict[int, int],
    freed: set[int],
) -> tuple[list[list[int]], Caps, OfficerLoad | None]:
    """Capacity, caps and officers left by the rounds of the requests that stay where they are.

    A slice never shares a round with the rest (it frees whole days or whole
    enterprises), so the rest's rounds simply use their share of each cap.
    """
    caps, officers = slicing.caps, slicing.officers
    residual = [row[:] for row in slicing.capacity]
    visits: dict[tuple[int, int], list[int]] = defaultdict(list)
    joint_units: set[tuple[int, int, int]] = set()
    counted_rounds: set[tuple[int, int]] = set()
    counted_units: set[tuple[int, int, int]] = set()
    for slot in slicing.everyone:
        day = days.get(slot.index)
        if day is None or slot.index in freed:
            continue
        if slot.counted:
            counted_rounds.add((slot.enterprise, day))
            counted_units.add((slot.unit, slot.enterprise, day))
        if slot.joinable:
            key = (slot.unit, slot.enterprise, day)
            if key in joint_units:
                continue
            joint_units.add(key)
        residual[slot.unit][day] -= 1
        if officers is not None and officers.staffing.staffed(slot.unit):
            visits[slot.unit, day].append(slot.enterprise)
    if officers is not None:
        officers = officers.with_fixed(visits)
    if caps:
        pair_used = Counter((unit, enterprise) for unit, enterprise, _day in counted_units)
        enterprise_used = Counter(enterprise for enterprise, _day in counted_rounds)
        caps = caps.less(pair_used, enterprise_used)
    return residual, caps, officers


def _try_slice(
    slicing: _Slicing,
    freed: list[RequestSlot],
    days: dict[int, int],
    time_limit_s: float,
    seed: int,
    live: bool = False,
) -> bool:
    """Re-solve the freed requests with the rest of `days` fixed; keep the result if better.

    Updates `days` in place and says whether it changed. With `live`, improving
    solutions are reported while the slice is searched, not only at the end.
    """
    if slicing.stopped():
        return False
    freed_ids = {s.index for s in freed}
    residual = _residual(slicing, days, freed_ids)
    hint = {i: d for i, d in days.items() if i in freed_ids}
    watch = None
    if live:
        now = score(slicing.everyone, days)
        held = score(freed, hint)
        watch = ((now[0] - held[0], now[1] - held[1]), now)
    found = _solve_slice(slicing, freed, residual, hint, time_limit_s, seed, watch)
    if found is None or not better(score(freed, found), score(freed, hint)):
        return False
    for index in freed_ids:
        days.pop(index, None)
    days.update(found)
    return True


def improve_by_neighbourhoods(
    component: Component,
    capacity: list[list[int]],
    max_units_per_round: int,
    start: dict[int, int],
    settings: LnsSettings,
    report: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
    caps: Caps = NO_CAPS,
    officers: OfficerLoad | None = None,
) -> dict[int, int]:
    """Improve a valid assignment of one part until its time runs out.

    Args:
        component: The part's requests.
        capacity: Remaining capacity per unit and day index.
        max_units_per_round: Rule 4's limit.
        start: A valid assignment (request index to day index).
        settings: Time, seed and workers.
        report: Called with (priority, rounds) after each improvement.
        stop: Set from another thread to end early.
        caps: The caps of format 1.1 left for the part.
        officers: The officers of format 1.1, for the unit-days that recusals make hard.

    Returns:
        An assignment at least as good as `start`.
    """
    deadline = time.monotonic() + settings.time_limit_s
    rng = random.Random(settings.seed)
    draw = _Neighbourhoods(component.requests, rng)
    days = dict(start)
    everyone = component.requests
    slicing = _Slicing(
        everyone, capacity, max_units_per_round, settings, report, stop, caps, officers
    )
    if draw.literals <= _SLICE_LITERALS:
        # the whole part is one slice: a single exact solve is all there is to do, so it
        # reports its improvements as they come and ends when stopped, keeping the best
        if (
            _try_slice(slicing, everyone, days, settings.time_limit_s, settings.seed, live=True)
            and report is not None
        ):
            report(*score(everyone, days))
        return days
    move = 0
    while time.monotonic() < deadline - MIN_SOLVE_S and not slicing.stopped():
        move += 1
        freed = draw.by_days(days)[0] if move % 2 else draw.by_enterprises(days)
        limit = min(_SLICE_MAX_S, deadline - time.monotonic())
        if not freed or limit <= MIN_SOLVE_S:
            continue
        seed = rng.randrange(2**31)
        if _try_slice(slicing, freed, days, limit, seed) and report is not None:
            report(*score(everyone, days))
    return days


def sweep_enterprises(
    component: Component,
    capacity: list[list[int]],
    max_units_per_round: int,
    start: dict[int, int],
    settings: LnsSettings,
    stop: threading.Event | None = None,
    caps: Caps = NO_CAPS,
    officers: OfficerLoad | None = None,
) -> dict[int, int]:
    """Re-solve each enterprise alone, the others fixed, until a sweep changes nothing.

    Cheap and fast where a plan keeps its priority but scatters an enterprise's
    requests over many days, as a rounded LP does.
    """
    deadline = time.monotonic() + settings.time_limit_s
    slicing = _Slicing(
        component.requests,
        capacity,
        max_units_per_round,
        settings,
        stop=stop,
        caps=caps,
        officers=officers,
    )
    by_enterprise: dict[int, list[RequestSlot]] = defaultdict(list)
    for slot in component.requests:
        by_enterprise[slot.enterprise].append(slot)
    days = dict(start)
    improved = True
    while improved:
        improved = False
        for _enterprise, requests in sorted(by_enterprise.items()):
            if time.monotonic() > deadline or slicing.stopped():
                return days
            placed = [days[s.index] for s in requests if s.index in days]
            if len(placed) == len(requests) and len(set(placed)) == 1:
                continue  # everyone in one round already: nothing to gain
            improved |= _try_slice(slicing, requests, days, _SWEEP_ENTERPRISE_S, settings.seed)
    return days
