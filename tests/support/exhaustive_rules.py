"""The rules of format 1.1 (7 to 10) for the brute-force reference planner, from the document alone.

Like :mod:`tests.support.exhaustive` it shares nothing with the solver, the
greedy or the checker: every rule is read again from "What makes a 1.1
solution valid" and decided the slow, obvious way. Rule 10 in particular is
decided by trying every way of giving each round of a unit's day its
officers (every choice of ``officers_per_unit`` of the eligible for every
round), so it is only for tiny problems: a handful of officers, a few rounds
a day.

A unit "has officers listed" when some officer of the problem names it; such
a unit can join a round only when it can staff it, whereas a unit without
officers needs none (its capacity alone limits it).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from inspection.solver.schema import Officer, Problem, Request

if TYPE_CHECKING:
    from tests.support.exhaustive import PlanRound

__all__ = ["RulesJudge", "broken_rules_1_1", "staffable"]

# The format's defaults for a 1.1 problem that leaves `rules` (or a part of it) out.
_DEFAULT_OFFICERS_PER_UNIT = 2
_DEFAULT_OFFICER_DAILY_ROUNDS = 1
_TOO_MANY_CHOICES = 200_000  # beyond this the brute force is no longer "tiny"


def staffable(
    officers: Sequence[Officer],
    day: date,
    enterprises: Sequence[str],
    per_unit: int,
    daily_rounds: int,
) -> bool:
    """Whether one unit's rounds of one day can all be staffed (rule 10), by brute force.

    Args:
        officers: The unit's own officers (all of them, eligible or not).
        day: The day of the rounds.
        enterprises: The enterprise of each round the unit joins that day.
        per_unit: Distinct officers each round needs.
        daily_rounds: Rounds one officer may do that day.

    Returns:
        True when some choice of `per_unit` distinct officers for each round uses
        only officers not off on `day` and not recused from the round's enterprise,
        and no officer is in more than `daily_rounds` of the rounds.
    """
    choices = []
    for enterprise in enterprises:
        eligible = [
            o.id for o in officers if day not in o.days_off and enterprise not in o.recusals
        ]
        choices.append(list(itertools.combinations(eligible, per_unit)))
    size = 1
    for options in choices:
        size *= len(options)
    if size > _TOO_MANY_CHOICES:
        raise ValueError(f"{size} officer assignments: too many for the brute force")
    for assignment in itertools.product(*choices):
        load = Counter(officer for chosen in assignment for officer in chosen)
        if all(count <= daily_rounds for count in load.values()):
            return True
    return False


class RulesJudge:
    """Rules 7 to 10 for one problem, with rule 10's answers remembered per unit, day and rounds."""

    def __init__(self, problem: Problem) -> None:
        self.requests = {request.id: request for request in problem.requests}
        self.no_disturb = {e.id for e in problem.enterprises if e.no_disturb}
        rules = problem.rules
        if rules is None:  # a version 1 problem, or a 1.1 one without rules: the defaults
            self.quiet_days: set[date] = set()
            self.quiet_exempt: set[str] = set()
            self.no_disturb_exempt: set[str] = set()
            self.cap_exempt: set[str] = set()
            self.unit_caps: dict[tuple[str, str], int] = {}
            self.enterprise_caps: dict[str, int] = {}
            self.per_unit = _DEFAULT_OFFICERS_PER_UNIT
            self.daily_rounds = _DEFAULT_OFFICER_DAILY_ROUNDS
        else:
            self.quiet_days = set(rules.quiet_days.days)
            self.quiet_exempt = set(rules.quiet_days.exempt_categories)
            self.no_disturb_exempt = set(rules.no_disturb.exempt_categories)
            self.cap_exempt = set(rules.caps.exempt_categories)
            self.unit_caps = {
                (cap.unit, cap.enterprise): cap.remaining for cap in rules.caps.unit_enterprise
            }
            self.enterprise_caps = {cap.enterprise: cap.remaining for cap in rules.caps.enterprise}
            self.per_unit = rules.officers_per_unit
            self.daily_rounds = rules.officer_daily_rounds
        self.officers: dict[str, list[Officer]] = defaultdict(list)
        for officer in problem.officers:
            self.officers[officer.unit].append(officer)
        self._staffable: dict[tuple[str, date, tuple[str, ...]], bool] = {}

    def allowed_alone(self, request: Request, day: date) -> bool:
        """Whether rules 7 and 8, which judge each request by itself, let it be visited on `day`."""
        if day in self.quiet_days and request.category not in self.quiet_exempt:
            return False
        return request.enterprise not in self.no_disturb or (
            request.category in self.no_disturb_exempt
        )

    def can_staff(self, unit: str, day: date, enterprises: tuple[str, ...]) -> bool:
        """Rule 10 for one unit's rounds of one day (True for a unit without officers)."""
        if unit not in self.officers:
            return True
        key = (unit, day, tuple(sorted(enterprises)))
        if key not in self._staffable:
            self._staffable[key] = staffable(
                self.officers[unit], day, key[2], self.per_unit, self.daily_rounds
            )
        return self._staffable[key]

    def broken(self, rounds: Sequence[PlanRound]) -> set[int]:
        """The numbers of the 1.1 rules (7 to 10) that the rounds break."""
        broken: set[int] = set()
        unit_rounds: Counter[tuple[str, str]] = Counter()
        enterprise_rounds: Counter[str] = Counter()
        unit_day: dict[tuple[str, date], list[str]] = defaultdict(list)
        for round_ in rounds:
            members = [self.requests[rid] for rid in round_.request_ids]
            if round_.day in self.quiet_days and any(
                r.category not in self.quiet_exempt for r in members
            ):
                broken.add(7)
            if round_.enterprise in self.no_disturb and any(
                r.category not in self.no_disturb_exempt for r in members
            ):
                broken.add(8)
            counted = [r for r in members if r.category not in self.cap_exempt]
            for unit in {r.unit for r in counted}:
                unit_rounds[unit, round_.enterprise] += 1  # a round counts once per unit
            if counted:
                enterprise_rounds[round_.enterprise] += 1  # a joint round counts once
            for unit in dict.fromkeys(r.unit for r in members):
                unit_day[unit, round_.day].append(round_.enterprise)
        if any(unit_rounds[pair] > left for pair, left in self.unit_caps.items()) or any(
            enterprise_rounds[e] > left for e, left in self.enterprise_caps.items()
        ):
            broken.add(9)
        if any(
            not self.can_staff(unit, day, tuple(enterprises))
            for (unit, day), enterprises in unit_day.items()
        ):
            broken.add(10)
        return broken


def broken_rules_1_1(problem: Problem, rounds: Sequence[PlanRound]) -> set[int]:
    """The numbers of the 1.1 rules (7 to 10) that the rounds of a plan of `problem` break."""
    return RulesJudge(problem).broken(rounds)
