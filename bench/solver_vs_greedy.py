"""Benchmark: the CP-SAT solver against the greedy baseline on generated problems.

Run by hand (not part of the tests)::

    .venv/bin/python bench/solver_vs_greedy.py --presets S HS M H L --seeds 1 2 3

Each measurement runs in a fresh process, so its peak resident memory is its
own. The solver gets the goal's time limit for the preset (S/HS 10 s, M/H 30 s,
L 120 s) and two workers. Every plan is checked by the independent checker;
a plan it rejects aborts the run. Prints one Markdown table row per run and,
with several seeds, the median of each figure.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

__all__ = ["main", "measure"]

TIME_LIMITS = {"S": 10.0, "HS": 10.0, "M": 30.0, "H": 30.0, "L": 120.0, "XL": 600.0}
COLUMNS = (
    "preset",
    "seed",
    "method",
    "requests",
    "priority",
    "priority bound",
    "priority gap",
    "rounds",
    "rounds LB (format)",
    "rounds LB (proven)",
    "rounds gap",
    "proven",
    "wall s",
    "peak MB",
)


def measure(preset: str, seed: int, method: str, workers: int) -> dict[str, Any]:
    """Generate, plan and check one problem in this process; return its figures."""
    from inspection.generator import generate
    from inspection.solver import SolveOptions, check, solve
    from inspection.solver.check import schedulable_priority
    from inspection.solver.greedy import greedy_plan
    from inspection.solver.schema import Solution, Unscheduled

    problem = generate(preset, seed)
    started = time.monotonic()
    if method == "greedy":
        plan = greedy_plan(problem)
        solution = Solution(
            rounds=plan.rounds,
            unscheduled=tuple(Unscheduled(request=r, reason="greedy") for r in plan.unscheduled),
        )
    else:
        options = SolveOptions(time_limit_s=TIME_LIMITS[preset], workers=workers, seed=seed)
        solution = solve(problem, options)
    wall = time.monotonic() - started
    report = check(problem, solution)
    if not report.ok:
        raise SystemExit(f"{preset} seed {seed} {method}: invalid plan: {report.violations[:3]}")
    figures = report.statistics
    bound = schedulable_priority(problem)
    proven_rounds = 0
    proven = "-"
    if solution.statistics is not None:
        bound = solution.statistics.priority_upper_bound
        proven_rounds = solution.statistics.rounds_lower_bound_proven
        proven = (
            "both"
            if solution.status == "optimal"
            else ("priority" if solution.statistics.priority_optimal else "no")
        )
    best_rounds_bound = max(figures.rounds_lower_bound, proven_rounds)
    return {
        "preset": preset,
        "seed": seed,
        "method": method,
        "requests": figures.requests,
        "priority": figures.scheduled_priority,
        "priority bound": bound,
        "priority gap": (bound - figures.scheduled_priority) / bound if bound else 0.0,
        "rounds": figures.rounds,
        "rounds LB (format)": figures.rounds_lower_bound,
        "rounds LB (proven)": proven_rounds,
        "rounds gap": (figures.rounds - best_rounds_bound) / best_rounds_bound
        if best_rounds_bound
        else 0.0,
        "proven": proven,
        "wall s": wall,
        "peak MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _cell(value: Any, column: str) -> str:
    if column.endswith("gap"):
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _row(figures: dict[str, Any]) -> str:
    return "| " + " | ".join(_cell(figures[c], c) for c in COLUMNS) + " |"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", default=["S", "HS", "M", "H", "L"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1])
    parser.add_argument("--methods", nargs="+", default=["greedy", "solver"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one", nargs=3, metavar=("PRESET", "SEED", "METHOD"))
    args = parser.parse_args(argv)
    if args.one:
        preset, seed, method = args.one
        print(json.dumps(measure(preset, int(seed), method, args.workers)))
        return
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for preset in args.presets:
        for method in args.methods:
            runs = []
            for seed in args.seeds:
                command = [sys.executable, __file__, "--workers", str(args.workers)]
                command += ["--one", preset, str(seed), method]
                output = subprocess.run(command, check=True, capture_output=True, text=True)
                runs.append(json.loads(output.stdout.strip().splitlines()[-1]))
                print(_row(runs[-1]), flush=True)
            if len(runs) > 1:
                median = dict(runs[0], seed="median")
                for column in COLUMNS:
                    if isinstance(runs[0][column], int | float) and column != "seed":
                        median[column] = statistics.median(r[column] for r in runs)
                both = sum(r["proven"] == "both" for r in runs)
                median["proven"] = f"{both}/{len(runs)} both" if method == "solver" else "-"
                print(_row(median), flush=True)


if __name__ == "__main__":
    main()
