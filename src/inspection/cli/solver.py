"""`inspection solve`, `check` and `generate`: the planning core alone, on interchange files."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.live import Live
from rich.table import Table
from rich.text import Text

from inspection.cli.common import EXIT_VIOLATION, err, fail, out
from inspection.solver.errors import PlanningCoreError
from inspection.solver.io import dump_solution, load_problem, load_solution
from inspection.solver.options import MAX_SOLVE_TIME_S, Progress, SolveOptions
from inspection.solver.schema import Solution

__all__ = ["check", "generate", "solve"]

_OPTION_FLAGS = {
    "time_limit_s": "--time-limit",
    "workers": "--workers",
    "seed": "--seed",
    "draw_seed": "--draw-seed",
}


def _progress_line(progress: Progress) -> Text:
    part = f" part {progress.part}/{progress.parts}" if progress.parts > 1 else ""
    return Text(
        f"solving{part} stage {progress.stage}  {progress.elapsed_s:6.1f}s  "
        f"priority {progress.priority} (bound {progress.priority_bound})  "
        f"rounds {progress.rounds} (bound {progress.rounds_bound})"
    )


def _summary(solution: Solution) -> Table:
    stats = solution.statistics
    table = Table(title="Plan", show_header=False, title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("status", str(solution.status))
    if stats is not None:
        table.add_row("requests", str(stats.requests))
        table.add_row("scheduled", str(stats.scheduled_requests))
        table.add_row("unscheduled", str(stats.requests - stats.scheduled_requests))
        table.add_row(
            "scheduled priority",
            f"{stats.scheduled_priority} / bound {stats.priority_upper_bound}"
            f" (gap {stats.priority_gap:.2%})",
        )
        table.add_row("rounds", str(stats.rounds))
        table.add_row(
            "rounds lower bound",
            f"{stats.rounds_lower_bound} format, {stats.rounds_lower_bound_proven} proven"
            f" (gap {stats.rounds_gap:.2%})",
        )
        table.add_row("visits saved", str(stats.visits_saved))
        table.add_row(
            "proven optimal",
            f"priority {'yes' if stats.priority_optimal else 'no'}, "
            f"rounds {'yes' if stats.rounds_optimal else 'no'}",
        )
    if solution.wall_time_s is not None:
        table.add_row("wall time", f"{solution.wall_time_s:.2f} s")
    return table


def _pins_given(pin: Path | None, open_pins: bool) -> None:
    if open_pins and pin is None:
        fail("--open-pins: name the pinned rounds with --pin SOLUTION")


def solve(
    problem_path: Annotated[Path, typer.Argument(metavar="PROBLEM", help="Problem JSON file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the solution.")],
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            help=f"Seconds the solve may take (above 0, at most {MAX_SOLVE_TIME_S:g}).",
        ),
    ] = 30.0,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="CP-SAT workers (0: one per core).")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
    draw_seed: Annotated[
        int | None,
        typer.Option(
            "--draw-seed",
            help="Seed of the random draw of officers (format 1.1; default: --seed).",
        ),
    ] = None,
    pin: Annotated[
        Path | None,
        typer.Option(
            "--pin",
            metavar="SOLUTION",
            help="Keep this plan's rounds: their date, lead unit and requests.",
        ),
    ] = None,
    open_pins: Annotated[
        bool,
        typer.Option(
            "--open-pins",
            help="Let other requests join the pinned rounds, within the rules (see --pin).",
        ),
    ] = False,
    hint: Annotated[
        Path | None, typer.Option("--hint", metavar="SOLUTION", help="Start from this plan.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Plan PROBLEM and write the solution to OUTPUT."""
    from inspection.solver.solve import solve as solve_problem

    _pins_given(pin, open_pins)
    try:
        problem = load_problem(problem_path)
        pinned = load_solution(pin).rounds if pin is not None else ()
        hinted = load_solution(hint) if hint is not None else None
        options = SolveOptions(
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            draw_seed=draw_seed,
            pinned=pinned,
            open_pins=open_pins,
            hint=hinted,
        )
    except PlanningCoreError as exc:
        fail(str(exc))
    except ValidationError as exc:  # an option out of SolveOptions' range
        first = exc.errors(include_url=False)[0]
        flag = _OPTION_FLAGS.get(str(first["loc"][0]) if first["loc"] else "", "option")
        fail(f"{flag}: {first['msg']}")
    if not output.parent.is_dir():
        fail(f"{output}: folder {output.parent} does not exist")

    started = time.monotonic()
    latest: list[Progress] = []
    live = Live(Text("solving…"), console=err, transient=True, auto_refresh=False)
    interactive = not quiet and err.is_terminal

    def show(progress: Progress) -> None:
        latest.append(progress)
        if interactive:
            live.update(_progress_line(progress), refresh=True)

    if interactive:
        live.start()
    try:
        solution = solve_problem(problem, options, on_progress=show)
    except PlanningCoreError as exc:
        fail(str(exc))
    finally:
        if interactive:
            live.stop()
    if not quiet and latest:
        err.print(_progress_line(latest[-1]))
    dump_solution(solution, output)
    out.print(_summary(solution))
    out.print(f"written {output} in {time.monotonic() - started:.1f} s")


