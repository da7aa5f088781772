"""`solve(problem, options) -> Solution`: the planning core's one entry point.

The problem is indexed, split into independent parts, each part is started
from the better of the greedy plan and the caller's hint, and searched with
CP-SAT in two lexicographic stages. Whatever still fits afterwards is
inserted, every request left out gets its reason, and the result states the
bounds that were proven so a reader knows how far from perfect it can be.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version

from inspection import __version__
from inspection.solver.assemble import rounds_of
from inspection.solver.check import rounds_lower_bound
from inspection.solver.greedy import greedy_plan
from inspection.solver.instance import Component, Instance, build_instance
from inspection.solver.objective import better, score
from inspection.solver.occupancy import Occupancy
from inspection.solver.officers import draw_officers
from inspection.solver.options import Progress, SolveOptions
from inspection.solver.reasons import ReasonCode, explain_left_out, explain_pin_conflicts
from inspection.solver.repair import repair_staffing
from inspection.solver.rules_instance import OfficerLoad
from inspection.solver.schema import (
    Problem,
    Provenance,
    Round,
    Solution,
    SolveStatus,
    Statistics,
    Unscheduled,
)
from inspection.solver.search import LiveFigures, SearchSettings, solve_component

__all__ = ["solve", "statistics_of"]

# Independent parts smaller than this are solved together: one model per tiny part costs more
# in set-up than in search.
_BATCH_REQUESTS = 400
# Building a part's models (CP-SAT's, the LP's, the hint) costs about this much per literal:
# 7.4-9.1e-5 s measured on H, H with the rules, M, L and five XL districts alike (one core,
# load 1; bench/README.md "Set-up per literal"). A part whose budget would not cover twice
# that, plus a small floor, keeps its starting plan rather than overrun the limit.
_SET_UP_S_PER_LITERAL = 9e-5
_SET_UP_MARGIN = 2  # a part is searched only if building its models takes at most half its time
_MIN_PART_BUDGET_S = 0.02  # the floor: even a part of a few literals gets no search below it
# Wall time kept back for assembling the solution after the search.
_ASSEMBLY_RESERVE = 0.04


@dataclass(slots=True)
class _PartFigures:
    priority: int
    priority_bound: int
    rounds: int
    rounds_bound: int


def _batched(parts: list[Component]) -> list[Component]:
    """Merge small independent parts into batches; smallest first, so leftover time flows on."""
    ordered = sorted(parts, key=lambda p: (len(p.requests), p.requests[0].index))
    batches: list[Component] = []
    current = Component()
    for part in ordered:
        if len(part.requests) >= _BATCH_REQUESTS:
            batches.append(part)
            continue
        current.requests.extend(part.requests)
        if len(current.requests) >= _BATCH_REQUESTS:
            batches.append(current)
            current = Component()
    if current.requests:
        batches.append(current)
    return sorted(batches, key=lambda p: len(p.requests))


def _plan_days(instance: Instance, rounds: tuple[Round, ...] | list[Round]) -> dict[int, int]:
    """A valid assignment from a plan's rounds: what still fits is kept, then gaps are filled."""
    day_index = {d: i for i, d in enumerate(instance.days)}
    occupancy = Occupancy.of(instance)
    occupancy.place_fixed(instance.slots.values())
    for round_ in sorted(rounds, key=lambda r: (r.date, r.enterprise)):
        day = day_index.get(round_.date)
        for request_id in round_.requests:
            slot = instance.slots.get(instance.request_index.get(request_id, -1))
            if slot is None or slot.fixed or day is None or day not in slot.days:
                continue
            if occupancy.blocker(slot, day) is None:
                occupancy.place(slot, day)
    placed = occupancy.days()
    occupancy.insert_what_fits([s for i, s in instance.slots.items() if i not in placed])
    return occupancy.days()


@dataclass(slots=True)
class _LawfulPlan:
    occupancy: Occupancy
    repaired: bool


def _lawful(instance: Instance, days: dict[int, int], start_days: dict[int, int]) -> _LawfulPlan:
    """The searched plan made whole: what still fits inserted, staffing checked exactly.

    The model knows officers by their count; where recusals make a unit's rounds of a
    day unstaffable, the unit leaves a round (:func:`repair_staffing`). Should that
    leave the plan worse than the starting plan (which was built under the exact
    check), the starting plan is returned instead: never worse than where it began.
    """
    occupancy = Occupancy.from_days(instance, days)
    repaired = bool(repair_staffing(instance, occupancy))
    placed = occupancy.days()
    occupancy.insert_what_fits([s for i, s in instance.slots.items() if i not in placed])
    everything = list(instance.slots.values())
    if repaired and better(score(everything, start_days), score(everything, occupancy.days())):
        occupancy = Occupancy.from_days(instance, start_days)
        left_out = [s for i, s in instance.slots.items() if i not in start_days]
        occupancy.insert_what_fits(left_out)
    return _LawfulPlan(occupancy, repaired)


