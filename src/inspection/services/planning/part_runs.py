"""The runs of a plan's parts: claimed as plans are, solved, stored; the last defers the merge."""

from __future__ import annotations

import multiprocessing.synchronize
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine, func, update
from sqlmodel import Session, col, select

from inspection.db.tables import PlanPartRow, PlanRow
from inspection.services.planning.models import PlanProgress, PlanStatus
from inspection.services.planning.parts import ENDED_PARTS, ROUNDS, PartJobs, PartStatus
from inspection.services.planning.rows import as_utc
from inspection.services.planning.watch import ProgressWriter, retrying, watched
from inspection.services.planning.worker import (
    mark_failed,
)
from inspection.services.rounds.store import get_plan_row
from inspection.solver import Problem, Solution, SolveOptions
from inspection.solver.partition import (
    PartBounds,
    solve_part,
)

__all__ = ["claim_part", "fail_part", "run_part"]


def fail_part(engine: Engine, part_id: int, error: str, attempt: int | None = None) -> None:
    """End an unfinished part as failed, and its plan with it (nothing of it is stored)."""
    with Session(engine) as session:
        query = (
            update(PlanPartRow)
            .where(col(PlanPartRow.id) == part_id)
            .where(col(PlanPartRow.status).in_([PartStatus.QUEUED, PartStatus.RUNNING]))
            .values(status=PartStatus.FAILED, error=error, finished_at=datetime.now(UTC))
            .returning(col(PlanPartRow.plan_id))
        )
        if attempt is not None:
            query = query.where(col(PlanPartRow.attempt) == attempt)
        plan_id = session.execute(query).scalar_one_or_none()
        session.commit()
    if plan_id is not None:
        mark_failed(engine, plan_id, f"区县部分求解失败：{error}")


def claim_part(engine: Engine, part_id: int, max_attempts: int | None = None) -> int | None:
    """Claim a part for one more run (as :func:`.worker.claim_plan` a plan): its attempt;
    None when it has ended, its plan has, or it would be run `max_attempts` + 1 (then the
    part and its plan fail)."""

    def claim() -> int | None:
        with Session(engine) as session:
            found = session.execute(
                update(PlanPartRow)
                .where(col(PlanPartRow.id) == part_id)
                .where(col(PlanPartRow.status).in_([PartStatus.QUEUED, PartStatus.RUNNING]))
                .values(
                    status=PartStatus.RUNNING,
                    attempt=col(PlanPartRow.attempt) + 1,
                    started_at=datetime.now(UTC),
                )
                .returning(col(PlanPartRow.attempt), col(PlanPartRow.plan_id))
            ).one_or_none()
            if found is None:
                session.rollback()
                return None
            plan = session.get(PlanRow, found[1])
            if plan is None or plan.status != PlanStatus.RUNNING:
                session.rollback()  # the plan has ended (failed): its parts have no use
                return None
            session.commit()
            attempt: int = found[0]
            return attempt

    attempt = retrying(claim)
    if attempt is not None and max_attempts is not None and attempt > max_attempts:
        fail_part(engine, part_id, "求解进程多次中断", attempt)
        return None
    return attempt


def _summed(parts: Sequence[PlanPartRow], started_at: datetime | None) -> PlanProgress:
    """A plan's progress from its parts': sums of the figures; the time since the plan
    started (its parts run side by side, after the split: their own times say less)."""
    seen = [PlanProgress.model_validate(p.progress) for p in parts if p.progress]
    ended = sum(1 for p in parts if p.status in ENDED_PARTS)
    elapsed = max((s.elapsed_s for s in seen), default=0.0)
    if started_at is not None:
        elapsed = max(elapsed, (datetime.now(UTC) - as_utc(started_at)).total_seconds())
    return PlanProgress(
        elapsed_s=round(elapsed, 1),
        part=min(len(parts), ended + 1),
        parts=len(parts),
        stage=min((s.stage for s in seen), default=0),
        priority=sum(s.priority for s in seen),
        priority_bound=sum(s.priority_bound for s in seen),
        rounds=sum(s.rounds for s in seen),
        rounds_bound=sum(s.rounds_bound for s in seen),
    )


