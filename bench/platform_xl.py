"""Benchmark: a province plan of the generator's XL through the database on W workers.

Run by hand (not part of the tests), on a database `bench/xl_loader.py` filled::

    .venv/bin/python bench/xl_loader.py /tmp/XL.json --pg-database xlload_db
    .venv/bin/python bench/platform_xl.py --pg-database xlload_db --workers 2 --time-limit 600

What issue 15's goal 2 asks of the platform (docs/province-platform.md §8): W
``inspection worker`` processes (``INSPECTION_JOBS=queue``) on the database, then a plan
of the province over XL's quarter created through the service (`create_plan` with
`QueueJobs`, as the API does), so that its ``plan.solve`` splits it into one ``plan.part``
job per district, the last part defers ``plan.merge``, and the merge stores the plan.

Measured: the wall time from the plan's creation to its end (the plan row's own stamps
and the bench's clock), the split (start to the stored input), the parts (each one's
time, the sum, the span), the merge (the last part's end to the plan's); every 0.5 s the
resident memory of each worker's process tree (the worker, its fork server, its solve
child), summed, and the proportional set size (PSS: forked pages shared with the fork
server counted once), the largest per worker kept; the plan's statistics (priority,
bound, gap, rounds, rounds' lower bound). The workers are stopped, then a fresh process
reads the province's problem again (`problem_for_horizon`), checks the stored plan
against it with `solver.check` and plans it with the greedy (`greedy_plan`), the floor.
Prints Markdown rows.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from service_common import PG_BENCH_URL, machine

__all__ = ["main"]

_BIN = Path(sys.executable).parent
# the platform tests' worker settings (tests/support/platform.py PLATFORM_ENV) except the
# heartbeat: on a loaded machine a 1 s heartbeat checked every 2 s can hand a running part
# to the other worker; the production defaults (10 s, checked each minute) are kept
WORKER_ENV = {"INSPECTION_JOBS": "queue", "INSPECTION_SHUTDOWN_GRACE_S": "2"}
PROVINCE = "44"


@dataclass
class Peak:
    """The largest memory seen of one worker's process tree."""

    rss_mb: float = 0.0
    pss_mb: float = 0.0
    child_mb: float = 0.0  # the largest single solve child (RSS)
    processes: int = 0


@dataclass
class Sampler:
    """Samples the workers' process trees every `period_s` in a thread."""

    pids: list[int]
    period_s: float = 0.5
    peaks: dict[int, Peak] = field(default_factory=dict)
    samples: int = 0
    phase: str = "split"  # split | parts | merge: what the workers do now (the bench's loop)
    by_phase: dict[str, float] = field(default_factory=dict)  # the largest tree RSS, MB
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> threading.Thread:
        """Start sampling; the thread."""
        self.peaks = {pid: Peak() for pid in self.pids}
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop sampling (after the current sample)."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            self.sample()

    def sample(self) -> None:
        """One sample of every worker's tree."""
        parents = _parents()
        for pid, peak in self.peaks.items():
            tree = _tree(pid, parents)
            rss = {p: _kb(p, "status", "VmRSS:") for p in tree}
            pss = sum(_kb(p, "smaps_rollup", "Pss:") for p in tree)
            children = [rss[p] for p in tree if p != pid and parents.get(p) != pid]
            peak.rss_mb = max(peak.rss_mb, sum(rss.values()) / 1024)
            peak.pss_mb = max(peak.pss_mb, pss / 1024)
            peak.child_mb = max([peak.child_mb, *(c / 1024 for c in children)])
            peak.processes = max(peak.processes, len(tree))
            tree_mb = sum(rss.values()) / 1024
            self.by_phase[self.phase] = max(self.by_phase.get(self.phase, 0.0), tree_mb)
        self.samples += 1


def _parents() -> dict[int, int]:
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            if fields[0] != "Z":
                found[int(entry.name)] = int(fields[1])
    return found


def _tree(pid: int, parents: dict[int, int]) -> set[int]:
    tree, grown = {pid}, True
    while grown:
        more = {c for c, p in parents.items() if p in tree} - tree
        tree |= more
        grown = bool(more)
    return tree & (set(parents) | {pid})


