"""Benchmark: re-planning a published week after late checklists came in.

Run by hand (not part of the tests)::

    .venv/bin/python bench/late_joiners.py --seeds 1 2 3 --late-share 0.1 --repeats 3

For each seed, on a fresh SQLite database, through the services (in this
process): `generate("S", seed)` is stored by `tests/support/world.py`'s helpers
(units, enterprises, requests grouped into checklists), except that a random
`--late-share` of its requests is held back; the week is planned (the
worker's `run_plan`, 10 s) and published. Then the held-back requests are
submitted as checklists of their own (grouped the same way) and the week is
re-planned:

- `before` is the old behaviour, the announced rounds pinned closed;
- `after` is what the worker does now, the announced rounds open to joiners.

Both solve the very problem the worker builds (`problem_for_horizon`,
`pinned_rounds`, with the same time limit), `--repeats` times each,
alternately; figures are from the first run (every run is checked by the
checker with its pins and must reach the same figures when proven optimal),
`solve s` is the median `wall_time_s`. Each late request at an enterprise
with an announced round in the week is then counted as `joined` (in that
round), `second visit` (in another round of that enterprise) or `left out`;
`2nd-round enterprises` counts the enterprises visited twice with one visit
new. Finally the real worker re-plans (open pins), and its stored diff
against the published week says the same in rounds: `diff joined` (announced
rounds that late requests joined), `diff second` (enterprises flagged).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from service_common import machine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' world helpers
from tests.support.data import ACTOR
from tests.support.world import store_checklists, store_reference

__all__ = ["main"]

TIME_LIMIT_S = 10.0
COLUMNS = (
    *("seed", "method", "requests", "late", "late at announced", "joined", "second visit"),
    *("left out", "second visit: window / non-joinable / capacity or full"),
    *("2nd-round enterprises", "rounds", "visits saved", "solve s", "proven"),
)


def _plan(engine: Any, start: date, end: date, publish: bool) -> int:
    from sqlmodel import Session

    from inspection.services.planning.models import PlanCreate
    from inspection.services.planning.use_cases import create_plan, publish_plan
    from inspection.services.planning.worker import run_plan

    with Session(engine) as session:
        asked = PlanCreate(start=start, end=end, time_limit_s=TIME_LIMIT_S)
        plan_id = create_plan(session, ACTOR, asked).id
    assert run_plan(engine, plan_id).status == "finished"
    if publish:
        with Session(engine) as session:
            publish_plan(session, ACTOR, plan_id)
    return plan_id


def _classify(solution: Any, week: Any, pinned: tuple[Any, ...], late: set[str]) -> dict[str, int]:
    """Where the late requests at enterprises with an announced round went, and how many
    enterprises the plan visits twice with one visit new (as the diff's `second_rounds`)."""
    announced = {(p.enterprise, p.date) for p in pinned}
    with_announced = {enterprise for enterprise, _ in announced}
    by_id = {r.id: r for r in week.requests}
    where = {q: (r.enterprise, r.date) for r in solution.rounds for q in r.requests}
    counts: dict[str, Any] = dict.fromkeys(COLUMNS[4:8], 0)
    why: dict[str, int] = dict.fromkeys(("window", "non-joinable", "capacity or full"), 0)
    for request in late:
        wanted = by_id[request]
        if wanted.enterprise not in with_announced:
            continue
        counts["late at announced"] += 1
        if request not in where:
            counts["left out"] += 1
        elif where[request] in announced:
            counts["joined"] += 1
        else:
            counts["second visit"] += 1
            days = [d for e, d in announced if e == wanted.enterprise]
            if not wanted.joinable:
                why["non-joinable"] += 1
            elif not any(wanted.earliest <= d <= wanted.latest for d in days):
                why["window"] += 1
            else:
                why["capacity or full"] += 1
    counts["second visit: window / non-joinable / capacity or full"] = " / ".join(
        str(n) for n in why.values()
    )
    rounds: dict[str, list[bool]] = defaultdict(list)
    for r in solution.rounds:
        rounds[r.enterprise].append((r.enterprise, r.date) not in announced)
    counts["2nd-round enterprises"] = sum(len(n) > 1 and any(n) for n in rounds.values())
    return counts


def run_seed(seed: int, late_share: float, repeats: int) -> list[dict[str, Any]]:
    """One seed: publish the early week, add the late checklists, re-plan before and after."""
    from sqlmodel import Session, col, select

    from inspection.db.engine import make_engine, upgrade
    from inspection.db.tables import RequestRow
    from inspection.generator import generate
    from inspection.services.ledger import live_request_ids, live_round_ids
    from inspection.services.rounds.diff import diff_against_published
    from inspection.services.translation import pinned_rounds, problem_for_horizon
    from inspection.solver import SolveOptions, check, solve

    problem = generate("S", seed)
    chosen = random.Random(seed).sample(
        range(len(problem.requests)), round(late_share * len(problem.requests))
    )
    late_requests = [problem.requests[i] for i in sorted(chosen)]
    early_requests = [r for i, r in enumerate(problem.requests) if i not in set(chosen)]
    start, end = problem.horizon.start, problem.horizon.end
    folder = Path(tempfile.mkdtemp(prefix="late-joiners-"))
    engine = make_engine(f"sqlite:///{folder / 'inspection.db'}")
    try:
        upgrade(engine)
        with Session(engine) as session:
            store_reference(session, problem)
            store_checklists(session, early_requests)
        _plan(engine, start, end, publish=True)
        with Session(engine) as session:
            late_checklists = store_checklists(session, late_requests)
            late = {
                str(r.id)
                for r in session.exec(
                    select(RequestRow).where(col(RequestRow.checklist_id).in_(late_checklists))
                )
            }
            pinned = tuple(pinned_rounds(session, sorted(live_round_ids(session, start, end))))
            elsewhere = frozenset(live_request_ids(session, outside=(start, end)))
            week = problem_for_horizon(session, start, end, exclude_requests=elsewhere)
        # alternate the two, so that the machine's load falls on both alike
        runs: dict[bool, list[Any]] = {False: [], True: []}
        for _ in range(repeats):
            for open_pins in (False, True):
                options = SolveOptions(
                    time_limit_s=TIME_LIMIT_S, pinned=pinned, open_pins=open_pins
                )
                solution = solve(week, options)
                assert check(week, solution, pinned, open_pins).ok, f"seed {seed}: invalid plan"
                runs[open_pins].append(solution)
        lines = []
        for open_pins, solutions in runs.items():
            first = solutions[0]
            assert first.statistics is not None
            proven = [s.statistics for s in solutions if s.status == "optimal"]
            assert all(figures == proven[0] for figures in proven), f"seed {seed}: optima differ"
            lines.append(
                {
                    "seed": seed,
                    "method": "after (open pins)" if open_pins else "before (closed pins)",
                    "requests": len(week.requests),
                    "late": len(late),
                    **_classify(first, week, pinned, late),
                    "rounds": first.statistics.rounds,
                    "visits saved": first.statistics.visits_saved,
                    "solve s": statistics.median(s.wall_time_s or 0.0 for s in solutions),
                    "proven": sum(s.status == "optimal" for s in solutions),
                }
            )
        replanned = _plan(engine, start, end, publish=False)
        with Session(engine) as session:
            diff = diff_against_published(session, replanned)
        lines[-1]["diff"] = (len(diff.joined), len(diff.second_rounds))
        return lines
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def main() -> None:
    """Run the seeds and print a markdown table (and the machine)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--late-share", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    print("| " + " | ".join(COLUMNS) + " | diff joined | diff second |")
    print("|" + "---|" * (len(COLUMNS) + 2))
    for seed in args.seeds:
        for line in run_seed(seed, args.late_share, args.repeats):
            joined, second = line.get("diff", ("", ""))
            cells = [_cell(line[c]) for c in COLUMNS] + [str(joined), str(second)]
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
