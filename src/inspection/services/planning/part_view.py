"""A plan's district parts as a coordinator sees them (docs/province-platform.md §8).

A city's or a province's plan solved on the job queue is split into one part per district
(:mod:`.parts`); while it runs, and after, each part's state, size, time and progress are
read here, for the API and the desk. A plan solved whole has no parts.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from inspection.db.tables import PlanPartRow, RegionRow
from inspection.services.access import Actor
from inspection.services.planning.models import PlanProgress
from inspection.services.planning.parts import PartStatus
from inspection.services.planning.rows import as_utc
from inspection.services.rounds.store import get_plan_row
from inspection.solver.partition import PartBounds

__all__ = ["PlanPartPublic", "plan_parts"]


class PlanPartPublic(BaseModel):
    """One district's part of a plan over several districts, solved by a job of its own."""

    region: str = Field(description="the district's code (行政区划代码)")
    region_name: str
    status: PartStatus
    requests: int = Field(description="the district's requests in the plan's horizon")
    time_limit_s: float = Field(description="the part's share of the plan's time limit")
    shared_units: list[str] = Field(
        description="units working in other districts too: here they have the district's share"
    )
    attempt: int = Field(description="runs of the part so far (more than 1: a worker died)")
    progress: PlanProgress | None = Field(
        description="the part's best so far; its final figures once it has ended"
    )
    priority_bound: int | None = Field(
        description="what the part adds to the whole's priority bound (once it has ended)"
    )
    relaxed: bool | None = Field(
        description="whether that bound is of the district with its shared units at full "
        "capacity (once it has ended)"
    )
    error: str | None
    started_at: datetime | None = Field(description="when its latest run started")
    finished_at: datetime | None


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


def _public(part: PlanPartRow, code: str, name: str) -> PlanPartPublic:
    bounds = PartBounds.model_validate(part.bounds) if part.bounds else None
    return PlanPartPublic(
        region=code,
        region_name=name,
        status=PartStatus(part.status),
        requests=part.requests,
        time_limit_s=part.time_limit_s,
        shared_units=list(part.shared_units),
        attempt=part.attempt,
        progress=PlanProgress.model_validate(part.progress) if part.progress else None,
        priority_bound=bounds.priority_upper_bound if bounds is not None else None,
        relaxed=bounds.relaxed if bounds is not None else None,
        error=part.error,
        started_at=_utc(part.started_at),
        finished_at=_utc(part.finished_at),
    )


def plan_parts(session: Session, plan_id: int, actor: Actor) -> list[PlanPartPublic]:
    """The plan's district parts, in the order of the regions' paths; none when it is
    solved whole (a district's plan, or one whose requests are all in one district).

    Raises:
        NotFoundError: no plan has this id, or it is outside the actor's region.
    """
    get_plan_row(session, plan_id, actor.region_path)
    rows = session.exec(
        select(PlanPartRow, RegionRow.code, RegionRow.name)
        .join(RegionRow, col(RegionRow.id) == col(PlanPartRow.region_id))
        .where(PlanPartRow.plan_id == plan_id)
        .order_by(col(RegionRow.path))
    )
    return [_public(part, code, name) for part, code, name in rows]
