"""The weekly schedule: a region's draft is made once per moment, late ticks catch up,
disabled schedules and clashes make none (a clash is recorded), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow, PlanningScheduleRow, PlanRow
from inspection.errors import NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.planning.models import PlanCreate, PlanOrigin
from inspection.services.planning.schedule import (
    LOCAL_ZONE,
    ScheduleClock,
    SchedulePublic,
    ScheduleUpdate,
    fire_due_schedules,
    get_schedule,
    latest_moment,
    set_schedule,
)
from inspection.services.planning.use_cases import create_plan, list_plans
from tests.support.regions import CITY, DISTRICTS, fill_regions

OWN, OTHER = DISTRICTS
COORDINATOR = Actor(name="coordinator-own", role=Role.COORDINATOR, region_path=f"{CITY}/{OWN}")
STRANGER = Actor(name="coordinator-other", role=Role.COORDINATOR, region_path=f"{CITY}/{OTHER}")
# Thursday 2024-05-30, 09:00 in UTC+8: the moment of the schedule below
MOMENT = datetime(2024, 5, 30, 9, 0, tzinfo=LOCAL_ZONE)
THURSDAY_9 = ScheduleUpdate(weekday=3, time="09:00", horizon_days=7, lead_days=4, time_limit_s=2)


def _set(engine: Engine, data: ScheduleUpdate = THURSDAY_9, now: datetime | None = None) -> None:
    with Session(engine) as session:
        set_schedule(session, COORDINATOR, data, now=now or MOMENT - timedelta(days=1))


def _fire(engine: Engine, now: datetime) -> list[int | None]:
    with Session(engine) as session:
        return [f.plan_id for f in fire_due_schedules(session, now, None)]


def _drafts(engine: Engine) -> list[PlanRow]:
    with Session(engine) as session:
        return list(
            session.exec(select(PlanRow).where(col(PlanRow.origin) == "schedule").order_by("id"))
        )


def _shown(session: Session, now: datetime) -> SchedulePublic:
    shown = get_schedule(session, COORDINATOR, now=now)
    assert shown is not None
    return shown


@pytest.fixture
def regions(engine: Engine) -> Engine:
    fill_regions(engine)
    return engine


def test_latest_moment_is_read_in_utc_plus_8() -> None:
    # Wednesday 2024-05-29 at 01:30 UTC is Wednesday 09:30 in UTC+8
    now = datetime(2024, 5, 29, 1, 30, tzinfo=UTC)
    assert latest_moment(2, time(9, 0), now) == datetime(2024, 5, 29, 9, 0, tzinfo=LOCAL_ZONE)
    assert latest_moment(2, time(10, 0), now).date() == date(2024, 5, 22)
    assert latest_moment(6, time(0, 0), now).date() == date(2024, 5, 26)


def test_a_fast_clock_runs_from_its_fake_start() -> None:
    clock = ScheduleClock.parse("1000,2000,10")
    assert clock.read(datetime.fromtimestamp(1003, UTC)) == datetime.fromtimestamp(2030, UTC)
    assert ScheduleClock.parse("").read(MOMENT) == MOMENT


def test_a_due_schedule_makes_one_draft_per_moment(regions: Engine) -> None:
    _set(regions)
    assert _fire(regions, MOMENT - timedelta(seconds=1)) == []  # not due yet
    (plan_id,) = _fire(regions, MOMENT)
    assert _fire(regions, MOMENT + timedelta(minutes=5)) == []  # fired already
    (draft,) = _drafts(regions)
    assert draft.id == plan_id
    assert draft.scheduled_for == date(2024, 5, 30)
    assert (draft.horizon_start, draft.horizon_end) == (date(2024, 6, 3), date(2024, 6, 9))
    assert draft.time_limit_s == 2
    assert draft.status == "queued"
    with Session(regions) as session:
        waiting = list_plans(session, published=False, actor=COORDINATOR, origin="schedule")
        assert [(p.id, p.origin, p.scheduled_for) for p in waiting] == [
            (plan_id, PlanOrigin.SCHEDULE, date(2024, 5, 30))
        ]
        assert list_plans(session, actor=COORDINATOR, origin="manual") == []
        assert list_plans(session, actor=STRANGER, origin="schedule") == []
        assert _shown(session, MOMENT).last_fired_for == date(2024, 5, 30)
        entry = session.exec(
            select(AuditEntryRow).where(col(AuditEntryRow.action) == "plan.create")
        ).one()
        assert entry.actor == "system:weekly-schedule"


def test_the_next_week_makes_the_next_draft(regions: Engine) -> None:
    _set(regions)
    _fire(regions, MOMENT)
    # a week later the first draft is still queued: its horizon does not meet the second's
    assert len(_fire(regions, MOMENT + timedelta(days=7))) == 1
    assert [d.scheduled_for for d in _drafts(regions)] == [date(2024, 5, 30), date(2024, 6, 6)]


def test_a_tick_hours_late_fires_the_missed_moment_once(regions: Engine) -> None:
    _set(regions)
    late = MOMENT + timedelta(hours=7)
    assert len(_fire(regions, late)) == 1
    assert _fire(regions, late + timedelta(hours=1)) == []
    assert [d.scheduled_for for d in _drafts(regions)] == [date(2024, 5, 30)]


def test_a_moment_past_when_the_schedule_is_set_does_not_fire(regions: Engine) -> None:
    _set(regions, now=MOMENT + timedelta(hours=1))
    assert _fire(regions, MOMENT + timedelta(hours=2)) == []
    with Session(regions) as session:
        shown = _shown(session, MOMENT + timedelta(hours=2))
        assert shown.next_moment == MOMENT + timedelta(days=7)


def test_a_disabled_schedule_makes_no_draft(regions: Engine) -> None:
    _set(regions, THURSDAY_9.model_copy(update={"enabled": False}))
    assert _fire(regions, MOMENT) == []
    assert _drafts(regions) == []
    with Session(regions) as session:
        assert _shown(session, MOMENT).next_moment is None


def test_a_clash_with_a_running_plan_is_recorded_not_raised(regions: Engine) -> None:
    _set(regions)
    with Session(regions) as session:
        data = PlanCreate(start=date(2024, 6, 5), end=date(2024, 6, 5), region=OWN)
        running = create_plan(session, COORDINATOR, data).id
    with Session(regions) as session:
        (fired,) = fire_due_schedules(session, MOMENT, None)
    assert fired.plan_id is None
    assert fired.clash_plan_id == running
    assert _drafts(regions) == []
    assert _fire(regions, MOMENT + timedelta(minutes=5)) == []  # the moment counts as fired
    with Session(regions) as session:
        (entry,) = session.exec(
            select(AuditEntryRow).where(col(AuditEntryRow.action) == "schedule.clash")
        )
        assert entry.after is not None
        assert entry.after["plan"] == running
        assert entry.after["scheduled_for"] == "2024-05-30"
        row = session.get(PlanningScheduleRow, fired.region_id)
        assert row is not None
        assert row.last_fired_for == date(2024, 5, 30)


def test_a_changed_schedule_is_audited_and_keeps_its_last_moment(regions: Engine) -> None:
    _set(regions)
    _fire(regions, MOMENT)
    _set(regions, THURSDAY_9.model_copy(update={"time": "08:00"}), now=MOMENT)
    assert _fire(regions, MOMENT + timedelta(hours=1)) == []  # this week's fired already
    with Session(regions) as session:
        actions = session.exec(
            select(AuditEntryRow.action).where(col(AuditEntryRow.entity) == "planning_schedule")
        ).all()
        assert actions == ["schedule.set", "schedule.set"]


def test_another_regions_schedule_is_not_found(regions: Engine) -> None:
    _set(regions)
    with Session(regions) as session, pytest.raises(NotFoundError) as raised:
        get_schedule(session, STRANGER, OWN)
    assert raised.value.field == "region"
    with Session(regions) as session:
        assert get_schedule(session, STRANGER) is None  # its own region has none
    with Session(regions) as session, pytest.raises(NotFoundError):
        set_schedule(session, STRANGER, THURSDAY_9, OWN)


def test_ticks_at_once_make_one_draft(regions: Engine) -> None:
    # PostgreSQL: the claims wait for each other's row lock; SQLite: for the write lock
    _set(regions)
    results: list[list[int | None]] = []
    barrier = threading.Barrier(4)

    def tick() -> None:
        barrier.wait()
        results.append(_fire(regions, MOMENT))

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert len(_drafts(regions)) == 1


def test_a_failed_firing_is_shown_until_a_draft_is_made(regions: Engine) -> None:
    _set(regions)
    with Session(regions) as session:
        data = PlanCreate(start=date(2024, 6, 5), end=date(2024, 6, 5), region=OWN)
        running = create_plan(session, COORDINATOR, data).id
    assert _fire(regions, MOMENT) == [None]  # the clash: no draft
    with Session(regions) as session:
        failed = _shown(session, MOMENT)
        assert failed.last_error is not None
        assert failed.last_error != ""
        assert failed.last_error_at == MOMENT
        row = session.get(PlanRow, running)
        assert row is not None
        row.status = "stopped"
        session.add(row)
        session.commit()
    week_on = MOMENT + timedelta(days=7)
    (draft,) = _fire(regions, week_on)
    assert draft is not None
    with Session(regions) as session:
        cleared = _shown(session, week_on)
        assert (cleared.last_error, cleared.last_error_at) == (None, None)
