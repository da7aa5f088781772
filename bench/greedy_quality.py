"""How good the greedy baseline is on one problem file (run by hand, not a test).

Usage::

    .venv/bin/python bench/greedy_quality.py PROBLEM.json [PROBLEM.json ...]

For each problem it prints the requests, the scheduled priority against the
total and the schedulable priority (requests with at least one feasible day),
the rounds against the format's lower bound for the requests scheduled, the
wall time of the greedy, and whether the independent checker accepts the plan.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from inspection.solver.check import check, rounds_lower_bound, schedulable_priority
from inspection.solver.greedy import greedy_plan
from inspection.solver.io import load_problem
from inspection.solver.schema import Solution, Unscheduled

__all__ = ["main", "report"]


def report(path: Path) -> str:
    """Plan one problem greedily and describe the plan's quality in one line.

    Args:
        path: A problem file.

    Returns:
        The line: requests, priority, rounds, bound, gap, time and checker verdict.
    """
    problem = load_problem(path)
    started = time.perf_counter()
    plan = greedy_plan(problem)
    elapsed = time.perf_counter() - started
    scheduled = [rid for round_ in plan.rounds for rid in round_.requests]
    priority_of = {r.id: r.priority for r in problem.requests}
    priority = sum(priority_of[rid] for rid in scheduled)
    total = sum(priority_of.values())
    schedulable = schedulable_priority(problem)
    bound = rounds_lower_bound(problem, scheduled)
    gap = (len(plan.rounds) - bound) / bound if bound else 0.0
    solution = Solution(
        rounds=plan.rounds,
        unscheduled=tuple(
            Unscheduled(request=rid, reason="贪心未能安排") for rid in plan.unscheduled
        ),
    )
    verdict = check(problem, solution)
    lost = (schedulable - priority) / schedulable if schedulable else 0.0
    return (
        f"{path.name}: requests {len(problem.requests)}, "
        f"priority {priority}/{schedulable} schedulable ({lost:.2%} lost), {total} total, "
        f"rounds {len(plan.rounds)}, lower bound {bound} (gap {gap:.2%}), "
        f"{elapsed:.2f} s, {'valid' if verdict.ok else f'{len(verdict.violations)} VIOLATIONS'}"
    )


def main(argv: list[str]) -> int:
    """Report on every problem file named on the command line."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for name in argv:
        print(report(Path(name)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
