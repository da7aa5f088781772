"""Reference: a MIP of the solver's model, solved lexicographically by SCIP or HiGHS.

Run by hand (not part of the tests)::

    .venv/bin/python bench/mip_reference.py --preset H --seed 1 --time-limit 300
    .venv/bin/python bench/mip_reference.py --problem problem.json --backend HIGHS
    .venv/bin/python bench/mip_reference.py --preset H --rules --seed 1 --time-limit 300
    .venv/bin/python bench/mip_reference.py --preset S --rules --scale 0.1 --exact-officers

The same model as the CP-SAT one in ``src/inspection/solver/`` (rules 0-6 of
the interchange format, version 1), written as a mixed-integer programme
through OR-Tools' ``pywraplp``:

- ``x[r, d]``: request ``r`` is visited on working day ``d`` (its feasible days only:
  inside its window and the horizon, a working day, not a blackout day of its
  enterprise, a day its unit has capacity; the solver's own indexing,
  :func:`inspection.solver.instance.build_instance`, gives them);
- ``y[e, d]``: enterprise ``e`` has a joint round on ``d``;
- ``z[u, e, d]``: unit ``u`` joins that round (``x`` itself where the unit has a single
  joinable request at the enterprise).

Constraints: each request at most once; a joinable request's day brings its
unit into the round, and a unit joins only a round that exists and only with a
request; a round holds a request; a non-joinable request is alone on its
enterprise's day (with any joint round); at most ``max_units_per_round`` units
per round (``sum z <= M * y``); each unit's rounds per day within its capacity.

Stage one maximises scheduled priority; stage two fixes priority at stage one's
best and minimises rounds (joint rounds plus non-joinable requests scheduled),
starting from stage one's plan. Each stage has its time limit. The plan is
rebuilt from ``x`` alone and validated by the independent checker
(:func:`inspection.solver.check`); a plan it rejects aborts the run. Pinned
rounds are not modelled (the benchmark problems have none).

A 1.1 problem (``--rules`` generates one) adds rules 7-10, written from the
format document in :mod:`mip_rules`: quiet days and the no-disturb list take
variables away, the caps add a row per entry, and the officers either an
aggregate per unit and day (the default: a relaxation, so stage one's bound is
a bound on lawful plans) or, with ``--exact-officers``, officer-to-round
variables. The plan's officers are drawn with
:func:`inspection.solver.officers.draw_officers` (``--draw-seed``) before the
check; an aggregate plan that cannot be staffed is reported (``staffed``,
``staffing``), not fatal. A version 1 problem gets exactly the model above.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from ortools.linear_solver import pywraplp

from inspection.solver.instance import build_instance
from inspection.solver.schema import Problem, Round, Solution, Unscheduled
from mip_rules import CheckedPlan, RulesOfProblem, add_caps, add_exact_officers, staff_and_check

__all__ = ["MipResult", "main", "solve_mip", "solve_mip_plan"]

BACKENDS = ("SCIP", "HIGHS")


@dataclass(frozen=True, slots=True)
class MipResult:
    """What the MIP proved and found, stage by stage.

    Attributes:
        backend: ``SCIP`` or ``HIGHS``.
        requests: Requests of the problem.
        priority: Scheduled priority of the best plan (checked).
        priority_bound: Proven upper bound on scheduled priority.
        priority_proven: Stage one ended optimal (``priority == priority_bound``).
        rounds: Rounds of the best plan at that priority (checked).
        rounds_bound: Proven lower bound on rounds among plans reaching `priority`.
        rounds_proven: Stage two ended optimal.
        stage_one_s: Wall time of stage one (model building included).
        stage_two_s: Wall time of stage two.
        variables: Columns of the MIP.
        constraints: Rows of the MIP.
        officers_model: How rule 10 is modelled: ``none`` (no unit has officers, as in
            version 1), ``aggregate`` (a relaxation) or ``exact``.
        stage_one_staffed: Stage one's plan got its officers drawn (always, but for the
            aggregate, whose plan may not be staffable: then `priority` is the
            relaxation's, not a lawful plan's, and `priority_bound` still bounds).
        staffed: Stage two's plan (the reported `rounds`) got its officers drawn.
        staffing: Why a plan could not be staffed, or ``""``.
    """

    backend: str
    requests: int
    priority: int
    priority_bound: int
    priority_proven: bool
    rounds: int
    rounds_bound: int
    rounds_proven: bool
    stage_one_s: float
    stage_two_s: float
    variables: int
    constraints: int
    officers_model: str = "none"
    stage_one_staffed: bool = True
    staffed: bool = True
    staffing: str = ""


class _Model:
    """The MIP of one problem and the plan its variables stand for."""

    def __init__(
        self, problem: Problem, backend: str, exact_officers: bool = False, draw_seed: int = 0
    ) -> None:
        solver = pywraplp.Solver.CreateSolver(backend)
        if solver is None:
            raise SystemExit(f"OR-Tools has no {backend} backend here")
        self.solver = solver
        self.problem = problem
        self.instance = instance = build_instance(problem)
        if instance.pin_conflicts:
            raise SystemExit("the problem's pins conflict")
        self.rules = rules = RulesOfProblem(problem, instance)
        self.exact_officers = exact_officers and bool(rules.officers)
        self.draw_seed = draw_seed
        self.x: dict[tuple[int, int], pywraplp.Variable] = {}
        self.rounds_terms: list[pywraplp.Variable] = []
        priority_terms: list[tuple[int, pywraplp.Variable]] = []
        joinable: dict[tuple[int, int], list[int]] = defaultdict(list)
        solo: dict[tuple[int, int], list[pywraplp.Variable]] = defaultdict(list)
        load: dict[tuple[int, int], list[pywraplp.Variable]] = defaultdict(list)
        # rules 7, 8 and 10's eligibility take days away (none in version 1)
        days_of = {index: rules.days(index, slot) for index, slot in instance.slots.items()}
        for index, slot in instance.slots.items():
            if not days_of[index]:
                continue
            own = []
            for day in days_of[index]:
                variable = solver.BoolVar(f"x_{index}_{day}")
                self.x[(index, day)] = variable
                own.append(variable)
                priority_terms.append((slot.priority, variable))
                if not slot.joinable:
                    solo[(slot.enterprise, day)].append(variable)
                    load[(slot.unit, day)].append(variable)
                    self.rounds_terms.append(variable)
            solver.Add(solver.Sum(own) <= 1)
            if slot.joinable:
                joinable[(slot.unit, slot.enterprise)].append(index)

        y: dict[tuple[int, int], pywraplp.Variable] = {}
        self.joins: dict[tuple[int, int, int], pywraplp.Variable] = {}
        members: dict[tuple[int, int], list[pywraplp.Variable]] = defaultdict(list)
        for (unit, enterprise), indices in joinable.items():
            days = sorted({d for i in indices for d in days_of[i]})
            for day in days:
                key = (enterprise, day)
                if key not in y:
                    y[key] = solver.BoolVar(f"y_{enterprise}_{day}")
                present = [self.x[(i, day)] for i in indices if (i, day) in self.x]
                if len(indices) == 1:
                    joins = present[0]
                else:
                    joins = solver.BoolVar(f"z_{unit}_{enterprise}_{day}")
                    for literal in present:
                        solver.Add(literal <= joins)
                    solver.Add(joins <= solver.Sum(present))
                solver.Add(joins <= y[key])
                members[key].append(joins)
                load[(unit, day)].append(joins)
                self.joins[(unit, enterprise, day)] = joins
        limit = problem.max_units_per_round
        for key, round_var in y.items():
            solver.Add(round_var <= solver.Sum(members[key]))  # no empty round
            if len(members[key]) > limit:
                solver.Add(solver.Sum(members[key]) <= limit * round_var)
            if key in solo:
                solver.Add(solver.Sum([*solo[key], round_var]) <= 1)
        for key, literals in solo.items():
            if key not in y and len(literals) > 1:
                solver.Add(solver.Sum(literals) <= 1)
        for (unit, day), literals in load.items():
            # the officers' aggregate (a relaxation of rule 10, implied by the exact rows)
            cap = rules.capacity(unit, day, instance.capacity[unit][day])
            if len(literals) > cap:
                solver.Add(solver.Sum(literals) <= cap)
        self.rounds_terms.extend(y.values())
        self.priority = solver.Sum([p * v for p, v in priority_terms])
        add_caps(solver, rules, instance.slots, self.x, y)
        if self.exact_officers:
            add_exact_officers(solver, rules, instance.slots, self.x, self.joins)

    def solve(self, limit_s: float) -> tuple[int, float, float]:
        """Solve the current objective; return the status, objective value and bound."""
        self.solver.SetTimeLimit(int(limit_s * 1000))
        status = self.solver.Solve()
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            raise SystemExit(f"the MIP found no plan (status {status})")
        objective = self.solver.Objective()
        return status, objective.Value(), objective.BestBound()

    def days(self) -> dict[int, int]:
        """The request-to-day assignment of the current solution."""
        return {index: day for (index, day), v in self.x.items() if v.solution_value() > 0.5}

    def hint(self, days: dict[int, int]) -> None:
        """Start the next solve from `days`."""
        variables = list(self.x.values())
        values = [1.0 if days.get(i) == d else 0.0 for (i, d) in self.x]
        self.solver.SetHint(variables, values)

    def solution(self, days: dict[int, int]) -> Solution:
        """The plan of an assignment: one round per enterprise-day, one per non-joinable request."""
        problem, instance = self.problem, self.instance
        groups: dict[tuple[int, int], list[str]] = defaultdict(list)
        rounds: list[Round] = []
        for index, day in sorted(days.items()):
            slot = instance.slots[index]
            request = problem.requests[index]
            if slot.joinable:
                groups[(slot.enterprise, day)].append(request.id)
            else:
                rounds.append(_round(problem, instance.days[day], slot.enterprise, [request.id]))
        for (enterprise, day), ids in sorted(groups.items()):
            rounds.append(_round(problem, instance.days[day], enterprise, ids))
        left_out = [r.id for i, r in enumerate(problem.requests) if i not in days]
        return Solution(
            format=problem.solution_format,  # type: ignore[arg-type]
            draw_seed=self.draw_seed if problem.is_1_1 else None,
            rounds=tuple(rounds),
            unscheduled=tuple(
                Unscheduled(request=r, reason="not scheduled by the MIP") for r in left_out
            ),
        )


def _round(problem: Problem, day: object, enterprise: int, ids: list[str]) -> Round:
    return Round.model_validate(
        {"enterprise": problem.enterprises[enterprise].id, "date": day, "requests": ids}
    )


def _checked(model: _Model, days: dict[int, int]) -> CheckedPlan:
    return staff_and_check(
        model.problem, model.solution(days), model.draw_seed, exact=model.exact_officers
    )


def solve_mip(
    problem: Problem,
    time_limit_s: float,
    backend: str = "SCIP",
    log: bool = False,
    rounds_time_limit_s: float | None = None,
    *,
    exact_officers: bool = False,
    draw_seed: int = 0,
) -> MipResult:
    """Solve `problem` lexicographically: priority within `time_limit_s`, then rounds.

    Stage two (rounds) gets `rounds_time_limit_s`, by default the same limit.
    `exact_officers` models rule 10 with officer-to-round variables instead of the
    aggregate (small problems only); `draw_seed` seeds the officers' draw of a 1.1 plan.

    Raises:
        SystemExit: The backend is missing, no plan was found, or a plan fails the checker.
    """
    return solve_mip_plan(
        problem,
        time_limit_s,
        backend,
        log,
        rounds_time_limit_s,
        exact_officers=exact_officers,
        draw_seed=draw_seed,
    )[0]


def solve_mip_plan(
    problem: Problem,
    time_limit_s: float,
    backend: str = "SCIP",
    log: bool = False,
    rounds_time_limit_s: float | None = None,
    *,
    exact_officers: bool = False,
    draw_seed: int = 0,
) -> tuple[MipResult, Solution]:
    """Like :func:`solve_mip`, also returning stage two's plan (officers drawn when staffed)."""
    started = time.monotonic()
    model = _Model(problem, backend, exact_officers, draw_seed)
    solver = model.solver
    if log:
        solver.EnableOutput()
    solver.Maximize(model.priority)
    status, _value, bound = model.solve(time_limit_s)
    days = model.days()
    first = _checked(model, days)
    priority = first.priority
    # priorities are integers: a bound of 2910.0000001 proves 2910
    priority_bound = max(priority, int(bound + 1e-6))
    priority_proven = status == pywraplp.Solver.OPTIMAL or priority >= priority_bound
    stage_one_s = time.monotonic() - started

    started = time.monotonic()
    solver.Add(model.priority >= priority)
    solver.Minimize(solver.Sum(model.rounds_terms))
    model.hint(days)
    status, _value, bound = model.solve(rounds_time_limit_s or time_limit_s)
    found = model.days()
    second = _checked(model, found)
    if second.priority < priority:
        raise SystemExit("stage two lost priority")
    rounds = second.rounds
    rounds_bound = min(rounds, math.ceil(bound - 1e-6))  # rounds are integers too
    result = MipResult(
        backend=backend,
        requests=len(problem.requests),
        priority=priority,
        priority_bound=priority_bound,
        priority_proven=priority_proven,
        rounds=rounds,
        rounds_bound=rounds_bound,
        rounds_proven=status == pywraplp.Solver.OPTIMAL or rounds <= rounds_bound,
        stage_one_s=round(stage_one_s, 1),
        stage_two_s=round(time.monotonic() - started, 1),
        variables=solver.NumVariables(),
        constraints=solver.NumConstraints(),
        officers_model=_officers_model(model),
        stage_one_staffed=first.staffed,
        staffed=second.staffed,
        staffing="; ".join(dict.fromkeys(n for n in (first.staffing, second.staffing) if n)),
    )
    return result, second.solution


