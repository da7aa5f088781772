"""A problem cut into parts by enterprise, and the parts' plans put back together.

A province's problem falls apart into its districts: every request belongs to one
enterprise, and an enterprise to one district. What joins two districts is a unit that
works in both (a city's 市场监管局): its capacity of a day, and its officers, are shared
out between them before the parts are solved apart (the service does the sharing), so
the parts' plans can be concatenated into a plan of the whole that books no unit and
no officer beyond what it has. The seams are then repaired: what a shared unit did not
use of its share in one district is offered to the requests it left out in another
(:func:`seam_problem`, :func:`with_seam`).

Bounds of the whole (:func:`merge`): a part's own bound is for its share of the shared
units, not for the district in the whole, so a part with shared units contributes the
bound of its *relaxed* model (the district with the shared units at all they have left):
any plan of the whole, restricted to the district, is a plan of that model. The sum over
districts is then a valid bound of the whole.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from inspection.solver.bounds import rounds_lower_bound
from inspection.solver.options import Progress, SolveOptions
from inspection.solver.reasons import SENTENCES, ReasonCode
from inspection.solver.schema import Problem, Round, Solution, Statistics, Unscheduled
from inspection.solver.schema_rules import Caps
from inspection.solver.schema_solution import SolveStatus
from inspection.solver.solve import solve, statistics_of

__all__ = [
    "PartBounds",
    "merge",
    "pins_at",
    "repair_seams",
    "restrict",
    "seam_problem",
    "solve_part",
    "with_seam",
]

# The relaxed model of a part is solved for its bounds only: this share of the part's time.
RELAXED_SHARE = 0.1
_MIN_RELAXED_S = 0.5


class PartBounds(BaseModel):
    """What one part contributes to the bounds of the whole."""

    model_config = ConfigDict(frozen=True)

    priority_upper_bound: int
    rounds_lower_bound_proven: int
    relaxed: bool = False


def restrict(
    problem: Problem,
    enterprises: Collection[str],
    *,
    capacities: Mapping[tuple[str, date], int] | None = None,
    busy: Collection[tuple[str, date]] = (),
) -> Problem:
    """The problem of `enterprises` alone: their requests, the units and officers asked.

    Args:
        capacities: (unit, day) → the rounds the unit may join that day here, replacing
            what the problem says (a unit's share of a day).
        busy: (officer, day) pairs on which the officer is not free here.
    """
    kept = set(enterprises)
    requests = tuple(r for r in problem.requests if r.enterprise in kept)
    asked = {r.unit for r in requests}
    by_unit: dict[str, dict[date, int]] = defaultdict(dict)
    for (unit_id, day), capacity in (capacities or {}).items():
        by_unit[unit_id][day] = capacity
    units = []
    for unit in problem.units:
        if unit.id not in asked:
            continue
        overrides = by_unit.get(unit.id)
        if overrides:
            units.append(
                unit.model_copy(
                    update={"capacity_by_date": {**(unit.capacity_by_date or {}), **overrides}}
                )
            )
        else:
            units.append(unit)
    taken: dict[str, set[date]] = defaultdict(set)
    for officer_id, day in busy:
        taken[officer_id].add(day)
    officers = tuple(
        officer.model_copy(
            update={
                "days_off": tuple(sorted(set(officer.days_off) | taken[officer.id])),
                "recusals": tuple(e for e in officer.recusals if e in kept),
            }
        )
        for officer in problem.officers
        if officer.unit in asked
    )
    rules = problem.rules
    if rules is not None:
        caps = rules.caps
        rules = rules.model_copy(
            update={
                "caps": Caps(
                    exempt_categories=caps.exempt_categories,
                    unit_enterprise=tuple(
                        c for c in caps.unit_enterprise if c.enterprise in kept and c.unit in asked
                    ),
                    enterprise=tuple(c for c in caps.enterprise if c.enterprise in kept),
                )
            }
        )
    return problem.model_copy(
        update={
            "units": tuple(units),
            "enterprises": tuple(e for e in problem.enterprises if e.id in kept),
            "requests": requests,
            "officers": officers,
            "rules": rules,
        }
    )


def pins_at(pinned: Sequence[Round], enterprises: Collection[str]) -> tuple[Round, ...]:
    """The pinned rounds held at `enterprises`."""
    kept = set(enterprises)
    return tuple(r for r in pinned if r.enterprise in kept)


def _statistics(
    problem: Problem, rounds: Sequence[Round], bounds: Sequence[PartBounds]
) -> Statistics:
    priority_of = {r.id: r.priority for r in problem.requests}
    scheduled = {request for round_ in rounds for request in round_.requests}
    priority = sum(priority_of[r] for r in scheduled)
    priority_bound = max(priority, sum(b.priority_upper_bound for b in bounds))
    format_bound = rounds_lower_bound(problem, scheduled)
    proven = min(len(rounds), sum(b.rounds_lower_bound_proven for b in bounds))
    return statistics_of(
        problem, len(scheduled), len(rounds), priority, priority_bound, format_bound, proven
    )


def _status(
    every: Sequence[SolveStatus | None], statistics: Statistics, stopped: bool
) -> SolveStatus:
    """The merged plan's status: optimal only when the whole's figures prove it (a part
    optimal on its share of a unit's day is not: another share might have done better)."""
    if stopped or "stopped" in every:
        return "stopped"
    if statistics.priority_optimal and statistics.rounds_optimal:
        return "optimal"
    return "feasible"


def merge(
    problem: Problem,
    parts: Sequence[Solution],
    bounds: Sequence[PartBounds],
    *,
    stopped: bool = False,
    wall_time_s: float | None = None,
) -> Solution:
    """The plan of the whole from the plans of its parts (each enterprise in one part).

    Rounds and left-out requests are concatenated; the statistics are those of the whole,
    with the bounds summed over the parts (see the module's docstring).

    Raises:
        ValueError: a request of the problem is in no part's plan, or in two.
    """
    rounds = [r for part in parts for r in part.rounds]
    unscheduled = [u for part in parts for u in part.unscheduled]
    seen = [request for round_ in rounds for request in round_.requests]
    seen.extend(u.request for u in unscheduled)
    if len(seen) != len(problem.requests) or set(seen) != {r.id for r in problem.requests}:
        raise ValueError("the parts' plans do not cover every request exactly once")
    statistics = _statistics(problem, rounds, bounds)
    first = parts[0] if parts else None
    return Solution(
        format=problem.solution_format,  # type: ignore[arg-type]
        draw_seed=first.draw_seed if first is not None else None,
        status=_status([part.status for part in parts], statistics, stopped),
        rounds=tuple(sorted(rounds, key=lambda r: (r.date, r.enterprise, r.requests))),
        unscheduled=tuple(sorted(unscheduled, key=lambda u: u.request)),
        statistics=statistics,
        wall_time_s=wall_time_s,
        provenance=first.provenance if first is not None else None,
    )


def seam_problem(
    problem: Problem, solution: Solution, shared_units: Collection[str]
) -> tuple[Problem, tuple[Round, ...]] | None:
    """The small problem that repairs the seams of a merged plan, with its pinned rounds.

    Its enterprises are those where a request of a shared unit was left out; it holds all
    their requests, their rounds pinned (open: a left-out request may join one), and each
    unit's capacity less what the plan uses of it at other enterprises (its officers drawn
    elsewhere on a day are not free that day). Solved with the pins open, its plan keeps
    every round and may add requests: it is never worse than the merged plan there.
    None when no request of a shared unit was left out.
    """
    shared = set(shared_units)
    unit_of = {r.id: r.unit for r in problem.requests}
    enterprise_of = {r.id: r.enterprise for r in problem.requests}
    seam = {enterprise_of[u.request] for u in solution.unscheduled if unit_of[u.request] in shared}
    if not seam:
        return None
    used: dict[tuple[str, date], int] = defaultdict(int)
    busy: set[tuple[str, date]] = set()
    for round_ in solution.rounds:
        if round_.enterprise in seam:
            continue
        for unit in {unit_of[r] for r in round_.requests}:
            used[(unit, round_.date)] += 1
        for officers in (round_.officers or {}).values():
            busy.update((officer, round_.date) for officer in officers)
    unit_by_id = {unit.id: unit for unit in problem.units}
    capacities = {
        (unit_id, day): max(0, unit_by_id[unit_id].capacity_on(day) - count)
        for (unit_id, day), count in used.items()
    }
    part = restrict(problem, seam, capacities=capacities, busy=busy)
    return part, tuple(r for r in solution.rounds if r.enterprise in seam)


def with_seam(
    problem: Problem,
    solution: Solution,
    seam: Problem,
    repaired: Solution,
    bounds: Sequence[PartBounds],
) -> Solution:
    """The merged plan with its seam enterprises' rounds and left-outs taken from `repaired`,
    and the statistics of the whole recomputed (the bounds are the parts' still)."""
    at = {e.id for e in seam.enterprises}
    in_seam = {r.id for r in seam.requests}
    rounds = [r for r in solution.rounds if r.enterprise not in at] + list(repaired.rounds)
    unscheduled = [u for u in solution.unscheduled if u.request not in in_seam]
    unscheduled.extend(repaired.unscheduled)
    statistics = _statistics(problem, rounds, bounds)
    return solution.model_copy(
        update={
            "rounds": tuple(sorted(rounds, key=lambda r: (r.date, r.enterprise, r.requests))),
            "unscheduled": tuple(sorted(unscheduled, key=lambda u: u.request)),
            "statistics": statistics,
            "status": _status([solution.status], statistics, solution.status == "stopped"),
        }
    )


def _shared_out(solution: Solution, narrowed: Problem, wide: Problem) -> Solution:
    """The plan of a narrowed problem (a share of a unit's day, what the seams leave) with
    "the unit's days off" said as "its capacity is full" where the unit is not off in `wide`.

    A share of none looks like a day off to the narrowed problem, but the unit worked that
    day, elsewhere: a coordinator must read that its capacity was used, not that it rested.
    """
    days_off = ReasonCode.UNIT_DAYS_OFF.value
    if not any(u.code == days_off for u in solution.unscheduled):
        return solution
    request_by_id = {r.id: r for r in narrowed.requests}
    narrow_units = {u.id: u for u in narrowed.units}
    wide_units = {u.id: u for u in wide.units}
    full = Unscheduled(
        request="-",
        reason=SENTENCES[ReasonCode.UNIT_CAPACITY_FULL],
        code=ReasonCode.UNIT_CAPACITY_FULL.value,
    )

    def shared_out(request_id: str) -> bool:
        request = request_by_id[request_id]
        narrow, broad = narrow_units[request.unit], wide_units[request.unit]
        day = max(request.earliest, narrowed.horizon.start)
        while day <= min(request.latest, narrowed.horizon.end):
            if narrow.capacity_on(day) == 0 and broad.capacity_on(day) > 0:
                return True
            day = date.fromordinal(day.toordinal() + 1)
        return False

    unscheduled = tuple(
        full.model_copy(update={"request": u.request})
        if u.code == days_off and shared_out(u.request)
        else u
        for u in solution.unscheduled
    )
    return solution.model_copy(update={"unscheduled": unscheduled})


def solve_part(
    problem: Problem,
    options: SolveOptions,
    relaxed: Problem | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[Solution, PartBounds]:
    """Solve one part, and (when it has shared units) its relaxed model for the bounds.

    The part's plan is its own solve's (on the shares); its bounds are that solve's when
    `relaxed` is None, else those of a short solve of `relaxed` (the district with the
    shared units at all they have left), `RELAXED_SHARE` of the time on top.
    """
    solution = solve(problem, options, on_progress=on_progress, stop=stop)
    stats = solution.statistics
    priority = stats.scheduled_priority if stats is not None else 0
    if relaxed is None:
        if stats is None:  # pins in conflict: no plan, so no bound tighter than everything
            total = sum(r.priority for r in problem.requests)
            return solution, PartBounds(priority_upper_bound=total, rounds_lower_bound_proven=0)
        bounds = PartBounds(
            priority_upper_bound=stats.priority_upper_bound,
            rounds_lower_bound_proven=stats.rounds_lower_bound_proven,
        )
        return solution, bounds
    solution = _shared_out(solution, problem, relaxed)
    limit = max(_MIN_RELAXED_S, options.time_limit_s * RELAXED_SHARE)
    loose = solve(relaxed, options.model_copy(update={"time_limit_s": limit}), stop=stop)
    figures = loose.statistics
    if figures is None:
        total = sum(r.priority for r in relaxed.requests)
        return solution, PartBounds(
            priority_upper_bound=total, rounds_lower_bound_proven=0, relaxed=True
        )
    # the relaxed model's rounds bound holds for plans reaching its priority: for the part's
    # plan only when that is no more than the part's (else a plan of less priority may well
    # use fewer rounds, and the part adds nothing to the proven rounds bound)
    rounds_bound = (
        figures.rounds_lower_bound_proven if priority >= figures.scheduled_priority else 0
    )
    return solution, PartBounds(
        priority_upper_bound=max(priority, figures.priority_upper_bound),
        rounds_lower_bound_proven=rounds_bound,
        relaxed=True,
    )


def repair_seams(
    problem: Problem,
    merged: Solution,
    shared_units: Collection[str],
    bounds: Sequence[PartBounds],
    options: SolveOptions,
    *,
    stop: threading.Event | None = None,
) -> Solution:
    """The merged plan with what the shared units left unused offered to their left-outs.

    The seam problem (:func:`seam_problem`) is solved with every round it holds pinned and
    open, so the result keeps every round of the merged plan and can only add requests.
    """
    found = seam_problem(problem, merged, shared_units)
    if found is None:
        return merged
    seam, pins = found
    repaired = solve(
        seam,
        options.model_copy(update={"pinned": pins, "open_pins": True, "hint": None}),
        stop=stop,
    )
    if repaired.status == "infeasible":  # cannot happen for a valid merged plan; keep it
        return merged
    return with_seam(problem, merged, seam, _shared_out(repaired, seam, problem), bounds)
