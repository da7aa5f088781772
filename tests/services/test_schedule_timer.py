"""The in-process timer (SQLite's way to fire weekly schedules): its thread fires a due
schedule once, and a failing tick is logged, not raised."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import PlanRow
from inspection.services.access import Actor, Role
from inspection.services.planning.schedule import (
    LOCAL_ZONE,
    ScheduleClock,
    ScheduleUpdate,
    set_schedule,
)
from inspection.services.planning.schedule_timer import ScheduleTimer
from tests.support.jobs import StubJobs
from tests.support.regions import fill_regions

COORDINATOR = Actor(name="coordinator", role=Role.COORDINATOR, region_path="4418/441802")
MOMENT = datetime(2024, 5, 30, 9, 0, tzinfo=LOCAL_ZONE)  # a Thursday, 09:00 in UTC+8


class _BrokenClock(ScheduleClock):
    def read(self, real_now: datetime) -> datetime:
        raise RuntimeError("no clock")


def _drafts(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(PlanRow).where(col(PlanRow.origin) == "schedule")).all())


def test_the_timer_fires_a_due_schedule_once(engine: Engine) -> None:
    fill_regions(engine)
    with Session(engine) as session:
        data = ScheduleUpdate(weekday=3, time="09:00", time_limit_s=2)
        set_schedule(session, COORDINATOR, data, now=MOMENT - timedelta(days=1))
    # the schedules' clock reads a minute past the moment now
    real = datetime.now(UTC)
    clock = ScheduleClock(real, MOMENT + timedelta(minutes=1), 1.0)
    timer = ScheduleTimer(engine, StubJobs(), 0.05, clock)
    timer.start()
    deadline = time.monotonic() + 20
    while _drafts(engine) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # several more ticks
    timer.close()
    assert _drafts(engine) == 1


def test_a_failing_tick_is_logged_not_raised(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    broken = ScheduleTimer(engine, StubJobs(), 60, _BrokenClock())
    broken.tick()  # the clock cannot be read: the tick fails inside
    assert "weekly schedules: tick failed" in caplog.text
