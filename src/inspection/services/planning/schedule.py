"""A region's weekly draft plan (docs/province-platform.md §9).

A coordinator sets when their region's draft is made (:func:`set_schedule`); something
calls :func:`fire_due_schedules` every few minutes (the queue's periodic ``plan.schedule``
on PostgreSQL, the API's timer thread in-process) and each schedule's latest moment that
has come is turned into one draft plan, however many callers fire at once and however
late they fire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from inspection.db.regions import in_region
from inspection.db.tables import PlanningScheduleRow, PlanRow, RegionRow
from inspection.errors import ConflictError
from inspection.services.access import Actor, Role
from inspection.services.planning.models import (
    DEFAULT_TIME_LIMIT_S,
    DONE_STATUSES,
    MAX_HORIZON_DAYS,
    MAX_TIME_LIMIT_S,
    MIN_TIME_LIMIT_S,
    PlanCreate,
    PlanOrigin,
)
from inspection.services.planning.rows import as_utc
from inspection.services.planning.use_cases import PlanClashError, create_plan
from inspection.services.regions.service import region_for
from inspection.services.trust.audit import record

if TYPE_CHECKING:
    from inspection.services.planning.jobs import PlanJobs

__all__ = [
    "DRAFTS_LABEL",
    "LOCAL_ZONE",
    "MAX_LEAD_DAYS",
    "SCHEDULE_ACTOR",
    "Fired",
    "PlanOrigin",
    "ScheduleClock",
    "SchedulePublic",
    "ScheduleUpdate",
    "drafts_waiting_for_review",
    "fire_due_schedules",
    "get_schedule",
    "latest_moment",
    "set_schedule",
]

LOCAL_ZONE: Final = timezone(timedelta(hours=8))
"""The schedules' clock: China Standard Time (UTC+8, no summer time)."""
MAX_LEAD_DAYS: Final = 14
DRAFTS_LABEL: Final = "待审核的草案"
"""What the desk calls the scheduled drafts waiting for review (labels.js: PLAN_DRAFTS)."""
SCHEDULE_ACTOR: Final = Actor(name="weekly-schedule", role=Role.SYSTEM)
"""Who the audit trail names for a draft the schedule made (``system:weekly-schedule``)."""
_HH_MM: Final = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ScheduleUpdate(BaseModel):
    """When the region's weekly draft is made, and what it covers."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "weekday": 3,
                    "time": "09:00",
                    "horizon_days": 7,
                    "lead_days": 4,
                    "time_limit_s": 60,
                    "enabled": True,
                }
            ]
        },
    )

    weekday: int = Field(ge=0, le=6, description="the day the draft is made: 0 Monday … 6 Sunday")
    time: str = Field(description="the local time (UTC+8) it is made, HH:MM")
    horizon_days: int = Field(
        default=7, ge=1, le=MAX_HORIZON_DAYS, description="days the draft plans"
    )
    lead_days: int = Field(
        default=4,
        ge=0,
        le=MAX_LEAD_DAYS,
        description="days from the day it is made to the first day it plans",
    )
    time_limit_s: float = Field(
        default=DEFAULT_TIME_LIMIT_S,
        ge=MIN_TIME_LIMIT_S,
        le=MAX_TIME_LIMIT_S,
        description="seconds the solver may take for the draft",
    )
    enabled: bool = Field(default=True, description="false: no drafts are made")

    @field_validator("time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        if not _HH_MM.match(value.strip()):
            raise ValueError("时间应为 HH:MM（00:00–23:59）")
        return value.strip()


class SchedulePublic(ScheduleUpdate):
    """A region's weekly schedule as it is stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str = Field(description="the code of the region it plans")
    last_fired_for: date | None = Field(
        description="the day of the last moment a draft was made for (or passed)"
    )
    next_moment: datetime | None = Field(description="when the next draft is made (UTC+8)")
    last_error: str | None = Field(
        default=None, description="why the last moment made no draft; None once one is made"
    )
    last_error_at: datetime | None = Field(default=None, description="when that moment fired")
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class ScheduleClock:
    """The schedules' clock: real time, or (tests) one that runs `speed` times as fast,
    reading `fake_at_start` at the real moment `real_start` (both UTC)."""

    real_start: datetime | None = None
    fake_at_start: datetime | None = None
    speed: float = 1.0

    @classmethod
    def parse(cls, spec: str) -> ScheduleClock:
        """``""`` → real time; ``"REAL_UNIX_S,FAKE_UNIX_S,SPEED"`` → a fast test clock."""
        if not spec.strip():
            return cls()
        real, fake, speed = (float(part) for part in spec.split(","))
        return cls(datetime.fromtimestamp(real, UTC), datetime.fromtimestamp(fake, UTC), speed)

    def read(self, real_now: datetime) -> datetime:
        """The schedules' now at the real moment `real_now`."""
        if self.real_start is None or self.fake_at_start is None:
            return real_now
        return self.fake_at_start + (real_now - self.real_start) * self.speed


