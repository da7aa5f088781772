"""The greedy plan as a solution document: rounds with officers drawn, reasons for the rest.

The lawful baseline of format 1.1: :func:`greedy_solution` plans with the
greedy (which keeps rules 0-10), draws the officers of every round from
`draw_seed` and says for every request left out why, with the codes of
:mod:`inspection.solver.reason_codes` (the 1.1 ones when a rule keeps it out).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from inspection.solver.greedy import run_greedy
from inspection.solver.greedy_state import PlannerState
from inspection.solver.instance import build_instance
from inspection.solver.officers import draw_officers
from inspection.solver.reason_codes import ReasonCode
from inspection.solver.reasons import BLOCKER_WORDS, SENTENCES
from inspection.solver.schema import Problem, Round, Solution, Unscheduled

__all__ = ["greedy_solution"]

_Code = ReasonCode


def greedy_solution(
    problem: Problem, draw_seed: int = 0, pinned: Sequence[Round] = (), open_pins: bool = False
) -> Solution:
    """The greedy plan of `problem` in its format, with officers and reasons.

    Args:
        problem: The planning problem (version 1 or 1.1).
        draw_seed: The seed of the officers' draw, recorded in a 1.1 solution.
        pinned: Rounds to keep, as for :func:`~inspection.solver.greedy.greedy_plan`. They
            count against the caps and the officers' days like any round; their officers
            are drawn again with the rest (officers they name are not kept).
        open_pins: Requests may join the pinned rounds.

    Raises:
        InvalidOptionsError: A pinned round breaks a rule of the format.
        StaffingError: The pinned rounds cannot be staffed.
    """
    plan, state = run_greedy(problem, pinned, open_pins)
    rounds: tuple[Round, ...] = plan.rounds
    if problem.is_1_1:
        rounds = draw_officers(problem, rounds, draw_seed)
    left_out = set(plan.unscheduled)
    precluded = build_instance(problem, pinned, open_pins).precluded
    unscheduled = tuple(
        _reason(state, r, precluded.get(r))
        for r, request in enumerate(problem.requests)
        if request.id in left_out
    )
    return Solution(
        format=problem.solution_format,  # type: ignore[arg-type]
        draw_seed=draw_seed if problem.is_1_1 else None,
        rounds=rounds,
        unscheduled=unscheduled,
    )


def _reason(state: PlannerState, r: int, precluded: ReasonCode | None) -> Unscheduled:
    """Why request `r` is not in the greedy plan: its window, a rule, or each day's obstacle."""
    request = state.problem.requests[r]
    rules = state.rules
    enterprise = state.enterprise[r]
    details = ""
    window = state.window.get(r)
    ban = rules.ban[r]
    if precluded is not None or window is None or window[0] > window[1]:
        code = precluded if precluded is not None else _Code.NO_FREE_SLOT
    elif ban is not None:
        code = ban
    else:
        open_days = state.open_days[enterprise]
        blockers = Counter(
            _blocker(state, r, open_days[k]) for k in range(window[0], window[1] + 1)
        )
        if None in blockers:
            raise AssertionError(f"request {request.id} fits the plan but was left out")
        if len(blockers) == 1:
            code = next(iter(blockers))  # type: ignore[assignment]
        else:
            code = _Code.NO_FREE_SLOT
            details = "，".join(
                BLOCKER_WORDS[blocker].format(n=count)  # type: ignore[index]
                for blocker, count in sorted(blockers.items(), key=lambda kv: (-kv[1], kv[0]))
            )
    sentence = SENTENCES[code].format(
        earliest=request.earliest, latest=request.latest, details=details
    )
    return Unscheduled(request=request.id, reason=sentence, code=code)


def _blocker(state: PlannerState, r: int, day: int) -> ReasonCode | None:
    """What keeps request `r` out of `day` in the final plan, or None when it fits."""
    rules = state.rules
    if rules.quiet(day, [r]):
        return _Code.QUIET_DAY
    unit, enterprise = state.unit[r], state.enterprise[r]
    target = state.rounds_of[enterprise].get(day)
    if target is not None:
        if not state.joinable[r] or not state.joinable_round(target):
            return _Code.ENTERPRISE_DAY_TAKEN
        if unit not in target.unit_count and len(target.unit_count) >= state.max_units:
            return _Code.ROUND_FULL
    if (target is None or unit not in target.unit_count) and state.spare[unit][day] <= 0:
        return _Code.UNIT_CAPACITY_FULL
    if enterprise in rules.capped and not rules.caps_allow(
        enterprise, *state.cap_change([r], target)
    ):
        return _Code.CAP_REACHED
    joined = target is not None and unit in target.unit_count
    if not joined and not rules.can_staff(unit, day, enterprise):
        return _Code.NO_OFFICER
    return None
