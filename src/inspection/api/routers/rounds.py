"""Published rounds, queried by date range, unit, enterprise and town."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from inspection.api.auth import allow
from inspection.api.deps import RowId, SessionDep
from inspection.services import rounds as rounds_service
from inspection.services.audit import Actor
from inspection.services.round_details import RoundDetail, round_detail

__all__ = ["router"]

router = APIRouter(prefix="/rounds", tags=["rounds"])
Reader = Annotated[Actor, Depends(allow("unit", "coordinator", "auditor"))]


class RoundRequest(BaseModel):
    """A request placed in a round: whose and from which checklist."""

    id: int
    checklist_id: int
    unit_id: str


class PublishedRound(BaseModel):
    """A round of a published plan."""

    id: int
    plan_id: int
    enterprise: str
    enterprise_name: str
    town: str
    date: date
    lead_unit: str
    units: list[str]
    items: list[str]
    requests: list[RoundRequest]


@router.get("")
def query(
    session: SessionDep,
    actor: Reader,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    enterprise: Annotated[str | None, Query(max_length=18)] = None,
    town: Annotated[str | None, Query(max_length=100)] = None,
) -> list[PublishedRound]:
    """Rounds of the published plans, each with its requests (whose, which checklist).

    A unit key sees only the rounds its unit takes part in.
    """
    if actor.role == "unit":
        unit = actor.unit_id
    found = rounds_service.published_rounds(session, date_from, date_to, unit, enterprise, town)
    owners = rounds_service.request_owners(session, [q for _, _, qs in found for q in qs])
    return [
        PublishedRound(
            id=r.id or 0,
            plan_id=r.plan_id,
            enterprise=r.credit_code,
            enterprise_name=e.name,
            town=e.town,
            date=r.day,
            lead_unit=r.lead_unit_id,
            units=r.units,
            items=r.items,
            requests=[
                RoundRequest(id=q, checklist_id=owners[q][0], unit_id=owners[q][1])
                for q in requests
            ],
        )
        for r, e, requests in found
    ]


@router.get("/{round_id}")
def detail(round_id: RowId, session: SessionDep, actor: Reader) -> RoundDetail:
    """A round with every request's checklist and its items' legal basis.

    Coordinators see any plan's rounds, auditors the published ones, a unit the
    published rounds it takes part in (others are 404).
    """
    return round_detail(session, actor, round_id)