def check(
    problem_path: Annotated[Path, typer.Argument(metavar="PROBLEM", help="Problem JSON file.")],
    solution_path: Annotated[Path, typer.Argument(metavar="SOLUTION", help="Solution JSON file.")],
    pin: Annotated[
        Path | None,
        typer.Option(
            "--pin", metavar="PINNED", help="SOLUTION was solved keeping this plan's rounds."
        ),
    ] = None,
    open_pins: Annotated[
        bool, typer.Option("--open-pins", help="The pinned rounds were open to joiners.")
    ] = False,
) -> None:
    """Check SOLUTION against every rule of PROBLEM; exit 1 listing the violations."""
    from inspection.solver.check import check as check_solution

    _pins_given(pin, open_pins)
    try:
        problem = load_problem(problem_path)
        solution = load_solution(solution_path)
        pinned = load_solution(pin).rounds if pin is not None else ()
        report = check_solution(problem, solution, pinned, open_pins)
    except PlanningCoreError as exc:
        fail(str(exc))
    stats = report.statistics
    out.print(
        f"requests {stats.requests}, scheduled {stats.scheduled_requests}, "
        f"rounds {stats.rounds}, visits saved {stats.visits_saved}, "
        f"scheduled priority {stats.scheduled_priority}/{stats.total_priority}, "
        f"rounds lower bound {stats.rounds_lower_bound}"
    )
    if report.ok:
        out.print("valid: no rule is broken")
        return
    for violation in report.violations:
        out.print(Text(f"rule {violation.rule} {violation.code}: {violation.message}"))
    out.print(f"invalid: {len(report.violations)} violation(s)")
    raise typer.Exit(EXIT_VIOLATION)


def generate(
    preset: Annotated[str, typer.Option("--preset", help="S, M, L, XL, HS, H or HX.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the problem.")],
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 1,
    rules: Annotated[
        bool,
        typer.Option(
            "--rules",
            help="Format 1.1: categories, quiet days, no-disturb list, caps and officers.",
        ),
    ] = False,
    slack: Annotated[
        float | None,
        typer.Option(
            "--slack",
            help="Multiplies the capacity factor (default the preset's; <1 tighter, >1 looser).",
        ),
    ] = None,
) -> None:
    """Write a realistic generated problem (deterministic for a preset and seed)."""
    from inspection.generator import PRESETS, write_problem
    from inspection.generator import generate as generate_problem

    if preset.upper() not in PRESETS:
        fail(f"--preset: unknown preset {preset!r} (one of {', '.join(PRESETS)})")
    if slack is not None and not slack > 0:
        fail(f"--slack: must be positive, not {slack:g}")
    if not output.parent.is_dir():
        fail(f"{output}: folder {output.parent} does not exist")
    problem = generate_problem(preset.upper(), seed, rules=rules, slack=slack)
    write_problem(problem, output)
    extra = f", {len(problem.officers)} officers" if problem.is_1_1 else ""
    out.print(
        f"written {output}: {len(problem.requests)} requests, {len(problem.enterprises)} "
        f"enterprises, {len(problem.units)} units{extra}, "
        f"{problem.horizon.start}..{problem.horizon.end}"
    )
