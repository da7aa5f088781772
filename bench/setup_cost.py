"""Benchmark: what building a part's models costs per literal (the solver's set-up estimate).

Run by hand (not part of the tests)::

    .venv/bin/python bench/setup_cost.py --presets H M L --seeds 1
    .venv/bin/python bench/setup_cost.py --file /tmp/XL.json --largest 5

`solve` searches a part only if its share of the time covers twice the set-up its size
predicts (`_SET_UP_S_PER_LITERAL` in `solver/solve.py`): a part that cannot be set up in
time keeps its starting plan instead of overrunning the limit. This measures the set-up:
for the largest parts of each problem (as `solve` batches them, from the greedy start) it
runs `solve_component` with a 1 ms limit, so that what it spends is building the CP-SAT
model, its rules and objectives, the linear relaxation and the hint, and prints the
seconds per literal (a literal: one feasible day of one request). One CP-SAT worker, as a
part on a plan worker has.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from inspection.generator import generate
from inspection.solver.greedy import greedy_plan
from inspection.solver.instance import build_instance
from inspection.solver.schema import Problem
from inspection.solver.search import SearchSettings, solve_component
from inspection.solver.solve import _batched, _plan_days

__all__ = ["main"]


def measure(name: str, problem: Problem, largest: int) -> list[float]:
    """Print one line per part measured; the seconds per literal of each."""
    instance = build_instance(problem, [], False)
    start = _plan_days(instance, greedy_plan(problem, [], False).rounds)
    parts = sorted(
        _batched(instance.components()),
        key=lambda p: -sum(len(r.days) for r in p.requests),
    )[:largest]
    rates = []
    for part in parts:
        literals = sum(len(r.days) for r in part.requests)
        hint = {r.index: start[r.index] for r in part.requests if r.index in start}
        began = time.monotonic()
        solve_component(
            part,
            instance.capacity,
            problem.max_units_per_round,
            hint,
            SearchSettings(0.001, 1, 1, False),
            caps=instance.caps,
        )
        took = time.monotonic() - began
        rates.append(took / literals)
        print(
            f"| {name} | {len(part.requests):,} | {literals:,} | {took:.2f} "
            f"| {took / literals * 1e5:.1f} |",
            flush=True,
        )
    return rates


def main() -> None:
    """Parse the arguments and measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--presets", nargs="*", default=[])
    parser.add_argument("--seeds", nargs="*", type=int, default=[1])
    parser.add_argument("--file", type=Path, action="append", default=[])
    parser.add_argument("--largest", type=int, default=3, help="parts measured per problem")
    args = parser.parse_args()
    print("| problem | requests | literals | set-up s | set-up 1e-5 s / literal |")
    print("|---|---|---|---|---|")
    rates = []
    for preset in args.presets:
        for seed in args.seeds:
            rates += measure(f"{preset} seed {seed}", generate(preset, seed), args.largest)
    for path in args.file:
        problem = Problem.model_validate_json(path.read_text(encoding="utf-8"))
        rates += measure(path.name, problem, args.largest)
    if rates:
        print(
            f"median {statistics.median(rates) * 1e5:.1f}e-5 s a literal "
            f"(range {min(rates) * 1e5:.1f}–{max(rates) * 1e5:.1f}) over {len(rates)} parts"
        )


if __name__ == "__main__":
    main()
