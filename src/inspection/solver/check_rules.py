"""The checker's rules of version 1.1: quiet days, no-disturb, caps and officers (rules 7-10).

Read straight from the format document's "What makes a 1.1 solution valid",
like the rest of :mod:`inspection.solver.check`, and sharing nothing with the
model. A round is judged by the requests it holds; a request of the wrong
enterprise is rule 2's business, so here every member counts at the round's
enterprise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from inspection.solver.check_codes import ViolationCode
from inspection.solver.schema import Problem, Request, Round, Solution

__all__ = ["check_rules_1_1"]

_C = ViolationCode
Add = Callable[[ViolationCode, str], None]


class _RulesChecker:
    def __init__(self, problem: Problem, requests: dict[str, Request], add: Add) -> None:
        self.rules = problem.effective_rules
        self.requests = requests
        self.add = add
        self.no_disturb = {e.id for e in problem.enterprises if e.no_disturb}
        self.quiet = frozenset(self.rules.quiet_days.days)
        self.officers = {officer.id: officer for officer in problem.officers}
        self.staffed = {officer.unit for officer in problem.officers}
        self.unit_rounds: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.enterprise_rounds: dict[str, list[int]] = defaultdict(list)
        self.officer_rounds: dict[tuple[str, date], list[int]] = defaultdict(list)

    def round(self, index: int, round_: Round) -> None:
        name = f"rounds[{index}] ({round_.enterprise} on {round_.date})"
        members = [self.requests[i] for i in dict.fromkeys(round_.requests) if i in self.requests]
        rules = self.rules
        for request in members:
            what = f"{name} holds request {request.id!r} ({request.category})"
            if round_.date in self.quiet and rules.quiet_on(round_.date, request.category):
                self.add(_C.QUIET_DAY, f"{what} on a quiet day")
            if round_.enterprise in self.no_disturb and rules.disturbs(request.category):
                self.add(_C.NO_DISTURB, f"{what} at a no-disturb enterprise")
        counted = [r for r in members if rules.caps.counts(r.category)]
        for unit in dict.fromkeys(r.unit for r in counted):
            self.unit_rounds[unit, round_.enterprise].append(index)
        if counted:
            self.enterprise_rounds[round_.enterprise].append(index)
        self.staffing(index, name, round_, list(dict.fromkeys(r.unit for r in members)))

    def staffing(self, index: int, name: str, round_: Round, units: list[str]) -> None:
        """Rule 10 within one round; the officers' daily rounds are counted for :meth:`finish`."""
        needed = self.rules.officers_per_unit
        staffed_units = [unit for unit in units if unit in self.staffed]
        for unit in sorted(set(round_.officers or {}) - set(staffed_units)):
            self.add(_C.OFFICERS_OF_OTHER_UNIT, f"{name} names officers for unit {unit!r}")
        sent: set[str] = set()
        for unit in staffed_units:
            listed = round_.officers_of(unit)
            distinct = list(dict.fromkeys(listed))
            if len(distinct) != len(listed):
                self.add(_C.OFFICER_REPEATED, f"{name} names an officer of {unit} twice")
            if len(distinct) != needed:
                self.add(
                    _C.OFFICER_COUNT,
                    f"{name}: unit {unit} brings {len(distinct)} officer(s), not {needed}",
                )
            for ident in distinct:
                officer = self.officers.get(ident)
                who = f"{name}: officer {ident!r} of unit {unit}"
                if officer is None or officer.unit != unit:
                    self.add(_C.OFFICER_NOT_OF_UNIT, f"{who} is not an officer of that unit")
                    continue
                if round_.date in officer.days_off:
                    self.add(_C.OFFICER_DAY_OFF, f"{who} is on a day off")
                if round_.enterprise in officer.recusals:
                    self.add(_C.OFFICER_RECUSED, f"{who} is recused from the enterprise")
                sent.add(ident)
        for ident in sent:
            self.officer_rounds[ident, round_.date].append(index)

    def finish(self) -> None:
        """Rule 9 (caps) and rule 10's daily rounds, once every round is counted."""
        caps = self.rules.caps
        for pair in caps.unit_enterprise:
            held = self.unit_rounds.get((pair.unit, pair.enterprise), [])
            if len(held) > pair.remaining:
                listed = ", ".join(f"rounds[{i}]" for i in held)
                self.add(
                    _C.UNIT_CAP_EXCEEDED,
                    f"unit {pair.unit} joins {listed} at {pair.enterprise} with counted requests "
                    f"(cap remaining {pair.remaining})",
                )
        for cap in caps.enterprise:
            held = self.enterprise_rounds.get(cap.enterprise, [])
            if len(held) > cap.remaining:
                listed = ", ".join(f"rounds[{i}]" for i in held)
                self.add(
                    _C.ENTERPRISE_CAP_EXCEEDED,
                    f"{cap.enterprise} has {listed} with counted requests "
                    f"(cap remaining {cap.remaining})",
                )
        limit = self.rules.officer_daily_rounds
        for (ident, day), indices in self.officer_rounds.items():
            if len(indices) > limit:
                listed = ", ".join(f"rounds[{i}]" for i in indices)
                self.add(
                    _C.OFFICER_OVER_DAILY_ROUNDS,
                    f"officer {ident!r} is in {listed} on {day} (at most {limit})",
                )


def check_rules_1_1(
    problem: Problem, solution: Solution, requests: dict[str, Request], add: Add
) -> None:
    """Report through `add` every breach of rules 7-10 of a 1.1 problem's plan."""
    checker = _RulesChecker(problem, requests, add)
    for index, round_ in enumerate(solution.rounds):
        checker.round(index, round_)
    checker.finish()
