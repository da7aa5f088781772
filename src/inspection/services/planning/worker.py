"""What a plan's worker process runs: read the problem, solve it, store the result.

The problem is read from the tables, solved with live progress written back
(at most every half second), a stop request is honoured, and rounds,
unscheduled requests and figures are stored in one transaction, so a crash
leaves the plan `running` (then `failed` on recovery), never half-written.
"""

from __future__ import annotations

import multiprocessing.synchronize
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, TypeVar

from sqlalchemy import Engine, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from inspection.db.engine import is_lock_timeout
from inspection.db.regions import region_by_id
from inspection.db.tables import PlanRow
from inspection.services.access import SYSTEM
from inspection.services.ledger import live_request_ids, live_round_ids
from inspection.services.planning.capacity import ShareDraft, shared_capacity, store_shares
from inspection.services.planning.models import (
    ACTIVE_STATUSES,
    PlanCreate,
    PlanProgress,
    PlanPublic,
    PlanStatus,
)
from inspection.services.planning.rows import plan_public, plan_request, plan_summary
from inspection.services.rounds.store import get_plan_row
from inspection.services.translation import pinned_rounds, problem_for_horizon, store_solution
from inspection.services.trust.audit import record
from inspection.solver import Problem, Progress, Round, Solution, SolveOptions, solve

__all__ = ["claim_plan", "mark_failed", "run_plan"]

_PROGRESS_EVERY_S: Final = 0.5  # the desk polls about this often; more writes buy nothing
_STOP_POLL_S: Final = 0.3  # how often the stop flag is read while the solver runs
_ABORT_POLL_S: Final = 0.05  # an abort from the job queue is an event: cheap to look at


def _watch_stop(engine: Engine, plan_id: int, stop: threading.Event, done: threading.Event) -> None:
    while not done.wait(_STOP_POLL_S):
        with Session(engine) as session:
            plan = session.get(PlanRow, plan_id)
            if plan is not None and plan.stop_requested:
                stop.set()
                return


def _watch_abort(
    abort: multiprocessing.synchronize.Event, stop: threading.Event, done: threading.Event
) -> None:
    """The job queue's abort request, handed over by the job's thread: at once, no query.

    The moment it is seen goes to the worker's log (the platform tests read it)."""
    while not done.is_set():
        if abort.wait(_ABORT_POLL_S):
            stop.set()
            print(f"abort seen by the solve at {time.time():.3f}", file=sys.stderr, flush=True)
            return


class _ProgressWriter:
    """Writes the solver's progress to the plan's row, at most every half second."""

    def __init__(self, engine: Engine, plan_id: int) -> None:
        self._engine = engine
        self._plan_id = plan_id
        self._last_write = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._last_write < _PROGRESS_EVERY_S:
            return
        self._last_write = now
        try:
            with Session(self._engine) as session:
                row = session.get(PlanRow, self._plan_id)
                if row is not None:
                    row.progress = PlanProgress.of(progress).model_dump()
                    session.add(row)
                    session.commit()
        except OperationalError as error:
            # progress is a glimpse, the next one follows in half a second: a busy
            # database skips one rather than failing the plan
            if not is_lock_timeout(error):
                raise


_T = TypeVar("_T")
_LOCKED_RETRY_FOR_S: Final = 300.0  # a write of the worker waits this long in all for SQLite


