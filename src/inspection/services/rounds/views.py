"""Rounds in lists, with the names a person reads: a plan's rounds, the published rounds with
their requests' owners, and the requests a plan leaves out with their reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, col, select

from inspection.db.tables import (
    ChecklistRow,
    EnterpriseRow,
    LiveVisitRow,
    PlanRoundRow,
    RequestRow,
)
from inspection.services.access import Actor, unit_scope
from inspection.services.officers.drawn import round_officers
from inspection.services.officers.models import RoundOfficer
from inspection.services.rounds.store import (
    plan_rounds_in_context,
    published_rounds,
    request_owners,
    unscheduled_of,
)
from inspection.solver import ReasonCode

__all__ = [
    "PublishedRound",
    "RoundFacts",
    "RoundRequest",
    "RoundSummary",
    "UnscheduledRequest",
    "latest_published_day",
    "plan_round_summaries",
    "published_round_views",
    "unscheduled_requests",
]

_CHUNK = 1000  # ids per IN (...) list


class RoundFacts(BaseModel):
    """What every listing says of a round: where, when, who."""

    id: int
    enterprise: str
    enterprise_name: str
    town: str
    date: date
    lead_unit: str
    units: list[str]
    items: list[str]
    officers: list[RoundOfficer] = Field(
        default_factory=list, description="who inspects: the officers drawn for each unit"
    )


def _facts(
    row: PlanRoundRow, enterprise: EnterpriseRow, officers: dict[int, list[RoundOfficer]]
) -> dict[str, Any]:
    assert row.id is not None
    return {
        "id": row.id,
        "enterprise": row.credit_code,
        "enterprise_name": enterprise.name,
        "town": enterprise.town,
        "date": row.day,
        "lead_unit": row.lead_unit_id,
        "units": row.units,
        "items": row.items,
        "officers": officers.get(row.id, []),
    }


class RoundSummary(RoundFacts):
    """A round of a plan (draft or published) and the ids of its requests."""

    requests: list[int]


class RoundRequest(BaseModel):
    """A request placed in a round: whose and from which checklist."""

    id: int
    checklist_id: int
    unit_id: str


class PublishedRound(RoundFacts):
    """A round of a published plan, with whose requests it holds."""

    plan_id: int
    requests: list[RoundRequest]


def plan_round_summaries(session: Session, plan_id: int) -> list[RoundSummary]:
    """A plan's rounds (draft or published) by day then enterprise, with names and towns.

    Raises:
        NotFoundError: no plan has this id.
    """
    found = plan_rounds_in_context(session, plan_id)
    officers = round_officers(session, [r.id for r, _, _ in found if r.id is not None])
    return [
        RoundSummary(**_facts(row, enterprise, officers), requests=requests)
        for row, enterprise, requests in found
    ]


def published_round_views(
    session: Session,
    actor: Actor,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    enterprise: str | None = None,
    town: str | None = None,
) -> list[PublishedRound]:
    """The live published rounds, each with its requests (whose, which checklist).

    A unit key sees only the rounds its unit takes part in, whatever `unit` says; a key
    of a region the rounds at enterprises in it or under it.
    """
    unit = unit_scope(actor, unit)
    found = published_rounds(session, date_from, date_to, unit, enterprise, town, actor.region_path)
    owners = request_owners(session, [q for _, _, qs in found for q in qs])
    officers = round_officers(session, [r.id for r, _, _ in found if r.id is not None])
    return [
        PublishedRound(
            **_facts(row, enterprise_row, officers),
            plan_id=row.plan_id,
            requests=[
                RoundRequest(id=q, checklist_id=owners[q][0], unit_id=owners[q][1])
                for q in requests
            ],
        )
        for row, enterprise_row, requests in found
    ]


def latest_published_day(session: Session, actor: Actor) -> date | None:
    """The newest day with a live published round the actor may see (None: none yet).

    A unit key counts only the rounds its unit takes part in, as `GET /rounds` shows them.
    """
    query = select(func.max(LiveVisitRow.day))
    unit = unit_scope(actor, None)
    if unit is not None:
        query = query.where(LiveVisitRow.unit_id == unit)
    day: date | None = session.exec(query).one()
    return day


class UnscheduledRequest(BaseModel):
    """A request a plan leaves out: whose, for which enterprise, and why."""

    request_id: int
    checklist_id: int
    checklist_title: str = Field(description="the checklist's title (清单名称)")
    checklist_reference: str | None = Field(
        default=None, description="the unit's own reference number (清单编号)"
    )
    unit_id: str
    enterprise: str
    enterprise_name: str
    code: ReasonCode
    reason: str


def unscheduled_requests(session: Session, plan_id: int) -> list[UnscheduledRequest]:
    """The requests a plan leaves out, with their checklist, unit, enterprise and reason.

    Raises:
        NotFoundError: no plan has this id.
    """
    left_out = unscheduled_of(session, plan_id)
    ids = [u.request_id for u in left_out]
    owners: dict[int, tuple[int, str, str, str]] = {}
    names: dict[int, tuple[str, str | None]] = {}
    for start in range(0, len(ids), _CHUNK):
        query = (
            select(RequestRow.id, ChecklistRow, EnterpriseRow)
            .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
            .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(RequestRow.credit_code))
            .where(col(RequestRow.id).in_(ids[start : start + _CHUNK]))
        )
        for request_id, checklist, enterprise in session.exec(query):
            assert request_id is not None
            assert checklist.id is not None
            owners[request_id] = (
                checklist.id,
                checklist.unit_id,
                enterprise.credit_code,
                enterprise.name,
            )
            names[request_id] = (checklist.title, checklist.reference)
    return [
        UnscheduledRequest(
            request_id=u.request_id,
            checklist_id=owners[u.request_id][0],
            checklist_title=names[u.request_id][0],
            checklist_reference=names[u.request_id][1],
            unit_id=owners[u.request_id][1],
            enterprise=owners[u.request_id][2],
            enterprise_name=owners[u.request_id][3],
            code=ReasonCode(u.code),
            reason=u.reason,
        )
        for u in left_out
    ]
