"""The weekly schedule on the job queue: two workers fire `plan.schedule` every second and a
fast clock makes a weekly moment come every few seconds; each moment makes exactly one
draft, whose solve job the workers run (docs/province-platform.md §9, §10 "periodic once")."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from inspection.db.tables import PlanRow
from inspection.services.access import Actor, Role
from inspection.services.planning.schedule import (
    LOCAL_ZONE,
    ScheduleClock,
    ScheduleUpdate,
    latest_moment,
    set_schedule,
)
from tests.support.backends import postgres_url
from tests.support.platform import Platform, platform

_WEEK_S = 6.0  # real seconds per week of the schedules' clock
_FAKE_START = datetime(2024, 5, 27, 0, 0, tzinfo=LOCAL_ZONE)  # a Monday
_MOMENTS = 5
_COORDINATOR = Actor(name="tests", role=Role.COORDINATOR)
_THURSDAY_9 = ScheduleUpdate(weekday=3, time="09:00", horizon_days=7, lead_days=4, time_limit_s=1)
_THURSDAY_9_TIME = time_of_day(9, 0)


@pytest.fixture(scope="module")
def fast(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, ScheduleClock]]:
    """The platform with `plan.schedule` every second and the fast clock started now."""
    shared = postgres_url()
    assert shared is not None
    real = time.time()
    spec = f"{real:.3f},{_FAKE_START.timestamp():.0f},{7 * 86400 / _WEEK_S:.3f}"
    env = {
        "INSPECTION_SCHEDULE_CRON": "* * * * * */1",
        "INSPECTION_SCHEDULE_CLOCK": spec,
        # a tick must not wait behind a draft's solve (with 1, it waits the solve out and a
        # moment is skipped, fired late as the next one: correct, but not what is counted)
        "INSPECTION_WORKER_CONCURRENCY": "2",
    }
    with platform(shared, tmp_path_factory.mktemp("schedule"), env) as running:
        yield running, ScheduleClock.parse(spec)


def _wait_for_ticks(live: Platform, limit_s: float = 60) -> None:
    """Until both workers run (each has finished a periodic job)."""
    query = text(
        "SELECT (SELECT count(*) FROM procrastinate_workers) >= 2 AND EXISTS (SELECT 1"
        " FROM procrastinate_jobs WHERE task_name = 'plan.schedule' AND status = 'succeeded')"
    )
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with Session(live.engine) as session:
            if session.execute(query).scalar_one():
                return
        time.sleep(0.2)
    raise AssertionError("the workers ran no plan.schedule tick")


def _weekly(first: date, last: date) -> list[date]:
    return [first + timedelta(days=7 * n) for n in range((last - first).days // 7 + 1)]


def test_each_moment_makes_one_draft_with_two_workers(
    fast: tuple[Platform, ScheduleClock],
) -> None:
    live, clock = fast
    _wait_for_ticks(live)
    with Session(live.engine) as session:
        set_at = clock.read(datetime.now(UTC))
        set_schedule(session, _COORDINATOR, _THURSDAY_9, now=set_at)
    first = latest_moment(3, _THURSDAY_9_TIME, set_at).date() + timedelta(days=7)
    time.sleep(_MOMENTS * _WEEK_S + 1)
    # every moment up to two real seconds ago has had a tick (every second) since it came
    settled = latest_moment(3, _THURSDAY_9_TIME, clock.read(datetime.now(UTC))).date()
    with Session(live.engine) as session:
        drafts = session.exec(
            select(PlanRow).where(col(PlanRow.origin) == "schedule").order_by(col(PlanRow.id))
        ).all()
        fired = [d.scheduled_for for d in drafts if d.scheduled_for is not None]
        assert len(fired) == len(drafts)
        assert len(fired) == len(set(fired))  # one draft per moment
        assert fired == sorted(fired)
        assert fired[0] == first  # none for the moment past when it was set
        assert fired == _weekly(first, fired[-1])  # none skipped
        assert fired[-1] >= settled - timedelta(days=7)
        assert len(fired) >= _MOMENTS - 1
        clashes = session.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'schedule.clash'")
        ).scalar_one()
        assert clashes == 0
        creates = session.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'plan.create'")
        ).scalar_one()
        assert creates == len(fired)
        # each tick deferred once though both workers run the periodic deferrer
        ticks = session.execute(
            text(
                "SELECT count(*), count(DISTINCT args->>'timestamp')"
                " FROM procrastinate_jobs WHERE task_name = 'plan.schedule'"
            )
        ).one()
        assert ticks[0] == ticks[1] >= _MOMENTS * _WEEK_S - 2
        jobs = {d.id: d.job_id for d in drafts if d.id is not None}
        assert all(job is not None for job in jobs.values())  # each draft's solve was deferred
    # the workers solve the drafts (no requests in the region: each ends at once)
    for plan_id in jobs:
        assert live.wait_ended(plan_id, 120)["status"] in ("finished", "stopped")
