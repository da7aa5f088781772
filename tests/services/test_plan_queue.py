"""The plan queue: a bounded runner, plans queued across a restart, one active plan per day,
and a worker that waits out SQLite's lock instead of failing."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.engine import make_engine, upgrade
from inspection.db.tables import PlanRow
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.runner import PlanRunner, fail_interrupted_plans
from inspection.services.planning.use_cases import PlanClashError, create_plan
from inspection.services.planning.worker import run_plan
from inspection.solver import solve as real_solve
from tests.support.data import ACTOR
from tests.support.world import WEEK, fill_week, week_plan


def _day(n: int) -> PlanCreate:
    day = WEEK[0] + timedelta(days=n)
    return PlanCreate(start=day, end=day, time_limit_s=2)


def test_queued_plans_outlive_a_restart_and_start_one_by_one_oldest_first(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        fill_week(session)
        ids = [create_plan(session, ACTOR, _day(n)).id for n in range(3)]
    # the server that queued them died before starting any: its successor keeps them queued
    assert fail_interrupted_plans(engine) == 0
    runner = PlanRunner(engine, max_concurrent=1)
    runner.resume()
    runner.wait(timeout_s=180)
    runner.close()
    with Session(engine) as session:
        rows = list(session.exec(select(PlanRow).order_by(col(PlanRow.id))))
    assert [r.id for r in rows] == ids
    assert [r.status for r in rows] == ["finished"] * 3, [(r.status, r.error) for r in rows]
    for earlier, later in itertools.pairwise(rows):
        assert earlier.finished_at is not None
        assert later.started_at is not None
        assert later.started_at >= earlier.finished_at  # one slot: one after the other, in order


def test_a_second_active_plan_over_overlapping_days_is_refused(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        first = create_plan(session, ACTOR, week_plan())
        with pytest.raises(PlanClashError) as refused:
            create_plan(session, ACTOR, _day(3))
        assert refused.value.plan_id == first.id
        assert refused.value.extensions() == {"plan": first.id}
        assert str(first.id) in refused.value.detail
        assert len(list(session.exec(select(PlanRow)))) == 1  # nothing stored
    run_plan(engine, first.id)  # once it is done, the days may be planned again
    with Session(engine) as session:
        assert create_plan(session, ACTOR, _day(3)).status == "queued"


def test_a_worker_waits_out_another_process_holding_the_sqlite_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Longer than `busy_timeout` (5 s): the plan must still be stored, not fail."""
    path = tmp_path / "inspection.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        fill_week(session)
        plan_id = create_plan(session, ACTOR, week_plan(time_limit_s=2)).id
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    released = threading.Event()

    def release() -> None:
        holder.execute("COMMIT")
        released.set()

    def solve_then_lock(*args: object, **kwargs: object) -> object:
        solution = real_solve(*args, **kwargs)  # type: ignore[arg-type]
        holder.execute("BEGIN IMMEDIATE")  # the write lock, as another process would hold it
        threading.Timer(6.5, release).start()
        return solution

    monkeypatch.setattr("inspection.services.planning.worker.solve", solve_then_lock)
    try:
        stored = run_plan(engine, plan_id)
    finally:
        released.wait(30)
        holder.close()
        engine.dispose()
    assert released.is_set()
    assert stored.status == "finished", stored.error
