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
from inspection.solver.rules_instance import NO_CAPS, Caps
from inspection.solver.staffing import Staffing

__all__ = ["Blocker", "Occupancy"]


class Blocker(Enum):
    """Why a request cannot take a given day: the reason codes that name one day's obstacle."""

    _value_: ReasonCode

    UNIT_CAPACITY_FULL = ReasonCode.UNIT_CAPACITY_FULL
    ROUND_FULL = ReasonCode.ROUND_FULL
    ENTERPRISE_DAY_TAKEN = ReasonCode.ENTERPRISE_DAY_TAKEN
    CAP_REACHED = ReasonCode.CAP_REACHED
    NO_OFFICER = ReasonCode.NO_OFFICER


@dataclass(slots=True)
class _RoundState:
    solo: bool
    units: set[int] = field(default_factory=set)
    requests: list[int] = field(default_factory=list)
    counted_units: set[int] = field(default_factory=set)  # units with a counted request here


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
        caps: The caps of format 1.1 left for the held rounds (rule 9).
        staffing: The officers, to check exactly that each unit can staff its rounds of a
            day (rule 10); None checks only the count, which `capacity` carries.
        visits: (unit, day index) to the enterprises the unit visits, for the units with
            officers, closed pinned rounds included.
    """

    capacity: list[list[int]]
    max_units_per_round: int
    caps: Caps = NO_CAPS
    staffing: Staffing | None = None
    rounds: dict[tuple[int, int], _RoundState] = field(default_factory=dict)
    load: dict[tuple[int, int], int] = field(default_factory=dict)
    pair_used: dict[tuple[int, int], int] = field(default_factory=dict)
    enterprise_used: dict[int, int] = field(default_factory=dict)
    visits: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    _slot_of: dict[int, RequestSlot] = field(default_factory=dict)

    @classmethod
    def of(cls, instance: Instance) -> Occupancy:
        """An empty plan of `instance` (its closed pinned rounds' officers already out)."""
        occupancy = cls(
            instance.capacity,
            instance.problem.max_units_per_round,
            instance.caps,
            instance.staffing if instance.staffing and instance.staffing.officers else None,
        )
        if occupancy.staffing is not None:
            occupancy.visits = {key: list(v) for key, v in instance.closed_visits.items()}
        return occupancy

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
        # a unit already in the round spends no capacity and no officers on it, but a
        # counted request may still pass a cap (the unit may be there with exempt ones)
        joined = state is not None and slot.unit in state.units
        if state is not None:
            if state.solo or not slot.joinable:
                return Blocker.ENTERPRISE_DAY_TAKEN
            if not joined and len(state.units) >= self.max_units_per_round:
                return Blocker.ROUND_FULL
        if not joined and self._spare(slot.unit, day) <= 0:
            return Blocker.UNIT_CAPACITY_FULL
        if slot.counted and not self._caps_allow(slot, state):
            return Blocker.CAP_REACHED
        if (
            self.staffing is not None
            and not joined
            and not self.staffing.can_staff(
                slot.unit, day, [*self.visits.get((slot.unit, day), ()), slot.enterprise]
            )
        ):
            return Blocker.NO_OFFICER
        return None

    def _caps_allow(self, slot: RequestSlot, state: _RoundState | None) -> bool:
        """Whether a counted request may join (or open) the round without passing a cap."""
        enterprise = slot.enterprise
        counted_units = state.counted_units if state is not None else set()
        limit = self.caps.enterprise.get(enterprise)
        if (
            limit is not None
            and not counted_units
            and self.enterprise_used.get(enterprise, 0) >= limit
        ):
            return False
        pair = (slot.unit, enterprise)
        limit = self.caps.pair.get(pair)
        return not (
            limit is not None
            and slot.unit not in counted_units
            and self.pair_used.get(pair, 0) >= limit
        )

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
            if self.staffing is not None and self.staffing.staffed(slot.unit):
                self.visits.setdefault((slot.unit, day), []).append(slot.enterprise)
        if slot.counted:
            if not state.counted_units:
                self.enterprise_used[slot.enterprise] = (
                    self.enterprise_used.get(slot.enterprise, 0) + 1
                )
            if slot.unit not in state.counted_units:
                state.counted_units.add(slot.unit)
                pair = (slot.unit, slot.enterprise)
                self.pair_used[pair] = self.pair_used.get(pair, 0) + 1
        state.requests.append(slot.index)
        self._slot_of[slot.index] = slot

    def take_out(self, slots: Iterable[RequestSlot], day: int) -> None:
        """Remove some requests from their round of `day` (the caller names only such)."""
        for slot in slots:
            key = (slot.enterprise, day)
            state = self.rounds[key]
            state.requests.remove(slot.index)
            if slot.counted and not any(
                i != slot.index and self._slot_of[i].counted and self._slot_of[i].unit == slot.unit
                for i in state.requests
            ):
                state.counted_units.discard(slot.unit)
                pair = (slot.unit, slot.enterprise)
                self.pair_used[pair] -= 1
                if not state.counted_units:
                    self.enterprise_used[slot.enterprise] -= 1
            if not any(self._slot_of[i].unit == slot.unit for i in state.requests):
                state.units.discard(slot.unit)
                self.load[(slot.unit, day)] -= 1
                if self.staffing is not None and self.staffing.staffed(slot.unit):
                    self.visits[(slot.unit, day)].remove(slot.enterprise)
            if not state.requests:
                del self.rounds[key]

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
