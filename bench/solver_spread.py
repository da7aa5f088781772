"""Benchmark: the spread of the solver over repeated runs, against the MIP optimum and the greedy.

Run by hand (not part of the tests)::

    .venv/bin/python bench/solver_spread.py --presets S HS M --seeds 1 2 --runs 3 \\
        --time-limit S=10 HS=10 M=10
    .venv/bin/python bench/solver_spread.py --presets H H@1.35 --seeds 1 2 --runs 3
    .venv/bin/python bench/solver_spread.py --presets S+rules H+rules H@1.35+rules --seeds 1

A preset is a generator preset, optionally with a scale: ``H@1.35`` is
``inspection generate --preset H --scale 1.35``, an industrial area's month of
about 3,000 requests (the generator's capacities are 1.1-1.3 times the merged
average daily load, so they bind on the campaigns' days). A ``+rules`` suffix
makes it the same seed's format 1.1 problem (``inspection generate --rules``:
quiet days, no-disturb list, caps, officers). For every problem:

- the greedy plan, once (for a 1.1 problem ``greedy_solution``, officers drawn);
- the MIP reference (``bench/mip_reference.py``, SCIP, lexicographic), once, cached as
  JSON under ``--cache`` so that a second table does not solve it again;
- ``--runs`` runs of ``solve`` with the same options (seed 0, 2 workers, the preset's
  time limit), each in a fresh process: with several workers CP-SAT's outcome depends on
  timing, which is the spread measured here.

A 1.1 MIP plan of the officers' aggregate that cannot be staffed (``staffed``
false) keeps its bound but is no rounds reference; its cells say ``not staffed``.

Every plan is checked by the independent checker; a plan it rejects aborts the
run. Each solver run also records the figures its large parts reach after
each phase of the search (the greedy start, the guiding LP rounded and tidied,
the neighbourhood search, stage two), which tells where a bad run fell behind.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["main", "solver_run"]

TIME_LIMITS = {"S": 10.0, "HS": 10.0, "M": 30.0, "H": 30.0, "HX": 30.0, "L": 120.0}
HERE = Path(__file__).resolve().parent


RULES_SUFFIX = "+rules"


def _parse(spec: str) -> tuple[str, float]:
    """The preset and scale of a spec (``H@1.35+rules`` is ``H``, 1.35)."""
    preset, _, scale = spec.removesuffix(RULES_SUFFIX).partition("@")
    return preset, float(scale) if scale else 1.0


def _has_rules(spec: str) -> bool:
    """Whether the spec asks for a 1.1 problem (``inspection generate --rules``)."""
    return spec.endswith(RULES_SUFFIX)


def _problem(spec: str, seed: int) -> Any:
    from inspection.generator import generate

    preset, scale = _parse(spec)
    return generate(preset, seed, scale=scale, rules=_has_rules(spec))


def _trace_phases(events: list[dict[str, Any]]) -> None:
    """Wrap the search's phases (module globals looked up at call time) to record their outcome."""
    from inspection.solver import search
    from inspection.solver.objective import score
    from inspection.solver.relaxation import Relaxation

    started = time.monotonic()

    def note(phase: str, requests: Any, days: dict[int, int] | None) -> None:
        figures = score(requests, days) if days is not None else (None, None)
        events.append(
            {
                "phase": phase,
                "at_s": round(time.monotonic() - started, 2),
                "priority": figures[0],
                "rounds": figures[1],
            }
        )

    def wrap(name: str, phase: str) -> None:
        original: Callable[..., Any] = getattr(search, name)

        def traced(component: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(component, *args, **kwargs)
            note(phase, component.requests, result)
            return result

        setattr(search, name, traced)

    # `solve` imported the function by name: patch it where it is looked up
    solve_module = importlib.import_module("inspection.solver.solve")
    original_solve: Callable[..., Any] = getattr(solve_module, "solve_component")  # noqa: B009

    def traced_solve(component: Any, capacity: Any, limit: Any, hint: Any, *rest: Any) -> Any:
        large = sum(len(r.days) for r in component.requests) > search._LARGE_PART_LITERALS
        if large:
            note("start", component.requests, hint)
        result = original_solve(component, capacity, limit, hint, *rest)
        if large:
            note("final", component.requests, result.days)
            events[-1]["priority_bound"] = result.priority_bound
        return result

    setattr(solve_module, "solve_component", traced_solve)  # noqa: B010
    wrap("round_guided", "guide rounded")
    wrap("sweep_enterprises", "guide tidied")
    wrap("improve_by_neighbourhoods", "neighbourhoods")
    original_guide: Callable[..., Any] = Relaxation.guide

    def traced_guide(self: Any, limit: float) -> Any:
        values = original_guide(self, limit)
        events.append(
            {
                "phase": "guide LP" if values is not None else "guide LP out of time",
                "at_s": round(time.monotonic() - started, 2),
                "limit_s": round(limit, 2),
            }
        )
        return values

    setattr(Relaxation, "guide", traced_guide)  # noqa: B010 (a patch mypy would refuse)


def solver_run(spec: str, seed: int, limit: float, workers: int) -> dict[str, Any]:
    """One checked solve of one problem in this process, with its phase trace."""
    from inspection.solver import SolveOptions, check, solve

    problem = _problem(spec, seed)
    events: list[dict[str, Any]] = []
    _trace_phases(events)
    started = time.monotonic()
    solution = solve(problem, SolveOptions(time_limit_s=limit, workers=workers))
    wall = time.monotonic() - started
    report = check(problem, solution)
    if not report.ok:
        raise SystemExit(f"{spec} seed {seed}: invalid plan: {report.violations[:3]}")
    stats = solution.statistics
    assert stats is not None
    return {
        "priority": report.statistics.scheduled_priority,
        "rounds": report.statistics.rounds,
        "priority_bound": stats.priority_upper_bound,
        "rounds_bound": stats.rounds_lower_bound_proven,
        "status": solution.status,
        "priority_optimal": stats.priority_optimal,
        "wall_s": round(wall, 1),
        "phases": events,
    }


def greedy_run(spec: str, seed: int) -> dict[str, Any]:
    """The greedy plan's figures, checked (a 1.1 problem's: `greedy_solution`, officers drawn)."""
    from inspection.solver import check
    from inspection.solver.greedy import greedy_plan
    from inspection.solver.greedy_solution import greedy_solution
    from inspection.solver.schema import Solution, Unscheduled

    problem = _problem(spec, seed)
    if problem.is_1_1:
        solution = greedy_solution(problem, draw_seed=0)
    else:
        plan = greedy_plan(problem)
        solution = Solution(
            rounds=plan.rounds,
            unscheduled=tuple(Unscheduled(request=r, reason="greedy") for r in plan.unscheduled),
        )
    report = check(problem, solution)
    if not report.ok:
        raise SystemExit(f"{spec} seed {seed} greedy: invalid plan: {report.violations[:3]}")
    return {
        "requests": report.statistics.requests,
        "priority": report.statistics.scheduled_priority,
        "rounds": report.statistics.rounds,
    }


def _child(arguments: list[str]) -> dict[str, Any]:
    command = [sys.executable, __file__, *arguments]
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def _cache_stem(spec: str, seed: int) -> str:
    """The MIP cache's name of a problem (a version 1 one's is what it always was)."""
    preset, scale = _parse(spec)
    rules = RULES_SUFFIX if _has_rules(spec) else ""
    return f"mip-{preset}{rules}-{scale:g}-{seed}"


def _mip(spec: str, seed: int, limit: float, rounds_limit: float, cache: Path) -> dict[str, Any]:
    preset, scale = _parse(spec)
    path = cache / f"{_cache_stem(spec, seed)}-{limit:g}-{rounds_limit:g}.json"
    if path.exists():
        cached: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cached
    command = [sys.executable, str(HERE / "mip_reference.py"), "--preset", preset]
    command += ["--seed", str(seed), "--scale", str(scale), "--time-limit", str(limit)]
    if _has_rules(spec):
        command.append("--rules")
    command += ["--rounds-time-limit", str(rounds_limit)]
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(output.stdout.strip().splitlines()[-1], encoding="utf-8")
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def _pct(value: float) -> str:
    return f"{value:.2%}"


COLUMNS = (
    "problem",
    "seed",
    "requests",
    "greedy P / R",
    "MIP P (bound)",
    "MIP R (bound)",
    "runs",
    "P median / worst",
    "P gap median / worst",
    "R median / worst",
    "R reference (P / R)",
    "R gap median / worst",
    "runs P ≤ 0.1 %",
    "runs R ≤ 0.5 %",
    "proven both",
    "wall s max",
)
PHASE_COLUMNS = (
    "problem",
    "seed",
    "run",
    "start P / R",
    "guide LP",
    "rounded P / R",
    "tidied P / R",
    "neighbourhoods P / R",
    "final P / R",
    "bound",
)


def _summary(spec: str, seed: int, limit: float, greedy: Any, mip: Any, logged: list[Any]) -> str:
    runs = logged
    # a 1.1 MIP plan of the officers' aggregate may not be staffable: then only its bound counts
    lawful = mip.get("staffed", True)
    mip_p = f"{mip['priority']} ({mip['priority_bound']}{'' if mip['priority_proven'] else '?'})"
    mip_r = f"{mip['rounds']} ({mip['rounds_bound']})"
    if not lawful:
        mip_p, mip_r = f"{mip_p} not staffed", f"{mip_r} not staffed"
    count = f"{len(runs)} × {limit:g} s"
    head = [spec, str(seed), str(greedy["requests"]), f"{greedy['priority']} / {greedy['rounds']}"]
    bound = min([mip["priority_bound"], *(r["priority_bound"] for r in runs)])
    # rounds compare only between plans of the same priority: the reference is the best plan
    # (the MIP's or a run's) at the highest priority any of them reached
    reference = max(([mip["priority"]] if lawful else []) + [r["priority"] for r in runs])
    at_reference = [r["rounds"] for r in runs if r["priority"] == reference]
    if lawful and mip["priority"] == reference:
        at_reference.append(mip["rounds"])
    best_rounds = min(at_reference)
    p_gaps = [(bound - r["priority"]) / bound for r in runs]
    r_gaps = [(r["rounds"] - best_rounds) / best_rounds for r in runs if r["priority"] == reference]
    priorities = [r["priority"] for r in runs]
    rounds = [r["rounds"] for r in runs]
    r_gap = f"{_pct(statistics.median(r_gaps))} / {_pct(max(r_gaps))}" if r_gaps else "- (lower P)"
    cells = [
        *head,
        mip_p,
        mip_r,
        count,
        f"{statistics.median(priorities):g} / {min(priorities)}",
        f"{_pct(statistics.median(p_gaps))} / {_pct(max(p_gaps))}",
        f"{statistics.median(rounds):g} / {max(rounds)}",
        f"{reference} / {best_rounds}",
        r_gap,
        f"{sum(g <= 0.001 for g in p_gaps)}/{len(runs)}",
        f"{sum(g <= 0.005 for g in r_gaps)}/{len(runs)}",
        f"{sum(r['status'] == 'optimal' for r in runs)}/{len(runs)}",
        f"{max(r['wall_s'] for r in runs):.1f}",
    ]
    return "| " + " | ".join(cells) + " |"


def _phase_rows(spec: str, seed: int, runs: list[Any]) -> list[str]:
    """One row per large part of each run: the part's figures after each phase of its search."""
    rows = []
    for number, run in enumerate(runs, start=1):
        parts: list[dict[str, str]] = []
        for event in run.get("phases", []):
            phase = event["phase"]
            if phase == "start":
                parts.append({})
            if not parts:  # a log from before the start of parts was traced
                parts.append({})
            if phase.startswith("guide LP"):
                late = "out of time" if "out of time" in phase else "solved"
                parts[-1]["guide LP"] = f"{late} at {event['at_s']} s (limit {event['limit_s']} s)"
                continue
            figures = f"{event['priority']} / {event['rounds']}"
            key = {"start": "start", "guide rounded": "rounded", "guide tidied": "tidied"}.get(
                phase, phase
            )
            parts[-1][key] = figures
            if phase == "final":
                parts[-1]["bound"] = str(event.get("priority_bound", "-"))
        for part in parts:
            cells = [spec, str(seed), str(number)]
            for key in ("start", "guide LP", "rounded", "tidied", "neighbourhoods", "final"):
                cells.append(part.get(key, "-"))
            cells.append(part.get("bound", "-"))
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def _header(columns: tuple[str, ...]) -> str:
    return "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns)


def render(log: Path, cache: Path) -> None:
    """Print both tables again from a runs log and the MIP cache, without solving anything."""
    grouped: dict[tuple[str, int], list[Any]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        run = json.loads(line)
        grouped.setdefault((run["problem"], run["seed"]), []).append(run)
    print(_header(COLUMNS))
    phase_rows = []
    for (spec, seed), runs in grouped.items():
        cached = sorted(cache.glob(f"{_cache_stem(spec, seed)}-*.json"))
        if not cached:
            raise SystemExit(f"no MIP result for {spec} seed {seed} under {cache}")
        mip = json.loads(cached[-1].read_text(encoding="utf-8"))
        greedy = _child(["--greedy", spec, str(seed)])
        limit = float(runs[0].get("limit_s", 0))
        print(_summary(spec, seed, limit, greedy, mip, runs), flush=True)
        phase_rows.extend(_phase_rows(spec, seed, runs))
    print()
    print(_header(PHASE_COLUMNS))
    print("\n".join(phase_rows))


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark; print one summary row per problem and the runs as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", default=["S", "HS", "M", "H", "H@1.35"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--time-limit", nargs="*", default=[], metavar="PRESET=S", help="override a time limit"
    )
    parser.add_argument("--mip-time-limit", type=float, default=300.0, help="MIP stage one, s")
    parser.add_argument("--mip-rounds-time-limit", type=float, default=300.0, help="stage two, s")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/inspection-bench-mip"))
    parser.add_argument("--runs-log", type=Path, help="append every run's figures as JSON lines")
    parser.add_argument("--one", nargs=3, metavar=("PRESET", "SEED", "LIMIT"))
    parser.add_argument("--greedy", nargs=2, metavar=("PRESET", "SEED"))
    parser.add_argument("--table-from", type=Path, metavar="LOG", help="only print the tables")
    args = parser.parse_args(argv)
    if args.table_from:
        render(args.table_from, args.cache)
        return
    if args.one:
        spec, seed, limit = args.one
        print(json.dumps(solver_run(spec, int(seed), float(limit), args.workers)))
        return
    if args.greedy:
        print(json.dumps(greedy_run(args.greedy[0], int(args.greedy[1]))))
        return
    limits = dict(TIME_LIMITS)
    for item in args.time_limit:
        name, _, seconds = item.partition("=")
        limits[name] = float(seconds)
    print(_header(COLUMNS), flush=True)
    phase_rows: list[str] = []
    for spec in args.presets:
        limit = limits.get(spec, limits[_parse(spec)[0]])
        for seed in args.seeds:
            greedy = _child(["--greedy", spec, str(seed)])
            mip = _mip(spec, seed, args.mip_time_limit, args.mip_rounds_time_limit, args.cache)
            runs = []
            for _ in range(args.runs):
                arguments = ["--workers", str(args.workers), "--one", spec, str(seed), str(limit)]
                runs.append(_child(arguments))
                if args.runs_log is not None:
                    with args.runs_log.open("a", encoding="utf-8") as log:
                        entry = {"problem": spec, "seed": seed, "limit_s": limit, **runs[-1]}
                        log.write(json.dumps(entry) + "\n")
            print(_summary(spec, seed, limit, greedy, mip, runs), flush=True)
            phase_rows.extend(_phase_rows(spec, seed, runs))
    if phase_rows:
        print()
        print(_header(PHASE_COLUMNS))
        print("\n".join(phase_rows))


if __name__ == "__main__":
    main()
