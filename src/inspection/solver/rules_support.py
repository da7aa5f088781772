"""How far `solve` supports version 1.1's rules today, and the 1.1 dress of its plans.

The CP-SAT model does not obey quiet days, the no-disturb list, caps or
staffing yet. Rather than return a plan that breaks the law, :func:`solve`
refuses a 1.1 problem in which any of those rules could change the plan, and
solves the rest as version 1: a rule that no request can break is trivial
(a quiet day outside every non-exempt window, a no-disturb enterprise that
only exempt requests visit, a cap at least as large as the counted requests
it covers, officers only of units without requests).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from inspection.solver.errors import UnsupportedProblemError
from inspection.solver.schema import SOLUTION_FORMAT_1_1, Problem, Solution

__all__ = ["as_solution_of", "refuse_unsupported_rules"]

_NOT_YET = "the solver does not obey this rule yet, and no plan is returned that could break it"


def _binding_rule(problem: Problem) -> tuple[str, str] | None:
    """The JSON path and a sentence for the first rule that could change the plan, if any."""
    rules = problem.effective_rules
    no_disturb = {e.id for e in problem.enterprises if e.no_disturb}
    for index, request in enumerate(problem.requests):
        if request.enterprise in no_disturb and rules.disturbs(request.category):
            return (
                f"requests[{index}].category",
                f"request '{request.id}' ({request.category}) is at a no-disturb enterprise; "
                + _NOT_YET,
            )
    quiet = sorted(set(rules.quiet_days.days))
    exempt = set(rules.quiet_days.exempt_categories)
    for request in problem.requests:
        # the first quiet day not before the window opens: inside the window, or none is
        at = bisect_left(quiet, request.earliest)
        if request.category not in exempt and at < len(quiet) and quiet[at] <= request.latest:
            return (
                "rules.quiet_days.days",
                f"quiet day {quiet[at]} lies in the window of request '{request.id}'; " + _NOT_YET,
            )
    caps = rules.caps
    counted = [r for r in problem.requests if caps.counts(r.category)]
    by_pair = Counter((r.unit, r.enterprise) for r in counted)
    for index, pair in enumerate(caps.unit_enterprise):
        if by_pair[pair.unit, pair.enterprise] > pair.remaining:
            return f"rules.caps.unit_enterprise[{index}]", "the cap can bind; " + _NOT_YET
    by_enterprise = Counter(r.enterprise for r in counted)
    for index, cap in enumerate(caps.enterprise):
        if by_enterprise[cap.enterprise] > cap.remaining:
            return f"rules.caps.enterprise[{index}]", "the cap can bind; " + _NOT_YET
    requesting = {r.unit for r in problem.requests}
    for index, officer in enumerate(problem.officers):
        if officer.unit in requesting:
            return (
                f"officers[{index}]",
                f"unit '{officer.unit}' has officers to draw for its rounds; " + _NOT_YET,
            )
    return None


def refuse_unsupported_rules(problem: Problem) -> None:
    """Raise unless every 1.1 rule of the problem is trivial (a version 1 problem always passes).

    Raises:
        UnsupportedProblemError: Naming the first rule that could change the plan.
    """
    if not problem.is_1_1:
        return
    binding = _binding_rule(problem)
    if binding is not None:
        raise UnsupportedProblemError(*binding)


def as_solution_of(problem: Problem, solution: Solution, draw_seed: int) -> Solution:
    """The plan in its problem's format: a 1.1 problem's plan says 1.1 and records its draw.

    Only problems whose rules are trivial get here, so no round has a unit
    with officers listed: every round names none.
    """
    if not problem.is_1_1:
        return solution
    rounds = tuple(round_.model_copy(update={"officers": {}}) for round_ in solution.rounds)
    return solution.model_copy(
        update={"format": SOLUTION_FORMAT_1_1, "draw_seed": draw_seed, "rounds": rounds}
    )
