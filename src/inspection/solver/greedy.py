"""The greedy baseline planner: the plan a careful coordinator with a spreadsheet would make.

It is the yardstick the CP-SAT solver is measured against and the solver's
starting hint, so it must be good as well as valid. In the order a coordinator
would work:

1. Group each enterprise's joinable requests by the interval-stabbing sweep
   (windows sorted by their last feasible day; a group is every request still
   open on the earliest deadline, up to ``max_units_per_round`` units). Without
   capacities this gives the fewest rounds there can be.
2. Give each group, and each non-joinable request alone, a day all its members
   share: tight and important groups first, each on the day where its units
   keep the most capacity beyond what the groups still to come expect to need.
3. Place the requests left over (their group found no day) one by one: into an
   existing round of the enterprise, else a new round, else after one repair
   move (another round, or one unit's requests, moved to another day).
4. Fold each round into another round of its enterprise where it fits, then
   try the leftovers again, until nothing changes.

Days are indices: a global one into the horizon's working days, and per
enterprise one into its *open* days (working days minus its blackout days and
the days of its pinned rounds). A request's feasible days are a contiguous run
of its enterprise's open days, kept as ``lo..hi``.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from inspection.solver.calendar import working_days
from inspection.solver.errors import InvalidOptionsError
from inspection.solver.schema import Problem, Round

__all__ = ["GreedyPlan", "greedy_plan"]

# Bounds on the repair step's work per request and on the place/repair/merge
# passes, so that a problem where most requests are blocked still finishes in
# near-linear time. Every pass that changes anything schedules more priority or
# saves a round, so passes end by themselves; two are usual.
_REPAIR_BUDGET = 32
_MAX_PASSES = 6

# A slot: a day, and the round of the enterprise to join that day (None: open a new one).
_Slot = tuple[int, "_Round | None"]


@dataclass(frozen=True, slots=True)
class GreedyPlan:
    """The greedy plan.

    Attributes:
        rounds: Pinned rounds exactly as given and the new rounds, sorted by date
            and enterprise id.
        unscheduled: Ids of the requests it could not place, in problem order.
    """

    rounds: tuple[Round, ...]
    unscheduled: tuple[str, ...]


@dataclass(slots=True, eq=False)
class _Round:
    enterprise: int
    day: int
    members: list[int] = field(default_factory=list)
    unit_count: dict[int, int] = field(default_factory=dict)
    given: Round | None = None  # the pinned round as given; pinned rounds never change


def greedy_plan(problem: Problem, pinned: Sequence[Round] = ()) -> GreedyPlan:
    """Plan joint rounds greedily.

    Args:
        problem: The planning problem.
        pinned: Rounds that must be kept exactly as given. Their requests are not
            placed again, no request joins them, their enterprise-days are taken
            and they use their units' capacity on their day.

    Returns:
        A plan that keeps every validity rule of the interchange format.

    Raises:
        InvalidOptionsError: A pinned round breaks a rule of the format.
        UnknownCalendarError: The statutory calendar is needed for a year it does not know.
    """
    planner = _Planner(problem, pinned)
    planner.run()
    return planner.result()


class _Planner:
    """The mutable state of one greedy run; every capacity change goes through it."""

    def __init__(self, problem: Problem, pinned: Sequence[Round]) -> None:
        self.problem = problem
        self.max_units = problem.max_units_per_round
        self.days = working_days(problem)
        day_count = len(self.days)
        self.day_count = day_count
        self.unit_index = {u.id: i for i, u in enumerate(problem.units)}
        self.enterprise_index = {e.id: i for i, e in enumerate(problem.enterprises)}
        self.request_index = {r.id: i for i, r in enumerate(problem.requests)}
        self.capacity = [u.daily_capacity for u in problem.units]
        self.spare = [[u.daily_capacity] * day_count for u in problem.units]
        requests = problem.requests
        self.unit = [self.unit_index[r.unit] for r in requests]
        self.enterprise = [self.enterprise_index[r.enterprise] for r in requests]
        self.priority = [r.priority for r in requests]
        self.joinable = [r.joinable for r in requests]
        self.placed: list[_Round | None] = [None] * len(requests)
        self.rounds_of: list[dict[int, _Round]] = [{} for _ in problem.enterprises]
        # (unit * day_count + day) -> rounds the unit joins that day, for the repair step.
        self.unit_day: dict[int, list[_Round]] = {}
        self.budget = 0  # moves the current repair may still try
        # Expected load of the groups not placed yet on each unit-day (see _place_groups).
        self.demand = [[0.0] * day_count for _ in problem.units]
        self.pinned_requests: set[int] = set()
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
            if enterprise.blackout_days or rounds:
                blocked = {d.toordinal() for d in enterprise.blackout_days}
                self.open_days.append(
                    [g for g in all_days if ordinals[g] not in blocked and g not in rounds]
                )
            else:
                self.open_days.append(all_days)  # shared: most enterprises have no exception
        self.lo = [0] * len(self.problem.requests)
        self.hi = [-1] * len(self.problem.requests)
        for r, request in enumerate(self.problem.requests):
            if r in self.pinned_requests:
                continue
            first = bisect.bisect_left(ordinals, request.earliest.toordinal())
            last = bisect.bisect_right(ordinals, request.latest.toordinal()) - 1
            open_days = self.open_days[self.enterprise[r]]
            if open_days is not all_days:
                first = bisect.bisect_left(open_days, first)
                last = bisect.bisect_right(open_days, last) - 1
            self.lo[r], self.hi[r] = first, last

    # -- the only places that change rounds and capacity --------------------------------------

    def _open(
        self, enterprise: int, day: int, members: list[int], given: Round | None = None
    ) -> _Round:
        round_ = _Round(enterprise, day, given=given)
        self.rounds_of[enterprise][day] = round_
        for r in members:
            self._add(round_, r)
        return round_

    def _add(self, round_: _Round, r: int) -> None:
        unit = self.unit[r]
        round_.members.append(r)
        self.placed[r] = round_
        if unit in round_.unit_count:
            round_.unit_count[unit] += 1
            return
        round_.unit_count[unit] = 1
        self.spare[unit][round_.day] -= 1
        self.unit_day.setdefault(unit * self.day_count + round_.day, []).append(round_)

    def _remove(self, round_: _Round, r: int) -> None:
        unit = self.unit[r]
        round_.members.remove(r)
        self.placed[r] = None
        round_.unit_count[unit] -= 1
        if round_.unit_count[unit] == 0:
            del round_.unit_count[unit]
            self.spare[unit][round_.day] += 1
            self.unit_day[unit * self.day_count + round_.day].remove(round_)
        if not round_.members:
            del self.rounds_of[round_.enterprise][round_.day]

    def _move(self, members: list[int], slot: _Slot) -> None:
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

    def _best_slot(self, members: list[int], exclude: int = -1, new: bool = True) -> _Slot | None:
        """The best day for requests of one enterprise to share, other than ``exclude``.

        Joining an existing round beats opening one (``new=False`` forbids opening);
        then the day whose tightest unit keeps the most spare capacity beyond the
        expected demand of the groups still to place.
        """
        enterprise = self.enterprise[members[0]]
        open_days, rounds = self.open_days[enterprise], self.rounds_of[enterprise]
        units = list(dict.fromkeys(self.unit[r] for r in members))
        if len(units) > self.max_units:
            return None
        joinable = all(self.joinable[r] for r in members)
        best: _Slot | None = None
        best_key = (False, 0.0)
        lo, hi = self._window(members)
        for k in range(lo, hi + 1):
            day = open_days[k]
            other = rounds.get(day)
            if day == exclude or (other is None and not new):
                continue
            need = units
            if other is not None:
                if not joinable or other.given is not None or not self.joinable[other.members[0]]:
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
                key = (other is not None, tightest)
                if best is None or key > best_key:
                    best, best_key = (day, other), key
        return best

    # -- the passes ---------------------------------------------------------------------------

    def run(self) -> None:
        """Place the groups, then place, repair and merge the rest until nothing improves."""
        self._place_groups()
        for _ in range(_MAX_PASSES):
            changed = False
            for r in self._waiting():
                slot = self._best_slot([r])
                if slot is not None:
                    self._move([r], slot)
                changed |= slot is not None or self._repair(r)
            changed |= self._merge_pass()
            if not changed:
                break

    def _waiting(self) -> list[int]:
        """Requests not placed yet that have a feasible day, most important and tightest first."""
        lo, hi, placed = self.lo, self.hi, self.placed
        waiting = [r for r in range(len(placed)) if placed[r] is None and lo[r] <= hi[r]]
        waiting.sort(key=lambda r: (-self.priority[r], hi[r] - lo[r], r))
        return waiting

    def _sweep(self, requests: list[int]) -> list[list[int]]:
        """Group one enterprise's joinable requests by the interval-stabbing sweep."""
        lo, hi, unit = self.lo, self.hi, self.unit
        remaining = sorted(requests, key=lambda r: (hi[r], lo[r], -self.priority[r], r))
        groups = []
        while remaining:
            point = hi[remaining[0]]
            units: set[int] = set()
            members, rest = [], []
            for r in remaining:
                if lo[r] <= point and (unit[r] in units or len(units) < self.max_units):
                    units.add(unit[r])
                    members.append(r)
                else:
                    rest.append(r)
            groups.append(members)
            remaining = rest
        return groups

    def _place_groups(self) -> None:
        by_enterprise: list[list[int]] = [[] for _ in self.problem.enterprises]
        groups: list[list[int]] = []
        for r in range(len(self.placed)):
            if self.placed[r] is None and self.lo[r] <= self.hi[r]:
                if self.joinable[r]:
                    by_enterprise[self.enterprise[r]].append(r)
                else:
                    groups.append([r])
        for requests in by_enterprise:
            if requests:
                groups.extend(self._sweep(requests))

        def urgency(members: list[int]) -> tuple[float, int, int]:
            # Tight windows first, a window counting as tighter the more it matters.
            lo, hi = self._window(members)
            priorities = [self.priority[r] for r in members]
            return ((hi - lo + 1) / max(priorities), -sum(priorities), members[0])

        groups.sort(key=urgency)
        # Each group's expected load is spread evenly over its days, so that a flexible
        # group keeps off the days the tight groups still to come will need.
        for members in groups:
            self._spread_demand(members, 1.0)
        for members in groups:
            self._spread_demand(members, -1.0)
            slot = self._best_slot(members)
            if slot is not None:
                self._move(members, slot)
            # else every member waits for the single placement

    def _spread_demand(self, members: list[int], sign: float) -> None:
        lo, hi = self._window(members)
        share = sign / (hi - lo + 1) if hi >= lo else 0.0
        open_days = self.open_days[self.enterprise[members[0]]]
        for unit in {self.unit[r] for r in members}:
            demand = self.demand[unit]
            for k in range(lo, hi + 1):
                demand[open_days[k]] += share

    def _repair(self, r: int) -> bool:
        """Place a request after moving other requests out of its way, one move at most.

        On a day of its window either its unit is full (move one of the unit's rounds
        that day elsewhere) or the enterprise's round that day is in the way (full of
        units: move one unit's requests elsewhere; non-joinable: move the round).
        """
        unit, enterprise = self.unit[r], self.enterprise[r]
        open_days, rounds = self.open_days[enterprise], self.rounds_of[enterprise]
        self.budget = _REPAIR_BUDGET
        for k in range(self.lo[r], self.hi[r] + 1):
            day = open_days[k]
            target = rounds.get(day)
            unit_full = self.spare[unit][day] <= 0
            if target is None or self._can_join(target, [r]):
                if not unit_full or not self._free_unit(unit, day, target, split=True):
                    continue
            elif unit_full or target.given is not None or not self._evict(target, [r]):
                continue
            self._move([r], (day, rounds.get(day)))  # the move made this day fit
            return True
        return False

    def _can_join(self, target: _Round, members: list[int]) -> bool:
        """Whether requests may join a round, capacity aside."""
        units = target.unit_count.keys() | {self.unit[r] for r in members}
        return (
            target.given is None
            and self.joinable[target.members[0]]
            and all(self.joinable[r] for r in members)
            and len(units) <= self.max_units
        )

    def _free_unit(self, unit: int, day: int, keep: _Round | None, split: bool = False) -> bool:
        """Move one round the unit joins on ``day`` (not ``keep``) to another day.

        With ``split``, a round that cannot move whole may instead give up just the
        unit's requests, which costs a round when they have to open a new one.
        """
        for blocker in list(self.unit_day.get(unit * self.day_count + day, [])):
            if blocker is keep or blocker.given is not None:
                continue
            parts = [list(blocker.members)]
            if split and len(blocker.unit_count) > 1:
                parts.append([m for m in blocker.members if self.unit[m] == unit])
            for part in parts:
                self.budget -= 1
                if self.budget < 0:
                    return False
                slot = self._best_slot(part, exclude=day)
                if slot is not None:
                    self._move(part, slot)
                    return True
        return False

    def _evict(self, target: _Round, members: list[int]) -> bool:
        """Make room in ``target`` for ``members`` by moving some of its requests to another day.

        A joinable round gives up one unit's requests (the unit with fewest first);
        a non-joinable one, or one a non-joinable request wants, moves whole.
        """
        counts = target.unit_count
        parts = [list(target.members)]
        if self.joinable[target.members[0]] and all(self.joinable[r] for r in members):
            by_size = sorted(counts, key=lambda u: (counts[u], u))
            parts = [[m for m in target.members if self.unit[m] == u] for u in by_size]
        for part in parts:
            self.budget -= 1
            if self.budget < 0:
                return False
            slot = self._best_slot(part, exclude=target.day)
            if slot is not None:
                self._move(part, slot)
                return True
        return False

    def _merge_pass(self) -> bool:
        """Fold rounds into other rounds of their enterprise, smallest first; True if any."""
        merged = False
        for rounds in self.rounds_of:
            if len(rounds) < 2:
                continue
            for round_ in sorted(rounds.values(), key=lambda x: (len(x.members), x.day)):
                if round_.given is None and rounds.get(round_.day) is round_:
                    merged |= self._fold(round_)
        return merged

    def _fold(self, round_: _Round) -> bool:
        """Merge a round into another round of its enterprise; True if it did.

        When just one unit lacks capacity on the other round's day, one of the unit's
        rounds of that day is moved elsewhere first.
        """
        members = list(round_.members)
        slot = self._best_slot(members, exclude=round_.day, new=False)
        if slot is None:
            slot = self._make_room(round_, members)
        if slot is not None:
            self._move(members, slot)
        return slot is not None

    def _make_room(self, round_: _Round, members: list[int]) -> _Slot | None:
        lo, hi = self._window(members)
        open_days = self.open_days[round_.enterprise]
        self.budget = _REPAIR_BUDGET
        for other in list(self.rounds_of[round_.enterprise].values()):
            day = other.day
            if other is round_ or not lo <= bisect.bisect_left(open_days, day) <= hi:
                continue
            full = [u for u in round_.unit_count if u not in other.unit_count]
            full = [u for u in full if self.spare[u][day] <= 0]
            if (
                len(full) == 1
                and self._can_join(other, members)
                and self._free_unit(full[0], day, keep=other)
            ):
                return day, other
        return None

    # -- the result ---------------------------------------------------------------------------

    def result(self) -> GreedyPlan:
        """The plan as schema rounds and unscheduled request ids."""
        rounds = [
            round_.given or self._to_schema(round_)
            for enterprise_rounds in self.rounds_of
            for round_ in enterprise_rounds.values()
        ]
        rounds.sort(key=lambda x: (x.date, x.enterprise))
        unscheduled = tuple(
            request.id for r, request in enumerate(self.problem.requests) if self.placed[r] is None
        )
        return GreedyPlan(rounds=tuple(rounds), unscheduled=unscheduled)

    def _to_schema(self, round_: _Round) -> Round:
        requests = self.problem.requests
        items: dict[str, None] = {}
        unit_items: dict[str, dict[str, None]] = {}
        members = sorted(round_.members)
        for r in members:
            own = unit_items.setdefault(requests[r].unit, {})
            for item in requests[r].items:
                items.setdefault(item)
                own.setdefault(item)
        units = sorted(unit_items)
        return Round(
            enterprise=self.problem.enterprises[round_.enterprise].id,
            date=self.days[round_.day],
            requests=tuple(requests[r].id for r in members),
            lead_unit=min(units, key=lambda u: (-len(unit_items[u]), u)),
            units=tuple(units),
            items=tuple(items),
        )
