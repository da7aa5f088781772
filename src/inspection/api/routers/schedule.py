"""The region's weekly draft plan: when it is made and what it covers."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request

from inspection.api.auth import ActorDep, allow
from inspection.api.deps import RegionQuery, SessionDep
from inspection.services.access import Role
from inspection.services.planning import schedule
from inspection.services.planning.schedule import ScheduleClock, SchedulePublic, ScheduleUpdate
from inspection.settings import Settings

__all__ = ["router"]

router = APIRouter(
    prefix="/planning-schedule",
    tags=["plans"],
    dependencies=[Depends(allow(Role.COORDINATOR))],
)


def _now(request: Request) -> datetime:
    """The schedules' now: the clock the workers and the timer read (a fast one in tests)."""
    settings: Settings = request.app.state.settings
    return ScheduleClock.parse(settings.schedule_clock).read(datetime.now(UTC))


@router.get("")
def read(
    session: SessionDep, actor: ActorDep, request: Request, region: RegionQuery = None
) -> SchedulePublic | None:
    """The region's weekly schedule; `null` while none is set."""
    return schedule.get_schedule(session, actor, region, _now(request))


@router.put("")
def update(
    data: ScheduleUpdate,
    session: SessionDep,
    actor: ActorDep,
    request: Request,
    region: RegionQuery = None,
) -> SchedulePublic:
    """Set when the region's weekly draft is made; drafts wait unpublished for review
    (`GET /plans?origin=schedule&published=false`)."""
    return schedule.set_schedule(session, actor, data, region, _now(request))