@dataclass(frozen=True)
class Fired:
    """What one tick did for one schedule's moment."""

    region_id: int
    moment: date
    plan_id: int | None
    clash_plan_id: int | None = None


def _local_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def latest_moment(weekday: int, at: time, now: datetime) -> datetime:
    """The schedule's latest moment at or before `now` (aware), in UTC+8."""
    local = now.astimezone(LOCAL_ZONE)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    moment = datetime.combine(day, at, LOCAL_ZONE)
    return moment if moment <= local else moment - timedelta(days=7)


def _public(session: Session, row: PlanningScheduleRow, now: datetime) -> SchedulePublic:
    region = session.get(RegionRow, row.region_id)
    assert region is not None
    return SchedulePublic(
        region=region.code,
        weekday=row.weekday,
        time=row.local_time.strftime("%H:%M"),
        horizon_days=row.horizon_days,
        lead_days=row.lead_days,
        time_limit_s=row.time_limit_s,
        enabled=row.enabled,
        last_fired_for=row.last_fired_for,
        next_moment=_next_moment(row, now) if row.enabled else None,
        last_error=row.last_error,
        last_error_at=as_utc(row.last_error_at) if row.last_error_at else None,
        updated_at=as_utc(row.updated_at),
        updated_by=row.updated_by,
    )


def _next_moment(row: PlanningScheduleRow, now: datetime) -> datetime:
    """The first moment after `now` (the latest is gone, or it fired already)."""
    latest = latest_moment(row.weekday, row.local_time, now)
    if row.last_fired_for is None or row.last_fired_for < latest.date():
        return latest  # due: the next tick fires it
    return latest + timedelta(days=7)


def get_schedule(
    session: Session, actor: Actor, region: str | None = None, now: datetime | None = None
) -> SchedulePublic | None:
    """The weekly schedule of `region` (the actor's own when None); None: none is set.

    Raises:
        NotFoundError: the region is unknown or outside the actor's.
    """
    row_region = region_for(session, actor, region)
    row = session.get(PlanningScheduleRow, row_region.id)
    return None if row is None else _public(session, row, now or datetime.now(UTC))


def set_schedule(
    session: Session,
    actor: Actor,
    data: ScheduleUpdate,
    region: str | None = None,
    now: datetime | None = None,
) -> SchedulePublic:
    """Create or change the weekly schedule of `region` (the actor's own when None);
    audited, committed.

    A moment already past when the schedule is set is not fired: the first draft is made
    at the next moment to come (setting Tuesday a schedule of Monday makes no draft today).

    Raises:
        NotFoundError: the region is unknown or outside the actor's region.
    """
    now = now or datetime.now(UTC)
    row_region = region_for(session, actor, region)
    assert row_region.id is not None
    at = _local_time(data.time)
    row = session.get(PlanningScheduleRow, row_region.id)
    before = _summary(row) if row is not None else None
    past = latest_moment(data.weekday, at, now).date()
    if row is None:
        row = PlanningScheduleRow(
            region_id=row_region.id,
            weekday=data.weekday,
            local_time=at,
            horizon_days=data.horizon_days,
            lead_days=data.lead_days,
            time_limit_s=data.time_limit_s,
            enabled=data.enabled,
            last_fired_for=past,
            updated_at=now,
            updated_by=actor.name,
        )
    else:
        row.weekday, row.local_time = data.weekday, at
        row.horizon_days, row.lead_days = data.horizon_days, data.lead_days
        row.time_limit_s, row.enabled = data.time_limit_s, data.enabled
        row.last_fired_for = max(row.last_fired_for or past, past)
        row.updated_at, row.updated_by = now, actor.name
    session.add(row)
    session.flush()
    after = _summary(row)
    record(session, actor, "schedule.set", "planning_schedule", row_region.id, before, after)
    session.commit()
    session.refresh(row)
    return _public(session, row, now)


