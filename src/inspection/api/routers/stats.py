"""Figures for auditors: visits saved, and the annual report."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from inspection.api.auth import allow
from inspection.api.deps import SessionDep, SettingsDep
from inspection.services.access import Role
from inspection.services.figures.reports import AnnualReport, annual_report
from inspection.services.figures.stats import GroupBy, VisitStats, visit_stats

__all__ = ["router"]

router = APIRouter(tags=["figures"], dependencies=[Depends(allow(Role.COORDINATOR, Role.AUDITOR))])


@router.get("/stats/visits")
def visits(
    session: SessionDep,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    town: Annotated[str | None, Query(max_length=100)] = None,
    group_by: GroupBy | None = None,
    detail: Literal["rounds"] | None = None,
) -> VisitStats:
    """Checklists, requests, rounds, visits saved and share merged, from published plans.

    Each round counts once, at its lead unit's first request; every other
    request in it is a visit saved, so the groups add up to the total.
    `detail=rounds` lists the rounds behind each group's figures.
    """
    return visit_stats(session, date_from, date_to, unit, town, group_by, detail == "rounds")


@router.get("/reports/annual")
def annual(
    session: SessionDep,
    settings: SettingsDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> AnnualReport:
    """The year's figures for the rule-of-law report, with the paragraph in Chinese."""
    return annual_report(session, year, settings.district_name)
