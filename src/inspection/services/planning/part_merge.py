"""The merge of a plan's parts: the parts' plans put together, the seams repaired, the whole
checked and stored as any plan is (docs/province-platform.md §8)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import PlanInputRow, PlanPartRow
from inspection.services.planning.models import PlanPublic, PlanStatus
from inspection.services.planning.parts import ENDED_PARTS, ROUNDS, seam_time_limit
from inspection.services.planning.rows import as_utc, plan_public, plan_request
from inspection.services.planning.watch import retrying, watched
from inspection.services.planning.worker import (
    PlanJob,
    store_plan,
)
from inspection.services.rounds.store import get_plan_row
from inspection.solver import Problem, Solution, SolveOptions, check, solve
from inspection.solver.partition import (
    PartBounds,
    merge,
    repair_seams,
)

__all__ = ["merge_plan"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Merging:
    attempt: int
    job: PlanJob
    parts: list[Solution]
    bounds: list[PartBounds]
    shared: list[str]
    started_at: datetime | None
    split_s: float


def _seconds(since: datetime | None, until: datetime) -> float:
    return (as_utc(until) - as_utc(since)).total_seconds() if since is not None else 0.0


def _read_merge(engine: Engine, plan_id: int) -> _Merging | None:
    with Session(engine) as session:
        plan = get_plan_row(session, plan_id)
        inputs = session.get(PlanInputRow, plan_id)
        parts = list(
            session.exec(
                select(PlanPartRow)
                .where(PlanPartRow.plan_id == plan_id)
                .order_by(col(PlanPartRow.id))
            )
        )
        if plan.status != PlanStatus.RUNNING or inputs is None:
            return None
        if not parts or any(p.status not in ENDED_PARTS for p in parts):
            return None  # a merge asked for before its parts ended (cannot be: a retry)
        pinned = ROUNDS.validate_json(inputs.pinned)
        job = PlanJob(
            asked=plan_request(plan),
            announced=list(inputs.announced),
            pinned=pinned,
            problem=Problem.model_validate_json(inputs.problem),
            stopped_early=plan.stop_requested,
        )
        return _Merging(
            attempt=plan.attempt,
            job=job,
            parts=[Solution.model_validate_json(p.solution or "") for p in parts],
            bounds=[PartBounds.model_validate(p.bounds) for p in parts],
            shared=sorted({u for p in parts for u in p.shared_units}),
            started_at=plan.started_at,
            split_s=_seconds(plan.started_at, inputs.created_at),
        )


def merge_plan(engine: Engine, plan_id: int, *, workers: int = 1) -> PlanPublic:
    """Merge a plan's ended parts, repair the seams, check the whole and store it.

    Nothing is done for a plan that has ended or whose parts have not all ended.
    """
    found = retrying(lambda: _read_merge(engine, plan_id))
    if found is None:
        with Session(engine) as session:
            return plan_public(get_plan_row(session, plan_id))
    problem, job = found.job.problem, found.job
    merged = merge(problem, found.parts, found.bounds, stopped=job.stopped_early)
    with watched(engine, plan_id, stopped_early=job.stopped_early) as stop:
        elapsed = _seconds(found.started_at, datetime.now(UTC))
        limit = seam_time_limit(job.asked.time_limit_s, elapsed, found.split_s)
        if not stop.is_set():
            options = SolveOptions(time_limit_s=limit, workers=workers)
            merged = repair_seams(problem, merged, found.shared, found.bounds, options, stop=stop)
        report = check(problem, merged, job.pinned, open_pins=True)
        if not report.ok:
            # a bug of the split or the merge: the coordinator still gets a valid plan
            _log.error("plan %s: merged parts refused by the checker: %s", plan_id, report)
            options = SolveOptions(
                time_limit_s=job.asked.time_limit_s,
                pinned=tuple(job.pinned),
                open_pins=True,
                workers=workers,
            )
            merged = solve(problem, options, stop=stop)
    if found.started_at is not None:
        merged = merged.model_copy(
            update={"wall_time_s": _seconds(found.started_at, datetime.now(UTC))}
        )
    return retrying(lambda: store_plan(engine, plan_id, found.attempt, job, merged))
