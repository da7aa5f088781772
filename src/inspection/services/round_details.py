"""Rounds as the desk shows them: names, towns, and what each round is made of.

A round's detail names every request in it with its checklist (unit, title,
type) and that checklist's items with their legal basis, so a coordinator can
answer "why are we going there, and on what grounds" without leaving the page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel
from sqlmodel import Session, col, select

from inspection.db.tables import (
    ChecklistItemRow,
    ChecklistRow,
    EnterpriseRow,
    PlanRoundRow,
    PlanRow,
    RequestRow,
    UnitRow,
)
from inspection.errors import NotFoundError
from inspection.services.audit import Actor
from inspection.services.plans import get_plan, plan_rounds, round_requests
from inspection.services.rounds import unscheduled_of

__all__ = [
    "RoundChecklist",
    "RoundDetail",
    "RoundItem",
    "RoundSummary",
    "UnscheduledRequest",
    "plan_round_summaries",
    "plan_rounds_in_context",
    "round_detail",
    "unscheduled_requests",
]


class RoundSummary(BaseModel):
    """A round of a plan with the names a person reads."""

    id: int
    enterprise: str
    enterprise_name: str
    town: str
    date: date
    lead_unit: str
    units: list[str]
    items: list[str]
    requests: list[int]


class RoundItem(BaseModel):
    """One item to check, and the law that asks for it."""

    name: str
    legal_basis: str


class RoundChecklist(BaseModel):
    """A checklist with a request in the round."""

    checklist_id: int
    request_id: int
    unit_id: str
    unit_name: str
    title: str
    inspection_type: str
    items: list[RoundItem]


class RoundDetail(BaseModel):
    """A round with the checklists behind it."""

    id: int
    plan_id: int
    published: bool
    enterprise: str
    enterprise_name: str
    town: str
    address: str
    date: date
    lead_unit: str
    units: list[str]
    checklists: list[RoundChecklist]


def plan_rounds_in_context(
    session: Session, plan_id: int
) -> list[tuple[PlanRoundRow, EnterpriseRow, list[int]]]:
    """A plan's rounds (draft or published) by day then enterprise, each with its
    enterprise and its request ids (the shape `rounds.published_rounds` gives).

    Raises:
        NotFoundError: no plan has this id.
    """
    get_plan(session, plan_id)
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


def plan_round_summaries(session: Session, plan_id: int) -> list[RoundSummary]:
    """A plan's rounds (draft or published) by day then enterprise, with names and towns.

    Raises:
        NotFoundError: no plan has this id.
    """
    summaries = []
    for row, enterprise, requests in plan_rounds_in_context(session, plan_id):
        assert row.id is not None
        summaries.append(
            RoundSummary(
                id=row.id,
                enterprise=row.credit_code,
                enterprise_name=enterprise.name,
                town=enterprise.town,
                date=row.day,
                lead_unit=row.lead_unit_id,
                units=row.units,
                items=row.items,
                requests=requests,
            )
        )
    return summaries


def _visible(actor: Actor, row: PlanRoundRow, plan: PlanRow) -> bool:
    if actor.role in ("coordinator", "system"):
        return True
    if plan.published_at is None:
        return False  # drafts are the coordinators' working copies
    if actor.role == "unit":
        return actor.unit_id in row.units
    return actor.role == "auditor"


def round_detail(session: Session, actor: Actor, round_id: int) -> RoundDetail:
    """One round with every request's checklist and items.

    Coordinators see any plan's rounds; auditors the published ones; a unit the
    published rounds it takes part in. Anything else is 404, not 403, so that a
    unit cannot probe which rounds exist.

    Raises:
        NotFoundError: no such round, or not one the actor may see.
    """
    row = session.get(PlanRoundRow, round_id)
    plan = session.get(PlanRow, row.plan_id) if row is not None else None
    if row is None or plan is None or not _visible(actor, row, plan):
        raise NotFoundError(f"联合检查轮次 {round_id} 不存在", "round_id")
    assert row.id is not None
    assert plan.id is not None
    enterprise = session.get(EnterpriseRow, row.credit_code)
    assert enterprise is not None  # a foreign key
    request_ids = round_requests(session, [row.id]).get(row.id, [])
    pairs = list(
        session.exec(
            select(RequestRow, ChecklistRow)
            .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
            .where(col(RequestRow.id).in_(request_ids))
            .order_by(col(RequestRow.id))
        )
    )
    checklist_ids = [c.id for _, c in pairs]
    items: dict[int, list[RoundItem]] = defaultdict(list)
    for item in session.exec(
        select(ChecklistItemRow)
        .where(col(ChecklistItemRow.checklist_id).in_(checklist_ids))
        .order_by(col(ChecklistItemRow.checklist_id), col(ChecklistItemRow.position))
    ):
        items[item.checklist_id].append(RoundItem(name=item.name, legal_basis=item.legal_basis))
    names = dict(session.exec(select(UnitRow.id, UnitRow.name)).all())
    checklists = []
    for request, checklist in pairs:
        assert request.id is not None
        assert checklist.id is not None
        checklists.append(
            RoundChecklist(
                checklist_id=checklist.id,
                request_id=request.id,
                unit_id=checklist.unit_id,
                unit_name=names.get(checklist.unit_id, checklist.unit_id),
                title=checklist.title,
                inspection_type=checklist.inspection_type,
                items=items[checklist.id],
            )
        )
    return RoundDetail(
        id=row.id,
        plan_id=plan.id,
        published=plan.published_at is not None,
        enterprise=row.credit_code,
        enterprise_name=enterprise.name,
        town=enterprise.town,
        address=enterprise.address,
        date=row.day,
        lead_unit=row.lead_unit_id,
        units=row.units,
        checklists=checklists,
    )


class UnscheduledRequest(BaseModel):
    """A request a plan leaves out: whose, for which enterprise, and why."""

    request_id: int
    checklist_id: int
    unit_id: str
    enterprise: str
    enterprise_name: str
    code: str
    reason: str


def unscheduled_requests(session: Session, plan_id: int) -> list[UnscheduledRequest]:
    """The requests a plan leaves out, with their checklist, unit, enterprise and reason.

    Raises:
        NotFoundError: no plan has this id.
    """
    left_out = unscheduled_of(session, plan_id)
    ids = [u.request_id for u in left_out]
    owners: dict[int, tuple[int, str, str, str]] = {}
    for start in range(0, len(ids), 1000):
        query = (
            select(RequestRow.id, ChecklistRow.id, ChecklistRow.unit_id, EnterpriseRow)
            .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
            .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(RequestRow.credit_code))
            .where(col(RequestRow.id).in_(ids[start : start + 1000]))
        )
        for request_id, checklist_id, unit_id, enterprise in session.exec(query):
            assert request_id is not None
            assert checklist_id is not None
            owners[request_id] = (checklist_id, unit_id, enterprise.credit_code, enterprise.name)
    return [
        UnscheduledRequest(
            request_id=u.request_id,
            checklist_id=owners[u.request_id][0],
            unit_id=owners[u.request_id][1],
            enterprise=owners[u.request_id][2],
            enterprise_name=owners[u.request_id][3],
            code=u.code,
            reason=u.reason,
        )
        for u in left_out
    ]
