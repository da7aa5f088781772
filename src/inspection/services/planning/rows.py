"""A plan's row as the public model and as the audit trail records it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inspection.db.tables import PlanRow
from inspection.services.planning.models import (
    PlanCreate,
    PlanOrigin,
    PlanProgress,
    PlanPublic,
    PlanStatus,
)
from inspection.solver import Statistics

__all__ = ["as_utc", "plan_public", "plan_request", "plan_summary"]


def as_utc(moment: datetime) -> datetime:
    """A stored moment, aware: SQLite hands back naive datetimes; every one stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def plan_public(plan: PlanRow) -> PlanPublic:
    """The plan as clients see it."""
    assert plan.id is not None
    return PlanPublic(
        id=plan.id,
        start=plan.horizon_start,
        end=plan.horizon_end,
        time_limit_s=plan.time_limit_s,
        status=PlanStatus(plan.status),
        published=plan.published_at is not None,
        superseded_by=plan.superseded_by,
        region_id=plan.region_id,
        origin=PlanOrigin(plan.origin),
        scheduled_for=plan.scheduled_for,
        solver_status=plan.solver_status,
        progress=PlanProgress.model_validate(plan.progress) if plan.progress else None,
        statistics=Statistics.model_validate(plan.statistics) if plan.statistics else None,
        error=plan.error,
    )


def plan_request(plan: PlanRow) -> PlanCreate:
    """What the plan was asked for, as it was validated when it was asked.

    Not validated again: the calendar's years may have moved on since.
    """
    return PlanCreate.model_construct(
        start=plan.horizon_start, end=plan.horizon_end, time_limit_s=plan.time_limit_s
    )


def plan_summary(plan: PlanRow) -> dict[str, Any]:
    """What the audit trail keeps of a plan."""
    return {
        "id": plan.id,
        "start": plan.horizon_start.isoformat(),
        "end": plan.horizon_end.isoformat(),
        "time_limit_s": plan.time_limit_s,
        "region_id": plan.region_id,
        "status": plan.status,
        "solver_status": plan.solver_status,
        "published": plan.published_at is not None,
        "problem_sha256": plan.problem_sha256,
        "content_sha256": plan.content_sha256,
        "error": plan.error,
    }
