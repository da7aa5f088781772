"""Officers for a plan's rounds: who may go where, and the seeded random draw (双随机).

For one unit and one day the rounds it joins each need ``officers_per_unit``
distinct officers of the unit; an officer can go to at most
``officer_daily_rounds`` of them and to none whose enterprise they are
recused from, and an officer on a day off goes nowhere. That is a flow
problem: rounds on one side needing ``k`` each, officers on the other with
capacity ``D``, an edge where the officer is eligible. :func:`staff` solves
it with augmenting paths, so a feasible assignment is always found when one
exists; trying officers in a random order (the seed's) makes the draw uniform
among the eligible as far as the matching allows. The greedy planner uses the
same function, unshuffled, to ask whether a unit can take one more round.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from inspection.solver.errors import StaffingError
from inspection.solver.schema import Officer, Problem, Round

__all__ = ["draw_officers", "eligible_officers", "staff"]


def eligible_officers(officers: Sequence[Officer], day: date, enterprise: str) -> list[Officer]:
    """The officers (of one unit) who may inspect `enterprise` on `day`."""
    return [o for o in officers if day not in o.days_off and enterprise not in o.recusals]


def staff(
    eligible: Sequence[Sequence[int]],
    needed: int,
    daily_rounds: int,
    kept: Sequence[Sequence[int]] | None = None,
) -> list[list[int]] | None:
    """Give every round `needed` distinct officers, each officer at most `daily_rounds` rounds.

    Args:
        eligible: For each round, the officers (by number) who may go, in the order they
            are preferred: the first ones are tried first, which is what makes a shuffled
            order a random draw.
        needed: Officers each round needs.
        daily_rounds: Rounds one officer can do.
        kept: For each round, officers it keeps whatever else is drawn (an announced
            round's); they must be eligible for it. None: nobody is kept.

    Returns:
        For each round its officers, or None when no assignment exists (with the kept
        officers, when some are kept).
    """
    assigned: list[list[int]] = [[] for _ in eligible]
    rounds_of: dict[int, list[int]] = defaultdict(list)  # officer -> rounds it is in
    fixed: set[tuple[int, int]] = set()  # (officer, round) an augmenting path may not undo
    for j, keep in enumerate(kept or ()):
        for o in dict.fromkeys(keep):
            if len(assigned[j]) < needed and len(rounds_of[o]) < daily_rounds:
                assigned[j].append(o)
                rounds_of[o].append(j)
                fixed.add((o, j))

    def augment(j: int, seen: set[int]) -> bool:
        # An alternating path: round j takes officer o, who (if full) leaves a round j2
        # that takes another officer in turn.
        for o in eligible[j]:
            if o in seen or o in assigned[j]:
                continue
            seen.add(o)
            if len(rounds_of[o]) < daily_rounds:
                assigned[j].append(o)
                rounds_of[o].append(j)
                return True
            for j2 in list(rounds_of[o]):
                if (o, j2) in fixed:
                    continue
                if augment(j2, seen):
                    assigned[j2].remove(o)
                    rounds_of[o].remove(j2)
                    assigned[j].append(o)
                    rounds_of[o].append(j)
                    return True
        return False

    for j in range(len(eligible)):
        while len(assigned[j]) < needed:
            if not augment(j, set()):
                return None
    return assigned


def draw_officers(problem: Problem, rounds: Sequence[Round], seed: int) -> tuple[Round, ...]:
    """The rounds with their officers drawn at random from `seed`.

    Every unit of a round that has officers listed gets ``officers_per_unit`` of
    them; units without officers get no entry. The draw depends only on the
    problem, the set of rounds and the seed (not on the rounds' order).

    A round that already names officers (an announced round the plan pinned) keeps
    those still eligible, when the unit's other rounds of the day can be staffed
    around them: the enterprise was told who comes. Otherwise the unit's rounds of
    that day are drawn afresh.

    Raises:
        StaffingError: A unit cannot staff its rounds of some day (the path names the
            first of them).
    """
    rules = problem.effective_rules
    by_unit: dict[str, list[Officer]] = defaultdict(list)
    for officer in problem.officers:
        by_unit[officer.unit].append(officer)
    unit_of = {request.id: request.unit for request in problem.requests}
    by_unit_day: dict[tuple[str, date], list[int]] = defaultdict(list)
    for index, round_ in enumerate(rounds):
        units = dict.fromkeys(unit_of[rid] for rid in round_.requests if rid in unit_of)
        for unit in units:
            if unit in by_unit:
                by_unit_day[unit, round_.date].append(index)
    drawn: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for (unit, day), indices in sorted(by_unit_day.items()):
        rng = random.Random(f"{seed}/{unit}/{day.isoformat()}")
        officers = sorted(by_unit[unit], key=lambda o: o.id)
        rng.shuffle(officers)
        order = sorted(indices, key=lambda i: rounds[i].enterprise)
        rng.shuffle(order)
        eligible = [
            [
                n
                for n, o in enumerate(officers)
                if day not in o.days_off and rounds[i].enterprise not in o.recusals
            ]
            for i in order
        ]
        number = {o.id: n for n, o in enumerate(officers)}
        kept = [
            [number[o] for o in rounds[i].officers_of(unit) if number.get(o, -1) in allowed]
            for i, allowed in zip(order, (set(e) for e in eligible), strict=True)
        ]
        needed, daily = rules.officers_per_unit, rules.officer_daily_rounds
        assignment = staff(eligible, needed, daily, kept) if any(kept) else None
        if assignment is None:
            assignment = staff(eligible, needed, daily)
        if assignment is None:
            at = ", ".join(sorted(rounds[i].enterprise for i in order))
            raise StaffingError(
                f"rounds[{min(order)}].officers",
                f"unit '{unit}' cannot staff its {len(order)} round(s) on {day} ({at}) "
                "with eligible officers",
            )
        for i, chosen in zip(order, assignment, strict=True):
            drawn[i][unit] = tuple(sorted(officers[n].id for n in chosen))
    return tuple(
        round_.model_copy(update={"officers": drawn.get(index, {})})
        for index, round_ in enumerate(rounds)
    )
