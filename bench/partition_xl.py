"""Benchmark: a province's problem solved in district parts by W worker processes, merged.

Run by hand (not part of the tests)::

    .venv/bin/inspection generate --preset XL --seed 1 -o /tmp/XL.json
    .venv/bin/python bench/partition_xl.py /tmp/XL.json --workers 2 --time-limit 600

What the platform's workers do for a province plan (docs/province-platform.md §8), without
the database: the problem is cut into its districts (an enterprise's district is that of the
units asking for it, the first two parts of a generated unit id, ``QY-QC-SCJG`` → ``QY-QC``),
each part gets the share of the time limit the service gives it
(:func:`inspection.services.planning.parts.part_time_limit`), the parts are solved by a pool
of W processes (one CP-SAT thread each, a fresh process per part, the largest first, as the
queue hands them out), then merged, the seams repaired and the whole checked in a fresh
process, as the merge job does. A greedy plan of the whole, in a process of its own, is the
floor. Peak resident memory is each process's own (`ru_maxrss`). Prints one Markdown row.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from inspection.services.planning.parts import part_time_limit
from inspection.solver import Problem, Solution, SolveOptions, check
from inspection.solver.greedy import greedy_plan
from inspection.solver.partition import PartBounds, merge, repair_seams, restrict, solve_part

__all__ = ["main"]


def _district(unit_id: str) -> str:
    return "-".join(unit_id.split("-")[:2])


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _solve_part(task: tuple[str, float]) -> tuple[str, str, float, float]:
    """In a pool process: solve one part (read from its file); its plan, bounds, wall, MB."""
    path, limit = task
    began = time.monotonic()
    problem = Problem.model_validate_json(Path(path).read_text(encoding="utf-8"))
    solution, bounds = solve_part(problem, SolveOptions(time_limit_s=limit, workers=1))
    return (
        solution.model_dump_json(exclude_none=True),
        bounds.model_dump_json(),
        time.monotonic() - began,
        _peak_mb(),
    )


def _merge(problem_path: str, parts_path: str, shared: list[str], limit: float) -> dict[str, Any]:
    """In a fresh process: what the merge job does; its figures."""
    began = time.monotonic()
    problem = Problem.model_validate_json(Path(problem_path).read_text(encoding="utf-8"))
    stored = json.loads(Path(parts_path).read_text(encoding="utf-8"))
    parts = [Solution.model_validate_json(s) for s, _ in stored]
    bounds = [PartBounds.model_validate_json(b) for _, b in stored]
    merged = merge(problem, parts, bounds)
    options = SolveOptions(time_limit_s=max(1.0, 0.1 * limit), workers=1)
    merged = repair_seams(problem, merged, shared, bounds, options)
    report = check(problem, merged)
    stats = merged.statistics
    assert stats is not None
    return {
        "valid": report.ok,
        "priority": stats.scheduled_priority,
        "bound": stats.priority_upper_bound,
        "rounds": stats.rounds,
        "rounds_lb": stats.rounds_lower_bound,
        "merge_s": time.monotonic() - began,
        "merge_mb": _peak_mb(),
    }


def _greedy(problem_path: str) -> dict[str, Any]:
    problem = Problem.model_validate_json(Path(problem_path).read_text(encoding="utf-8"))
    plan = greedy_plan(problem)
    priority_of = {r.id: r.priority for r in problem.requests}
    scheduled = {r for round_ in plan.rounds for r in round_.requests}
    return {"greedy": sum(priority_of[r] for r in scheduled), "greedy_mb": _peak_mb()}


def _in_child(target: Any, *args: Any) -> dict[str, Any]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        result: dict[str, Any] = pool.apply(target, args)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=600.0)
    args = parser.parse_args(argv)
    began = time.monotonic()
    problem = Problem.model_validate_json(args.problem.read_text(encoding="utf-8"))
    members: dict[str, set[str]] = defaultdict(set)
    units_of: dict[str, set[str]] = defaultdict(set)
    for request in problem.requests:
        members[_district(request.unit)].add(request.enterprise)
    owners: dict[str, set[str]] = defaultdict(set)
    for district, enterprises in members.items():
        for enterprise in enterprises:
            owners[enterprise].add(district)
    for request in problem.requests:
        units_of[request.unit].add(min(owners[request.enterprise]))
    shared = sorted(u for u, ds in units_of.items() if len(ds) >= 2)
    assert not shared, "a unit asked for in two districts: this bench does not share it out"
    groups: dict[str, set[str]] = defaultdict(set)
    for enterprise, districts in owners.items():
        groups[min(districts)].add(enterprise)  # an enterprise of two districts: the first
    total = len(problem.requests)
    folder = Path(tempfile.mkdtemp(prefix="partition-xl-"))
    tasks: list[tuple[str, float, int]] = []
    for district, enterprises in sorted(groups.items()):
        part = restrict(problem, enterprises)
        path = folder / f"{district}.json"
        path.write_text(part.model_dump_json(exclude_none=True), encoding="utf-8")
        size = len(part.requests)
        tasks.append((str(path), part_time_limit(args.time_limit, size, total), size))
    del problem
    tasks.sort(key=lambda t: -t[2])  # the largest first, as the parts are deferred
    split_s = time.monotonic() - began
    solving = time.monotonic()
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.workers, maxtasksperchild=1) as pool:
        results = pool.map(_solve_part, [(p, limit) for p, limit, _ in tasks], chunksize=1)
    parts_s = time.monotonic() - solving
    parts_path = folder / "parts.json"
    parts_path.write_text(json.dumps([[s, b] for s, b, _, _ in results]), encoding="utf-8")
    merged = _in_child(_merge, str(args.problem), str(parts_path), shared, args.time_limit)
    wall = time.monotonic() - began
    greedy = _in_child(_greedy, str(args.problem))
    gap = (merged["bound"] - merged["priority"]) / merged["bound"]
    row = [
        args.problem.name,
        str(args.workers),
        str(len(tasks)),
        f"{args.time_limit:.0f}",
        f"{split_s:.0f}",
        f"{parts_s:.0f}",
        f"{merged['merge_s']:.0f}",
        f"{wall:.0f}",
        f"{max(r[3] for r in results):.0f}",
        f"{merged['merge_mb']:.0f}",
        f"{merged['priority']:,} / {merged['bound']:,} ({100 * gap:.3f} %)",
        f"{merged['rounds']:,} / {merged['rounds_lb']:,}",
        f"{greedy['greedy']:,}",
        "yes" if merged["valid"] else "NO",
    ]
    print(
        "| problem | W | parts | limit s | split s | parts s | merge s | wall s | part peak MB "
        "| merge peak MB | priority / bound (gap) | rounds / format LB | greedy priority | valid |"
    )
    print("|" + "---|" * len(row))
    print("| " + " | ".join(row) + " |")
    if not merged["valid"] or merged["priority"] < greedy["greedy"]:
        sys.exit("the merged plan is invalid or worse than the greedy")


if __name__ == "__main__":
    main()
