"""The coordinator's planning: queue a run over a horizon, watch it, stop it, publish it.

What the worker process runs is in :mod:`.worker`; starting and watching
workers in :mod:`.runner`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from inspection.db.locks import take_publication_turn
from inspection.db.regions import in_region, region_path, related_region_ids
from inspection.db.tables import (
    ChecklistRow,
    PlanCapacityShareRow,
    PlanRoundRequestRow,
    PlanRoundRow,
    PlanRow,
    RegionRow,
    RequestRow,
    UnitRow,
)
from inspection.errors import ConflictError
from inspection.services.access import SYSTEM, Actor
from inspection.services.checklists.models import checklist_label
from inspection.services.codes.issue import issue_codes
from inspection.services.figures.outcome_rollup import rebuild_outcome_rollup_between
from inspection.services.ledger import live_request_ids, record_publication
from inspection.services.planning.capacity import overbooking
from inspection.services.planning.models import (
    ACTIVE_STATUSES,
    DONE_STATUSES,
    CapacityShare,
    PlanCreate,
    PlanPublic,
    PlanStatus,
)
from inspection.services.planning.rows import as_utc, plan_public, plan_summary
from inspection.services.regions.service import region_for
from inspection.services.rounds.store import (
    get_plan_row,
    plan_round_ids,
    plan_rounds,
    published_overlapping,
    round_requests,
)
from inspection.services.trust.audit import record

if TYPE_CHECKING:  # jobs.py imports the runner, which imports the worker's run
    from inspection.services.planning.jobs import PlanJobs

__all__ = [
    "PlanClashError",
    "capacity_shares",
    "clash_error",
    "content_sha256",
    "create_plan",
    "get_plan",
    "list_plans",
    "lock_key",
    "publish_plan",
    "request_stop",
]


class PlanClashError(ConflictError):
    """Another plan over an overlapping horizon is still queued or running."""

    def __init__(self, detail: str, plan_id: int) -> None:
        super().__init__(detail, "start")
        self.plan_id = plan_id

    def extensions(self) -> dict[str, Any]:
        """The plan in the way, so a client can watch it or stop it."""
        return {"plan": self.plan_id}


def _clashing_plan(session: Session, plan: PlanRow) -> PlanRow | None:
    """The oldest other queued or running plan whose horizon overlaps `plan`'s, of its
    region, a region above it or one under it (a city plan and a district plan of the
    same days would race to publication)."""
    related = related_region_ids(region_path(session, plan.region_id))
    return session.exec(
        select(PlanRow)
        .where(col(PlanRow.region_id).in_(related))
        .where(col(PlanRow.status).in_(sorted(ACTIVE_STATUSES)))
        .where(col(PlanRow.id) != plan.id)
        .where(col(PlanRow.horizon_start) <= plan.horizon_end)
        .where(col(PlanRow.horizon_end) >= plan.horizon_start)
        .order_by(col(PlanRow.id))
    ).first()


def clash_error(clash: PlanRow) -> PlanClashError:
    """The 409 naming the queued or running plan in the way."""
    return PlanClashError(
        f"排期 {clash.id}（{clash.horizon_start} 至 {clash.horizon_end}）尚未结束，"
        "与所选计划期重叠；请等待它结束或先停止它",
        clash.id or 0,
    )


def lock_key(region_id: int, data: PlanCreate) -> str:
    """The job queue's lock of a region's horizon: one waiting job per region and horizon."""
    return f"plan:{region_id}:{data.start.isoformat()}:{data.end.isoformat()}"


def create_plan(
    session: Session,
    actor: Actor,
    data: PlanCreate,
    jobs: PlanJobs | None = None,
    *,
    origin: str = "manual",
    scheduled_for: date | None = None,
) -> PlanPublic:
    """Queue a planning run (committed) and hand it to `jobs` in the same transaction.

    It plans `data.region` (which the actor must see) or the actor's own region.

    Args:
        jobs: Who solves it; None: nobody is told (the caller runs the plan itself, as
            tests and benchmarks do with :func:`inspection.services.planning.worker.run_plan`).
        origin: A PlanOrigin; ``schedule`` with `scheduled_for`, the moment of the region's
            weekly schedule the draft is made for (:mod:`.schedule`).

    Raises:
        NotFoundError: the region named is unknown or outside the actor's region.
        PlanClashError: another plan over an overlapping horizon of the region, a region
            above or one under it is still queued or running (two drafts of the same days
            could only race to publication).
    """
    region = region_for(session, actor, data.region)
    assert region.id is not None
    plan = PlanRow(
        region_id=region.id,
        horizon_start=data.start,
        horizon_end=data.end,
        time_limit_s=data.time_limit_s,
        status=PlanStatus.QUEUED,
        created_at=datetime.now(UTC),
        origin=origin,
        scheduled_for=scheduled_for,
    )
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:
        # uq_plans_active_horizon: the same region and days were queued at this very moment
        session.rollback()
        same = _clashing_plan(session, plan)
        if same is None:
            raise
        raise clash_error(same) from None
    assert plan.id is not None
    record(session, actor, "plan.create", "plan", plan.id, None, plan_summary(plan))
    # checked after the audit append: it holds the audit head's lock (PostgreSQL) or the
    # write lock (SQLite), so of two plans posted at once the second sees the first
    clash = _clashing_plan(session, plan)
    if clash is not None:
        session.rollback()
        raise clash_error(clash)
    if jobs is not None:
        jobs.enqueue(session, plan.id, lock_key(region.id, data))
    session.commit()
    session.refresh(plan)
    return plan_public(plan)


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


def get_plan(session: Session, plan_id: int, actor: Actor | None = None) -> PlanPublic:
    """The plan with this id (of the actor's region or one under it, when an actor is given).

    Raises:
        NotFoundError: no plan has this id, or it is outside the actor's region.
    """
    scope = actor.region_path if actor is not None else None
    return plan_public(get_plan_row(session, plan_id, scope))


def capacity_shares(session: Session, plan_id: int, actor: Actor) -> list[CapacityShare]:
    """The plan's shares of units working in several districts, by unit, day and district.

    Raises:
        NotFoundError: no plan has this id, or it is outside the actor's region.
    """
    get_plan_row(session, plan_id, actor.region_path)
    rows = session.exec(
        select(PlanCapacityShareRow, UnitRow.name, RegionRow.code, RegionRow.name)
        .join(UnitRow, col(UnitRow.id) == col(PlanCapacityShareRow.unit_id))
        .join(RegionRow, col(RegionRow.id) == col(PlanCapacityShareRow.region_id))
        .where(PlanCapacityShareRow.plan_id == plan_id)
        .order_by(
            col(PlanCapacityShareRow.unit_id), col(PlanCapacityShareRow.day), col(RegionRow.code)
        )
    )
    return [
        CapacityShare(
            unit_id=share.unit_id,
            unit_name=unit_name,
            region=code,
            region_name=region_name,
            day=share.day,
            available=share.available,
            demand=share.demand,
            capacity=share.capacity,
            officers=list(share.officers),
        )
        for share, unit_name, code, region_name in rows
    ]


def list_plans(
    session: Session,
    published: bool | None = None,
    limit: int = 50,
    actor: Actor | None = None,
    origin: str | None = None,
    region: str | None = None,
) -> list[PlanPublic]:
    """Plans, newest first; `published` keeps only published (or only unpublished) ones,
    `origin` those started so (``schedule``: the weekly drafts); with an actor, only those
    of its region and the regions under it; `region` (a code the actor sees) only those of
    that region and the regions under it.

    Raises:
        NotFoundError: `region` is unknown or outside the actor's region (field ``region``).
    """
    path = actor.region_path if actor else None
    if region is not None:
        path = region_for(session, actor or SYSTEM, region).path
    query = in_region(select(PlanRow), PlanRow.region_id, path)
    if origin is not None:
        query = query.where(col(PlanRow.origin) == origin)
    if published is not None:
        published_at = col(PlanRow.published_at)
        query = query.where(published_at.is_not(None) if published else published_at.is_(None))
    rows = session.exec(query.order_by(col(PlanRow.id).desc()).limit(limit))
    return [plan_public(row) for row in rows]


def request_stop(
    session: Session, actor: Actor, plan_id: int, jobs: PlanJobs | None = None
) -> PlanPublic:
    """Ask a running plan to stop, keeping the best plan found so far.

    The stop flag (which the solve polls) and `jobs`' abort request commit together.

    Raises:
        NotFoundError: no plan has this id, or it is outside the actor's region.
    """
    plan = get_plan_row(session, plan_id, actor.region_path)
    if plan.status in ACTIVE_STATUSES:
        plan.stop_requested = True
        session.add(plan)
        record(session, actor, "plan.stop", "plan", plan_id, None, {"stop_requested": True})
        if jobs is not None:
            jobs.request_abort(session, plan_id)
        session.commit()
    return plan_public(plan)


def _check_fresh(session: Session, plan: PlanRow) -> None:
    """Refuse a plan the world has moved past since it started.

    Raises:
        ConflictError: another plan was published over its horizon after it started,
            placed one of its requests elsewhere, or one of its checklists changed since.
    """
    assert plan.id is not None
    assert plan.started_at is not None  # finished plans have started
    path = region_path(session, plan.region_id)
    overlapping = published_overlapping(session, plan.horizon_start, plan.horizon_end, path)
    started = as_utc(plan.started_at)
    newer = sorted(
        (o for o in overlapping if o.published_at is not None and as_utc(o.published_at) > started),
        key=lambda o: (as_utc(o.published_at or started), o.id or 0),
    )
    if newer:
        winner = newer[-1]
        raise ConflictError(
            f"排期 {plan.id} 开始后，排期 {winner.id}（{winner.horizon_start} 至 "
            f"{winner.horizon_end}）已发布，与其计划期重叠；请重新排期后再发布",
            "id",
        )
    placed = {
        r for rs in round_requests(session, plan_round_ids(session, plan.id)).values() for r in rs
    }
    elsewhere = placed & live_request_ids(session, outside=(plan.horizon_start, plan.horizon_end))
    if elsewhere:
        raise ConflictError(
            f"排期 {plan.id} 中有 {len(elsewhere)} 项检查已在其他已发布排期中安排；请重新排期",
            "id",
        )
    overbooked = overbooking(session, plan.id, path)
    if overbooked is not None:  # another district's plan took the shared unit's capacity
        raise ConflictError(overbooked, "id")
    changed = session.exec(
        select(ChecklistRow.title, ChecklistRow.reference)
        .join(RequestRow, col(RequestRow.checklist_id) == col(ChecklistRow.id))
        # the plan's requests as a subquery: a province's are more than one IN list may name
        .where(
            col(RequestRow.id).in_(
                select(PlanRoundRequestRow.request_id)
                .join(PlanRoundRow, col(PlanRoundRow.id) == col(PlanRoundRequestRow.round_id))
                .where(PlanRoundRow.plan_id == plan.id)
            )
        )
        .where(col(ChecklistRow.updated_at) > plan.started_at)
    ).first()
    if changed is not None:
        named = checklist_label(changed[0], changed[1])
        raise ConflictError(f"排期 {plan.id} 开始后，{named}被修改或撤回；请重新排期", "id")


def publish_plan(session: Session, actor: Actor, plan_id: int) -> PlanPublic:
    """Make a finished plan the published one for its horizon; it is immutable from now on.

    Its rounds become the live ones on its horizon's days (the published rounds
    it pinned come back unchanged); published plans it overlaps are marked superseded.
    Every live round of its horizon gets its inspection code (an announced visit keeps
    its own; one that disappeared has its code cancelled).

    Publications take turns (:func:`inspection.db.locks.take_publication_turn`): of
    two sent at once over days they share, the first stored wins and the other is
    checked against it (409 naming it).

    Raises:
        NotFoundError: no plan has this id, or it is outside the actor's region.
        ConflictError: the plan has not finished, is published already, or is stale:
            another plan was published over its horizon after it started, placed
            one of its requests elsewhere, or one of its checklists changed since.
    """
    get_plan_row(session, plan_id, actor.region_path)  # 404 before waiting for the turn
    # One publication at a time: what is checked below (this plan not published yet, no
    # overlapping plan published since it started) cannot change until this one commits.
    # Checked before the turn, two publications both passed and both were stored.
    take_publication_turn(session)
    session.expire_all()  # read what the publication before this one committed
    plan = get_plan_row(session, plan_id)
    if plan.published_at is not None:
        raise ConflictError(f"排期 {plan_id} 已发布", "id")
    if plan.status not in DONE_STATUSES:
        raise ConflictError(f"排期 {plan_id} 的状态是 {plan.status}，不能发布", "status")
    _check_fresh(session, plan)
    path = region_path(session, plan.region_id)
    for older in published_overlapping(session, plan.horizon_start, plan.horizon_end, path):
        if older.superseded_by is None:
            older.superseded_by = plan_id
            session.add(older)
    before = plan_summary(plan)
    plan.published_at = datetime.now(UTC)
    plan.content_sha256 = content_sha256(session, plan_id)
    session.add(plan)
    record_publication(session, plan)
    issue_codes(session, actor, plan)  # after the ledger: codes follow its live rounds
    # after the codes: an outcome is keyed by its code, which may now name a new round row
    rebuild_outcome_rollup_between(session, plan.horizon_start, plan.horizon_end)
    record(session, actor, "plan.publish", "plan", plan_id, before, plan_summary(plan))
    session.commit()
    session.refresh(plan)
    return plan_public(plan)