def _retrying(write: Callable[[], _T]) -> _T:
    """Run a transaction again while SQLite answers "database is locked".

    On SQLite the worker writes from a process of its own beside the server (and
    other workers), and its turn may not come within `busy_timeout` when the cores
    are busy solving: a plan must not fail for a lock the service itself holds. The
    transaction is rolled back whole (its session closed) before it is run again.
    """
    deadline = time.monotonic() + _LOCKED_RETRY_FOR_S
    pause = 0.05
    while True:
        try:
            return write()
        except OperationalError as error:
            if not is_lock_timeout(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


@dataclass(frozen=True)
class _Job:
    """What the worker read before solving."""

    asked: PlanCreate
    announced: list[int]
    pinned: list[Round]
    problem: Problem
    stopped_early: bool
    shares: list[ShareDraft]


def mark_failed(engine: Engine, plan_id: int, error: str, attempt: int | None = None) -> bool:
    """End an active plan as failed, with its one `plan.fail` entry; whether it did.

    With `attempt`, only while the plan is still that attempt's: a later run owns it.
    """
    with Session(engine) as session:
        query = (
            update(PlanRow)
            .where(col(PlanRow.id) == plan_id)
            .where(col(PlanRow.status).in_(sorted(ACTIVE_STATUSES)))
            .values(status=PlanStatus.FAILED, error=error, finished_at=datetime.now(UTC))
        )
        if attempt is not None:
            query = query.where(col(PlanRow.attempt) == attempt)
        # one conditional UPDATE: of two enders (a watcher, a store, a retry) one wins
        if session.execute(query).rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return False
        record(session, SYSTEM, "plan.fail", "plan", plan_id, None, {"error": error})
        session.commit()
        return True


def claim_plan(engine: Engine, plan_id: int, max_attempts: int | None = None) -> int | None:
    """Claim a queued plan, or a running one a dead run left, for one more run: its attempt.

    None when the plan has ended (a duplicate or late job: nothing to do), or when this
    would be run number `max_attempts` + 1: then the plan is marked failed instead.
    Only the run holding the latest attempt may store or fail the plan.
    """

    def claim() -> int | None:
        with Session(engine) as session:
            attempt = session.execute(
                update(PlanRow)
                .where(col(PlanRow.id) == plan_id)
                .where(col(PlanRow.status).in_(sorted(ACTIVE_STATUSES)))
                .values(
                    status=PlanStatus.RUNNING,
                    attempt=col(PlanRow.attempt) + 1,
                    started_at=datetime.now(UTC),
                )
                .returning(col(PlanRow.attempt))
            ).scalar_one_or_none()
            session.commit()
            return attempt

    attempt = _retrying(claim)
    if attempt is not None and max_attempts is not None and attempt > max_attempts:
        mark_failed(engine, plan_id, "求解进程多次中断", attempt)
        return None
    return attempt


def _begin(engine: Engine, plan_id: int) -> _Job:
    with Session(engine) as session:
        plan = get_plan_row(session, plan_id)
        asked = plan_request(plan)
        region = region_by_id(session, plan.region_id)
        assert region is not None  # a foreign key names it
        path = region.path
        announced = sorted(live_round_ids(session, asked.start, asked.end, path))
        elsewhere = frozenset(live_request_ids(session, outside=(asked.start, asked.end)))
        problem = problem_for_horizon(
            session,
            asked.start,
            asked.end,
            name=f"plan-{plan_id}",
            exclude_requests=elsewhere,
            region_path=path,
        )
        # units working outside the region: what other districts' published visits leave
        problem, shares = shared_capacity(session, problem, region)
        pinned = pinned_rounds(session, announced, with_officers=bool(problem.officers))
        return _Job(asked, announced, list(pinned), problem, plan.stop_requested, shares)


def _store(engine: Engine, plan_id: int, attempt: int, job: _Job, solution: Solution) -> PlanPublic:
    with Session(engine) as session:
        # claim the plan first: a restarted server may have marked it failed while this
        # (orphaned) worker solved, or a later run (a retried job) owns it; then nothing
        # is stored and the plan stays as the others leave it
        claimed = session.execute(
            update(PlanRow)
            .where(col(PlanRow.id) == plan_id)
            .where(col(PlanRow.status) == PlanStatus.RUNNING)
            .where(col(PlanRow.attempt) == attempt)
            .values(status=PlanStatus.STORING)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return plan_public(get_plan_row(session, plan_id))
        plan = get_plan_row(session, plan_id)
        session.refresh(plan)
        store_solution(session, plan_id, solution, job.announced)
        store_shares(session, plan_id, job.shares)
        stats = solution.statistics
        # the solver's own wall time beside its figures: what the service adds is measured
        # against it (bench/plan_overhead.py, bench/year_simulation.py)
        plan.statistics = (
            {**stats.model_dump(), "wall_time_s": solution.wall_time_s or 0.0}
            if stats is not None
            else None
        )
        plan.problem_sha256 = job.problem.sha256()
        plan.solver_status = solution.status
        plan.draw_seed = solution.draw_seed  # so the officers' draw can be replayed
        plan.status = PlanStatus.STOPPED if solution.status == "stopped" else PlanStatus.FINISHED
        plan.finished_at = datetime.now(UTC)
        session.add(plan)
        session.flush()
        record(session, SYSTEM, "plan.finish", "plan", plan_id, None, plan_summary(plan))
        session.commit()
        session.refresh(plan)
        return plan_public(plan)


def run_plan(
    engine: Engine,
    plan_id: int,
    *,
    attempt: int | None = None,
    abort: multiprocessing.synchronize.Event | None = None,
    workers: int = 0,
) -> PlanPublic:
    """Solve a queued plan and store its result (what the worker process runs).

    Args:
        attempt: The claim (:func:`claim_plan`) this run holds; None: claim it now.
        abort: Set by the job's thread when the user asked the queue to stop it.
        workers: CP-SAT workers (0: one per core; a queue worker solves with one).

    Raises:
        NotFoundError: no plan has this id.
    """
    if attempt is None:
        attempt = claim_plan(engine, plan_id)
        if attempt is None:  # ended before this run began
            with Session(engine) as session:
                return plan_public(get_plan_row(session, plan_id))
    job = _retrying(lambda: _begin(engine, plan_id))
    stop, done = threading.Event(), threading.Event()
    if job.stopped_early:
        stop.set()
    watchers = [
        threading.Thread(target=_watch_stop, args=(engine, plan_id, stop, done), daemon=True)
    ]
    if abort is not None:
        watchers.append(
            threading.Thread(target=_watch_abort, args=(abort, stop, done), daemon=True)
        )
    for watcher in watchers:
        watcher.start()
    try:
        # announced rounds keep their day, lead unit and requests; late requests may join
        # them (the enterprise opens its door once anyway) rather than make a second visit
        options = SolveOptions(
            time_limit_s=job.asked.time_limit_s,
            pinned=tuple(job.pinned),
            open_pins=True,
            workers=workers,
        )
        solution = solve(
            job.problem, options, on_progress=_ProgressWriter(engine, plan_id), stop=stop
        )
    finally:
        done.set()
        for watcher in watchers:
            watcher.join()
    claimed = attempt
    return _retrying(lambda: _store(engine, plan_id, claimed, job, solution))
