"""The stored plans and their rounds, as the other wings read them.

Read queries only: which plans are published over some days, a plan's rounds
and the requests in them, the live published rounds, who owns a request, what
a plan left out. Planning writes plans; the figures read the ledger; both build
on these.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from inspection.db.regions import enterprises_in, region_in, related_region_ids
from inspection.db.tables import (
    ChecklistRow,
    EnterpriseRow,
    LiveVisitRow,
    PlanRoundRequestRow,
    PlanRoundRow,
    PlanRow,
    PlanUnscheduledRow,
    RequestRow,
)
from inspection.errors import NotFoundError

__all__ = [
    "RoundInContext",
    "get_plan_row",
    "plan_round_ids",
    "plan_rounds",
    "plan_rounds_in_context",
    "published_overlapping",
    "published_rounds",
    "request_owners",
    "round_requests",
    "unscheduled_of",
]

RoundInContext = tuple[PlanRoundRow, EnterpriseRow, list[int]]
"""A round with its enterprise and the ids of its requests, in request order."""

_CHUNK = 1000  # ids per IN (...) list: well inside every driver's limit on parameters


def get_plan_row(session: Session, plan_id: int, region_path: str | None = None) -> PlanRow:
    """The plan with this id; with `region_path`, only if its region is in or under that one.

    Raises:
        NotFoundError: no plan has this id (or it plans a region outside `region_path`).
    """
    plan = session.get(PlanRow, plan_id)
    if plan is None or not region_in(session, plan.region_id, region_path):
        raise NotFoundError(f"排期 {plan_id} 不存在", "id")
    return plan


def published_overlapping(
    session: Session, start: date, end: date, region_path: str | None = None
) -> list[PlanRow]:
    """Published plans whose horizon meets [start, end]; with `region_path`, only plans of
    that region, a region above it or one under it."""
    query = (
        select(PlanRow)
        .where(col(PlanRow.published_at).is_not(None))
        .where(PlanRow.horizon_start <= end)
        .where(PlanRow.horizon_end >= start)
    )
    if region_path is not None:
        query = query.where(col(PlanRow.region_id).in_(related_region_ids(region_path)))
    return list(session.exec(query))


def plan_rounds(session: Session, plan_id: int) -> list[PlanRoundRow]:
    """A plan's rounds by day, then enterprise."""
    query = (
        select(PlanRoundRow)
        .where(PlanRoundRow.plan_id == plan_id)
        .order_by(col(PlanRoundRow.day), col(PlanRoundRow.credit_code))
    )
    return list(session.exec(query))


def plan_round_ids(session: Session, plan_id: int) -> list[int]:
    """The ids of a plan's rounds."""
    query = select(PlanRoundRow.id).where(PlanRoundRow.plan_id == plan_id)
    return [round_id for round_id in session.exec(query) if round_id is not None]


def round_requests(session: Session, round_ids: list[int]) -> dict[int, list[int]]:
    """Round id to the ids of the requests it holds, in request order."""
    links: dict[int, list[int]] = {}
    for start in range(0, len(round_ids), _CHUNK):
        for link in session.exec(
            select(PlanRoundRequestRow)
            .where(col(PlanRoundRequestRow.round_id).in_(round_ids[start : start + _CHUNK]))
            .order_by(col(PlanRoundRequestRow.request_id))
        ):
            links.setdefault(link.round_id, []).append(link.request_id)
    return links


def plan_rounds_in_context(
    session: Session, plan_id: int, region_path: str | None = None
) -> list[RoundInContext]:
    """A plan's rounds (draft or published) by day then enterprise, each with its
    enterprise and its request ids (the shape :func:`published_rounds` gives).

    Raises:
        NotFoundError: no plan has this id (or it plans a region outside `region_path`).
    """
    get_plan_row(session, plan_id, region_path)
    rows = plan_rounds(session, plan_id)
    codes = {r.credit_code for r in rows}
    enterprises = {
        e.credit_code: e
        for e in session.exec(
            select(EnterpriseRow).where(col(EnterpriseRow.credit_code).in_(codes))
        )
    }
    links = round_requests(session, [r.id for r in rows if r.id is not None])
    return [(r, enterprises[r.credit_code], links.get(r.id or -1, [])) for r in rows]


def published_rounds(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    enterprise: str | None = None,
    town: str | None = None,
    region_path: str | None = None,
) -> list[RoundInContext]:
    """Live published rounds with their request ids, by day then enterprise.

    `unit` keeps the rounds in which the unit has a request; `region_path` those at
    enterprises in that region or under it.
    """
    live = select(LiveVisitRow.round_id)
    if region_path is not None:
        live = live.where(col(LiveVisitRow.credit_code).in_(enterprises_in(region_path)))
    if date_from is not None:
        live = live.where(LiveVisitRow.day >= date_from)
    if date_to is not None:
        live = live.where(LiveVisitRow.day <= date_to)
    if unit is not None:
        live = live.where(LiveVisitRow.unit_id == unit)
    if enterprise is not None:
        live = live.where(LiveVisitRow.credit_code == enterprise)
    if town is not None:
        live = live.where(LiveVisitRow.town == town)
    query = (
        select(PlanRoundRow, EnterpriseRow)
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(PlanRoundRow.credit_code))
        .where(col(PlanRoundRow.id).in_(live.distinct()))
        .order_by(col(PlanRoundRow.day), col(PlanRoundRow.credit_code), col(PlanRoundRow.id))
    )
    rows = list(session.exec(query))
    links = round_requests(session, [r.id for r, _ in rows if r.id is not None])
    return [(r, e, links.get(r.id or -1, [])) for r, e in rows]


def request_owners(session: Session, request_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Request id to (its checklist's id, its unit's id)."""
    owners: dict[int, tuple[int, str]] = {}
    for start in range(0, len(request_ids), _CHUNK):
        chunk = request_ids[start : start + _CHUNK]
        query = (
            select(RequestRow.id, ChecklistRow.id, ChecklistRow.unit_id)
            .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
            .where(col(RequestRow.id).in_(chunk))
        )
        for request_id, checklist_id, unit_id in session.exec(query):
            assert request_id is not None
            assert checklist_id is not None
            owners[request_id] = (checklist_id, unit_id)
    return owners


def unscheduled_of(session: Session, plan_id: int) -> list[PlanUnscheduledRow]:
    """The requests a plan leaves out, with their reason codes.

    Raises:
        NotFoundError: no plan has this id.
    """
    get_plan_row(session, plan_id)
    query = (
        select(PlanUnscheduledRow)
        .where(PlanUnscheduledRow.plan_id == plan_id)
        .order_by(col(PlanUnscheduledRow.request_id))
    )
    return list(session.exec(query))
