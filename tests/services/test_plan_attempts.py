"""Claims of a plan guarded by its attempt: a retried run claims it again, only the latest
claim stores or fails it, an ended plan is not claimed, and after the last allowed attempt
the plan fails; one `plan.finish` or `plan.fail` per plan (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from inspection.db.regions import default_region_id
from inspection.db.tables import AuditEntryRow, PlanRow
from inspection.services.planning.jobs import InProcessJobs
from inspection.services.planning.runner import PlanRunner
from inspection.services.planning.use_cases import create_plan, lock_key
from inspection.services.planning.worker import claim_plan, mark_failed, run_plan
from inspection.services.rounds.store import plan_rounds
from tests.support.data import ACTOR
from tests.support.world import fill_week, week_plan


def _queued(engine: Engine) -> int:
    with Session(engine) as session:
        fill_week(session)
        plan_id = create_plan(session, ACTOR, week_plan(2)).id
    assert plan_id is not None
    return plan_id


def _row(engine: Engine, plan_id: int) -> PlanRow:
    with Session(engine) as session:
        row = session.get(PlanRow, plan_id)
        assert row is not None
        return row


def _entries(engine: Engine, plan_id: int, action: str) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(AuditEntryRow)
            .where(col(AuditEntryRow.action) == action)
            .where(col(AuditEntryRow.entity_id) == str(plan_id))
        ).one()


def test_each_claim_is_one_more_attempt_and_an_ended_plan_is_not_claimed(engine: Engine) -> None:
    plan_id = _queued(engine)
    assert claim_plan(engine, plan_id) == 1
    assert _row(engine, plan_id).status == "running"
    # a retried job finds the plan as its dead run left it, running, and claims it again
    assert claim_plan(engine, plan_id) == 2
    finished = run_plan(engine, plan_id, attempt=2, workers=1)
    assert finished.status == "finished"
    assert claim_plan(engine, plan_id) is None  # a duplicate or late job: nothing to do
    assert _row(engine, plan_id).attempt == 2
    assert _entries(engine, plan_id, "plan.finish") == 1


def test_only_the_latest_attempt_stores_or_fails_the_plan(engine: Engine) -> None:
    plan_id = _queued(engine)
    assert claim_plan(engine, plan_id) == 1
    assert claim_plan(engine, plan_id) == 2  # the first run is taken for dead
    stale = run_plan(engine, plan_id, attempt=1, workers=1)  # ... but it was still alive
    assert stale.status == "running"
    assert not mark_failed(engine, plan_id, "旧的运行", attempt=1)
    with Session(engine) as session:
        assert plan_rounds(session, plan_id) == []
    assert run_plan(engine, plan_id, attempt=2, workers=1).status == "finished"
    assert not mark_failed(engine, plan_id, "已结束", attempt=2)  # ended: stays finished
    assert _entries(engine, plan_id, "plan.finish") == 1
    assert _entries(engine, plan_id, "plan.fail") == 0


def test_after_the_last_attempt_the_plan_fails_once(engine: Engine) -> None:
    plan_id = _queued(engine)
    assert [claim_plan(engine, plan_id, max_attempts=3) for _ in range(3)] == [1, 2, 3]
    assert claim_plan(engine, plan_id, max_attempts=3) is None
    row = _row(engine, plan_id)
    assert (row.status, row.error, row.attempt) == ("failed", "求解进程多次中断", 4)
    assert claim_plan(engine, plan_id, max_attempts=3) is None
    assert _entries(engine, plan_id, "plan.fail") == 1


def test_in_process_jobs_start_a_plan_only_once_its_transaction_commits(engine: Engine) -> None:
    started: list[int] = []

    class Recording(PlanRunner):
        def start(self, plan_id: int) -> None:
            started.append(plan_id)

    jobs = InProcessJobs(Recording(engine))
    with Session(engine) as session:
        fill_week(session)
    with Session(engine) as session:
        region_id = default_region_id(session)
        plan = PlanRow(
            region_id=region_id,
            horizon_start=week_plan().start,
            horizon_end=week_plan().end,
            time_limit_s=1,
            created_at=datetime.now(UTC),
        )
        session.add(plan)
        session.flush()
        assert plan.id is not None
        jobs.enqueue(session, plan.id, lock_key(region_id, week_plan()))
        session.rollback()
    assert started == []
    with Session(engine) as session:
        created = create_plan(session, ACTOR, week_plan(), jobs)
    assert started == [created.id]


def test_concurrent_claims_get_distinct_attempts(engine: Engine) -> None:
    runs = 3
    plan_id = _queued(engine)
    got: list[int | None] = []
    lock = threading.Lock()

    def claim() -> None:
        attempt = claim_plan(engine, plan_id)
        with lock:
            got.append(attempt)

    threads = [threading.Thread(target=claim) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a or 0 for a in got) == list(range(1, runs + 1))
