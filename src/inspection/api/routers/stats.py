"""Figures: visits saved (a unit its own share, coordinators and auditors any), and the annual
report (coordinators and auditors)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from inspection.api.auth import allow
from inspection.api.deps import MAX_ROW_ID, SessionDep, SettingsDep
from inspection.services.access import Actor, Role, unit_scope
from inspection.services.figures.reports import AnnualReport, annual_report
from inspection.services.figures.stats import GroupBy, VisitStats, visit_stats

__all__ = ["router"]

router = APIRouter(tags=["figures"])
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.AUDITOR))]
Supervisor = Annotated[Actor, Depends(allow(Role.COORDINATOR, Role.AUDITOR))]


@router.get("/stats/visits")
def visits(
    session: SessionDep,
    actor: Reader,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    town: Annotated[str | None, Query(max_length=100)] = None,
    group_by: GroupBy | None = None,
    detail: Literal["rounds"] | None = None,
    plan: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_ROW_ID,
            description="count this plan's rounds (a draft too, for coordinators) instead of "
            "the published ones",
        ),
    ] = None,
) -> VisitStats:
    """Checklists, requests, rounds, visits saved and share merged, from published plans.

    Each round counts once, at its lead unit's first request; every other
    request in it is a visit saved, so the groups add up to the total.
    `detail=rounds` lists the rounds behind each group's figures. `plan` counts one
    plan's rounds, attributed and summed the same way (the desk's draft week view).
    A unit key counts its own unit's share only, whatever `unit` says; a key of a region
    counts the visits at the enterprises of its region and those under it (a city's figures
    are the sum of its districts'), and another region's plan answers 404.
    """
    return visit_stats(
        session,
        date_from,
        date_to,
        unit_scope(actor, unit),
        town,
        group_by,
        detail == "rounds",
        plan,
        actor,
    )


@router.get("/reports/annual")
def annual(
    session: SessionDep,
    settings: SettingsDep,
    actor: Supervisor,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> AnnualReport:
    """The year's figures for the rule-of-law report, with the paragraph in Chinese; a key
    of a region reports for its region and those under it."""
    return annual_report(session, year, settings.district_name, actor)
