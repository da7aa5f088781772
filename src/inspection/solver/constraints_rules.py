"""The caps and the officers of format 1.1 in the CP-SAT model (rules 9 and 10).

Rules 7 and 8 (quiet days, no-disturb) and rule 10 for a single round (enough
officers present and not recused) take days away from a request, so they hold
by construction: the instance filters each request's days
(:mod:`inspection.solver.rules_instance`). Rule 10 across a unit's rounds of a
day is the unit's capacity, lowered to what its officers present can staff,
which :func:`~inspection.solver.constraints.add_unit_capacity` keeps; it is exact
unless an officer present is recused from one of the unit's rounds, where
:func:`add_officer_staffing` assigns those officers explicitly. The caps count
rounds over the whole horizon.

A round at an enterprise on a day holds a counted request of a unit exactly
when one of the unit's counted requests there takes that day (one round per
enterprise-day), so each cap sums, over the days, an indicator that is at
least each such request's literal.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from inspection.solver.rules_instance import Caps, OfficerLoad
from inspection.solver.variables import Variables

__all__ = ["add_enterprise_caps", "add_officer_staffing", "add_unit_enterprise_caps"]


def _capped_rounds(
    model: cp_model.CpModel,
    variables: Variables,
    members: list[tuple[int, tuple[int, ...]]],
    remaining: int,
    rounds_of_day: dict[int, list[cp_model.IntVar]] | None = None,
) -> None:
    """At most `remaining` days on which one of `members` (request index, its days) is placed.

    `rounds_of_day`, where given for a day, are literals whose sum is exactly whether
    such a round is on that day (the enterprise's round literals when every request
    that may take the day is a member): they replace the indicator, which ties the
    cap to the rounds the objective counts.
    """
    if len(members) <= remaining:
        return  # each request is in one round at most: the cap cannot bind
    by_day: dict[int, list[int]] = defaultdict(list)
    for index, days in members:
        for day in days:
            by_day[day].append(index)
    indicators: list[cp_model.IntVar] = []
    for day, indices in sorted(by_day.items()):
        literals = [variables.assign[i][day] for i in indices]
        exact = (rounds_of_day or {}).get(day)
        if exact is not None:
            indicators.extend(exact)
            continue
        if len(literals) == 1:
            indicators.append(literals[0])
            continue
        indicator = model.new_bool_var("")
        for literal in literals:
            model.add_implication(literal, indicator)
        variables.cap_indicators.append((indicator, [(i, day) for i in indices]))
        indicators.append(indicator)
    model.add(cp_model.LinearExpr.sum(indicators) <= remaining)


class _RoundLiterals:
    """Where a cap may count rounds by the rounds' own literals instead of an indicator.

    On an enterprise-day that no uncounted request may take, a round holds a
    counted request exactly when it exists: the joint round's literal (or, for one
    unit, its share in it) and the solo requests' literals then count it exactly.
    """

    def __init__(self, variables: Variables) -> None:
        self._variables = variables
        # (unit, enterprise, day) and (enterprise, day): whether every taker is counted
        self._unit_counted: dict[tuple[int, int, int], bool] = {}
        self._all_counted: dict[tuple[int, int], bool] = {}
        takers = [s for slots in variables.unit_requests.values() for s in slots]
        takers += [s for slots in variables.solo.values() for s in slots]
        for slot in dict.fromkeys(takers):
            for day in slot.days:
                key = (slot.unit, slot.enterprise, day)
                self._unit_counted[key] = self._unit_counted.get(key, True) and slot.counted
                both = (slot.enterprise, day)
                self._all_counted[both] = self._all_counted.get(both, True) and slot.counted

    def _solos(self, enterprise: int, day: int, unit: int | None) -> list[cp_model.IntVar]:
        solo = self._variables.solo.get((enterprise, day), [])
        return [
            self._variables.assign[s.index][day] for s in solo if unit is None or s.unit == unit
        ]

    def of_unit(
        self, unit: int, enterprise: int, days: set[int]
    ) -> dict[int, list[cp_model.IntVar]]:
        """Day to the literals of the unit's rounds at the enterprise, where they count exactly."""
        joins = self._variables.joins
        exact = {}
        for day in days:
            if self._unit_counted.get((unit, enterprise, day), False):
                share = [joins[unit, enterprise, day]] if (unit, enterprise, day) in joins else []
                exact[day] = [*share, *self._solos(enterprise, day, unit)]
        return exact

    def of_enterprise(self, enterprise: int, days: set[int]) -> dict[int, list[cp_model.IntVar]]:
        """Day to the literals of the enterprise's rounds, where they count exactly."""
        joint = self._variables.joint
        exact = {}
        for day in days:
            if self._all_counted.get((enterprise, day), False):
                own = [joint[enterprise, day]] if (enterprise, day) in joint else []
                exact[day] = [*own, *self._solos(enterprise, day, None)]
        return exact