def _infeasible(
    problem: Problem, options: SolveOptions, instance: Instance, started: float
) -> Solution:
    reason = explain_pin_conflicts(instance.pin_conflicts)
    return Solution(
        format=problem.solution_format,  # type: ignore[arg-type]
        draw_seed=options.drawn_with() if problem.is_1_1 else None,
        status="infeasible",
        unscheduled=tuple(
            Unscheduled(request=r.id, reason=reason, code=ReasonCode.PINNED_ROUNDS_CONFLICT)
            for r in problem.requests
        ),
        wall_time_s=time.monotonic() - started,
        provenance=_provenance(problem, options, parts=0, hint="none"),
    )


def _provenance(problem: Problem, options: SolveOptions, parts: int, hint: str) -> Provenance:
    return Provenance(
        solver=f"inspection {__version__} (CP-SAT, two-stage lexicographic)",
        ortools_version=version("ortools"),
        problem_sha256=problem.sha256(),
        seed=options.seed,
        parameters={
            "time_limit_s": options.time_limit_s,
            "workers": options.worker_count(),
            "independent_parts": parts,
            "start": hint,
            "open_pins": options.open_pins,
        },
        pinned_rounds=len(options.pinned),
    )


def solve(
    problem: Problem,
    options: SolveOptions | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Solution:
    """Merge the problem's requests into as few joint rounds as the capacities allow.

    Lexicographic: first the scheduled priority, then the number of rounds.

    Args:
        problem: A validated problem.
        options: Time limit, workers, seed, hint and pinned rounds.
        on_progress: Called from the solving thread with each improvement.
        stop: Set from another thread to end early, keeping the best plan found.

    Returns:
        The plan with its status, unscheduled requests and reasons, statistics,
        proven bounds, wall time and provenance.

    A 1.1 problem's plan keeps its rules (quiet days, no-disturb, caps, officers) and
    its rounds carry officers drawn at random from ``options.draw_seed`` (or ``seed``),
    recorded in the solution.

    Raises:
        UnknownCalendarError: the statutory calendar is needed for a year it does not know.
        StaffingError: the pinned rounds cannot be staffed with the officers listed.
    """
    options = options or SolveOptions()
    return _solve(problem, options, on_progress, stop)


def _solve(
    problem: Problem,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
) -> Solution:
    started = time.monotonic()
    instance = build_instance(problem, options.pinned, options.open_pins)
    if instance.pin_conflicts:
        return _infeasible(problem, options, instance, started)

    baseline = greedy_plan(problem, options.pinned, options.open_pins)
    start_days = _plan_days(instance, baseline.rounds)
    start_name = "greedy"
    if options.hint is not None:
        hinted = _plan_days(instance, options.hint.rounds)
        everything = Component(requests=list(instance.slots.values()))
        if better(score(everything.requests, hinted), score(everything.requests, start_days)):
            start_days, start_name = hinted, "hint"

    parts = _batched(instance.components())
    figures = []
    for part in parts:
        priority, rounds = score(part.requests, start_days)
        figures.append(_PartFigures(priority, sum(r.priority for r in part.requests), rounds, 0))
    pinned_priority = sum(problem.requests[i].priority for i in instance.pinned_requests)

    def report(position: int) -> Callable[[LiveFigures], None]:
        def update(live: LiveFigures) -> None:
            figures[position] = _PartFigures(
                live.priority, live.priority_bound, live.rounds, live.rounds_bound
            )
            if on_progress is not None:
                on_progress(
                    _progress(
                        started,
                        position,
                        len(parts),
                        live.stage,
                        figures,
                        pinned_priority,
                        len(instance.closed),
                    )
                )

        return update

    if on_progress is not None and parts:
        # the starting plan is a plan: show it at once (stage 0), before any search improves it
        on_progress(
            _progress(started, 0, len(parts), 0, figures, pinned_priority, len(instance.closed))
        )

    staffing = instance.staffing
    officers = (
        OfficerLoad(staffing, instance.closed_visits)
        if staffing is not None and staffing.officers
        else None
    )
    days: dict[int, int] = {}
    deadline = started + options.time_limit_s * (1 - _ASSEMBLY_RESERVE)
    remaining_size = sum(sum(len(r.days) for r in p.requests) for p in parts)
    for position, part in enumerate(parts):
        size = sum(len(r.days) for r in part.requests)
        part_start = {r.index: start_days[r.index] for r in part.requests if r.index in start_days}
        budget = (deadline - time.monotonic()) * size / max(1, remaining_size)
        remaining_size -= size
        if budget <= _MIN_PART_BUDGET_S + _SET_UP_MARGIN * size * _SET_UP_S_PER_LITERAL or (
            stop is not None and stop.is_set()
        ):
            days.update(part_start)  # no time left: the starting plan, with the weakest bounds
            continue
        settings = SearchSettings(budget, options.worker_count(), options.seed, options.log_search)
        result = solve_component(
            part,
            instance.capacity,
            problem.max_units_per_round,
            part_start,
            settings,
            report(position),
            stop,
            instance.caps,
            officers,
        )
        figures[position] = _PartFigures(
            result.priority, result.priority_bound, result.rounds, result.rounds_bound
        )
        chosen = result.days
        days.update(chosen)

    occupancy = _lawful(instance, days, start_days)
    if occupancy.repaired:
        for part_figures in figures:  # a bound proven at a higher priority no longer holds
            part_figures.rounds_bound = 0
    days = occupancy.occupancy.days()
    if any(instance.slots[i].fixed for i in instance.slots.keys() - days.keys()):
        raise AssertionError("a pinned round lost one of its requests")
    plan_rounds = rounds_of(instance, occupancy.occupancy)
    if problem.is_1_1:
        plan_rounds = list(draw_officers(problem, plan_rounds, options.drawn_with()))
    scheduled = instance.pinned_requests | set(days)
    unscheduled = [
        explain_left_out(instance, occupancy.occupancy, index)
        for index in range(len(problem.requests))
        if index not in scheduled
    ]
    statistics = _statistics(problem, instance, scheduled, plan_rounds, figures, pinned_priority)
    stopped = stop is not None and stop.is_set()
    status: SolveStatus = "feasible"
    if stopped:
        status = "stopped"
    elif statistics.priority_optimal and statistics.rounds_optimal:
        status = "optimal"
    return Solution(
        format=problem.solution_format,  # type: ignore[arg-type]
        draw_seed=options.drawn_with() if problem.is_1_1 else None,
        status=status,
        rounds=tuple(plan_rounds),
        unscheduled=tuple(unscheduled),
        statistics=statistics,
        wall_time_s=round(time.monotonic() - started, 3),
        provenance=_provenance(problem, options, len(parts), start_name),
    )


def _progress(
    started: float,
    position: int,
    parts: int,
    stage: int,
    figures: list[_PartFigures],
    pinned_priority: int,
    pinned_rounds: int,
) -> Progress:
    return Progress(
        elapsed_s=round(time.monotonic() - started, 3),
        part=position + 1,
        parts=parts,
        stage=stage,
        priority=pinned_priority + sum(f.priority for f in figures),
        priority_bound=pinned_priority + sum(f.priority_bound for f in figures),
        rounds=pinned_rounds + sum(f.rounds for f in figures),
        rounds_bound=pinned_rounds + sum(f.rounds_bound for f in figures),
    )


def _statistics(
    problem: Problem,
    instance: Instance,
    scheduled: set[int],
    rounds: list[Round],
    figures: list[_PartFigures],
    pinned_priority: int,
) -> Statistics:
    priority = sum(problem.requests[i].priority for i in scheduled)
    priority_bound = max(priority, pinned_priority + sum(f.priority_bound for f in figures))
    format_bound = rounds_lower_bound(
        problem, [problem.requests[i].id for i in sorted(scheduled)], instance.days
    )
    proven_bound = min(len(rounds), len(instance.closed) + sum(f.rounds_bound for f in figures))
    return statistics_of(
        problem, len(scheduled), len(rounds), priority, priority_bound, format_bound, proven_bound
    )


def statistics_of(
    problem: Problem,
    scheduled: int,
    rounds: int,
    priority: int,
    priority_bound: int,
    format_bound: int,
    proven_bound: int,
) -> Statistics:
    """A plan's statistics from its counts and the bounds proven for it (gaps, optimality)."""
    best_bound = max(format_bound, proven_bound)
    priority_optimal = priority >= priority_bound
    return Statistics(
        requests=len(problem.requests),
        scheduled_requests=scheduled,
        requested_visits=scheduled,
        rounds=rounds,
        visits_saved=scheduled - rounds,
        scheduled_priority=priority,
        total_priority=sum(r.priority for r in problem.requests),
        priority_upper_bound=priority_bound,
        rounds_lower_bound=format_bound,
        rounds_lower_bound_proven=proven_bound,
        priority_gap=round((priority_bound - priority) / priority_bound, 6)
        if priority_bound
        else 0.0,
        rounds_gap=round((rounds - best_bound) / best_bound, 6) if best_bound else 0.0,
        priority_optimal=priority_optimal,
        rounds_optimal=priority_optimal and rounds <= proven_bound,
    )
