"""The two objectives, scheduled priority then rounds, and how they are combined.

Stage one maximises ``weight * priority - rounds`` with a weight larger than
any possible number of rounds, which is exactly the lexicographic order; stage
two (when stage one could not prove it) fixes the priority reached and
minimises rounds alone, which is the easier problem to prove.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from inspection.solver.instance import RequestSlot
from inspection.solver.variables import Variables

__all__ = [
    "Objectives",
    "better",
    "make_objectives",
    "priority_bound_from_weighted",
    "rounds_bound_from_weighted",
    "score",
]


class Objectives:
    """Linear expressions of one component's objectives.

    Attributes:
        priority: Sum of the priorities of the scheduled requests.
        rounds: Number of rounds.
        weight: Multiplier of priority in the combined objective; exceeds every
            possible number of rounds, so one priority point outweighs them all.
        max_priority: The priority if every request were scheduled.
    """

    def __init__(self, variables: Variables, priorities: dict[int, int]) -> None:
        literals: list[cp_model.IntVar] = []
        coefficients: list[int] = []
        for index, by_day in variables.assign.items():
            for literal in by_day.values():
                literals.append(literal)
                coefficients.append(priorities[index])
        self.priority = cp_model.LinearExpr.weighted_sum(literals, coefficients)
        rounds_terms = variables.rounds_terms()
        self.rounds = cp_model.LinearExpr.sum(rounds_terms)
        self.weight = len(variables.assign) + 1
        self.max_priority = sum(priorities[i] for i in variables.assign)

    def combined(self) -> cp_model.LinearExprT:
        """``weight * priority - rounds``: to be maximised."""
        return self.weight * self.priority - self.rounds

    def split(self, combined_value: int) -> tuple[int, int]:
        """Recover (priority, rounds) from a value of :meth:`combined`.

        Rounds lie in ``[0, weight)``, so priority is the combined value divided by
        the weight, rounded up.
        """
        priority = -(-combined_value // self.weight)
        return priority, priority * self.weight - combined_value


def make_objectives(variables: Variables, priorities: dict[int, int]) -> Objectives:
    """Build the objective expressions of a component."""
    return Objectives(variables, priorities)


def priority_bound_from_weighted(bound: float, objectives: Objectives) -> int:
    """The best priority any plan can reach, given a proven bound on the combined objective.

    From ``weight * priority - rounds <= bound`` and ``rounds <= weight - 1``.
    """
    whole = int(bound + 1e-6) if bound >= 0 else -int(-bound - 1e-6)
    return min(objectives.max_priority, (whole + objectives.weight - 1) // objectives.weight)


def rounds_bound_from_weighted(bound: float, objectives: Objectives, priority: int) -> int:
    """The fewest rounds of any plan reaching at least `priority`, given a combined bound.

    From ``weight * p - rounds <= bound`` for every plan, so a plan with ``p >= priority``
    has ``rounds >= weight * priority - bound``.
    """
    whole = int(bound + 1e-6) if bound >= 0 else -int(-bound - 1e-6)
    return max(0, objectives.weight * priority - whole)


def score(requests: list[RequestSlot], days: dict[int, int]) -> tuple[int, int]:
    """(priority, rounds) of an assignment (request index to day index) over `requests`."""
    priority = 0
    rounds: set[tuple[int, int]] = set()
    for slot in requests:
        day = days.get(slot.index)
        if day is not None:
            priority += slot.priority
            rounds.add((slot.enterprise, day) if slot.joinable else (-1 - slot.index, day))
    return priority, len(rounds)


def better(first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether (priority, rounds) `first` is lexicographically better than `second`."""
    return (first[0], -first[1]) > (second[0], -second[1])
