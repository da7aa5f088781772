"""Plans: start a run (202), watch it, stop it, read its rounds, publish it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from inspection.api.auth import ActorDep, allow
from inspection.api.deps import RegionQuery, RowId, SessionDep
from inspection.api.streams import BoundedStream, StreamSlots
from inspection.services.access import Actor, Role
from inspection.services.planning import use_cases as plans
from inspection.services.planning.models import (
    ACTIVE_STATUSES,
    CapacityShare,
    PlanCreate,
    PlanOrigin,
    PlanPublic,
)
from inspection.services.planning.part_view import PlanPartPublic, plan_parts
from inspection.services.rounds.diff import PlanDiff, diff_against_published
from inspection.services.rounds.views import (
    RoundSummary,
    UnscheduledRequest,
    plan_round_summaries,
    unscheduled_requests,
)

__all__ = ["router"]

router = APIRouter(prefix="/plans", tags=["plans"], dependencies=[Depends(allow(Role.COORDINATOR))])


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def start(
    data: PlanCreate,
    session: SessionDep,
    request: Request,
    response: Response,
    actor: ActorDep,
) -> PlanPublic:
    """Queue a plan and solve it in a worker process; poll the `Location` for progress."""
    plan = plans.create_plan(session, actor, data, request.app.state.jobs)
    response.headers["Location"] = f"/api/v1/plans/{plan.id}"
    return plan


@router.get("")
def list_all(
    session: SessionDep,
    actor: ActorDep,
    published: bool | None = None,
    origin: PlanOrigin | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    region: RegionQuery = None,
) -> list[PlanPublic]:
    """Plans of the caller's region and those under it, newest first; `published=true` or
    `false` to keep one kind, `origin=schedule` the weekly drafts (with `published=false`:
    those waiting for review), `region` those of one region and the regions under it
    (another region's code: 404)."""
    return plans.list_plans(session, published, limit, actor, origin, region)


@router.get("/{plan_id}")
def read(plan_id: RowId, session: SessionDep, actor: ActorDep) -> PlanPublic:
    """Status, live progress and, once done, the figures."""
    return plans.get_plan(session, plan_id, actor)


@router.post("/{plan_id}/stop")
def stop(plan_id: RowId, session: SessionDep, actor: ActorDep, request: Request) -> PlanPublic:
    """End the run early, keeping the best plan found."""
    return plans.request_stop(session, actor, plan_id, request.app.state.jobs)


@router.post("/{plan_id}/publish")
def publish(plan_id: RowId, session: SessionDep, actor: ActorDep) -> PlanPublic:
    """Publish a finished plan for its horizon; published plans never change."""
    return plans.publish_plan(session, actor, plan_id)


@router.get("/{plan_id}/rounds")
def rounds(plan_id: RowId, session: SessionDep, actor: ActorDep) -> list[RoundSummary]:
    """The plan's rounds by day, each with its enterprise's name and town and its requests;
    `GET /rounds/{id}` gives a round's checklists and items."""
    plans.get_plan(session, plan_id, actor)  # 404 outside the caller's region
    return plan_round_summaries(session, plan_id)


@router.get("/{plan_id}/unscheduled")
def unscheduled(plan_id: RowId, session: SessionDep, actor: ActorDep) -> list[UnscheduledRequest]:
    """The requests left out: checklist, unit, enterprise, reason code and sentence."""
    plans.get_plan(session, plan_id, actor)  # 404 outside the caller's region
    return unscheduled_requests(session, plan_id)


@router.get("/{plan_id}/diff")
def diff(plan_id: RowId, session: SessionDep, actor: ActorDep) -> PlanDiff:
    """Compare the plan with the published one(s) of its horizon: rounds kept, added, removed,
    announced rounds that late requests joined, and enterprises visited again."""
    plans.get_plan(session, plan_id, actor)  # 404 outside the caller's region
    return diff_against_published(session, plan_id)


@router.get("/{plan_id}/capacity-shares")
def capacity_shares(plan_id: RowId, session: SessionDep, actor: ActorDep) -> list[CapacityShare]:
    """How units working in several districts share their days: per unit, day and district,
    what it had left (`available`), what the district asked (`demand`) and its share."""
    return plans.capacity_shares(session, plan_id, actor)


@router.get("/{plan_id}/parts")
def parts(plan_id: RowId, session: SessionDep, actor: ActorDep) -> list[PlanPartPublic]:
    """A city's or a province's plan solved in district parts: each part's state, size,
    time and progress, by district; empty for a plan solved whole."""
    return plan_parts(session, plan_id, actor)


_EVENT_EVERY_S: Final = 0.5  # as often as the worker writes progress


def _read_plan(engine: Engine, plan_id: int, actor: Actor) -> PlanPublic:
    """The plan, read in a session of its own that is closed (its connection back) at once."""
    with Session(engine) as session:
        return plans.get_plan(session, plan_id, actor)


@router.get("/{plan_id}/events", response_class=StreamingResponse)
async def events(
    plan_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> StreamingResponse:
    """Server-sent events: the plan as `GET /plans/{id}` gives it, on each change, until it
    ends (or the server stops). A key may hold a few streams open at once (429 beyond)."""
    # the key check's session would hold its connection for as long as the stream lasts
    # (dependencies close after the response): give it back now; every poll below opens
    # its own short session in the threadpool, so a waiting stream holds no connection
    # and never blocks the event loop on the pool
    await run_in_threadpool(session.close)
    engine: Engine = request.app.state.engine
    await run_in_threadpool(_read_plan, engine, plan_id, actor)  # 404 before the stream starts
    slots: StreamSlots = request.app.state.streams
    holder = f"key:{actor.key_id}" if actor.key_id is not None else f"name:{actor.name}"
    slots.take(holder)

    async def stream() -> AsyncIterator[str]:
        last = ""
        while True:
            current = await run_in_threadpool(_read_plan, engine, plan_id, actor)
            payload = json.dumps(current.model_dump(mode="json"), ensure_ascii=False)
            if payload != last:
                last = payload
                yield f"event: plan\ndata: {payload}\n\n"
            if current.status not in ACTIVE_STATUSES or slots.stopping.is_set():
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(_EVENT_EVERY_S)

    return BoundedStream(stream(), slots, holder, media_type="text/event-stream")
