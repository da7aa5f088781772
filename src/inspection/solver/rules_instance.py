"""The rules of format 1.1 in the solver's terms: day filters, caps and staffed capacity.

Three rules only ever take days away from a request, so the instance applies
them once, as filters of each request's feasible days, and every part of the
solver (the CP-SAT model, the LP relaxation, the neighbourhood search, the
insertion of what still fits and the reasons) obeys them by construction:

- rule 7, quiet days: a request whose category is not exempt loses the quiet days
  (:meth:`DayRules.quiet_filter`);
- rule 8, no-disturb: a request whose category is not exempt has no day at a
  no-disturb enterprise (:meth:`DayRules.no_disturb_ban`);
- rule 10 for one round: a unit visits an enterprise only on days it has enough
  officers present and not recused there (:meth:`DayRules.officer_filter`).

Rule 10 across a unit's rounds of a day is a capacity: :func:`staffed_capacity`
lowers each unit's daily capacity to the rounds its officers present can staff,
which is exact unless some officer present is recused from one of the rounds;
for those unit-days the model also assigns the recused officers explicitly
(:class:`OfficerLoad`, :func:`~inspection.solver.constraints_rules.add_officer_staffing`),
and the exact check (:class:`~inspection.solver.staffing.Staffing`) guards every
plan the solver returns. Rule 9, the caps, couples a request's days with the rest of
the plan; :class:`Caps` carries what is left of them into the model.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from inspection.solver.reason_codes import ReasonCode
from inspection.solver.schema import Problem, Round
from inspection.solver.staffing import Staffing

if TYPE_CHECKING:  # the instance imports this module: its slots are only named here
    from inspection.solver.instance import RequestSlot

__all__ = [
    "NO_CAPS",
    "BindingCap",
    "CapDay",
    "Caps",
    "DayRules",
    "OfficerLoad",
    "binding_caps",
    "caps_left",
    "staffed_capacity",
]


@dataclass(frozen=True, slots=True)
class Caps:
    """What is left of the yearly caps for the rounds the solver places (rule 9).

    Attributes:
        pair: (unit, enterprise) to the rounds at the enterprise that may still hold a
            counted request of the unit.
        enterprise: Enterprise to the rounds that may still hold any counted request
            (a joint round counts once).
    """

    pair: dict[tuple[int, int], int] = field(default_factory=dict)
    enterprise: dict[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.pair or self.enterprise)

    def capped(self, unit: int, enterprise: int) -> bool:
        """Whether a counted request of `unit` at `enterprise` is under some cap."""
        return (unit, enterprise) in self.pair or enterprise in self.enterprise

    def used_up(self, unit: int, enterprise: int) -> bool:
        """Whether a cap of 0 keeps every counted request of `unit` from `enterprise`."""
        return self.pair.get((unit, enterprise), 1) == 0 or self.enterprise.get(enterprise, 1) == 0

    def less(self, pair: Counter[tuple[int, int]], enterprise: Counter[int]) -> Caps:
        """The caps left once rounds using `pair` and `enterprise` counts are kept fixed."""
        return Caps(
            {key: max(0, left - pair[key]) for key, left in self.pair.items()},
            {key: max(0, left - enterprise[key]) for key, left in self.enterprise.items()},
        )


NO_CAPS = Caps()
"""No cap at all: version 1, or a 1.1 problem without caps."""


@dataclass(frozen=True, slots=True)
class OfficerLoad:
    """The officers of a part's model, and the rounds outside it that already take some.

    Attributes:
        staffing: The problem's officers.
        fixed: (unit, day index) to the enterprises of the unit's rounds that the model
            does not place (closed pinned rounds, the rest of the plan around a slice).
    """

    staffing: Staffing
    fixed: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def with_fixed(self, more: dict[tuple[int, int], list[int]]) -> OfficerLoad:
        """The same officers with more rounds outside the model."""
        merged = {key: list(enterprises) for key, enterprises in self.fixed.items()}
        for key, enterprises in more.items():
            merged.setdefault(key, []).extend(enterprises)
        return OfficerLoad(self.staffing, merged)


@dataclass(frozen=True, slots=True)
class CapDay:
    """One day of a binding cap: its members that may take the day, and how to count it.

    Attributes:
        day: The day index.
        members: The cap's counted requests (by index) that may take the day.
        exact: No uncounted request may take the day (of the cap's unit, or of any unit for
            an enterprise cap): a round there holds a counted request exactly when it
            exists, so the round's own variables count it (the joint round, or the unit's
            share in it, and the `solos`) instead of an indicator above the members.
        solos: The non-joinable requests (by index) that may take the day, of the cap's
            unit or of any unit: rounds of their own.
    """

    day: int
    members: tuple[int, ...]
    exact: bool
    solos: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class BindingCap:
    """A cap that more counted requests could pass than it allows, day by day.

    Attributes:
        unit: The unit of a unit-enterprise cap; None for an enterprise cap.
        enterprise: The enterprise.
        remaining: The rounds it allows.
        days: Every day one of its members may take.
    """

    unit: int | None
    enterprise: int
    remaining: int
    days: tuple[CapDay, ...]


def binding_caps(requests: Sequence[RequestSlot], caps: Caps) -> list[BindingCap]:
    """The caps that can bind among `requests`, with what each model needs per day.

    Shared by the CP-SAT model and the LP relaxation, so both count a cap alike. A
    cap with no more counted requests than it allows cannot bind: each request is in
    one round at most.
    """
    if not caps:
        return []
    counted_of_pair: dict[tuple[int, int], list[RequestSlot]] = defaultdict(list)
    counted_at: dict[int, list[RequestSlot]] = defaultdict(list)
    unit_counted: dict[tuple[int, int, int], bool] = {}
    all_counted: dict[tuple[int, int], bool] = {}
    solos: dict[tuple[int, int], list[RequestSlot]] = defaultdict(list)
    for slot in requests:
        if slot.counted:
            counted_of_pair[slot.unit, slot.enterprise].append(slot)
            counted_at[slot.enterprise].append(slot)
        for day in slot.days:
            key = (slot.unit, slot.enterprise, day)
            unit_counted[key] = unit_counted.get(key, True) and slot.counted
            both = (slot.enterprise, day)
            all_counted[both] = all_counted.get(both, True) and slot.counted
            if not slot.joinable:
                solos[both].append(slot)

    def cap(unit: int | None, enterprise: int, members: list[RequestSlot], left: int) -> BindingCap:
        by_day: dict[int, list[int]] = defaultdict(list)
        for slot in members:
            for day in slot.days:
                by_day[day].append(slot.index)
        days = []
        for day, indices in sorted(by_day.items()):
            if unit is None:
                exact = all_counted.get((enterprise, day), False)
            else:
                exact = unit_counted.get((unit, enterprise, day), False)
            own = tuple(
                s.index for s in solos.get((enterprise, day), []) if unit is None or s.unit == unit
            )
            days.append(CapDay(day, tuple(indices), exact, own))
        return BindingCap(unit, enterprise, left, tuple(days))

    binding = [
        cap(unit, enterprise, counted_of_pair[unit, enterprise], left)
        for (unit, enterprise), left in sorted(caps.pair.items())
        if len(counted_of_pair.get((unit, enterprise), [])) > left
    ]
    binding += [
        cap(None, enterprise, counted_at[enterprise], left)
        for enterprise, left in sorted(caps.enterprise.items())
        if len(counted_at.get(enterprise, [])) > left
    ]
    return binding


def caps_left(
    problem: Problem,
    unit_index: dict[str, int],
    enterprise_index: dict[str, int],
    closed: Sequence[Round],
) -> Caps:
    """The problem's caps less what the closed pinned rounds already use."""
    caps = problem.effective_rules.caps
    if not caps.unit_enterprise and not caps.enterprise:
        return NO_CAPS
    requests = {r.id: r for r in problem.requests}
    pair_used: Counter[tuple[int, int]] = Counter()
    enterprise_used: Counter[int] = Counter()
    for round_ in closed:
        counted = [requests[rid] for rid in round_.requests if caps.counts(requests[rid].category)]
        enterprise = enterprise_index[round_.enterprise]
        if counted:
            enterprise_used[enterprise] += 1
        for unit_id in {r.unit for r in counted}:
            pair_used[unit_index[unit_id], enterprise] += 1
    whole = Caps(
        {
            (unit_index[c.unit], enterprise_index[c.enterprise]): c.remaining
            for c in caps.unit_enterprise
        },
        {enterprise_index[c.enterprise]: c.remaining for c in caps.enterprise},
    )
    return whole.less(pair_used, enterprise_used)


