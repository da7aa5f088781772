"""The linear relaxation of one part: a proven bound (GLOP) and a guide (PDLP).

CP-SAT's own LP adds the model's constraints lazily and, on models of tens of
thousands of literals, takes minutes to reach the bound that a plain simplex
finds in a second or two. On realistic problems that bound is tight (the LP
optimum equals the best priority, rounded down), so it proves the priority
stage as soon as a plan reaches it.

The same LP with a small price on rounds is a guide: its request-day values
point at days that keep priority and merge well, which rounding turns into a
starting plan far better than a greedy on industrial areas where campaigns
crowd a few days.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict

from ortools.linear_solver import linear_solver_pb2, pywraplp

from inspection.solver.instance import Component
from inspection.solver.interrupt import halting_on
from inspection.solver.rules_instance import NO_CAPS, Caps, binding_caps

__all__ = ["Relaxation"]

# Price of a round in the guiding LP, in priority points: small, so priority still leads.
_ROUND_PRICE = 0.01
# PDLP's values are within its tolerance of the optimum: smaller ones are noise, not a day.
_GUIDE_NOISE = 1e-3
# MPSolver takes whole milliseconds and reads 0 as no limit: a tiny budget must stay a limit.
_MIN_TIME_LIMIT_MS = 1


class Relaxation:
    """The linear relaxation of one part's model.

    The variables mirror the CP-SAT model's (request-day, unit-at-round,
    round), except that a unit bringing one request to an enterprise uses that
    request's variable directly, which keeps the LP small. Setting `stop`
    interrupts a simplex under way, which then counts as out of time.
    """

    def __init__(
        self,
        component: Component,
        capacity: list[list[int]],
        max_units_per_round: int,
        stop: threading.Event | None = None,
        caps: Caps = NO_CAPS,
    ) -> None:
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover - GLOP ships with every OR-Tools build
            raise RuntimeError("GLOP is not available in this OR-Tools build")
        self._solver = solver
        self._stop = stop
        #: Request-day values of the priority bound's LP optimum, once it is solved.
        self.bound_values: dict[int, dict[int, float]] | None = None
        self.assign: dict[tuple[int, int], pywraplp.Variable] = {}
        self._joins: dict[tuple[int, int, int], pywraplp.Variable] = {}
        joint: dict[tuple[int, int], pywraplp.Variable] = {}
        load: dict[tuple[int, int], list[pywraplp.Variable]] = defaultdict(list)
        members: dict[tuple[int, int], list[pywraplp.Variable]] = defaultdict(list)
        solo: dict[tuple[int, int], list[pywraplp.Variable]] = defaultdict(list)
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for slot in component.requests:
            low = 1.0 if slot.fixed else 0.0  # a pinned round's own request stays in it
            for day in slot.days:
                self.assign[(slot.index, day)] = solver.NumVar(low, 1.0, "")
            solver.Add(solver.Sum([self.assign[(slot.index, d)] for d in slot.days]) <= 1)
            if slot.joinable:
                groups[(slot.unit, slot.enterprise)].append(slot.index)
            else:
                for day in slot.days:
                    load[(slot.unit, day)].append(self.assign[(slot.index, day)])
                    solo[(slot.enterprise, day)].append(self.assign[(slot.index, day)])
        slots = {slot.index: slot for slot in component.requests}
        for (unit, enterprise), indices in groups.items():
            for day in sorted({d for i in indices for d in slots[i].days}):
                key = (enterprise, day)
                if key not in joint:
                    joint[key] = solver.NumVar(0.0, 1.0, "")
                present = [self.assign[(i, day)] for i in indices if (i, day) in self.assign]
                if len(indices) == 1:
                    joins = present[0]
                else:
                    joins = solver.NumVar(0.0, 1.0, "")
                    for literal in present:
                        solver.Add(literal <= joins)
                solver.Add(joins <= joint[key])
                self._joins[(unit, enterprise, day)] = joins
                load[(unit, day)].append(joins)
                members[key].append(joins)
        for key, units in members.items():
            if len(units) > max_units_per_round:
                solver.Add(solver.Sum(units) <= max_units_per_round * joint[key])
        for key in set(solo) | set(joint):
            terms = [*solo.get(key, ()), *([joint[key]] if key in joint else [])]
            if len(terms) > 1:
                solver.Add(solver.Sum(terms) <= 1)
        for (unit, day), terms in load.items():
            if len(terms) > capacity[unit][day]:
                solver.Add(solver.Sum(terms) <= capacity[unit][day])
        self._joint = joint
        self._add_caps(component, caps)
        self._priority = solver.Sum([slots[i].priority * v for (i, _day), v in self.assign.items()])
        self._rounds = solver.Sum(
            [*joint.values()] + [v for (i, _day), v in self.assign.items() if not slots[i].joinable]
        )

    def _add_caps(self, component: Component, caps: Caps) -> None:
        """Rule 9 as in the CP-SAT model (:func:`~inspection.solver.rules_instance.binding_caps`).

        Per cap and day, the round's own variables where every request that may take
        the day is counted (they are also tied to the units per round), else an
        indicator at least each member's value.
        """
        for cap in binding_caps(component.requests, caps):
            terms = []
            for cap_day in cap.days:
                day = cap_day.day
                if cap_day.exact:
                    if cap.unit is None:
                        own = self._joint.get((cap.enterprise, day))
                    else:
                        own = self._joins.get((cap.unit, cap.enterprise, day))
                    terms.extend([own] if own is not None else [])
                    terms.extend(self.assign[(i, day)] for i in cap_day.solos)
                elif len(cap_day.members) == 1:
                    terms.append(self.assign[(cap_day.members[0], day)])
                else:
                    indicator = self._solver.NumVar(0.0, 1.0, "")
                    for index in cap_day.members:
                        self._solver.Add(self.assign[(index, day)] <= indicator)
                    terms.append(indicator)
            self._solver.Add(self._solver.Sum(terms) <= cap.remaining)

    def _solve(self, time_limit_s: float) -> bool:
        if self._stop is not None and self._stop.is_set():
            return False
        self._solver.SetTimeLimit(max(_MIN_TIME_LIMIT_MS, int(time_limit_s * 1000)))
        with halting_on(self._stop, self._solver.InterruptSolve):
            return bool(self._solver.Solve() == pywraplp.Solver.OPTIMAL)

    def priority_bound(self, time_limit_s: float) -> int | None:
        """The best scheduled priority any plan of the part can reach, or None if out of time.

        The request-day values of that optimum are kept as :attr:`bound_values`: a
        guide of last resort should the priced LP run out of time.
        """
        self._solver.Maximize(self._priority)
        if not self._solve(time_limit_s):
            return None
        self.bound_values = self._values()
        # the simplex works in floating point; the margin only ever loosens the bound
        return math.floor(float(self._solver.Objective().Value()) + 1e-3)

    def guide(self, time_limit_s: float) -> dict[int, dict[int, float]] | None:
        """Request-day values of the LP with a small price on rounds, or None if out of time.

        Solved with PDLP, a first-order method, on a copy of the LP: with the price on
        rounds the LP is highly degenerate and the simplex takes half a minute on an
        industrial month (27 s on H, seed 1), where PDLP reaches its tolerance in about
        3 s. A guide only needs the values roughly; the bound stays GLOP's, exact.
        """
        if self._stop is not None and self._stop.is_set():
            return None
        self._solver.Maximize(self._priority - _ROUND_PRICE * self._rounds)
        proto = linear_solver_pb2.MPModelProto()
        self._solver.ExportModelToProto(proto)
        first_order = pywraplp.Solver.CreateSolver("PDLP")
        if first_order is None or first_order.LoadModelFromProto(proto):
            return None  # pragma: no cover - PDLP ships with every OR-Tools build
        first_order.SetTimeLimit(max(_MIN_TIME_LIMIT_MS, int(time_limit_s * 1000)))
        with halting_on(self._stop, first_order.InterruptSolve):
            status = first_order.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            return None
        copies = first_order.variables()
        values: dict[int, dict[int, float]] = defaultdict(dict)
        for (index, day), variable in self.assign.items():
            value = float(copies[variable.index()].solution_value())
            if value > _GUIDE_NOISE:
                values[index][day] = min(1.0, value)
        return dict(values)

    def _values(self) -> dict[int, dict[int, float]]:
        values: dict[int, dict[int, float]] = defaultdict(dict)
        for (index, day), variable in self.assign.items():
            value = float(variable.solution_value())
            if value > 1e-6:
                values[index][day] = value
        return dict(values)
