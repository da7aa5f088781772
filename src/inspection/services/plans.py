"""Planning runs: queue one over a horizon, run it (in a worker process), read its result.

`run_plan` is what the worker process executes: it reads the problem from the
tables, solves it with live progress written back, honours a stop request,
and stores rounds, unscheduled requests and figures in one transaction, so a
crash leaves the plan `running` (then `failed` on recovery), never half-written.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from inspection.db.mapping import problem_for_horizon
from inspection.db.tables import (
    ChecklistRow,
    PlanRoundRequestRow,
    PlanRoundRow,
    PlanRow,
    PlanUnscheduledRow,
    RequestRow,
)
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.audit import SYSTEM, Actor, record
from inspection.services.ledger import live_request_ids, live_round_ids, record_publication
from inspection.solver import Progress, SolveOptions, solve
from inspection.solver.calendar import statutory_years
from inspection.solver.schema import Round, Solution

__all__ = [
    "MAX_HORIZON_DAYS",
    "content_sha256",
    "create_plan",
    "get_plan",
    "list_plans",
    "plan_rounds",
    "publish_plan",
    "published_overlapping",
    "published_request_ids",
    "request_stop",
    "round_requests",
    "run_plan",
]

MAX_HORIZON_DAYS = 92
_PROGRESS_EVERY_S = 0.5


def create_plan(
    session: Session, actor: Actor, start: date, end: date, time_limit_s: float
) -> PlanRow:
    """Queue a planning run over [start, end].

    Raises:
        InvalidInputError: a reversed or too long horizon, a year the calendar does not
            know, or a time limit out of range.
    """
    if start > end:
        raise InvalidInputError(f"开始日期 {start} 晚于结束日期 {end}", "end")
    if (end - start).days + 1 > MAX_HORIZON_DAYS:
        raise InvalidInputError(f"计划期最长 {MAX_HORIZON_DAYS} 天", "end")
    first, last = statutory_years()
    if not (first <= start.year and end.year <= last):
        raise InvalidInputError(f"法定节假日历只覆盖 {first}–{last} 年", "start")
    if not 1 <= time_limit_s <= 3600:
        raise InvalidInputError("求解时限应在 1 到 3600 秒之间", "time_limit_s")
    plan = PlanRow(
        horizon_start=start,
        horizon_end=end,
        time_limit_s=time_limit_s,
        created_at=datetime.now(UTC),
    )
    session.add(plan)
    session.flush()
    assert plan.id is not None
    record(session, actor, "plan.create", "plan", plan.id, None, _summary(plan))
    session.commit()
    session.refresh(plan)
    return plan


def _summary(plan: PlanRow) -> dict[str, Any]:
    """What the audit trail keeps of a plan."""
    return {
        "id": plan.id,
        "start": plan.horizon_start.isoformat(),
        "end": plan.horizon_end.isoformat(),
        "time_limit_s": plan.time_limit_s,
        "status": plan.status,
        "solver_status": plan.solver_status,
        "published": plan.published_at is not None,
        "problem_sha256": plan.problem_sha256,
        "content_sha256": plan.content_sha256,
        "error": plan.error,
    }


def content_sha256(session: Session, plan_id: int) -> str:
    """SHA-256 of a plan's rounds in canonical form (sorted, compact JSON)."""
    rows = plan_rounds(session, plan_id)
    links = round_requests(session, [r.id for r in rows if r.id is not None])
    rounds = sorted(
        (
            r.day.isoformat(),
            r.credit_code,
            r.lead_unit_id,
            sorted(r.units),
            list(r.items),
            links.get(r.id or -1, []),
        )
        for r in rows
    )
    text = json.dumps(rounds, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_plan(session: Session, plan_id: int) -> PlanRow:
    """The plan with this id.

    Raises:
        NotFoundError: no plan has this id.
    """
    plan = session.get(PlanRow, plan_id)
    if plan is None:
        raise NotFoundError(f"排期 {plan_id} 不存在", "id")
    return plan


def list_plans(session: Session, published: bool | None = None, limit: int = 50) -> list[PlanRow]:
    """Plans, newest first; `published` keeps only published (or only unpublished) ones."""
    query = select(PlanRow)
    if published is not None:
        published_at = col(PlanRow.published_at)
        query = query.where(published_at.is_not(None) if published else published_at.is_(None))
    return list(session.exec(query.order_by(col(PlanRow.id).desc()).limit(limit)))


def request_stop(session: Session, actor: Actor, plan_id: int) -> PlanRow:
    """Ask a running plan to stop, keeping the best plan found so far."""
    plan = get_plan(session, plan_id)
    if plan.status in ("queued", "running"):
        plan.stop_requested = True
        session.add(plan)
        record(session, actor, "plan.stop", "plan", plan_id, None, {"stop_requested": True})
        session.commit()
    return plan


def published_overlapping(session: Session, start: date, end: date) -> list[PlanRow]:
    """Published plans whose horizon meets [start, end]."""
    query = (
        select(PlanRow)
        .where(col(PlanRow.published_at).is_not(None))
        .where(PlanRow.horizon_start <= end)
        .where(PlanRow.horizon_end >= start)
    )
    return list(session.exec(query))


def round_requests(session: Session, round_ids: list[int]) -> dict[int, list[int]]:
    """Round id to the ids of the requests it holds, in request order."""
    links: dict[int, list[int]] = {}
    if round_ids:
        for link in session.exec(
            select(PlanRoundRequestRow)
            .where(col(PlanRoundRequestRow.round_id).in_(round_ids))
            .order_by(col(PlanRoundRequestRow.request_id))
        ):
            links.setdefault(link.round_id, []).append(link.request_id)
    return links


def published_request_ids(session: Session) -> set[int]:
    """Requests placed in a live published round (they can no longer change)."""
    return live_request_ids(session)


def _pins(session: Session, start: date, end: date) -> tuple[list[Round], frozenset[int]]:
    """Live rounds inside the horizon (to keep), and requests placed on days outside it."""
    round_ids = sorted(live_round_ids(session, start, end))
    rows = list(
        session.exec(
            select(PlanRoundRow)
            .where(col(PlanRoundRow.id).in_(round_ids))
            .order_by(col(PlanRoundRow.day), col(PlanRoundRow.credit_code))
        )
    )
    links = round_requests(session, round_ids)
    pinned = [
        Round(
            enterprise=row.credit_code,
            date=row.day,
            requests=tuple(str(r) for r in links.get(row.id or -1, [])),
            lead_unit=row.lead_unit_id,
            units=tuple(row.units),
            items=tuple(row.items),
        )
        for row in rows
    ]
    return pinned, frozenset(live_request_ids(session, outside=(start, end)))


def publish_plan(session: Session, actor: Actor, plan_id: int) -> PlanRow:
    """Make a finished plan the published one for its horizon; it is immutable from now on.

    Its rounds become the live ones on its horizon's days (the published rounds
    it pinned come back unchanged); published plans it overlaps are marked superseded.

    Raises:
        ConflictError: the plan has not finished, is published already, or is stale:
            another plan was published over its horizon after it started, placed
            one of its requests elsewhere, or one of its checklists changed since.
    """
    plan = get_plan(session, plan_id)
    if plan.published_at is not None:
        raise ConflictError(f"排期 {plan_id} 已发布", "id")
    if plan.status not in ("finished", "stopped"):
        raise ConflictError(f"排期 {plan_id} 的状态是 {plan.status}，不能发布", "status")
    overlapping = published_overlapping(session, plan.horizon_start, plan.horizon_end)
    assert plan.started_at is not None  # finished plans have started
    started = _aware(plan.started_at)
    if any(_aware(o.published_at) > started for o in overlapping if o.published_at is not None):
        raise ConflictError(
            f"排期 {plan_id} 开始后，计划期内又发布了其他排期；请重新排期后再发布", "id"
        )
    placed = {
        r for rs in round_requests(session, _round_ids(session, plan_id)).values() for r in rs
    }
    elsewhere = placed & live_request_ids(session, outside=(plan.horizon_start, plan.horizon_end))
    if elsewhere:
        raise ConflictError(
            f"排期 {plan_id} 中有 {len(elsewhere)} 项检查已在其他已发布排期中安排；请重新排期",
            "id",
        )
    changed = session.exec(
        select(ChecklistRow.id)
        .join(RequestRow, col(RequestRow.checklist_id) == col(ChecklistRow.id))
        .where(col(RequestRow.id).in_(placed))
        .where(col(ChecklistRow.updated_at) > plan.started_at)
    ).first()
    if changed is not None:
        raise ConflictError(
            f"排期 {plan_id} 开始后，检查清单 {changed} 被修改或撤回；请重新排期", "id"
        )
    for older in overlapping:
        if older.superseded_by is not None:
            continue
        older.superseded_by = plan_id
        session.add(older)
    before = _summary(plan)
    plan.published_at = datetime.now(UTC)
    plan.content_sha256 = content_sha256(session, plan_id)
    session.add(plan)
    record_publication(session, plan)
    record(session, actor, "plan.publish", "plan", plan_id, before, _summary(plan))
    session.commit()
    session.refresh(plan)
    return plan


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _round_ids(session: Session, plan_id: int) -> list[int]:
    return list(session.exec(select(PlanRoundRow.id).where(PlanRoundRow.plan_id == plan_id)))  # type: ignore[arg-type]


def _watch_stop(engine: Engine, plan_id: int, stop: threading.Event, done: threading.Event) -> None:
    while not done.wait(0.3):
        with Session(engine) as session:
            plan = session.get(PlanRow, plan_id)
            if plan is not None and plan.stop_requested:
                stop.set()
                return


def _store(session: Session, plan: PlanRow, solution: Solution) -> None:
    assert plan.id is not None
    for round_ in solution.rounds:
        row = PlanRoundRow(
            plan_id=plan.id,
            credit_code=round_.enterprise,
            day=round_.date,
            lead_unit_id=round_.lead_unit or round_.units[0],
            units=list(round_.units),
            items=list(round_.items),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        for request_id in round_.requests:
            session.add(PlanRoundRequestRow(round_id=row.id, request_id=int(request_id)))
    for left in solution.unscheduled:
        session.add(
            PlanUnscheduledRow(
                plan_id=plan.id,
                request_id=int(left.request),
                code=left.code or "",
                reason=left.reason[:500],
            )
        )


def run_plan(engine: Engine, plan_id: int) -> PlanRow:
    """Solve a queued plan and store its result (what the worker process runs)."""
    with Session(engine) as session:
        plan = get_plan(session, plan_id)
        plan.status, plan.started_at = "running", datetime.now(UTC)
        session.add(plan)
        session.commit()
        pinned, elsewhere = _pins(session, plan.horizon_start, plan.horizon_end)
        problem = problem_for_horizon(
            session,
            plan.horizon_start,
            plan.horizon_end,
            name=f"plan-{plan_id}",
            exclude_requests=elsewhere,
        )
        time_limit = plan.time_limit_s
        stopped_early = plan.stop_requested

    stop, done = threading.Event(), threading.Event()
    if stopped_early:
        stop.set()
    watcher = threading.Thread(target=_watch_stop, args=(engine, plan_id, stop, done), daemon=True)
    watcher.start()
    last_write = [0.0]

    def on_progress(progress: Progress) -> None:
        now = time.monotonic()
        if now - last_write[0] < _PROGRESS_EVERY_S:
            return
        last_write[0] = now
        with Session(engine) as progress_session:
            row = progress_session.get(PlanRow, plan_id)
            if row is not None:
                row.progress = {
                    "elapsed_s": progress.elapsed_s,
                    "priority": progress.priority,
                    "priority_bound": progress.priority_bound,
                    "rounds": progress.rounds,
                    "rounds_bound": progress.rounds_bound,
                }
                progress_session.add(row)
                progress_session.commit()

    try:
        options = SolveOptions(time_limit_s=time_limit, pinned=tuple(pinned))
        solution = solve(problem, options, on_progress=on_progress, stop=stop)
    finally:
        done.set()
        watcher.join()
    with Session(engine) as session:
        # claim the plan first: a restarted server may have marked it failed while this
        # (orphaned) worker solved; then nothing is stored and it stays failed for good
        claimed = session.execute(
            update(PlanRow)
            .where(col(PlanRow.id) == plan_id)
            .where(col(PlanRow.status) == "running")
            .values(status="storing")
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return get_plan(session, plan_id)
        plan = get_plan(session, plan_id)
        session.refresh(plan)
        _store(session, plan, solution)
        stats = solution.statistics
        plan.statistics = stats.model_dump() if stats is not None else None
        plan.problem_sha256 = problem.sha256()
        plan.solver_status = solution.status
        plan.status = "stopped" if solution.status == "stopped" else "finished"
        plan.finished_at = datetime.now(UTC)
        session.add(plan)
        session.flush()
        record(session, SYSTEM, "plan.finish", "plan", plan_id, None, _summary(plan))
        session.commit()
        session.refresh(plan)
        return plan


def plan_rounds(session: Session, plan_id: int) -> list[PlanRoundRow]:
    """A plan's rounds by day, then enterprise."""
    query = (
        select(PlanRoundRow)
        .where(PlanRoundRow.plan_id == plan_id)
        .order_by(col(PlanRoundRow.day), col(PlanRoundRow.credit_code))
    )
    return list(session.exec(query))