def _summary(row: PlanningScheduleRow) -> dict[str, object]:
    return {
        "region_id": row.region_id,
        "weekday": row.weekday,
        "time": row.local_time.strftime("%H:%M"),
        "horizon_days": row.horizon_days,
        "lead_days": row.lead_days,
        "time_limit_s": row.time_limit_s,
        "enabled": row.enabled,
    }


_CLAIM: Final = text(
    "UPDATE planning_schedules SET last_fired_for = :d WHERE region_id = :r "
    "AND enabled AND (last_fired_for IS NULL OR last_fired_for < :d)"
)


def _claim(session: Session, region_id: int, moment: date) -> bool:
    """Take the moment for this caller: of callers firing at once, one changes the row (the
    others wait for its row lock, then find the date set and change nothing)."""
    changed = session.connection().execute(_CLAIM, {"d": moment, "r": region_id}).rowcount
    return bool(changed == 1)


def fire_due_schedules(
    session: Session, now: datetime, jobs: PlanJobs | None, actor: Actor = SCHEDULE_ACTOR
) -> list[Fired]:
    """Make the draft of every enabled schedule whose latest moment ≤ `now` has not fired.

    Each schedule in its own transaction: the moment's claim and its draft plan (with its
    solve job, through `jobs`) commit together. A tick hours late still fires the moment
    it missed, once; moments missed before the latest are not made up (one draft, of the
    latest week). A draft that clashes with a plan still running is recorded in the audit
    trail (``schedule.clash``, the plan in the way) and the moment counted as fired.
    """
    fired: list[Fired] = []
    rows = session.exec(
        select(PlanningScheduleRow).where(col(PlanningScheduleRow.enabled).is_(True))
    ).all()
    due = [
        (row.region_id, latest_moment(row.weekday, row.local_time, now).date())
        for row in rows
        if row.last_fired_for is None
        or row.last_fired_for < latest_moment(row.weekday, row.local_time, now).date()
    ]
    session.rollback()  # each schedule's claim in a transaction of its own
    for region_id, moment in due:
        done = _fire_one(session, region_id, moment, jobs, actor, now)
        if done is not None:
            fired.append(done)
    return fired


def _fire_one(
    session: Session,
    region_id: int,
    moment: date,
    jobs: PlanJobs | None,
    actor: Actor,
    now: datetime,
) -> Fired | None:
    if not _claim(session, region_id, moment):
        session.rollback()
        return None
    row = session.get(PlanningScheduleRow, region_id)
    region = session.get(RegionRow, region_id)
    assert row is not None
    assert region is not None
    start = moment + timedelta(days=row.lead_days)
    data = PlanCreate.model_construct(
        start=start,
        end=start + timedelta(days=row.horizon_days - 1),
        time_limit_s=row.time_limit_s,
        region=region.code,
    )
    row.last_error, row.last_error_at = None, None  # committed with the draft
    session.add(row)
    try:
        plan = create_plan(
            session, actor, data, jobs, origin=PlanOrigin.SCHEDULE, scheduled_for=moment
        )
    except (PlanClashError, ConflictError) as clash:
        # create_plan rolled back the claim with its plan: claim again and say why no draft
        session.rollback()
        if not _claim(session, region_id, moment):
            session.rollback()
            return None
        in_way = clash.plan_id if isinstance(clash, PlanClashError) else None
        failed = session.get(PlanningScheduleRow, region_id)
        assert failed is not None
        failed.last_error, failed.last_error_at = str(clash), now
        session.add(failed)
        record(
            session,
            actor,
            "schedule.clash",
            "planning_schedule",
            region_id,
            None,
            {"scheduled_for": moment.isoformat(), "plan": in_way, "detail": str(clash)},
        )
        session.commit()
        return Fired(region_id, moment, None, in_way)
    return Fired(region_id, moment, plan.id)


def drafts_waiting_for_review(session: Session, actor: Actor) -> int:
    """How many scheduled drafts of the actor's region (and those under it) wait for review:
    solved (finished or stopped with a result), not published, not replaced by a later
    publication; the desk's 待审核的草案."""
    query = in_region(
        select(func.count()).select_from(PlanRow), PlanRow.region_id, actor.region_path
    ).where(
        col(PlanRow.origin) == PlanOrigin.SCHEDULE,
        col(PlanRow.published_at).is_(None),
        col(PlanRow.superseded_by).is_(None),
        col(PlanRow.status).in_([str(s) for s in DONE_STATUSES]),
    )
    return int(session.exec(query).one())
