"""What a plan's worker process runs: read the problem, solve it, store the result.

The problem is read from the tables, solved with live progress written back
(at most every half second), a stop request is honoured, and rounds,
unscheduled requests and figures are stored in one transaction, so a crash
leaves the plan `running` (then `failed` on recovery), never half-written.
"""

from __future__ import annotations

import multiprocessing.synchronize
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col

from inspection.db.regions import region_by_id
from inspection.db.tables import PlanRow
from inspection.services.access import SYSTEM
from inspection.services.ledger import live_request_ids, live_round_ids
from inspection.services.planning.capacity import ShareDraft, shared_capacity, store_shares
from inspection.services.planning.models import (
    ACTIVE_STATUSES,
    PlanCreate,
    PlanPublic,
    PlanStatus,
)
from inspection.services.planning.rows import plan_public, plan_request, plan_summary
from inspection.services.planning.watch import ProgressWriter, retrying, watched
from inspection.services.rounds.store import get_plan_row
from inspection.services.translation import pinned_rounds, problem_for_horizon, store_solution
from inspection.services.trust.audit import record
from inspection.solver import Problem, Round, Solution, SolveOptions, solve

__all__ = ["PlanJob", "begin_plan", "claim_plan", "mark_failed", "run_plan", "store_plan"]


@dataclass(frozen=True)
class PlanJob:
    """What the worker read before solving: the plan's request, the live rounds it replaces
    and keeps (pinned), its problem (with the residual of units working elsewhere), and the
    shares of units working in several districts."""

    asked: PlanCreate
    announced: list[int]
    pinned: list[Round]
    problem: Problem
    stopped_early: bool
    shares: list[ShareDraft] = field(default_factory=list)


def mark_failed(engine: Engine, plan_id: int, error: str, attempt: int | None = None) -> bool:
    """End an active plan as failed, with its one `plan.fail` entry; whether it did.

    With `attempt`, only while the plan is still that attempt's: a later run owns it.
    """
    with Session(engine) as session:
        query = (
            update(PlanRow)
            .where(col(PlanRow.id) == plan_id)
            .where(col(PlanRow.status).in_(sorted(ACTIVE_STATUSES)))
            .values(status=PlanStatus.FAILED, error=error, finished_at=datetime.now(UTC))
        )
        if attempt is not None:
            query = query.where(col(PlanRow.attempt) == attempt)
        # one conditional UPDATE: of two enders (a watcher, a store, a retry) one wins
        if session.execute(query).rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return False
        record(session, SYSTEM, "plan.fail", "plan", plan_id, None, {"error": error})
        session.commit()
        return True


def claim_plan(engine: Engine, plan_id: int, max_attempts: int | None = None) -> int | None:
    """Claim a queued plan, or a running one a dead run left, for one more run: its attempt.

    None when the plan has ended (a duplicate or late job: nothing to do), or when this
    would be run number `max_attempts` + 1: then the plan is marked failed instead.
    Only the run holding the latest attempt may store or fail the plan.
    """

    def claim() -> int | None:
        with Session(engine) as session:
            attempt = session.execute(
                update(PlanRow)
                .where(col(PlanRow.id) == plan_id)
                .where(col(PlanRow.status).in_(sorted(ACTIVE_STATUSES)))
                .values(
                    status=PlanStatus.RUNNING,
                    attempt=col(PlanRow.attempt) + 1,
                    started_at=datetime.now(UTC),
                )
                .returning(col(PlanRow.attempt))
            ).scalar_one_or_none()
            session.commit()
            return attempt

    attempt = retrying(claim)
    if attempt is not None and max_attempts is not None and attempt > max_attempts:
        mark_failed(engine, plan_id, "求解进程多次中断", attempt)
        return None
    return attempt


def begin_plan(engine: Engine, plan_id: int) -> PlanJob:
    """Read what solving the plan needs, in one transaction."""
    with Session(engine) as session:
        plan = get_plan_row(session, plan_id)
        asked = plan_request(plan)
        region = region_by_id(session, plan.region_id)
        assert region is not None  # a foreign key names it
        path = region.path
        announced = sorted(live_round_ids(session, asked.start, asked.end, path))
        elsewhere = frozenset(live_request_ids(session, outside=(asked.start, asked.end)))
        problem = problem_for_horizon(
            session,
            asked.start,
            asked.end,
            name=f"plan-{plan_id}",
            exclude_requests=elsewhere,
            region_path=path,
        )
        # units working outside the region: what other districts' published visits leave
        problem, shares = shared_capacity(session, problem, region)
        pinned = pinned_rounds(session, announced, with_officers=bool(problem.officers))
        return PlanJob(asked, announced, list(pinned), problem, plan.stop_requested, shares)


