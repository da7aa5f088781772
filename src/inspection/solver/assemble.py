"""Turning an assignment of requests to days into the rounds of a solution."""

from __future__ import annotations

from collections import defaultdict

from inspection.solver.instance import Instance
from inspection.solver.occupancy import Occupancy
from inspection.solver.schema import Request, Round

__all__ = ["lead_unit", "make_round", "rounds_of"]


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


def rounds_of(instance: Instance, occupancy: Occupancy) -> list[Round]:
    """All rounds of the plan, pinned ones as given, ordered by date then enterprise."""
    problem = instance.problem
    rounds = list(instance.pinned)
    for (enterprise, day), state in occupancy.rounds.items():
        requests = [problem.requests[i] for i in sorted(state.requests)]
        rounds.append(make_round(problem.enterprises[enterprise].id, instance.days[day], requests))
    return sorted(rounds, key=lambda r: (r.date, r.enterprise))
