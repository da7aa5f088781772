"""The decision variables of one component's CP-SAT model.

- ``assign[r][d]``: request ``r`` is visited on day ``d`` (one per feasible day).
- ``joint[e, d]``: enterprise ``e`` has a joint round on day ``d``.
- ``joins[u, e, d]``: unit ``u`` takes part in the joint round at ``e`` on ``d``.
  When a unit brings a single request to an enterprise this is that request's
  own ``assign`` literal, so the model only grows for units with several requests.

A non-joinable request is a round of its own: its ``assign`` literals count as rounds.
A fixed request (of a pinned round open to joiners) has one literal, held true by
:func:`~inspection.solver.constraints.add_pinned_requests_kept`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from inspection.solver.instance import Component, RequestSlot

__all__ = ["Variables", "make_variables"]


@dataclass(slots=True)
class Variables:
    """Every variable of one component's model, with the groupings the constraints need."""

    assign: dict[int, dict[int, cp_model.IntVar]] = field(default_factory=dict)
    joint: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    joins: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    # (unit, enterprise) -> its joinable requests at that enterprise
    unit_requests: dict[tuple[int, int], list[RequestSlot]] = field(default_factory=dict)
    # (enterprise, day) -> non-joinable requests that may take that day
    solo: dict[tuple[int, int], list[RequestSlot]] = field(default_factory=dict)
    # the fixed requests (of pinned rounds open to joiners), by request index
    fixed: list[int] = field(default_factory=list)
    # variables of redundant cuts, each with the request indices or joint-round keys
    # whose value it takes in a plan (any request scheduled / number of rounds)
    any_scheduled: list[tuple[cp_model.IntVar, list[int]]] = field(default_factory=list)
    rounds_count: list[tuple[cp_model.IntVar, list[tuple[int, int]]]] = field(default_factory=list)
    # every request of the component, as given
    slots: list[RequestSlot] = field(default_factory=list)
    # indicators of the cap constraints, each with the (request, day) literals it covers
    cap_indicators: list[tuple[cp_model.IntVar, list[tuple[int, int]]]] = field(
        default_factory=list
    )

    def rounds_terms(self) -> list[cp_model.IntVar]:
        """Literals whose sum is the number of rounds."""
        terms = list(self.joint.values())
        for (_enterprise, day), requests in self.solo.items():
            terms.extend(self.assign[r.index][day] for r in requests)
        return terms


def make_variables(model: cp_model.CpModel, component: Component) -> Variables:
    """Create the variables of `component` in `model`.

    Names are left empty: on province-scale problems they would cost memory
    and the solution is read back by position.
    """
    variables = Variables()
    grouped: dict[tuple[int, int], list[RequestSlot]] = defaultdict(list)
    solo: dict[tuple[int, int], list[RequestSlot]] = defaultdict(list)
    variables.slots = component.requests
    for slot in component.requests:
        variables.assign[slot.index] = {day: model.new_bool_var("") for day in slot.days}
        if slot.fixed:
            variables.fixed.append(slot.index)
        if slot.joinable:
            grouped[(slot.unit, slot.enterprise)].append(slot)
        else:
            for day in slot.days:
                solo[(slot.enterprise, day)].append(slot)
    for (unit, enterprise), requests in grouped.items():
        days = sorted({d for r in requests for d in r.days})
        for day in days:
            if (enterprise, day) not in variables.joint:
                variables.joint[(enterprise, day)] = model.new_bool_var("")
            if len(requests) == 1:
                variables.joins[(unit, enterprise, day)] = variables.assign[requests[0].index][day]
            else:
                variables.joins[(unit, enterprise, day)] = model.new_bool_var("")
    variables.unit_requests = dict(grouped)
    variables.solo = dict(solo)
    return variables
