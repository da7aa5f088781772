"""The rules of format 1.1 as the greedy planner keeps them: quiet days, no-disturb, caps, staff.

:class:`RuleBook` answers, for the planner's state, whether some requests may
go to a day and a round under rules 7-10 of the format, and keeps the counts
that answer needs (the cap usage of each unit-enterprise pair and enterprise,
the enterprises each staffed unit visits on each day). A version 1 problem has
no rules: every answer is yes and nothing is counted.

Staffing is asked of :class:`~inspection.solver.staffing.Staffing`, whose exact
check is the matching the draw itself uses, so whatever the planner accepts can
be staffed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from inspection.solver.reason_codes import ReasonCode
from inspection.solver.schema import Problem
from inspection.solver.staffing import Staffing

__all__ = ["RuleBook"]


class RuleBook:
    """The 1.1 rules of one greedy run, by request, unit, enterprise and day index."""

    def __init__(self, problem: Problem, days: Sequence[date]) -> None:
        """Index the rules of `problem` over its working `days`."""
        rules = problem.effective_rules
        unit_index = {u.id: i for i, u in enumerate(problem.units)}
        enterprise_index = {e.id: i for i, e in enumerate(problem.enterprises)}
        self.days = days
        self.enterprise_ids = [e.id for e in problem.enterprises]
        quiet = set(rules.quiet_days.days)
        self.quiet_days = {g for g, d in enumerate(days) if d in quiet}
        no_disturb = {enterprise_index[e.id] for e in problem.enterprises if e.no_disturb}
        requests = problem.requests
        #: The request may not run on a quiet day (its category is not exempt).
        exempt = set(rules.quiet_days.exempt_categories)
        self.quiet_bound = [bool(quiet) and r.category not in exempt for r in requests]
        #: The request counts against the caps.
        self.counted = [rules.caps.counts(r.category) for r in requests]
        #: Why the rules keep the request out whatever the day (no-disturb, a cap of 0), if so.
        self.ban: list[ReasonCode | None] = [
            ReasonCode.NO_DISTURB
            if enterprise_index[r.enterprise] in no_disturb and rules.disturbs(r.category)
            else None
            for r in requests
        ]
        self.pair_cap = {
            (unit_index[c.unit], enterprise_index[c.enterprise]): c.remaining
            for c in rules.caps.unit_enterprise
        }
        self.enterprise_cap = {
            enterprise_index[c.enterprise]: c.remaining for c in rules.caps.enterprise
        }
        for r, request in enumerate(requests):
            if self.counted[r]:
                pair = (unit_index[request.unit], enterprise_index[request.enterprise])
                used_up = (
                    self.pair_cap.get(pair, 1) == 0 or self.enterprise_cap.get(pair[1], 1) == 0
                )
                if used_up and self.ban[r] is None:
                    self.ban[r] = ReasonCode.CAP_REACHED
        self.capped = {e for _u, e in self.pair_cap} | set(self.enterprise_cap)
        if not self.capped:
            self.counted = [False] * len(requests)  # nothing to count against
        self.pair_used: Counter[tuple[int, int]] = Counter()
        self.enterprise_used: Counter[int] = Counter()
        self.staffing = Staffing(problem, days)
        #: The units with officers listed, to their officers.
        self.officers = self.staffing.officers
        self.visits: dict[tuple[int, int], list[int]] = {}  # (staffed unit, day) -> enterprises
        #: Whether any rule can keep a request from a day (not so in version 1).
        self.binding = bool(self.quiet_days or self.capped or self.officers)

    # -- counting ---------------------------------------------------------------------------

    def count(self, unit: int, enterprise: int, first_counted_of_unit: bool, first: bool) -> None:
        """A counted request joined a round: the first of its unit there, the first at all."""
        if first_counted_of_unit:
            self.pair_used[unit, enterprise] += 1
        if first:
            self.enterprise_used[enterprise] += 1

    def uncount(self, unit: int, enterprise: int, last_counted_of_unit: bool, last: bool) -> None:
        """A counted request left a round: the last of its unit there, the last at all."""
        if last_counted_of_unit:
            self.pair_used[unit, enterprise] -= 1
        if last:
            self.enterprise_used[enterprise] -= 1

    def join(self, unit: int, day: int, enterprise: int) -> None:
        """A unit joined a round (its first request there)."""
        if unit in self.officers:
            self.visits.setdefault((unit, day), []).append(enterprise)

    def leave(self, unit: int, day: int, enterprise: int) -> None:
        """A unit left a round (its last request there)."""
        if unit in self.officers:
            self.visits[unit, day].remove(enterprise)

    # -- questions --------------------------------------------------------------------------

    def quiet(self, day: int, members: Iterable[int]) -> bool:
        """Whether a quiet day keeps one of the requests out of `day`."""
        return day in self.quiet_days and self.kept_from_quiet_days(members)

    def kept_from_quiet_days(self, members: Iterable[int]) -> bool:
        """Whether one of the requests may not run on a quiet day (its category is not exempt)."""
        return any(self.quiet_bound[r] for r in members)

    def caps_allow(self, enterprise: int, gains: dict[int, int], gain: int) -> bool:
        """Whether the caps allow the change: `gains` per unit and `gain` for the enterprise."""
        if enterprise not in self.capped:
            return True
        limit = self.enterprise_cap.get(enterprise)
        if limit is not None and self.enterprise_used[enterprise] + gain > limit:
            return False
        for unit, change in gains.items():
            limit = self.pair_cap.get((unit, enterprise))
            if limit is not None and self.pair_used[unit, enterprise] + change > limit:
                return False
        return True

    def can_staff(self, unit: int, day: int, enterprise: int) -> bool:
        """Whether the unit can still staff its rounds of `day` with one more at `enterprise`."""
        if unit not in self.officers:
            return True
        return self.staffing.can_staff(unit, day, [*self.visits.get((unit, day), ()), enterprise])
