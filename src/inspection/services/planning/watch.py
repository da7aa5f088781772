"""What runs beside a solve in a worker process: stop and abort watchers, progress writes, and
the retry of a write SQLite refused for a lock (shared by whole plans and their parts)."""

from __future__ import annotations

import multiprocessing.synchronize
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from inspection.db.engine import is_lock_timeout
from inspection.db.tables import PlanRow
from inspection.services.planning.models import ACTIVE_STATUSES, PlanProgress
from inspection.solver import Progress

__all__ = ["ProgressWriter", "retrying", "watched"]

_PROGRESS_EVERY_S: Final = 0.5  # the desk polls about this often; more writes buy nothing
_STOP_POLL_S: Final = 0.3  # how often the stop flag is read while the solver runs
_ABORT_POLL_S: Final = 0.05  # an abort from the job queue is an event: cheap to look at
_LOCKED_RETRY_FOR_S: Final = 300.0  # a write of the worker waits this long in all for SQLite

_T = TypeVar("_T")


def _watch_stop(engine: Engine, plan_id: int, stop: threading.Event, done: threading.Event) -> None:
    while not done.wait(_STOP_POLL_S):
        with Session(engine) as session:
            plan = session.get(PlanRow, plan_id)
            # a plan another run failed meanwhile (a failed part of it): its result is not wanted
            if plan is None or plan.stop_requested or plan.status not in ACTIVE_STATUSES:
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


@contextmanager
def watched(
    engine: Engine,
    plan_id: int,
    abort: multiprocessing.synchronize.Event | None = None,
    *,
    stopped_early: bool = False,
) -> Iterator[threading.Event]:
    """The stop event of a solve for `plan_id`: set once the plan's stop flag is raised or
    the plan has ended (read every 0.3 s), or `abort` is set; already set when
    `stopped_early`. The watchers end with the block."""
    stop, done = threading.Event(), threading.Event()
    if stopped_early:
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
        yield stop
    finally:
        done.set()
        for watcher in watchers:
            watcher.join()


class ProgressWriter:
    """Hands the solver's progress to `write` in a transaction of its own, at most every half
    second; a write the database refuses for a lock is skipped (the next one follows)."""

    def __init__(self, engine: Engine, write: Callable[[Session, PlanProgress], None]) -> None:
        self._engine = engine
        self._write = write
        self._last_write = 0.0

    @classmethod
    def of_plan(cls, engine: Engine, plan_id: int) -> ProgressWriter:
        """The writer of a whole plan's progress, on its row."""

        def write(session: Session, progress: PlanProgress) -> None:
            row = session.get(PlanRow, plan_id)
            if row is not None:
                row.progress = progress.model_dump()
                session.add(row)

        return cls(engine, write)

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._last_write < _PROGRESS_EVERY_S:
            return
        self._last_write = now
        try:
            with Session(self._engine) as session:
                self._write(session, PlanProgress.of(progress))
                session.commit()
        except OperationalError as error:
            # progress is a glimpse, the next one follows in half a second: a busy
            # database skips one rather than failing the plan
            if not is_lock_timeout(error):
                raise


def retrying(write: Callable[[], _T]) -> _T:
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
