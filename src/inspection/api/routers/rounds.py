"""Published rounds, queried by date range, unit, enterprise and town; one round in detail."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from inspection.api.auth import allow
from inspection.api.deps import RowId, SessionDep
from inspection.services.access import Actor, Role
from inspection.services.rounds.details import RoundDetail, round_detail
from inspection.services.rounds.views import PublishedRound, published_round_views

__all__ = ["router"]

router = APIRouter(prefix="/rounds", tags=["rounds"])
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.AUDITOR))]


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
    return published_round_views(session, actor, date_from, date_to, unit, enterprise, town)


@router.get("/{round_id}")
def detail(round_id: RowId, session: SessionDep, actor: Reader) -> RoundDetail:
    """A round with every request's checklist and its items' legal basis.

    Coordinators see any plan's rounds, auditors the published ones, a unit the
    published rounds it takes part in (others are 404).
    """
    return round_detail(session, actor, round_id)
