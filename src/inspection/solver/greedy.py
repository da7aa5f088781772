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

Under format 1.1 every step keeps the rules too (quiet days, no-disturb, caps,
officers per unit and day: :mod:`inspection.solver.greedy_rules`), and a request
a used-up cap keeps out may take the visit from lighter counted requests.

This module is the strategy; the state it works on (rounds, loads, feasible
days, the choice of a day) is :class:`~inspection.solver.greedy_state.PlannerState`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from inspection.solver.assemble import joined_round
from inspection.solver.greedy_state import PlannerState, PlanRound, Slot
from inspection.solver.schema import Problem, Round

__all__ = ["GreedyPlan", "greedy_plan", "run_greedy"]

# Bounds on the repair step's work per request and on the place/repair/merge
# passes, so that a problem where most requests are blocked still finishes in
# near-linear time. Every pass that changes anything schedules more priority or
# saves a round, so passes end by themselves; two are usual.
_REPAIR_BUDGET = 32
_MAX_PASSES = 6


@dataclass(frozen=True, slots=True)
class GreedyPlan:
    """The greedy plan.

    Attributes:
        rounds: Pinned rounds as given (with the requests that joined them, when they
            are open) and the new rounds, sorted by date and enterprise id.
        unscheduled: Ids of the requests it could not place, in problem order.
    """

    rounds: tuple[Round, ...]
    unscheduled: tuple[str, ...]


def greedy_plan(
    problem: Problem, pinned: Sequence[Round] = (), open_pins: bool = False
) -> GreedyPlan:
    """Plan joint rounds greedily.

    Args:
        problem: The planning problem.
        pinned: Rounds that must be kept as given. Their requests are not placed
            again, their enterprise-days are taken and they use their units'
            capacity on their day.
        open_pins: Requests may join the pinned rounds (within the rules, like any
            round), which keep their date, lead unit and requests.

    Returns:
        A plan that keeps every validity rule of the interchange format.

    Raises:
        InvalidOptionsError: A pinned round breaks a rule of the format.
        UnknownCalendarError: The statutory calendar is needed for a year it does not know.
    """
    return run_greedy(problem, pinned, open_pins)[0]


def run_greedy(
    problem: Problem, pinned: Sequence[Round] = (), open_pins: bool = False
) -> tuple[GreedyPlan, PlannerState]:
    """The greedy plan and the planner's final state.

    The state also answers why a request stayed out (see
    :mod:`inspection.solver.greedy_solution`). Arguments and errors as :func:`greedy_plan`.
    """
    planner = _Planner(problem, pinned, open_pins)
    planner.run()
    return planner.result(), planner


class _Planner(PlannerState):
    """The greedy strategy: places, repairs and merges rounds on the planner's state."""

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
                changed |= slot is not None or self._repair(r) or self._swap_for_cap(r)
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

        On a day of its window either its unit is full or out of officers (move one of
        the unit's rounds that day elsewhere) or the enterprise's round that day is in
        the way (full of units: move one unit's requests elsewhere; non-joinable: move
        the round).
        """
        unit, enterprise = self.unit[r], self.enterprise[r]
        open_days, rounds = self.open_days[enterprise], self.rounds_of[enterprise]
        self.budget = _REPAIR_BUDGET
        for k in range(self.lo[r], self.hi[r] + 1):
            day = open_days[k]
            target = rounds.get(day)
            if self.rules.quiet(day, [r]):
                continue
            joined = target is not None and unit in target.unit_count
            # Out of officers counts as full: moving one of the unit's rounds frees some.
            unit_full = self.spare[unit][day] <= 0 or (
                not joined and not self.rules.can_staff(unit, day, enterprise)
            )
            if target is None or self._can_join(target, [r]):
                if not unit_full or not self._free_unit(unit, day, target, split=True):
                    continue
            elif unit_full or target.given is not None or not self._evict(target, [r]):
                continue
            if not self._rules_allow([r], day, rounds.get(day)):
                continue  # the move kept the plan valid, but the rules keep r out of this day
            self._move([r], (day, rounds.get(day)))  # the move made this day fit
            return True
        return False

    def _swap_for_cap(self, r: int) -> bool:
        """Place a request a used-up cap keeps out by taking its visit from less important ones.

        A round of the enterprise gives up its counted requests (or just those of
        the request's unit) when they weigh less than the request; they are placed
        again where they fit, else left out, so each swap gains priority.
        """
        rules, enterprise, unit = self.rules, self.enterprise[r], self.unit[r]
        if enterprise not in rules.capped or not rules.counted[r]:
            return False
        counted = rules.counted
        for victim in list(self.rounds_of[enterprise].values()):
            if victim.given is not None:
                continue
            parts = [[m for m in victim.members if counted[m] and self.unit[m] == unit]]
            parts.append([m for m in victim.members if counted[m]])
            for out in parts:
                if not out or sum(self.priority[m] for m in out) >= self.priority[r]:
                    continue
                day = victim.day
                for m in out:
                    self._remove(victim, m)
                slot = self._best_slot([r])
                if slot is None:
                    self._move(out, (day, self.rounds_of[enterprise].get(day)))  # put back
                    victim = self.rounds_of[enterprise][day]  # a new one, if it was emptied
                    continue
                self._move([r], slot)
                for m in sorted(out, key=lambda m: -self.priority[m]):
                    again = self._best_slot([m])
                    if again is not None:
                        self._move([m], again)
                return True
        return False

    def _can_join(self, target: PlanRound, members: list[int]) -> bool:
        """Whether requests may join a round, capacity aside."""
        units = target.unit_count.keys() | {self.unit[r] for r in members}
        return (
            self.joinable_round(target)
            and all(self.joinable[r] for r in members)
            and len(units) <= self.max_units
        )

    def _free_unit(self, unit: int, day: int, keep: PlanRound | None, split: bool = False) -> bool:
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

    def _evict(self, target: PlanRound, members: list[int]) -> bool:
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

    def _fold(self, round_: PlanRound) -> bool:
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

    def _make_room(self, round_: PlanRound, members: list[int]) -> Slot | None:
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
                and self._rules_allow(members, day, other)
                and self._free_unit(full[0], day, keep=other)
                and self._rules_allow(members, day, other)
            ):
                return day, other
        return None

    # -- the result ---------------------------------------------------------------------------

    def result(self) -> GreedyPlan:
        """The plan as schema rounds and unscheduled request ids."""
        rounds = [
            self._to_schema(round_) if round_.given is None else self._pinned_schema(round_)
            for enterprise_rounds in self.rounds_of
            for round_ in enterprise_rounds.values()
        ]
        rounds.sort(key=lambda x: (x.date, x.enterprise))
        unscheduled = tuple(
            request.id for r, request in enumerate(self.problem.requests) if self.placed[r] is None
        )
        return GreedyPlan(rounds=tuple(rounds), unscheduled=unscheduled)

    def _pinned_schema(self, round_: PlanRound) -> Round:
        """A pinned round as given, with the requests that joined it."""
        assert round_.given is not None
        requests, given = self.problem.requests, round_.given
        members = [requests[self.request_index[rid]] for rid in given.requests]
        kept = set(given.requests)
        joiners = [requests[r] for r in sorted(round_.members) if requests[r].id not in kept]
        return joined_round(given, members, joiners)

    def _to_schema(self, round_: PlanRound) -> Round:
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
