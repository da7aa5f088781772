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

from inspection.solver.rules_instance import BindingCap, Caps, OfficerLoad, binding_caps
from inspection.solver.variables import Variables

__all__ = ["add_enterprise_caps", "add_officer_staffing", "add_unit_enterprise_caps"]


def _capped_rounds(model: cp_model.CpModel, variables: Variables, cap: BindingCap) -> None:
    """At most `cap.remaining` days on which one of the cap's members is placed.

    On an exact day the round's own literals count it (the joint round, or the unit's
    share in it, and the solo requests), which ties the cap to the rounds the objective
    counts; elsewhere an indicator at least each member's literal does.
    """
    terms: list[cp_model.IntVar] = []
    for cap_day in cap.days:
        day = cap_day.day
        if cap_day.exact:
            if cap.unit is None:
                own = variables.joint.get((cap.enterprise, day))
            else:
                own = variables.joins.get((cap.unit, cap.enterprise, day))
            terms.extend([own] if own is not None else [])
            terms.extend(variables.assign[i][day] for i in cap_day.solos)
            continue
        literals = [variables.assign[i][day] for i in cap_day.members]
        if len(literals) == 1:
            terms.append(literals[0])
            continue
        indicator = model.new_bool_var("")
        for literal in literals:
            model.add_implication(literal, indicator)
        variables.cap_indicators.append((indicator, [(i, day) for i in cap_day.members]))
        terms.append(indicator)
    model.add(cp_model.LinearExpr.sum(terms) <= cap.remaining)


def add_unit_enterprise_caps(model: cp_model.CpModel, variables: Variables, caps: Caps) -> None:
    """Rule 9: the rounds at an enterprise holding a counted request of a unit, at most its cap."""
    for cap in binding_caps(variables.slots, Caps(pair=caps.pair)):
        _capped_rounds(model, variables, cap)


def add_enterprise_caps(model: cp_model.CpModel, variables: Variables, caps: Caps) -> None:
    """Rule 9: the rounds at an enterprise holding any counted request, at most its cap.

    A joint round counts once, whichever units bring counted requests to it.
    """
    for cap in binding_caps(variables.slots, Caps(enterprise=caps.enterprise)):
        _capped_rounds(model, variables, cap)


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