def staffed_capacity(capacity: list[list[int]], staffing: Staffing) -> list[list[int]]:
    """Each unit's daily capacity lowered to the rounds its officers present can staff."""
    lowered = [row[:] for row in capacity]
    for unit in staffing.officers:
        for day in range(len(lowered[unit])):
            possible = staffing.rounds_possible(unit, day)
            if possible is not None and possible < lowered[unit][day]:
                lowered[unit][day] = possible
    return lowered


class DayRules:
    """The day filters of rules 7, 8 and 10 for the requests of one problem."""

    def __init__(self, problem: Problem, days: Sequence[date], staffing: Staffing) -> None:
        """Index the rules of `problem` over its working `days`."""
        rules = problem.effective_rules
        self._problem = problem
        self._rules = rules
        self._staffing = staffing
        quiet = set(rules.quiet_days.days)
        self.quiet_days = frozenset(d for d, on in enumerate(days) if on in quiet)
        self._no_disturb = {e.id for e in problem.enterprises if e.no_disturb}

    def no_disturb_ban(self, index: int) -> bool:
        """Rule 8: the request is not exempt and its enterprise is on the no-disturb list."""
        request = self._problem.requests[index]
        return request.enterprise in self._no_disturb and self._rules.disturbs(request.category)

    def quiet_filter(self, index: int, days: Sequence[int]) -> list[int]:
        """Rule 7: the request's days, less the quiet days unless its category is exempt."""
        request = self._problem.requests[index]
        if not self.quiet_days or request.category in self._rules.quiet_days.exempt_categories:
            return list(days)
        return [d for d in days if d not in self.quiet_days]

    def officer_filter(self, unit: int, enterprise: int, days: Sequence[int]) -> list[int]:
        """Rule 10 for one round: days the unit can staff a round at the enterprise."""
        if not self._staffing.staffed(unit):
            return list(days)
        return [d for d in days if self._staffing.can_visit(unit, d, enterprise)]

    def filter(
        self, index: int, unit: int, enterprise: int, days: Sequence[int]
    ) -> tuple[list[int], Counter[ReasonCode]]:
        """The request's days that rules 7 and 10 leave, and how many each rule took."""
        removed: Counter[ReasonCode] = Counter()
        quiet = self.quiet_filter(index, days)
        if len(quiet) < len(days):
            removed[ReasonCode.QUIET_DAY] = len(days) - len(quiet)
        staffed = self.officer_filter(unit, enterprise, quiet)
        if len(staffed) < len(quiet):
            removed[ReasonCode.NO_OFFICER] = len(quiet) - len(staffed)
        return staffed, removed
