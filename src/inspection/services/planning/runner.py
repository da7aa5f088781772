"""Plans solve in worker processes, so a crash or a memory blow-up never takes the API down.

Each plan gets its own spawned process with its own engine, at most
`max_concurrent` at once (a solve takes a few cores and up to 250 MB): the others
wait `queued` in the table and start in creation order as slots free, also after
a restart (the queue is the table, not this process). A watcher thread per
process marks the plan `failed` when the process dies before storing its result;
at start-up, plans left `running` by a killed server are marked `failed`, so none
stays half-done. A worker whose server is gone exits at once rather than solving
on for nobody.

The interface is three calls, :meth:`PlanRunner.start` (a plan was queued),
:meth:`PlanRunner.resume` (at start-up) and :meth:`PlanRunner.close` (at
shutdown), so that another runner (a job queue) can take its place.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.synchronize
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.engine import make_engine
from inspection.db.tables import PlanRow
from inspection.services.planning.models import PlanStatus
from inspection.services.planning.worker import mark_failed, run_plan

__all__ = [
    "PlanRunner",
    "child_engine",
    "exit_with_parent",
    "fail_interrupted_plans",
    "mark_failed",
    "work",
]


def _exit_with_parent(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    # The server died (even by SIGKILL): its successor marks this plan failed at
    # start-up, so solving on would only burn a core until the time limit.
    os._exit(3)


def exit_with_parent() -> None:
    """In a spawned worker: exit as soon as the process that started it is gone."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        watch = threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True)
        watch.start()


def work(
    database_url: str,
    plan_id: int,
    attempt: int | None = None,
    abort: multiprocessing.synchronize.Event | None = None,
    workers: int = 0,
) -> None:
    """What a spawned solve process runs: the plan (claimed here unless `attempt` says which
    claim it runs under), stopping early when `abort` is set."""
    with child_engine(database_url) as engine:
        run_plan(engine, plan_id, attempt=attempt, abort=abort, workers=workers)


@contextmanager
def child_engine(database_url: str) -> Iterator[Engine]:
    """In a solve process: an engine of its own, disposed at the end; the process exits
    as soon as the one that started it is gone (:func:`exit_with_parent`)."""
    exit_with_parent()
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def fail_interrupted_plans(engine: Engine) -> int:
    """Mark plans a previous server left solving as failed; returns how many.

    Plans still `queued` never started: they stay queued and are started by the runner.
    """
    interrupted = sorted({PlanStatus.RUNNING, PlanStatus.STORING})
    with Session(engine) as session:
        stale = list(session.exec(select(PlanRow).where(col(PlanRow.status).in_(interrupted))))
    for plan in stale:
        assert plan.id is not None
        mark_failed(engine, plan.id, "服务重启时排期尚未完成")
    return len(stale)


class PlanRunner:
    """Starts plan workers, at most `max_concurrent` at once, and watches them."""

    def __init__(self, engine: Engine, max_concurrent: int = 2) -> None:
        self._engine = engine
        self._url = engine.url.render_as_string(hide_password=False)
        self._context = multiprocessing.get_context("spawn")
        self._max = max_concurrent
        self._active: set[int] = set()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._closed = False

    @property
    def engine(self) -> Engine:
        """The database the runner reads queued plans from."""
        return self._engine

    def start(self, plan_id: int) -> None:
        """Plan `plan_id` was queued: solve it now if a slot is free, else when one frees."""
        self._dispatch()

    def resume(self) -> None:
        """Start the plans left queued (by a previous server), oldest first, as slots allow."""
        self._dispatch()

    def close(self) -> None:
        """Start no more workers (shutdown); those running finish or die with the server."""
        with self._lock:
            self._closed = True

    def _dispatch(self) -> None:
        with self._lock:
            self._fill()

    def _fill(self) -> None:
        """With the lock held: start the oldest queued plans not started yet, into free slots."""
        free = self._max - len(self._active)
        if free <= 0 or self._closed:
            return
        with Session(self._engine) as session:
            waiting = session.exec(
                select(PlanRow.id)
                .where(col(PlanRow.status) == PlanStatus.QUEUED)
                .order_by(col(PlanRow.id))
            ).all()
        for plan_id in [p for p in waiting if p is not None and p not in self._active][:free]:
            self._launch(plan_id)

    def _launch(self, plan_id: int) -> None:
        process = self._context.Process(target=work, args=(self._url, plan_id), daemon=True)
        process.start()
        self._active.add(plan_id)
        watcher = threading.Thread(target=self._watch, args=(process, plan_id), daemon=True)
        watcher.start()

    def _watch(self, process: multiprocessing.process.BaseProcess, plan_id: int) -> None:
        process.join()
        try:
            if process.exitcode != 0:
                mark_failed(self._engine, plan_id, f"求解进程异常退出（代码 {process.exitcode}）")
        finally:
            with self._lock:
                self._active.discard(plan_id)
                self._fill()  # the slot is free: the oldest queued plan takes it
                self._idle.notify_all()

    def wait(self, timeout_s: float | None = None) -> None:
        """Wait until no worker runs (tests, the demo and shutdown)."""
        with self._idle:
            self._idle.wait_for(lambda: not self._active, timeout_s)