def store_plan(
    engine: Engine,
    plan_id: int,
    attempt: int,
    solution: Solution,
    *,
    announced: Sequence[int],
    shares: Sequence[ShareDraft],
    problem_sha256: str,
) -> PlanPublic:
    """Store the plan's solution, shares and figures in one transaction, ending the plan with
    its one `plan.finish` entry, unless another run owns the plan or it has ended.

    Takes what it stores, not the problem: a province's merge lets go of the whole problem
    (≈1 GB parsed) before its 185,000 rounds are written."""
    with Session(engine) as session:
        # claim the plan first: a restarted server may have marked it failed while this
        # (orphaned) worker solved, or a later run (a retried job) owns it; then nothing
        # is stored and the plan stays as the others leave it
        claimed = session.execute(
            update(PlanRow)
            .where(col(PlanRow.id) == plan_id)
            .where(col(PlanRow.status) == PlanStatus.RUNNING)
            .where(col(PlanRow.attempt) == attempt)
            .values(status=PlanStatus.STORING)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return plan_public(get_plan_row(session, plan_id))
        plan = get_plan_row(session, plan_id)
        session.refresh(plan)
        store_solution(session, plan_id, solution, list(announced))
        store_shares(session, plan_id, shares)
        stats = solution.statistics
        # the solver's own wall time beside its figures: what the service adds is measured
        # against it (bench/plan_overhead.py, bench/year_simulation.py)
        plan.statistics = (
            {**stats.model_dump(), "wall_time_s": solution.wall_time_s or 0.0}
            if stats is not None
            else None
        )
        plan.problem_sha256 = problem_sha256
        plan.solver_status = solution.status
        plan.draw_seed = solution.draw_seed  # so the officers' draw can be replayed
        plan.status = PlanStatus.STOPPED if solution.status == "stopped" else PlanStatus.FINISHED
        plan.finished_at = datetime.now(UTC)
        session.add(plan)
        session.flush()
        record(session, SYSTEM, "plan.finish", "plan", plan_id, None, plan_summary(plan))
        session.commit()
        session.refresh(plan)
        return plan_public(plan)


def run_plan(
    engine: Engine,
    plan_id: int,
    *,
    attempt: int | None = None,
    abort: multiprocessing.synchronize.Event | None = None,
    workers: int = 0,
    job: PlanJob | None = None,
) -> PlanPublic:
    """Solve a queued plan and store its result (what the worker process runs).

    Args:
        attempt: The claim (:func:`claim_plan`) this run holds; None: claim it now.
        abort: Set by the job's thread when the user asked the queue to stop it.
        workers: CP-SAT workers (0: one per core; a queue worker solves with one).
        job: What :func:`begin_plan` read for this attempt already; None: read it now.

    Raises:
        NotFoundError: no plan has this id.
    """
    if attempt is None:
        attempt = claim_plan(engine, plan_id)
        if attempt is None:  # ended before this run began
            with Session(engine) as session:
                return plan_public(get_plan_row(session, plan_id))
    read = job if job is not None else retrying(lambda: begin_plan(engine, plan_id))
    with watched(engine, plan_id, abort, stopped_early=read.stopped_early) as stop:
        # announced rounds keep their day, lead unit and requests; late requests may join
        # them (the enterprise opens its door once anyway) rather than make a second visit
        options = SolveOptions(
            time_limit_s=read.asked.time_limit_s,
            pinned=tuple(read.pinned),
            open_pins=True,
            workers=workers,
        )
        progress = ProgressWriter.of_plan(engine, plan_id)
        solution = solve(read.problem, options, on_progress=progress, stop=stop)
    claimed, sha = attempt, read.problem.sha256()
    return retrying(
        lambda: store_plan(
            engine,
            plan_id,
            claimed,
            solution,
            announced=read.announced,
            shares=read.shares,
            problem_sha256=sha,
        )
    )
