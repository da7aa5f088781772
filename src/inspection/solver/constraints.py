"""The rules of a valid plan, one function per rule.

Rule numbers follow the format document. Rule 2's day conditions (window,
horizon, working day, blackout) hold by construction: a request only has
variables for its feasible days.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from inspection.solver.constraints_rules import (
    add_enterprise_caps,
    add_officer_staffing,
    add_unit_enterprise_caps,
)
from inspection.solver.rules_instance import NO_CAPS, Caps, OfficerLoad
from inspection.solver.variables import Variables

__all__ = [
    "add_all_rules",
    "add_each_request_at_most_once",
    "add_joint_round_membership",
    "add_max_units_per_round",
    "add_no_empty_round",
    "add_one_round_per_enterprise_day",
    "add_pinned_requests_kept",
    "add_unit_capacity",
    "add_units_per_enterprise_cut",
]


def add_each_request_at_most_once(model: cp_model.CpModel, variables: Variables) -> None:
    """Rule 1: a request is visited on one day at most (else it is unscheduled)."""
    for by_day in variables.assign.values():
        if len(by_day) > 1:
            model.add_at_most_one(by_day.values())


def add_pinned_requests_kept(model: cp_model.CpModel, variables: Variables) -> None:
    """Pins: a request of a pinned round open to joiners stays on its round's one day.

    Its round is then an ordinary round of the model: joiners are judged by the rules
    below (one round per enterprise-day, units per round, capacity), and the round
    counts once however many join.
    """
    for index in variables.fixed:
        for literal in variables.assign[index].values():
            model.add(literal == 1)


def add_joint_round_membership(model: cp_model.CpModel, variables: Variables) -> None:
    """Rule 2: a joinable request visited on a day brings its unit into that day's joint round."""
    for (unit, enterprise), requests in variables.unit_requests.items():
        days = {d for r in requests for d in r.days}
        for day in days:
            joins = variables.joins[(unit, enterprise, day)]
            model.add_implication(joins, variables.joint[(enterprise, day)])
            if len(requests) == 1:
                continue  # joins is the request's own literal
            present = [variables.assign[r.index][day] for r in requests if day in r.days]
            for literal in present:
                model.add_implication(literal, joins)
            # a unit only counts against capacity when it brings something
            model.add_bool_or([*present, joins.Not()])


def add_no_empty_round(model: cp_model.CpModel, variables: Variables) -> None:
    """Rule 0: a joint round holds at least one request (some unit joins it)."""
    members: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (_unit, enterprise, day), joins in variables.joins.items():
        members[(enterprise, day)].append(joins)
    for key, joint in variables.joint.items():
        model.add_bool_or([*members[key], joint.Not()])


def add_one_round_per_enterprise_day(model: cp_model.CpModel, variables: Variables) -> None:
    """Rules 3 and 5: one round per enterprise and day, and a non-joinable request is alone."""
    for key, requests in variables.solo.items():
        day = key[1]
        literals = [variables.assign[r.index][day] for r in requests]
        if key in variables.joint:
            literals.append(variables.joint[key])
        if len(literals) > 1:
            model.add_at_most_one(literals)


def add_max_units_per_round(
    model: cp_model.CpModel, variables: Variables, max_units_per_round: int
) -> None:
    """Rule 4: at most `max_units_per_round` distinct units join one round."""
    members: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (_unit, enterprise, day), joins in variables.joins.items():
        members[(enterprise, day)].append(joins)
    for key, units in members.items():
        if len(units) > max_units_per_round:
            # scaled by the round literal: tighter in the LP relaxation than a plain sum
            model.add(cp_model.LinearExpr.sum(units) <= max_units_per_round * variables.joint[key])


def add_unit_capacity(
    model: cp_model.CpModel, variables: Variables, capacity: list[list[int]]
) -> None:
    """Rule 6: on each day a unit joins at most its remaining daily capacity of rounds."""
    load: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (unit, _enterprise, day), joins in variables.joins.items():
        load[(unit, day)].append(joins)
    for (_enterprise, day), requests in variables.solo.items():
        for request in requests:
            load[(request.unit, day)].append(variables.assign[request.index][day])
    for (unit, day), literals in load.items():
        limit = capacity[unit][day]
        if len(literals) > limit:
            model.add(cp_model.LinearExpr.sum(literals) <= limit)


def add_units_per_enterprise_cut(
    model: cp_model.CpModel, variables: Variables, max_units_per_round: int
) -> None:
    """Redundant: n units that must visit an enterprise within some days need ceil(n / max) rounds.

    For each enterprise and each span of days that is some request's window (and
    the whole horizon), the units with a request inside the span need that many
    rounds in it. The linear relaxation alone only sees n / max; stating the count
    of rounds as an integer lets CP-SAT's rounding cuts recover the ceiling, which
    closes most of the gap where many units visit each enterprise.
    """
    by_enterprise: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for (unit, enterprise), requests in variables.unit_requests.items():
        for request in requests:
            by_enterprise[enterprise].append(
                (unit, request.index, request.days[0], request.days[-1])
            )
    joint_days: dict[int, list[int]] = defaultdict(list)
    for enterprise, day in variables.joint:
        joint_days[enterprise].append(day)
    for enterprise, windows in by_enterprise.items():
        if len({window[0] for window in windows}) <= max_units_per_round:
            continue
        spans = {(window[2], window[3]) for window in windows}
        spans.add((min(w[2] for w in windows), max(w[3] for w in windows)))
        for first, last in sorted(spans):
            inside: dict[int, list[int]] = defaultdict(list)
            for unit, index, low, high in windows:
                if first <= low and high <= last:
                    inside[unit].append(index)
            if len(inside) <= max_units_per_round:
                continue
            active = []
            for unit in sorted(inside):
                unit_active = model.new_bool_var("")
                for index in inside[unit]:
                    scheduled = cp_model.LinearExpr.sum(list(variables.assign[index].values()))
                    model.add(scheduled <= unit_active)
                variables.any_scheduled.append((unit_active, inside[unit]))
                active.append(unit_active)
            span = [(enterprise, day) for day in joint_days[enterprise] if first <= day <= last]
            count = model.new_int_var(0, len(span), "")
            model.add(count == cp_model.LinearExpr.sum([variables.joint[key] for key in span]))
            variables.rounds_count.append((count, span))
            model.add(max_units_per_round * count >= cp_model.LinearExpr.sum(active))


def add_all_rules(
    model: cp_model.CpModel,
    variables: Variables,
    capacity: list[list[int]],
    max_units_per_round: int,
    caps: Caps = NO_CAPS,
    officers: OfficerLoad | None = None,
) -> None:
    """Every rule of a valid plan (the caps and officers of format 1.1 among them)."""
    add_pinned_requests_kept(model, variables)
    add_each_request_at_most_once(model, variables)
    add_joint_round_membership(model, variables)
    add_no_empty_round(model, variables)
    add_one_round_per_enterprise_day(model, variables)
    add_max_units_per_round(model, variables, max_units_per_round)
    add_unit_capacity(model, variables, capacity)
    add_units_per_enterprise_cut(model, variables, max_units_per_round)
    add_unit_enterprise_caps(model, variables, caps)
    add_enterprise_caps(model, variables, caps)
    add_officer_staffing(model, variables, officers)
