"""The greedy planner's state: its rounds, the units' loads, and the choice of a day.

:class:`PlannerState` holds one greedy run's rounds and capacity and is the only
place that changes them (open a round, add, remove and move requests); it also
computes each request's feasible days and picks the best day for a set of
requests. The strategy that drives it lives in :mod:`inspection.solver.greedy`.

Days are indices: a global one into the horizon's working days, and per
enterprise one into its *open* days (working days minus its blackout days and
the days of its closed pinned rounds). A request's feasible days are a
contiguous run of its enterprise's open days, kept as ``lo..hi``. A pinned
round open to joiners keeps its day among the open days: requests may join it
like any round, but nothing of it moves.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from inspection.solver.calendar import working_days
from inspection.solver.errors import InvalidOptionsError
from inspection.solver.greedy_rules import RuleBook
from inspection.solver.schema import Problem, Round

__all__ = ["PlanRound", "PlannerState", "Slot"]

# A slot: a day, and the round of the enterprise to join that day (None: open a new one).
Slot = tuple[int, "PlanRound | None"]


@dataclass(slots=True, eq=False)
class PlanRound:
    """A round while the planner builds it.

    Attributes:
        enterprise: Index of the enterprise.
        day: Global index of the round's working day.
        members: Indices of the requests in the round, in the order they joined.
        unit_count: How many of the round's requests each unit (by index) has.
        given: The pinned round as given, or None. A pinned round never loses a member nor
            moves; when pins are open, requests may join it.
        counted_of: How many of the round's requests that count against the caps (1.1)
            each unit has.
        counted: How many of the round's requests count against the caps.
    """

    enterprise: int
    day: int
    members: list[int] = field(default_factory=list)
    unit_count: dict[int, int] = field(default_factory=dict)
    given: Round | None = None
    counted_of: dict[int, int] = field(default_factory=dict)
    counted: int = 0


class PlannerState:
    """The mutable state of one greedy run; every capacity change goes through it."""

    def __init__(self, problem: Problem, pinned: Sequence[Round], open_pins: bool = False) -> None:
        """Set up the state and open the pinned rounds.

        Args:
            problem: The planning problem.
            pinned: Rounds that must be kept as given.
            open_pins: Requests may join the pinned rounds (their own requests stay).

        Raises:
            InvalidOptionsError: A pinned round breaks a rule of the format.
            UnknownCalendarError: The statutory calendar is needed for a year it does not know.
        """
        self.problem = problem
        self.open_pins = open_pins
        self.max_units = problem.max_units_per_round
        self.days = working_days(problem)
        day_count = len(self.days)
        self.day_count = day_count
        self.unit_index = {u.id: i for i, u in enumerate(problem.units)}
        self.enterprise_index = {e.id: i for i, e in enumerate(problem.enterprises)}
        self.request_index = {r.id: i for i, r in enumerate(problem.requests)}
        self.spare = [[u.capacity_on(d) for d in self.days] for u in problem.units]
        requests = problem.requests
        self.unit = [self.unit_index[r.unit] for r in requests]
        self.enterprise = [self.enterprise_index[r.enterprise] for r in requests]
        self.priority = [r.priority for r in requests]
        self.joinable = [r.joinable for r in requests]
        self.placed: list[PlanRound | None] = [None] * len(requests)
        self.rounds_of: list[dict[int, PlanRound]] = [{} for _ in problem.enterprises]
        # (unit * day_count + day) -> rounds the unit joins that day, for the repair step.
        self.unit_day: dict[int, list[PlanRound]] = {}
        self.budget = 0  # moves the current repair may still try
        # Expected load of the groups not placed yet on each unit-day (see _place_groups).
        self.demand = [[0.0] * day_count for _ in problem.units]
        self.pinned_requests: set[int] = set()
        self.rules = RuleBook(problem, self.days)
        self._pin(pinned)
        self._feasible_ranges()

    # -- set-up -----------------------------------------------------------------------------

    def _pin(self, pinned: Sequence[Round]) -> None:
        day_of = {d: g for g, d in enumerate(self.days)}
        for index, given in enumerate(pinned):

            def require(condition: bool, problem: str, index: int = index) -> None:
                if not condition:
                    raise InvalidOptionsError(f"pinned[{index}]", problem)

            enterprise = self.enterprise_index.get(given.enterprise, -1)
            require(enterprise >= 0, f"unknown enterprise '{given.enterprise}'")
            day = day_of.get(given.date, -1)
            require(day >= 0, f"{given.date} is not a working day of the horizon")
            require(
                given.date not in self.problem.enterprises[enterprise].blackout_days,
                f"{given.date} is a blackout day of the enterprise",
            )
            require(
                day not in self.rounds_of[enterprise], "a second round of the enterprise that day"
            )
            members = [self.request_index.get(rid, -1) for rid in given.requests]
            for rid, r in zip(given.requests, members, strict=True):
                require(
                    r >= 0 and r not in self.pinned_requests, f"'{rid}' unknown or pinned twice"
                )
                request = self.problem.requests[r]
                require(request.enterprise == given.enterprise, f"'{rid}' is another enterprise's")
                require(request.earliest <= given.date <= request.latest, f"outside '{rid}'")
                self.pinned_requests.add(r)
            units = {self.unit[r] for r in members}
            require(len(members) == 1 or all(self.joinable[r] for r in members), "not joinable")
            require(len(units) <= self.max_units, "more units than max_units_per_round")
            require(all(self.spare[u][day] > 0 for u in units), "a unit over its daily capacity")
            self._open(enterprise, day, members, given)

    def _feasible_ranges(self) -> None:
        """Compute each request's ``lo..hi`` over its enterprise's open days."""
        day_count = self.day_count
        ordinals = [d.toordinal() for d in self.days]
        all_days = list(range(day_count))
        self.open_days: list[list[int]] = []
        for enterprise, rounds in zip(self.problem.enterprises, self.rounds_of, strict=True):
            taken = {} if self.open_pins else rounds
            if enterprise.blackout_days or taken:
                blocked = {d.toordinal() for d in enterprise.blackout_days}
                self.open_days.append(
                    [g for g in all_days if ordinals[g] not in blocked and g not in taken]
                )
            else:
                self.open_days.append(all_days)  # shared: most enterprises have no exception
        self.lo = [0] * len(self.problem.requests)
        self.hi = [-1] * len(self.problem.requests)
        # The days before the 1.1 rules cut them, to tell why a request stayed out.
        self.window: dict[int, tuple[int, int]] = {}
        for r, request in enumerate(self.problem.requests):
            if r in self.pinned_requests:
                continue
            first = bisect.bisect_left(ordinals, request.earliest.toordinal())
            last = bisect.bisect_right(ordinals, request.latest.toordinal()) - 1
            open_days = self.open_days[self.enterprise[r]]
            if open_days is not all_days:
                first = bisect.bisect_left(open_days, first)
                last = bisect.bisect_right(open_days, last) - 1
            self.window[r] = (first, last)
            if self.rules.ban[r] is not None:
                first, last = 0, -1
            elif self.rules.quiet_bound[r]:
                quiet = self.rules.quiet_days
                while first <= last and open_days[first] in quiet:
                    first += 1
                while first <= last and open_days[last] in quiet:
                    last -= 1
            self.lo[r], self.hi[r] = first, last

    # -- the only places that change rounds and capacity --------------------------------------

    def _open(
        self, enterprise: int, day: int, members: list[int], given: Round | None = None
    ) -> PlanRound:
        round_ = PlanRound(enterprise, day, given=given)
        self.rounds_of[enterprise][day] = round_
        for r in members:
            self._add(round_, r)
        return round_

    def _add(self, round_: PlanRound, r: int) -> None:
        unit = self.unit[r]
        round_.members.append(r)
        self.placed[r] = round_
        if self.rules.counted[r]:
            of_unit = round_.counted_of.get(unit, 0)
            round_.counted_of[unit] = of_unit + 1
            round_.counted += 1
            self.rules.count(unit, round_.enterprise, of_unit == 0, round_.counted == 1)
        if unit in round_.unit_count:
            round_.unit_count[unit] += 1
            return
        round_.unit_count[unit] = 1
        self.spare[unit][round_.day] -= 1
        self.unit_day.setdefault(unit * self.day_count + round_.day, []).append(round_)
        if self.rules.officers:
            self.rules.join(unit, round_.day, round_.enterprise)

    def _remove(self, round_: PlanRound, r: int) -> None:
        unit = self.unit[r]
        round_.members.remove(r)
        self.placed[r] = None
        if self.rules.counted[r]:
            round_.counted_of[unit] -= 1
            round_.counted -= 1
            last_of_unit = round_.counted_of[unit] == 0
            if last_of_unit:
                del round_.counted_of[unit]
            self.rules.uncount(unit, round_.enterprise, last_of_unit, round_.counted == 0)
        round_.unit_count[unit] -= 1
        if round_.unit_count[unit] == 0:
            del round_.unit_count[unit]
            self.spare[unit][round_.day] += 1
            self.unit_day[unit * self.day_count + round_.day].remove(round_)
            if self.rules.officers:
                self.rules.leave(unit, round_.day, round_.enterprise)
        if not round_.members:
            del self.rounds_of[round_.enterprise][round_.day]

    def _move(self, members: list[int], slot: Slot) -> None:
        """Move placed requests to a slot found by :meth:`_best_slot` (on another day)."""
        day, target = slot
        for r in members:
            source = self.placed[r]
            if source is not None:
                self._remove(source, r)
        if target is None:
            self._open(self.enterprise[members[0]], day, members)
        else:
            for r in members:
                self._add(target, r)

    # -- choosing a day -----------------------------------------------------------------------

    def _window(self, members: list[int]) -> tuple[int, int]:
        """The open-day indices ``lo..hi`` that all the requests (of one enterprise) share."""
        return max(self.lo[r] for r in members), min(self.hi[r] for r in members)

    def joinable_round(self, target: PlanRound) -> bool:
        """Whether a round may take more requests at all: open, and of joinable requests."""
        return (target.given is None or self.open_pins) and self.joinable[target.members[0]]

    def _best_slot(self, members: list[int], exclude: int = -1, new: bool = True) -> Slot | None:
        """The best day for requests of one enterprise to share, other than ``exclude``.

        Joining an existing round (an open pinned one too) beats opening one
        (``new=False`` forbids opening);
        then the day whose tightest unit keeps the most spare capacity beyond the
        expected demand of the groups still to place.
        """
        enterprise = self.enterprise[members[0]]
        open_days, rounds = self.open_days[enterprise], self.rounds_of[enterprise]
        units = list(dict.fromkeys(self.unit[r] for r in members))
        if len(units) > self.max_units:
            return None
        joinable = all(self.joinable[r] for r in members)
        best: Slot | None = None
        best_key = (False, 0.0)
        lo, hi = self._window(members)
        rules_bind = self.rules.binding
        quiet = (
            self.rules.quiet_days if rules_bind and self.rules.kept_from_quiet_days(members) else ()
        )
        for k in range(lo, hi + 1):
            day = open_days[k]
            other = rounds.get(day)
            if day == exclude or (other is None and not new) or day in quiet:
                continue
            need = units
            if other is not None:
                if not joinable or not self.joinable_round(other):
                    continue
                need = [u for u in units if u not in other.unit_count]
                if len(other.unit_count) + len(need) > self.max_units:
                    continue
            tightest = float("inf")
            for unit in need:
                spare = self.spare[unit][day]
                if spare <= 0:
                    break
                tightest = min(tightest, spare - self.demand[unit][day])
            else:
                if rules_bind and not self._rules_allow(members, day, other):
                    continue
                key = (other is not None, tightest)
                if best is None or key > best_key:
                    best, best_key = (day, other), key
        return best

    # -- the rules of format 1.1 --------------------------------------------------------------

    def _rules_allow(self, members: list[int], day: int, target: PlanRound | None) -> bool:
        """Whether quiet days, caps and staffing let `members` go to `day` (into `target`).

        The members leave the rounds they are in first, so the caps count what the
        move changes: a round that moves whole to another day uses no more of them.
        """
        rules = self.rules
        if rules.quiet(day, members):
            return False
        enterprise = self.enterprise[members[0]]
        if enterprise in rules.capped and not rules.caps_allow(
            enterprise, *self.cap_change(members, target)
        ):
            return False
        if rules.officers:
            joined = set() if target is None else target.unit_count.keys()
            for unit in dict.fromkeys(self.unit[r] for r in members):
                if unit not in joined and not rules.can_staff(unit, day, enterprise):
                    return False
        return True

    def cap_change(
        self, members: list[int], target: PlanRound | None
    ) -> tuple[dict[int, int], int]:
        """How a move changes each unit's counted rounds at the enterprise, and its own."""
        counted = self.rules.counted
        moving = [r for r in members if counted[r]]
        gains: dict[int, int] = {}
        gain = 0
        if not moving:
            return gains, gain
        leaving: dict[int, PlanRound] = {}
        for r in moving:
            source = self.placed[r]
            if source is not None and source is not target:
                leaving[id(source)] = source
        for unit in {self.unit[r] for r in moving}:
            has = target is not None and target.counted_of.get(unit, 0) > 0
            gains[unit] = 0 if has else 1
        gain = 0 if target is not None and target.counted > 0 else 1
        for source in leaving.values():
            out = [r for r in moving if self.placed[r] is source]
            if len(out) == source.counted:
                gain -= 1
            for unit in {self.unit[r] for r in out}:
                if sum(1 for r in out if self.unit[r] == unit) == source.counted_of[unit]:
                    gains[unit] -= 1
        return gains, gain
