"""The enterprises' ratings of visits (企业评价): rows for coordinators and auditors only,
aggregates for every key (a unit its own, over enough ratings only).

Rating itself is public, with the code: ``POST /verify/{code}/rating`` (routers/verify.py).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from inspection.api.auth import allow
from inspection.api.deps import MAX_ROW_ID, SessionDep, TodayDep
from inspection.services.access import Actor, Role
from inspection.services.ratings.models import RatingPublic, RatingSummary
from inspection.services.ratings.read import list_ratings, rating_summary

__all__ = ["router"]

router = APIRouter(tags=["ratings"])
# the inspecting units never read a rating (Longhua: ratings go to the supervisor)
Supervisor = Annotated[Actor, Depends(allow(Role.COORDINATOR, Role.AUDITOR))]
Anyone = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.AUDITOR, Role.ADMIN))]


@router.get(
    "/ratings",
    responses={
        200: {
            "headers": {
                "X-Total-Count": {
                    "description": "how many ratings the filters keep, over all pages",
                    "schema": {"type": "integer"},
                }
            }
        }
    },
)
def ratings(
    session: SessionDep,
    actor: Supervisor,
    response: Response,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    town: Annotated[str | None, Query(max_length=100)] = None,
    complaints: Annotated[bool, Query(description="only the ratings with a complaint")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[RatingPublic]:
    """Ratings with their visit (date, enterprise, town, units), complaints first, then the
    newest visit; `from`/`to` filter the visits' days, `unit` the visits it took part in.
    Coordinators and auditors only: a unit key is refused (403)."""
    total, page = list_ratings(
        session, date_from, date_to, unit, town, complaints, limit, offset, actor.region_path
    )
    response.headers["X-Total-Count"] = str(total)
    return page


@router.get("/ratings/summary")
def summary(
    session: SessionDep,
    actor: Anyone,
    today: TodayDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> RatingSummary:
    """A calendar year's ratings (this year's by default) per unit and for the district: count,
    mean score, distribution of scores 1-5, complaints. A unit key gets only its own unit's,
    over the whole year, withheld (不足5条) under five ratings and counted by whole blocks of
    five in the order they came, so no answer, and no two answers compared, show one rating."""
    return rating_summary(session, actor, year if year is not None else today.year)
