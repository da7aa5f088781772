"""The merge of a plan's parts: the parts' plans put together, the seams repaired, the whole
checked and stored as any plan is (docs/province-platform.md §8)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import PlanInputRow, PlanPartRow
from inspection.services.planning.models import PlanCreate, PlanPublic, PlanStatus
from inspection.services.planning.parts import ENDED_PARTS, ROUNDS, seam_time_limit
from inspection.services.planning.rows import as_utc, plan_public, plan_request
from inspection.services.planning.watch import retrying, watched
from inspection.services.planning.worker import store_plan
from inspection.services.rounds.store import get_plan_row
from inspection.solver import Problem, Round, Solution, SolveOptions, check, solve
from inspection.solver.partition import (
    PartBounds,
    merge,
    repair_seams,
)

__all__ = ["merge_plan"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Merging:
    """What the merge read besides the whole problem (held apart: it is let go before the
    store)."""

    attempt: int
    asked: PlanCreate
    announced: list[int]
    pinned: list[Round]
    stopped_early: bool
    problem_sha256: str
    parts: list[Solution]
    bounds: list[PartBounds]
    shared: list[str]
    started_at: datetime | None
    split_s: float


def _seconds(since: datetime | None, until: datetime) -> float:
    return (as_utc(until) - as_utc(since)).total_seconds() if since is not None else 0.0


def _read_merge(engine: Engine, plan_id: int) -> tuple[_Merging, Problem] | None:
    with Session(engine) as session:
        plan = get_plan_row(session, plan_id)
        inputs = session.get(PlanInputRow, plan_id)
        # the parts' figures first, without their problems' texts (the province's twice over)
        parts = session.execute(
            select(
                col(PlanPartRow.id),
                col(PlanPartRow.status),
                col(PlanPartRow.bounds),
                col(PlanPartRow.shared_units),
            )
            .where(PlanPartRow.plan_id == plan_id)
            .order_by(col(PlanPartRow.id))
        ).all()
        if plan.status != PlanStatus.RUNNING or inputs is None:
            return None
        if not parts or any(p.status not in ENDED_PARTS for p in parts):
            return None  # a merge asked for before its parts ended (cannot be: a retry)
        problem = Problem.model_validate_json(inputs.problem)
        # its fingerprint now, while nothing else is held: the canonical text is large
        sha = problem.sha256()
        pinned = ROUNDS.validate_json(inputs.pinned)
        announced, split_s = list(inputs.announced), _seconds(plan.started_at, inputs.created_at)
        session.expunge(inputs)
        del inputs
        texts = session.execute(
            select(col(PlanPartRow.solution))
            .where(PlanPartRow.plan_id == plan_id)
            .order_by(col(PlanPartRow.id))
        ).scalars()
        solutions = [Solution.model_validate_json(text or "") for text in texts]
        merging = _Merging(
            attempt=plan.attempt,
            asked=plan_request(plan),
            announced=announced,
            pinned=pinned,
            stopped_early=plan.stop_requested,
            problem_sha256=sha,
            parts=solutions,
            bounds=[PartBounds.model_validate(p.bounds) for p in parts],
            shared=sorted({u for p in parts for u in p.shared_units}),
            started_at=plan.started_at,
            split_s=split_s,
        )
        return merging, problem


def _merged(
    found: _Merging, problem: Problem, engine: Engine, plan_id: int, workers: int
) -> Solution:
    """The parts' plans put together, the seams repaired, checked (solved whole if refused)."""
    merged = merge(problem, found.parts, found.bounds, stopped=found.stopped_early)
    limit_s = found.asked.time_limit_s
    with watched(engine, plan_id, stopped_early=found.stopped_early) as stop:
        if not stop.is_set():
            elapsed = _seconds(found.started_at, datetime.now(UTC))
            options = SolveOptions(
                time_limit_s=seam_time_limit(limit_s, elapsed, found.split_s), workers=workers
            )
            merged = repair_seams(problem, merged, found.shared, found.bounds, options, stop=stop)
        report = check(problem, merged, found.pinned, open_pins=True)
        if not report.ok:
            # a bug of the split or the merge: the coordinator still gets a valid plan
            _log.error("plan %s: merged parts refused by the checker: %s", plan_id, report)
            options = SolveOptions(
                time_limit_s=limit_s, pinned=tuple(found.pinned), open_pins=True, workers=workers
            )
            merged = solve(problem, options, stop=stop)
    return merged


def merge_plan(engine: Engine, plan_id: int, *, workers: int = 1) -> PlanPublic:
    """Merge a plan's ended parts, repair the seams, check the whole and store it.

    Nothing is done for a plan that has ended or whose parts have not all ended.
    """
    read = retrying(lambda: _read_merge(engine, plan_id))
    if read is None:
        with Session(engine) as session:
            return plan_public(get_plan_row(session, plan_id))
    found, problem = read
    del read
    merged = _merged(found, problem, engine, plan_id, workers)
    del problem  # the store needs none of it: its memory goes back before the rounds are written
    if found.started_at is not None:
        merged = merged.model_copy(
            update={"wall_time_s": _seconds(found.started_at, datetime.now(UTC))}
        )
    return retrying(
        lambda: store_plan(
            engine,
            plan_id,
            found.attempt,
            merged,
            announced=found.announced,
            shares=(),
            problem_sha256=found.problem_sha256,
        )
    )
