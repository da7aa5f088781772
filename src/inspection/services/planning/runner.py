"""Plans solve in worker processes, so a crash or a memory blow-up never takes the API down.

Each plan gets its own spawned process with its own engine. A watcher thread
per process marks the plan `failed` when the process dies before storing its
result; at start-up, plans left `queued` or `running` by a killed server are
marked `failed` as well, so none stays half-done. A worker whose server is gone
exits at once rather than solving on for nobody.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.engine import make_engine
from inspection.db.tables import PlanRow
from inspection.services.access import SYSTEM
from inspection.services.planning.models import ACTIVE_STATUSES, PlanStatus
from inspection.services.planning.worker import run_plan
from inspection.services.trust.audit import record

__all__ = ["PlanRunner", "exit_with_parent", "fail_interrupted_plans"]


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


def _work(database_url: str, plan_id: int) -> None:
    exit_with_parent()
    engine = make_engine(database_url)
    try:
        run_plan(engine, plan_id)
    finally:
        engine.dispose()


def _mark_failed(engine: Engine, plan_id: int, error: str) -> None:
    with Session(engine) as session:
        plan = session.get(PlanRow, plan_id)
        if plan is not None and plan.status in ACTIVE_STATUSES:
            plan.status, plan.error = PlanStatus.FAILED, error
            plan.finished_at = datetime.now(UTC)
            session.add(plan)
            session.flush()
            record(session, SYSTEM, "plan.fail", "plan", plan_id, None, {"error": error})
            session.commit()


def fail_interrupted_plans(engine: Engine) -> int:
    """Mark plans a previous server left unfinished as failed; returns how many."""
    with Session(engine) as session:
        stale = list(
            session.exec(select(PlanRow).where(col(PlanRow.status).in_(sorted(ACTIVE_STATUSES))))
        )
    for plan in stale:
        assert plan.id is not None
        _mark_failed(engine, plan.id, "服务重启时排期尚未完成")
    return len(stale)


class PlanRunner:
    """Starts plan workers and watches them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._url = engine.url.render_as_string(hide_password=False)
        self._context = multiprocessing.get_context("spawn")
        self._threads: list[threading.Thread] = []

    def start(self, plan_id: int) -> None:
        """Solve plan `plan_id` in a new process."""
        process = self._context.Process(target=_work, args=(self._url, plan_id), daemon=True)
        process.start()
        watcher = threading.Thread(target=self._watch, args=(process, plan_id), daemon=True)
        watcher.start()
        self._threads.append(watcher)

    def _watch(self, process: multiprocessing.process.BaseProcess, plan_id: int) -> None:
        process.join()
        if process.exitcode != 0:
            _mark_failed(self._engine, plan_id, f"求解进程异常退出（代码 {process.exitcode}）")

    def wait(self, timeout_s: float | None = None) -> None:
        """Wait for every started worker (tests and shutdown)."""
        for thread in self._threads:
            thread.join(timeout_s)
