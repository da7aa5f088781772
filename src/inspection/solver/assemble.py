"""Turning an assignment of requests to days into the rounds of a solution."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from inspection.solver.instance import Instance
from inspection.solver.occupancy import Occupancy
from inspection.solver.schema import Request, Round

__all__ = ["joined_round", "lead_unit", "make_round", "rounds_of"]


def lead_unit(requests: list[Request]) -> str:
    """The unit bringing the most distinct items; ties go to the smallest unit id."""
    items: dict[str, set[str]] = defaultdict(set)
    for request in requests:
        items[request.unit].update(request.items)
    return min(items, key=lambda unit: (-len(items[unit]), unit))


def make_round(enterprise: str, day: object, requests: list[Request]) -> Round:
    """A round with its units, lead unit and merged items (duplicates removed, order kept)."""
    merged = list(dict.fromkeys(item for r in requests for item in r.items))
    return Round.model_validate(
        {
            "enterprise": enterprise,
            "date": day,
            "requests": [r.id for r in requests],
            "lead_unit": lead_unit(requests),
            "units": sorted({r.unit for r in requests}),
            "items": merged,
        }
    )


def joined_round(pinned: Round, members: list[Request], joiners: Sequence[Request]) -> Round:
    """A pinned round with the requests that joined it.

    It keeps its enterprise, date, lead unit and requests (first, in their order);
    the joiners follow, their units and new items added. A round nobody joined is
    returned exactly as given.

    Args:
        pinned: The pinned round as given.
        members: Its requests, in the round's order.
        joiners: The requests that joined it.
    """
    if not joiners:
        return pinned
    everyone = [*members, *joiners]
    items = pinned.items or tuple(item for r in members for item in r.items)
    return Round.model_validate(
        {
            "enterprise": pinned.enterprise,
            "date": pinned.date,
            "requests": [*pinned.requests, *(r.id for r in joiners)],
            "lead_unit": pinned.lead_unit or lead_unit(members),
            "units": sorted({r.unit for r in everyone}),
            "items": list(dict.fromkeys([*items, *(i for r in joiners for i in r.items)])),
            # the officers announced with it: the draw keeps those still eligible
            "officers": pinned.officers,
        }
    )


def rounds_of(instance: Instance, occupancy: Occupancy) -> list[Round]:
    """All rounds of the plan, pinned ones as given (with any joiners), by date then enterprise."""
    problem = instance.problem
    rounds = list(instance.closed)
    for key, state in occupancy.rounds.items():
        enterprise, day = key
        requests = [problem.requests[i] for i in sorted(state.requests)]
        pinned = instance.open_rounds.get(key)
        if pinned is None:
            rounds.append(
                make_round(problem.enterprises[enterprise].id, instance.days[day], requests)
            )
            continue
        members = [problem.requests[instance.request_index[r]] for r in pinned.requests]
        kept = set(pinned.requests)
        joiners = [r for r in requests if r.id not in kept]
        rounds.append(joined_round(pinned, members, joiners))
    return sorted(rounds, key=lambda r: (r.date, r.enterprise))
