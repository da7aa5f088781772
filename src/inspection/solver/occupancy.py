"""Who is where in a plan: enterprise-days, units per round, unit load per day.

Used after the search to insert whatever still fits (a search stopped early
can leave room) and to tell, for each request left out, what blocks it on
each of its days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from inspection.solver.instance import Instance, RequestSlot
from inspection.solver.reason_codes import ReasonCode

__all__ = ["Blocker", "Occupancy"]


class Blocker(Enum):
    """Why a request cannot take a given day: the reason codes that name one day's obstacle."""

    _value_: ReasonCode

    UNIT_CAPACITY_FULL = ReasonCode.UNIT_CAPACITY_FULL
    ROUND_FULL = ReasonCode.ROUND_FULL
    ENTERPRISE_DAY_TAKEN = ReasonCode.ENTERPRISE_DAY_TAKEN


@dataclass(slots=True)
class _RoundState:
    solo: bool
    units: set[int] = field(default_factory=set)
    requests: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Occupancy:
    """The rounds of a plan being built, keyed by (enterprise, day index).

    Closed pinned rounds are not held here: the instance already removed their
    enterprise-days from every request's days and their load from the capacity.
    A pinned round open to joiners is an ordinary round here, its requests fixed
    slots placed before anything else (:meth:`place_fixed`).

    Attributes:
        capacity: Capacity per unit and day index that the held rounds draw on.
        max_units_per_round: Rule 4's limit.
    """

    capacity: list[list[int]]
    max_units_per_round: int
    rounds: dict[tuple[int, int], _RoundState] = field(default_factory=dict)
    load: dict[tuple[int, int], int] = field(default_factory=dict)

    @classmethod
    def of(cls, instance: Instance) -> Occupancy:
        """An empty plan of `instance`."""
        return cls(instance.capacity, instance.problem.max_units_per_round)

    @classmethod
    def from_days(cls, instance: Instance, days: dict[int, int]) -> Occupancy:
        """Occupancy of an assignment of request index to day index."""
        occupancy = cls.of(instance)
        for index in sorted(days):
            occupancy.place(instance.slots[index], days[index])
        return occupancy

    def days(self) -> dict[int, int]:
        """The assignment held: request index to day index."""
        return {i: day for (_e, day), state in self.rounds.items() for i in state.requests}

    def _spare(self, unit: int, day: int) -> int:
        return self.capacity[unit][day] - self.load.get((unit, day), 0)

    def blocker(self, slot: RequestSlot, day: int) -> Blocker | None:
        """What stops `slot` from taking `day`, or None when it fits."""
        state = self.rounds.get((slot.enterprise, day))
        if state is not None:
            if state.solo or not slot.joinable:
                return Blocker.ENTERPRISE_DAY_TAKEN
            if slot.unit in state.units:
                return None
            if len(state.units) >= self.max_units_per_round:
                return Blocker.ROUND_FULL
        if self._spare(slot.unit, day) <= 0:
            return Blocker.UNIT_CAPACITY_FULL
        return None

    def cost(self, slot: RequestSlot, day: int) -> int:
        """Rounds and unit-visits added by placing `slot` on a day it fits (lower is better)."""
        state = self.rounds.get((slot.enterprise, day))
        if state is None:
            return 2
        return 0 if slot.unit in state.units else 1

    def place(self, slot: RequestSlot, day: int) -> None:
        """Put `slot` on `day`; the caller has checked that it fits."""
        key = (slot.enterprise, day)
        state = self.rounds.get(key)
        if state is None:
            state = self.rounds[key] = _RoundState(solo=not slot.joinable)
        if slot.unit not in state.units:
            state.units.add(slot.unit)
            self.load[(slot.unit, day)] = self.load.get((slot.unit, day), 0) + 1
        state.requests.append(slot.index)

    def place_fixed(self, slots: Iterable[RequestSlot]) -> None:
        """Put the fixed requests among `slots` (of open pinned rounds) on their one day.

        Pinned rounds keep the rules together, so they fit before anything else is placed.
        """
        for slot in slots:
            if slot.fixed:
                self.place(slot, slot.days[0])

    def insert_what_fits(self, left_out: list[RequestSlot]) -> dict[int, int]:
        """Place every left-out request that fits somewhere, cheapest day first.

        Fixed requests, then higher priority and fewer days go first. Returns the
        placements made.
        """
        placed: dict[int, int] = {}
        order = sorted(left_out, key=lambda s: (not s.fixed, -s.priority, len(s.days), s.index))
        for slot in order:
            fitting = [d for d in slot.days if self.blocker(slot, d) is None]
            if fitting:
                day = min(fitting, key=lambda d: (self.cost(slot, d), d))
                self.place(slot, day)
                placed[slot.index] = day
        return placed