def _write_progress(session: Session, part_id: int, progress: PlanProgress | None) -> None:
    """The part's progress, and its plan's summed over its parts (no commit)."""
    part = session.get(PlanPartRow, part_id)
    if part is None:
        return
    if progress is not None:
        part.progress = progress.model_dump()
        session.add(part)
        session.flush()
    plan = session.get(PlanRow, part.plan_id)
    siblings = list(session.exec(select(PlanPartRow).where(PlanPartRow.plan_id == part.plan_id)))
    if plan is not None and plan.status == PlanStatus.RUNNING:
        plan.progress = _summed(siblings, plan.started_at).model_dump()
        session.add(plan)


def _end_part(
    engine: Engine,
    part_id: int,
    attempt: int,
    solution: Solution,
    bounds: PartBounds,
    jobs: PartJobs,
) -> None:
    stats = solution.statistics
    final = PlanProgress(
        elapsed_s=solution.wall_time_s or 0.0,
        stage=2,
        priority=stats.scheduled_priority if stats is not None else 0,
        priority_bound=bounds.priority_upper_bound,
        rounds=len(solution.rounds),
        rounds_bound=bounds.rounds_lower_bound_proven,
    )
    status = PartStatus.STOPPED if solution.status == "stopped" else PartStatus.FINISHED
    with Session(engine) as session:
        stored = session.execute(
            update(PlanPartRow)
            .where(col(PlanPartRow.id) == part_id)
            .where(col(PlanPartRow.status) == PartStatus.RUNNING)
            .where(col(PlanPartRow.attempt) == attempt)
            .values(
                status=status,
                solution=solution.model_dump_json(exclude_none=True),
                bounds=bounds.model_dump(),
                progress=final.model_dump(),
                finished_at=datetime.now(UTC),
            )
            .returning(col(PlanPartRow.plan_id))
        ).scalar_one_or_none()
        if stored is None:  # a later run owns the part, or it has ended
            session.rollback()
            return
        # the parent's row, locked: of two parts ending at once, the second counts the first
        plan = session.exec(
            select(PlanRow).where(col(PlanRow.id) == stored).with_for_update()
        ).one()
        _write_progress(session, part_id, None)
        unfinished = session.exec(
            select(func.count())
            .select_from(PlanPartRow)
            .where(PlanPartRow.plan_id == stored)
            .where(col(PlanPartRow.status).not_in(sorted(ENDED_PARTS)))
        ).one()
        if unfinished == 0 and plan.status == PlanStatus.RUNNING:
            jobs.defer_merge(session, stored)
        session.commit()


def run_part(
    engine: Engine,
    part_id: int,
    attempt: int,
    jobs: PartJobs,
    *,
    abort: multiprocessing.synchronize.Event | None = None,
    workers: int = 1,
) -> None:
    """Solve a claimed part and store its plan and bounds; the last part defers the merge.

    The part stops early, as a plan does, when its plan's stop flag is raised or `abort`
    is set: it stores the best found (`stopped`) and the merge stores the plan stopped.
    """
    with Session(engine) as session:
        part = session.get(PlanPartRow, part_id)
        assert part is not None  # claimed just now
        plan = get_plan_row(session, part.plan_id)
        plan_id, stopped = part.plan_id, plan.stop_requested
        problem = Problem.model_validate_json(part.problem)
        pinned = tuple(ROUNDS.validate_json(part.pinned))
        relaxed = Problem.model_validate_json(part.relaxed) if part.relaxed else None
        limit = part.time_limit_s

    def write(session: Session, progress: PlanProgress) -> None:
        _write_progress(session, part_id, progress)

    with watched(engine, plan_id, abort, stopped_early=stopped) as stop:
        options = SolveOptions(time_limit_s=limit, pinned=pinned, open_pins=True, workers=workers)
        solution, bounds = solve_part(
            problem, options, relaxed, on_progress=ProgressWriter(engine, write), stop=stop
        )
    retrying(lambda: _end_part(engine, part_id, attempt, solution, bounds, jobs))
