"""A plan's job is a row of the plan's own transaction (PostgreSQL): no job without its plan,
and a duplicate of a waiting job is the same 409 as a clash."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from inspection.db.engine import make_engine, upgrade
from inspection.db.regions import default_region_id
from inspection.services.planning.queue import QueueJobs
from inspection.services.planning.use_cases import PlanClashError, create_plan
from tests.support.backends import postgres_url, wipe_postgres
from tests.support.data import ACTOR
from tests.support.world import fill_week, week_plan


@pytest.fixture
def pg() -> Iterator[Engine]:
    url = postgres_url()
    assert url is not None
    engine = make_engine(url)
    wipe_postgres(engine)
    upgrade(engine)
    with Session(engine) as session:
        fill_week(session)
    yield engine
    wipe_postgres(engine)
    engine.dispose()


def _jobs(engine: Engine) -> QueueJobs:
    return QueueJobs(engine.url.render_as_string(hide_password=False))


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        plans = connection.execute(text("SELECT count(*) FROM plans")).scalar_one()
        jobs = connection.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar_one()
    return int(plans), int(jobs)


def test_a_plan_whose_create_fails_after_its_enqueue_leaves_no_job(pg: Engine) -> None:
    class FailingAfterEnqueue(QueueJobs):
        def enqueue(self, session: Session, plan_id: int, lock_key: str) -> None:
            super().enqueue(session, plan_id, lock_key)
            raise RuntimeError("the request failed after the job was deferred")

    jobs = FailingAfterEnqueue(pg.url.render_as_string(hide_password=False))
    with Session(pg) as session, pytest.raises(RuntimeError):
        create_plan(session, ACTOR, week_plan(), jobs)
    assert _counts(pg) == (0, 0)
    with Session(pg) as session:
        plan = create_plan(session, ACTOR, week_plan(), _jobs(pg))
    assert _counts(pg) == (1, 1)
    with pg.connect() as connection:
        job = connection.execute(
            text(
                "SELECT p.job_id = j.id, j.status, j.queueing_lock FROM plans p"
                " JOIN procrastinate_jobs j ON j.id = p.job_id WHERE p.id = :id"
            ),
            {"id": plan.id},
        ).one()
    with Session(pg) as session:
        region = default_region_id(session)
    assert tuple(job) == (True, "todo", f"plan:{region}:{week_plan().start}:{week_plan().end}")


def test_a_duplicate_of_a_waiting_job_is_the_clash_naming_its_plan(pg: Engine) -> None:
    jobs = _jobs(pg)
    with Session(pg) as session:
        first = create_plan(session, ACTOR, week_plan(), jobs)
    # the first plan ended (say it was failed by hand) while its job still waits: the clash
    # check lets a second plan through, the queueing lock does not
    with pg.begin() as connection:
        ended = text("UPDATE plans SET status = 'failed' WHERE id = :id")
        connection.execute(ended, {"id": first.id})
    with Session(pg) as session, pytest.raises(PlanClashError) as refused:
        create_plan(session, ACTOR, week_plan(), jobs)
    assert refused.value.plan_id == first.id
    assert _counts(pg) == (1, 1)
