"""Plans: start a run (202), watch it, stop it, read its rounds."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from inspection.api.auth import ActorDep, allow
from inspection.api.deps import RowId, SessionDep
from inspection.db.tables import PlanRow
from inspection.services import plans
from inspection.services.round_details import (
    RoundSummary,
    UnscheduledRequest,
    plan_round_summaries,
    unscheduled_requests,
)
from inspection.services.rounds import diff_against_published

__all__ = ["router"]

router = APIRouter(prefix="/plans", tags=["plans"], dependencies=[Depends(allow("coordinator"))])


class PlanCreate(BaseModel):
    """The horizon to plan and how long the solver may take."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"start": "2024-04-08", "end": "2024-04-14", "time_limit_s": 30}]
        },
    )

    start: date
    end: date
    time_limit_s: float = Field(default=30.0)


class PlanPublic(BaseModel):
    """A planning run and what it has reached."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "start": "2024-04-08",
                    "end": "2024-04-14",
                    "time_limit_s": 30,
                    "status": "running",
                    "published": False,
                    "solver_status": None,
                    "progress": {
                        "elapsed_s": 4.5,
                        "priority": 212,
                        "priority_bound": 212,
                        "rounds": 61,
                        "rounds_bound": 58,
                    },
                    "statistics": None,
                    "error": None,
                }
            ]
        }
    )

    id: int
    start: date
    end: date
    time_limit_s: float
    status: str
    published: bool
    solver_status: str | None
    progress: dict[str, Any] | None
    statistics: dict[str, Any] | None
    error: str | None


def _public(plan: PlanRow) -> PlanPublic:
    assert plan.id is not None
    return PlanPublic(
        id=plan.id,
        start=plan.horizon_start,
        end=plan.horizon_end,
        time_limit_s=plan.time_limit_s,
        status=plan.status,
        published=plan.published_at is not None,
        solver_status=plan.solver_status,
        progress=plan.progress,
        statistics=plan.statistics,
        error=plan.error,
    )


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def start(
    data: PlanCreate,
    session: SessionDep,
    request: Request,
    response: Response,
    actor: ActorDep,
) -> PlanPublic:
    """Queue a plan and solve it in a worker process; poll the `Location` for progress."""
    plan = plans.create_plan(session, actor, data.start, data.end, data.time_limit_s)
    assert plan.id is not None
    request.app.state.runner.start(plan.id)
    response.headers["Location"] = f"/api/v1/plans/{plan.id}"
    return _public(plan)


@router.get("")
def list_all(
    session: SessionDep,
    published: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[PlanPublic]:
    """Plans, newest first; `published=true` or `false` to keep one kind."""
    return [_public(p) for p in plans.list_plans(session, published, limit)]


@router.get("/{plan_id}")
def read(plan_id: RowId, session: SessionDep) -> PlanPublic:
    """Status, live progress and, once done, the figures."""
    return _public(plans.get_plan(session, plan_id))


@router.post("/{plan_id}/stop")
def stop(plan_id: RowId, session: SessionDep, actor: ActorDep) -> PlanPublic:
    """End the run early, keeping the best plan found."""
    return _public(plans.request_stop(session, actor, plan_id))


@router.post("/{plan_id}/publish")
def publish(plan_id: RowId, session: SessionDep, actor: ActorDep) -> PlanPublic:
    """Publish a finished plan for its horizon; published plans never change."""
    return _public(plans.publish_plan(session, actor, plan_id))


@router.get("/{plan_id}/rounds")
def rounds(plan_id: RowId, session: SessionDep) -> list[RoundSummary]:
    """The plan's rounds by day, each with its enterprise's name and town and its requests;
    `GET /rounds/{id}` gives a round's checklists and items."""
    return plan_round_summaries(session, plan_id)


@router.get("/{plan_id}/unscheduled")
def unscheduled(plan_id: RowId, session: SessionDep) -> list[UnscheduledRequest]:
    """The requests left out: checklist, unit, enterprise, reason code and sentence."""
    return unscheduled_requests(session, plan_id)


class DiffRound(BaseModel):
    """A round in a comparison: its enterprise, day and requests."""

    enterprise: str
    date: date
    requests: list[int]


class PlanDiff(BaseModel):
    """What a plan keeps, adds and removes against the published rounds of its horizon."""

    kept: list[DiffRound]
    added: list[DiffRound]
    removed: list[DiffRound]


@router.get("/{plan_id}/diff")
def diff(plan_id: RowId, session: SessionDep) -> PlanDiff:
    """Compare the plan with the published one(s) of its horizon."""
    kept, added, removed = diff_against_published(session, plan_id)

    def rounds_of(keys: list[tuple[str, date, tuple[int, ...]]]) -> list[DiffRound]:
        return [DiffRound(enterprise=e, date=d, requests=list(r)) for e, d, r in keys]

    return PlanDiff(kept=rounds_of(kept), added=rounds_of(added), removed=rounds_of(removed))


_EVENT_EVERY_S = 0.5


@router.get("/{plan_id}/events", response_class=StreamingResponse)
async def events(plan_id: RowId, request: Request, session: SessionDep) -> StreamingResponse:
    """Server-sent events: the plan as `GET /plans/{id}` gives it, on each change, until it ends."""
    plans.get_plan(session, plan_id)  # 404 before the stream starts
    engine = request.app.state.engine

    async def stream() -> AsyncIterator[str]:
        last = ""
        while True:
            with Session(engine) as fresh:
                current = _public(plans.get_plan(fresh, plan_id))
            payload = json.dumps(current.model_dump(mode="json"), ensure_ascii=False)
            if payload != last:
                last = payload
                yield f"event: plan\ndata: {payload}\n\n"
            if current.status not in ("queued", "running") or await request.is_disconnected():
                return
            await asyncio.sleep(_EVENT_EVERY_S)

    return StreamingResponse(stream(), media_type="text/event-stream")