def _kb(pid: int, name: str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:  # ended meanwhile
        return 0
    return 0


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _start_workers(url: str, count: int, folder: Path) -> list[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env.update(WORKER_ENV, INSPECTION_DATABASE_URL=url, INSPECTION_DATA_DIR=str(folder))
    workers = []
    for number in range(count):
        log = (folder / f"worker-{number + 1}.log").open("wb")
        workers.append(
            subprocess.Popen(
                [str(_BIN / "inspection"), "worker"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return workers


def _wait_workers(engine: Engine, count: int, limit_s: float = 180) -> float:
    """Wait until `count` workers have registered; the seconds it took."""
    began = time.monotonic()
    while time.monotonic() - began < limit_s:
        with engine.connect() as connection:
            seen = connection.exec_driver_sql("SELECT count(*) FROM procrastinate_workers")
            if seen.scalar_one() >= count:
                return time.monotonic() - began
        time.sleep(0.5)
    raise RuntimeError(f"{count} workers did not register within {limit_s:.0f} s")


def _stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        try:
            os.killpg(worker.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _create_plan(url: str, start: date, end: date, limit: float) -> int:
    from sqlmodel import Session

    from inspection.db.engine import make_engine
    from inspection.services.access import Actor, Role
    from inspection.services.planning.models import PlanCreate
    from inspection.services.planning.queue import QueueJobs
    from inspection.services.planning.use_cases import create_plan

    engine = make_engine(url)
    data = PlanCreate(start=start, end=end, time_limit_s=limit, region=PROVINCE)
    with Session(engine) as session:
        plan = create_plan(session, Actor("bench", Role.ADMIN), data, jobs=QueueJobs(url))
    engine.dispose()
    return plan.id


def _plan_row(engine: Engine, plan_id: int) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT status, attempt, error, statistics, solver_status, created_at, started_at,"
                " finished_at FROM plans WHERE id = :id"
            ),
            {"id": plan_id},
        ).one()
    return dict(row._mapping)


def _parts(engine: Engine, plan_id: int) -> tuple[list[dict[str, Any]], datetime | None]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.id, r.code, p.status, p.attempt, p.requests, p.time_limit_s,"
                " p.started_at, p.finished_at, p.error FROM plan_parts p"
                " JOIN regions r ON r.id = p.region_id WHERE p.plan_id = :id ORDER BY p.id"
            ),
            {"id": plan_id},
        ).all()
        split = connection.execute(
            text("SELECT created_at FROM plan_inputs WHERE plan_id = :id"), {"id": plan_id}
        ).scalar_one_or_none()
    return [dict(r._mapping) for r in rows], split


def _phase(engine: Engine, plan_id: int) -> str:
    """What the plan's jobs do now: split (no input stored yet), parts, or merge."""
    with engine.connect() as connection:
        split = connection.execute(
            text("SELECT count(*) FROM plan_inputs WHERE plan_id = :id"), {"id": plan_id}
        ).scalar_one()
        waiting = connection.execute(
            text(
                "SELECT count(*) FROM plan_parts WHERE plan_id = :id"
                " AND status NOT IN ('finished', 'stopped')"
            ),
            {"id": plan_id},
        ).scalar_one()
    return "split" if not split else "parts" if waiting else "merge"


def _seconds(later: datetime | None, earlier: datetime | None) -> float:
    if later is None or earlier is None:
        return float("nan")
    return (later - earlier).total_seconds()


def _check_in_child(url: str, plan_id: int, start: date, end: date) -> dict[str, Any]:
    """In a fresh process: the province's problem read again, the stored plan checked
    against it, and the greedy's plan of it."""
    from sqlmodel import Session

    from inspection.db.engine import make_engine
    from inspection.services.translation import problem_for_horizon
    from inspection.solver import Round, Solution, Unscheduled, check
    from inspection.solver.greedy import greedy_plan

    engine = make_engine(url)
    began = time.monotonic()
    with Session(engine) as session:
        problem = problem_for_horizon(session, start, end, region_path=PROVINCE)
    read_s = time.monotonic() - began
    requests: dict[int, list[str]] = defaultdict(list)
    with engine.connect() as connection:
        for round_id, request_id in connection.execute(
            text(
                "SELECT l.round_id, l.request_id FROM plan_round_requests l JOIN plan_rounds r"
                " ON r.id = l.round_id WHERE r.plan_id = :id ORDER BY l.request_id"
            ),
            {"id": plan_id},
        ):
            requests[round_id].append(str(request_id))
        rounds = [
            Round(
                enterprise=code,
                date=day,
                requests=tuple(requests[round_id]),
                lead_unit=lead,
                units=tuple(json.loads(units) if isinstance(units, str) else units),
                items=tuple(json.loads(items) if isinstance(items, str) else items),
            )
            for round_id, code, day, lead, units, items in connection.execute(
                text(
                    "SELECT id, credit_code, day, lead_unit_id, units, items FROM plan_rounds"
                    " WHERE plan_id = :id ORDER BY day, credit_code"
                ),
                {"id": plan_id},
            )
        ]
        left = [
            Unscheduled(request=str(request_id), code=code, reason=reason)
            for request_id, code, reason in connection.execute(
                text("SELECT request_id, code, reason FROM plan_unscheduled WHERE plan_id = :id"),
                {"id": plan_id},
            )
        ]
    engine.dispose()
    solution = Solution(rounds=tuple(rounds), unscheduled=tuple(left))
    began = time.monotonic()
    report = check(problem, solution)
    check_s = time.monotonic() - began
    priority_of = {r.id: r.priority for r in problem.requests}
    stored = sum(priority_of[r] for round_ in rounds for r in round_.requests)
    began = time.monotonic()
    greedy = greedy_plan(problem)
    greedy_s = time.monotonic() - began
    placed = {r for round_ in greedy.rounds for r in round_.requests}
    return {
        "requests": len(problem.requests),
        "valid": report.ok,
        "violations": str(report)[:500] if not report.ok else "",
        "stored_priority": stored,
        "stored_rounds": len(rounds),
        "greedy_priority": sum(priority_of[r] for r in placed),
        "greedy_rounds": len(greedy.rounds),
        "read_s": read_s,
        "check_s": check_s,
        "greedy_s": greedy_s,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run(args: argparse.Namespace, url: str, folder: Path) -> dict[str, Any]:
    from inspection.db.engine import make_engine
    from inspection.services.planning.models import ACTIVE_STATUSES

    engine = make_engine(url)
    figures: dict[str, Any] = {"load_before": _load_average()}
    workers = _start_workers(url, args.workers, folder)
    sampler = Sampler([w.pid for w in workers])
    try:
        figures["workers_ready_s"] = _wait_workers(engine, args.workers)
        sampler.start()
        began = time.monotonic()
        plan_id = _create_plan(url, args.start, args.end, args.time_limit)
        deadline = began + 2 * args.time_limit + 900
        while True:
            row = _plan_row(engine, plan_id)
            if row["status"] not in ACTIVE_STATUSES:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"plan {plan_id} still {row['status']} at the deadline")
            if any(w.poll() is not None for w in workers):
                raise RuntimeError("a worker exited; see " + str(folder))
            sampler.phase = _phase(engine, plan_id)
            time.sleep(1)
        figures["bench_wall_s"] = time.monotonic() - began
        sampler.stop()
        sampler.sample()
        figures["load_after"] = _load_average()
        figures["plan_id"] = plan_id
        figures["row"] = row
        figures["parts"], figures["split_at"] = _parts(engine, plan_id)
    finally:
        sampler.stop()
        _stop_workers(workers)
        engine.dispose()
    figures["peaks"] = [sampler.peaks[w.pid] for w in workers]
    figures["samples"] = sampler.samples
    figures["by_phase"] = dict(sampler.by_phase)
    return figures


def _report(args: argparse.Namespace, figures: dict[str, Any], checked: dict[str, Any]) -> bool:
    row, parts = figures["row"], figures["parts"]
    stats = row["statistics"] or {}
    priority, bound = stats.get("scheduled_priority", 0), stats.get("priority_upper_bound", 0)
    gap = (bound - priority) / bound if bound else float("nan")
    wall = _seconds(row["finished_at"], row["created_at"])
    split = _seconds(figures["split_at"], row["started_at"])
    times = [_seconds(p["finished_at"], p["started_at"]) for p in parts]
    ends = [p["finished_at"] for p in parts if p["finished_at"] is not None]
    starts = [p["started_at"] for p in parts if p["started_at"] is not None]
    span = _seconds(max(ends), min(starts)) if ends and starts else float("nan")
    merge = _seconds(row["finished_at"], max(ends)) if ends else float("nan")
    peaks: list[Peak] = figures["peaks"]
    print(
        f"{machine()}; load average before {figures['load_before']}, after "
        f"{figures['load_after']}; workers ready in {figures['workers_ready_s']:.0f} s; "
        f"{figures['samples']} memory samples"
    )
    print(
        f"plan {figures['plan_id']}: {row['status']} (solver {row['solver_status']}), "
        f"attempt {row['attempt']}, error {row['error']!r}"
    )
    print(
        "| W | limit s | parts | wall s | split s | parts span s | parts sum s | merge s "
        "| worker peak RSS MB (PSS) | largest child MB | priority / bound (gap) "
        "| rounds / LB | greedy priority | valid |"
    )
    print("|" + "---|" * 14)
    memory = ", ".join(f"{p.rss_mb:,.0f} ({p.pss_mb:,.0f})" for p in peaks)
    cells = [
        str(args.workers),
        f"{args.time_limit:.0f}",
        str(len(parts)),
        f"{wall:.0f}",
        f"{split:.0f}",
        f"{span:.0f}",
        f"{sum(times):.0f}",
        f"{merge:.0f}",
        memory,
        f"{max(p.child_mb for p in peaks):,.0f}",
        f"{priority:,} / {bound:,} ({100 * gap:.3f} %)",
        f"{stats.get('rounds', 0):,} / {stats.get('rounds_lower_bound', 0):,}",
        f"{checked['greedy_priority']:,}",
        "yes" if checked["valid"] else "NO",
    ]
    print("| " + " | ".join(cells) + " |")
    largest = sorted(parts, key=lambda p: -p["requests"])[:5]
    print(
        "largest parts: "
        + "; ".join(
            f"{p['code']} {p['requests']:,} requests, limit {p['time_limit_s']:.0f} s, "
            f"took {_seconds(p['finished_at'], p['started_at']):.0f} s, {p['status']}"
            f" (attempt {p['attempt']})"
            for p in largest
        )
    )
    phases = ", ".join(f"{k} {v:,.0f} MB" for k, v in figures["by_phase"].items())
    print(f"largest worker tree (RSS) while the plan was in: {phases}")
    retried = [p["code"] for p in parts if p["attempt"] != 1]
    print(
        f"parts run more than once: {retried or 'none'}; bench's own wall "
        f"{figures['bench_wall_s']:.0f} s"
    )
    print(
        f"check (fresh process, problem read again in {checked['read_s']:.0f} s, "
        f"{checked['requests']:,} requests): {'valid' if checked['valid'] else 'INVALID'} in "
        f"{checked['check_s']:.0f} s; stored priority {checked['stored_priority']:,} over "
        f"{checked['stored_rounds']:,} rounds; greedy {checked['greedy_priority']:,} over "
        f"{checked['greedy_rounds']:,} rounds in {checked['greedy_s']:.0f} s; "
        f"peak {checked['peak_mb']:,.0f} MB {checked['violations']}"
    )
    goals = {
        "wall <= 600 s": wall <= 600,
        "every worker < 2 GB (RSS of its tree)": all(p.rss_mb < 2048 for p in peaks),
        "gap <= 0.1 %": gap <= 0.001,
        "never worse than the greedy": checked["stored_priority"] >= checked["greedy_priority"],
        "valid": bool(checked["valid"]),
    }
    print("goal 2: " + "; ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in goals.items()))
    return bool(checked["valid"]) and checked["stored_priority"] >= checked["greedy_priority"]


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run the plan on the workers, check it and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-database", default="xlload_db")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 7, 1))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2025, 9, 30))
    args = parser.parse_args(argv)
    url = PG_BENCH_URL.rsplit("/", 1)[0] + f"/{args.pg_database}"
    folder = Path(tempfile.mkdtemp(prefix="platform-xl-"))
    print(f"logs in {folder}; started {datetime.now(UTC):%H:%M:%S} UTC")
    figures = _run(args, url, folder)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        checked = pool.apply(_check_in_child, (url, figures["plan_id"], args.start, args.end))
    if not _report(args, figures, checked):
        sys.exit("the stored plan is invalid or worse than the greedy")


if __name__ == "__main__":
    main()