def _officers_model(model: _Model) -> str:
    if not model.rules.officers:
        return "none"
    return "exact" if model.exact_officers else "aggregate"


def main(argv: list[str] | None = None) -> None:
    """Solve one problem (generated or from a file) and print what was proven, as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--preset")
    source.add_argument("--problem", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds per stage")
    parser.add_argument("--rounds-time-limit", type=float, help="seconds of stage two")
    parser.add_argument("--backend", choices=BACKENDS, default="SCIP")
    parser.add_argument("--log", action="store_true", help="print the backend's search log")
    parser.add_argument("--rules", action="store_true", help="generate a 1.1 problem (--preset)")
    parser.add_argument(
        "--exact-officers", action="store_true", help="officer-to-round variables (small problems)"
    )
    parser.add_argument("--draw-seed", type=int, default=0, help="seed of the officers' draw")
    args = parser.parse_args(argv)
    if args.preset:
        from inspection.generator import generate

        problem = generate(args.preset, args.seed, scale=args.scale, rules=args.rules)
    else:
        problem = Problem.model_validate_json(args.problem.read_text(encoding="utf-8"))
    result = solve_mip(
        problem,
        args.time_limit,
        args.backend,
        args.log,
        args.rounds_time_limit,
        exact_officers=args.exact_officers,
        draw_seed=args.draw_seed,
    )
    print(json.dumps(asdict(result)))


if __name__ == "__main__":
    main()