def add_unit_enterprise_caps(model: cp_model.CpModel, variables: Variables, caps: Caps) -> None:
    """Rule 9: the rounds at an enterprise holding a counted request of a unit, at most its cap."""
    binding = {
        pair: left
        for pair, left in caps.pair.items()
        if len(variables.counted.get(pair, [])) > left
    }
    if not binding:
        return
    rounds = _RoundLiterals(variables)
    for (unit, enterprise), remaining in sorted(binding.items()):
        members = [(s.index, s.days) for s in variables.counted[unit, enterprise]]
        days = {d for _i, slot_days in members for d in slot_days}
        exact = rounds.of_unit(unit, enterprise, days)
        _capped_rounds(model, variables, members, remaining, exact)


def add_enterprise_caps(model: cp_model.CpModel, variables: Variables, caps: Caps) -> None:
    """Rule 9: the rounds at an enterprise holding any counted request, at most its cap.

    A joint round counts once, whichever units bring counted requests to it.
    """
    by_enterprise: dict[int, list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
    for (_unit, enterprise), slots in variables.counted.items():
        by_enterprise[enterprise].extend((s.index, s.days) for s in slots)
    binding = {e: left for e, left in caps.enterprise.items() if len(by_enterprise[e]) > left}
    if not binding:
        return
    rounds = _RoundLiterals(variables)
    for enterprise, remaining in sorted(binding.items()):
        members = by_enterprise[enterprise]
        days = {d for _i, slot_days in members for d in slot_days}
        exact = rounds.of_enterprise(enterprise, days)
        _capped_rounds(model, variables, members, remaining, exact)


def add_officer_staffing(
    model: cp_model.CpModel, variables: Variables, officers: OfficerLoad | None
) -> None:
    """Rule 10 exactly, where recusals make the count wrong: officers for a unit's rounds of a day.

    Only unit-days with two rounds or more possible and an officer present who is
    recused from one of them need it. There the recused officers are assigned to
    rounds explicitly (``y[o, e]``, at most ``officer_daily_rounds`` each) and the
    others are interchangeable: ``f`` officers who may go anywhere, each to at most
    ``D`` rounds and once per round, can cover what the recused leave of each
    round (``m_e``) exactly when ``sum m_e <= f * D`` and every ``m_e <= f``
    (Gale-Ryser for a complete bipartite graph).
    """
    if officers is None:
        return
    staffing = officers.staffing
    rounds: dict[tuple[int, int], dict[int, list[cp_model.IntVar]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (unit, enterprise, day), joins in variables.joins.items():
        if staffing.staffed(unit):
            rounds[unit, day][enterprise].append(joins)
    for (enterprise, day), slots in variables.solo.items():
        for slot in slots:
            if staffing.staffed(slot.unit):
                rounds[slot.unit, day][enterprise].append(variables.assign[slot.index][day])
    needed, daily = staffing.needed, staffing.daily_rounds
    for (unit, day), by_enterprise in sorted(rounds.items()):
        fixed = officers.fixed.get((unit, day), [])
        enterprises = sorted(set(by_enterprise) | set(fixed))
        recused = staffing.recused_among(unit, day, enterprises)
        if len(enterprises) < 2 or not recused:
            continue  # one round: the day filter staffed it; no recusal: the count is exact
        free = len(staffing.present(unit, day)) - len(recused)
        # whether the unit is in the round at each enterprise the model places (0 or 1: one
        # round per enterprise-day); the rounds outside the model are there
        joined = {e: cp_model.LinearExpr.sum(lits) for e, lits in by_enterprise.items()}
        sent: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for officer in recused:
            mine = []
            for enterprise in enterprises:
                if officer in staffing.recused_at(unit, enterprise):
                    continue
                goes = model.new_bool_var("")
                if enterprise in by_enterprise:
                    model.add(goes <= joined[enterprise])
                sent[enterprise].append(goes)
                mine.append(goes)
            if len(mine) > daily:
                model.add(cp_model.LinearExpr.sum(mine) <= daily)
        left_to_free = []
        for enterprise in enterprises:
            from_recused = cp_model.LinearExpr.sum(sent[enterprise])
            if enterprise in joined:
                share = needed * joined[enterprise] - from_recused
            else:
                share = needed - from_recused
            model.add(share >= 0)
            if free < needed:
                model.add(share <= free)
            left_to_free.append(share)
        model.add(cp_model.LinearExpr.sum(left_to_free) <= free * daily)
