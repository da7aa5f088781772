"""The caps of format 1.1 in the CP-SAT model, one function per cap (rule 9).

Rules 7 and 8 (quiet days, no-disturb) and rule 10 for a single round (enough
officers present and not recused) take days away from a request, so they hold
by construction: the instance filters each request's days
(:mod:`inspection.solver.rules_instance`). Rule 10 across a unit's rounds of a
day is the unit's capacity, lowered to what its officers present can staff,
which :func:`~inspection.solver.constraints.add_unit_capacity` keeps. The caps
are what remains: they count rounds over the whole horizon.

A round at an enterprise on a day holds a counted request of a unit exactly
when one of the unit's counted requests there takes that day (one round per
enterprise-day), so each cap sums, over the days, an indicator that is at
least each such request's literal.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from inspection.solver.rules_instance import Caps
from inspection.solver.variables import Variables

__all__ = ["add_enterprise_caps", "add_unit_enterprise_caps"]


def _capped_rounds(
    model: cp_model.CpModel,
    variables: Variables,
    members: list[tuple[int, tuple[int, ...]]],
    remaining: int,
) -> None:
    """At most `remaining` days on which one of `members` (request index, its days) is placed."""
    if len(members) <= remaining:
        return  # each request is in one round at most: the cap cannot bind
    by_day: dict[int, list[int]] = defaultdict(list)
    for index, days in members:
        for day in days:
            by_day[day].append(index)
    indicators = []
    for day, indices in sorted(by_day.items()):
        literals = [variables.assign[i][day] for i in indices]
        if len(literals) == 1:
            indicators.append(literals[0])
            continue
        indicator = model.new_bool_var("")
        for literal in literals:
            model.add_implication(literal, indicator)
        variables.cap_indicators.append((indicator, [(i, day) for i in indices]))
        indicators.append(indicator)
    model.add(cp_model.LinearExpr.sum(indicators) <= remaining)


def add_unit_enterprise_caps(model: cp_model.CpModel, variables: Variables, caps: Caps) -> None:
    """Rule 9: the rounds at an enterprise holding a counted request of a unit, at most its cap."""
    for pair, remaining in sorted(caps.pair.items()):
        slots = variables.counted.get(pair, [])
        _capped_rounds(model, variables, [(s.index, s.days) for s in slots], remaining)


def add_enterprise_caps(model: cp_model.CpModel, variables: Variables, caps: Caps) -> None:
    """Rule 9: the rounds at an enterprise holding any counted request, at most its cap.

    A joint round counts once, whichever units bring counted requests to it.
    """
    by_enterprise: dict[int, list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
    for (_unit, enterprise), slots in variables.counted.items():
        by_enterprise[enterprise].extend((s.index, s.days) for s in slots)
    for enterprise, remaining in sorted(caps.enterprise.items()):
        _capped_rounds(model, variables, by_enterprise.get(enterprise, []), remaining)
