"""The problem in the solver's terms: day indices, feasible days, pins and independent parts.

Everything the model needs is computed here once, in plain Python structures
indexed by position, so that the model builders stay small and the model
grows with requests × feasible days rather than enterprises × horizon.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from inspection.solver.calendar import working_days
from inspection.solver.reason_codes import ReasonCode
from inspection.solver.rules_instance import Caps, DayRules, caps_left, staffed_capacity
from inspection.solver.schema import Problem, Round
from inspection.solver.staffing import Staffing

__all__ = ["Component", "Instance", "RequestSlot", "build_instance"]


@dataclass(frozen=True, slots=True)
class RequestSlot:
    """A request that can still be placed, with the working-day indices it may take.

    A `fixed` slot is a request of a pinned round open to joiners: its one day is
    its round's and every plan places it there, so that round is an ordinary
    round of the model whose members partly are given. A `counted` slot counts
    against a cap of format 1.1 that covers its unit or enterprise.
    """

    index: int
    unit: int
    enterprise: int
    joinable: bool
    priority: int
    days: tuple[int, ...]
    fixed: bool = False
    counted: bool = False


@dataclass(slots=True)
class Component:
    """A part of the problem that shares no enterprise and no binding capacity with the rest."""

    requests: list[RequestSlot] = field(default_factory=list)


@dataclass(slots=True)
class Instance:
    """Index structures of one problem, with pinned rounds taken out.

    Attributes:
        problem: The problem as given.
        days: The horizon's working days; everything else refers to their indices.
        unit_index: Unit id to position in ``problem.units``.
        enterprise_index: Enterprise id to position in ``problem.enterprises``.
        request_index: Request id to position in ``problem.requests``.
        capacity: ``capacity[u][d]``, rounds unit ``u`` can still join on day ``d``
            once the closed pinned rounds are counted (and, in format 1.1, no more than
            its officers present can staff).
        taken_days: Enterprise-days occupied by a closed pinned round.
        slots: Requests that have at least one day left, by request index (with the
            fixed requests of the open pinned rounds).
        precluded: Request index to the code of why it has no day at all.
        pinned: The pinned rounds, as given.
        closed: The pinned rounds kept outside the model, exactly as given (all of
            them unless they are open to joiners).
        open_rounds: The pinned rounds open to joiners, by (enterprise, day index);
            their requests are fixed slots.
        pinned_requests: Indices of the requests the closed pinned rounds hold.
        pin_conflicts: Why the pinned rounds cannot be kept, if they cannot.
        caps: What is left of the caps of format 1.1 once the closed pinned rounds count.
        staffing: The officers of format 1.1, for the exact staffing check.
        removed: Request index to the days of its window that rules 7 and 10 took, by code.
        closed_visits: (unit, day index) to the enterprises of the closed pinned rounds the
            unit joins, for the units with officers: their officers are taken.
    """

    problem: Problem
    days: list[date]
    unit_index: dict[str, int]
    enterprise_index: dict[str, int]
    request_index: dict[str, int]
    capacity: list[list[int]]
    taken_days: set[tuple[int, int]]
    slots: dict[int, RequestSlot]
    precluded: dict[int, ReasonCode]
    pinned: tuple[Round, ...]
    closed: tuple[Round, ...]
    open_rounds: dict[tuple[int, int], Round]
    pinned_requests: set[int]
    pin_conflicts: list[str]
    caps: Caps = field(default_factory=Caps)
    staffing: Staffing | None = None
    removed: dict[int, Counter[ReasonCode]] = field(default_factory=dict)
    closed_visits: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def components(self) -> list[Component]:
        """Split the free requests into parts that can be solved on their own.

        Two enterprises belong together when a unit could exceed its capacity on
        a day by visiting both, or when an officer recused from one of them could be
        needed at the other; a (unit, day) whose every possible visit fits in its
        capacity, with no recusal among them, couples nothing. Parts come largest first.
        """
        parent = list(range(len(self.problem.enterprises)))

        def find(node: int) -> int:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        # Possible visits of each (unit, day): joint visits count once per enterprise.
        visits: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
        for slot in self.slots.values():
            key = (slot.enterprise, -1 if slot.joinable else slot.index)
            for day in slot.days:
                visits[(slot.unit, day)].add(key)
        staffing = self.staffing
        for (unit, day), possible in visits.items():
            fits = len(possible) <= self.capacity[unit][day]
            if fits and (
                staffing is None
                or len(possible) < 2
                or not staffing.recused_among(unit, day, {e for e, _ in possible})
            ):
                continue  # nothing couples: the count fits, and no recusal can spoil it
            enterprises = sorted({e for e, _ in possible})
            root = find(enterprises[0])
            for other in enterprises[1:]:
                parent[find(other)] = root

        parts: dict[int, Component] = {}
        for slot in sorted(self.slots.values(), key=lambda s: s.index):
            part = parts.setdefault(find(slot.enterprise), Component())
            part.requests.append(slot)
        return sorted(parts.values(), key=lambda p: (-len(p.requests), p.requests[0].index))


def _pin_conflicts(problem: Problem, pinned: Sequence[Round], days: list[date]) -> list[str]:
    """Every reason the pinned rounds break a rule of the problem (empty when they can be kept)."""
    requests = {r.id: r for r in problem.requests}
    enterprises = {e.id: e for e in problem.enterprises}
    unit_by_id = {u.id: u for u in problem.units}
    working = set(days)
    conflicts: list[str] = []
    seen_requests: set[str] = set()
    seen_enterprise_days: set[tuple[str, date]] = set()
    load: dict[tuple[str, date], int] = defaultdict(int)
    for round_ in pinned:
        where = f"pinned round {round_.enterprise} {round_.date}"
        if round_.enterprise not in enterprises:
            conflicts.append(f"{where}: unknown enterprise")
            continue
        if (round_.enterprise, round_.date) in seen_enterprise_days:
            conflicts.append(f"{where}: a second round for the enterprise that day")
        seen_enterprise_days.add((round_.enterprise, round_.date))
        if round_.date not in working:
            conflicts.append(f"{where}: not a working day of the horizon")
        if round_.date in enterprises[round_.enterprise].blackout_days:
            conflicts.append(f"{where}: a blackout day of the enterprise")
        units: set[str] = set()
        for rid in round_.requests:
            request = requests.get(rid)
            if request is None:
                conflicts.append(f"{where}: unknown request {rid}")
                continue
            if rid in seen_requests:
                conflicts.append(f"{where}: request {rid} is pinned twice")
            seen_requests.add(rid)
            units.add(request.unit)
            if request.enterprise != round_.enterprise:
                conflicts.append(f"{where}: request {rid} is for {request.enterprise}")
            if not request.earliest <= round_.date <= request.latest:
                conflicts.append(f"{where}: outside the window of request {rid}")
            if not request.joinable and len(round_.requests) > 1:
                conflicts.append(f"{where}: non-joinable request {rid} shares the round")
        if len(units) > problem.max_units_per_round:
            conflicts.append(f"{where}: {len(units)} units, more than max_units_per_round")
        for unit in units:
            load[(unit, round_.date)] += 1
    for (unit, day), used in sorted(load.items()):
        if used > unit_by_id[unit].capacity_on(day):
            conflicts.append(
                f"pinned rounds: unit {unit} joins {used} rounds on {day}, over capacity"
            )
    return conflicts


def build_instance(
    problem: Problem, pinned: Sequence[Round] = (), open_pins: bool = False
) -> Instance:
    """Index a problem for the model.

    Args:
        problem: A validated problem.
        pinned: Rounds that must be kept. Closed ones (the default) are kept outside the
            model: their requests are not placed again, their enterprise-days are taken
            and their units' capacity is spent.
        open_pins: The pinned rounds are open to joiners instead: their requests become
            fixed slots on the round's day, and the model's rules (one round per
            enterprise-day, units per round, capacity, joinability) decide who joins.

    Raises:
        UnknownCalendarError: the statutory calendar is needed for a year it does not know.
    """
    days = working_days(problem)
    day_index = {d: i for i, d in enumerate(days)}
    unit_index = {u.id: i for i, u in enumerate(problem.units)}
    enterprise_index = {e.id: i for i, e in enumerate(problem.enterprises)}
    request_index = {r.id: i for i, r in enumerate(problem.requests)}
    staffing = Staffing(problem, days)
    day_rules = DayRules(problem, days, staffing)
    capacity = staffed_capacity([[u.capacity_on(d) for d in days] for u in problem.units], staffing)

    conflicts = _pin_conflicts(problem, pinned, days)
    closed = () if open_pins or conflicts else pinned
    caps = caps_left(problem, unit_index, enterprise_index, closed)
    cap_rules = problem.effective_rules.caps

    def request_counted(category: str, unit: int, enterprise: int) -> bool:
        return bool(caps) and caps.capped(unit, enterprise) and cap_rules.counts(category)

    taken_days: set[tuple[int, int]] = set()
    closed_visits: dict[tuple[int, int], list[int]] = {}
    pinned_requests: set[int] = set()
    open_rounds: dict[tuple[int, int], Round] = {}
    slots: dict[int, RequestSlot] = {}
    if not conflicts:
        for round_ in pinned:
            day = day_index[round_.date]
            enterprise = enterprise_index[round_.enterprise]
            members = [request_index[r] for r in round_.requests]
            if open_pins:
                open_rounds[(enterprise, day)] = round_
                for index in members:
                    request = problem.requests[index]
                    slots[index] = RequestSlot(
                        index,
                        unit_index[request.unit],
                        enterprise,
                        request.joinable,
                        request.priority,
                        (day,),
                        fixed=True,
                        counted=request_counted(
                            request.category, unit_index[request.unit], enterprise
                        ),
                    )
                continue
            taken_days.add((enterprise, day))
            for unit_id in {problem.requests[index].unit for index in members}:
                row = capacity[unit_index[unit_id]]
                row[day] = max(0, row[day] - 1)  # staffing may be short: the draw will say
                if staffing.staffed(unit_index[unit_id]):
                    closed_visits.setdefault((unit_index[unit_id], day), []).append(enterprise)
            pinned_requests.update(members)

    blackout = [
        {day_index[d] for d in e.blackout_days if d in day_index} for e in problem.enterprises
    ]
    start, end = problem.horizon.start, problem.horizon.end
    precluded: dict[int, ReasonCode] = {}
    removed: dict[int, Counter[ReasonCode]] = {}
    for index, request in enumerate(problem.requests):
        if index in pinned_requests or index in slots:
            continue
        low, high = max(request.earliest, start), min(request.latest, end)
        if low > high:
            precluded[index] = ReasonCode.WINDOW_OUTSIDE_HORIZON
            continue
        first, last = bisect.bisect_left(days, low), bisect.bisect_right(days, high)
        if first >= last:
            precluded[index] = ReasonCode.NO_WORKING_DAY_IN_WINDOW
            continue
        enterprise, unit = enterprise_index[request.enterprise], unit_index[request.unit]
        open_days = [d for d in range(first, last) if d not in blackout[enterprise]]
        if not open_days:
            precluded[index] = ReasonCode.BLACKOUT_COVERS_WINDOW
            continue
        unit_open = [d for d in open_days if problem.units[unit].capacity_on(days[d]) > 0]
        if not unit_open:
            precluded[index] = ReasonCode.UNIT_DAYS_OFF
            continue
        counted = request_counted(request.category, unit, enterprise)
        if day_rules.no_disturb_ban(index):
            precluded[index] = ReasonCode.NO_DISTURB
            continue
        if counted and caps.used_up(unit, enterprise):
            precluded[index] = ReasonCode.CAP_REACHED
            continue
        lawful, removed_days = day_rules.filter(index, unit, enterprise, unit_open)
        if not lawful:
            precluded[index] = removed_days.most_common(1)[0][0]
            continue
        if removed_days:
            removed[index] = removed_days
        free_days = tuple(
            d for d in lawful if (enterprise, d) not in taken_days and capacity[unit][d] > 0
        )
        if not free_days:
            precluded[index] = ReasonCode.PINNED_ROUNDS_FILL_WINDOW
            continue
        slots[index] = RequestSlot(
            index, unit, enterprise, request.joinable, request.priority, free_days, counted=counted
        )
    return Instance(
        problem=problem,
        days=days,
        unit_index=unit_index,
        enterprise_index=enterprise_index,
        request_index=request_index,
        capacity=capacity,
        taken_days=taken_days,
        slots=dict(sorted(slots.items())),
        precluded=precluded,
        pinned=tuple(pinned),
        closed=() if open_pins else tuple(pinned),
        open_rounds=open_rounds,
        pinned_requests=pinned_requests,
        pin_conflicts=conflicts,
        caps=caps,
        staffing=staffing,
        removed=removed,
        closed_visits=closed_visits,
    )
