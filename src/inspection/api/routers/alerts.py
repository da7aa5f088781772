"""Repeat warnings (重复检查预警): coordinators and auditors any, a unit its own rounds'."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from inspection.api.auth import allow
from inspection.api.deps import SessionDep
from inspection.services.access import Actor, Role, figures_region, unit_scope
from inspection.services.figures.alerts import (
    DEFAULT_WINDOW_DAYS,
    MAX_WINDOW_DAYS,
    AlertKind,
    Alerts,
    alerts,
)

__all__ = ["router"]

router = APIRouter(tags=["figures"])
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.AUDITOR))]


@router.get("/alerts")
def list_alerts(
    session: SessionDep,
    actor: Reader,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    window_days: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_WINDOW_DAYS,
            description="rounds this many days apart or fewer are within the window",
        ),
    ] = DEFAULT_WINDOW_DAYS,
    town: Annotated[str | None, Query(max_length=100)] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    kind: AlertKind | None = None,
) -> Alerts:
    """Enterprises visited in separate live rounds twice or more within the window
    (`repeats`), and requests that could have joined another unit's round there
    (`missed_joins`); case-driven checks (the rule settings' cap-exempt categories)
    are not counted. The range filters the rounds' days; a unit key sees only the
    alerts naming a round it takes part in, whatever `unit` says; a key of a region the
    enterprises of its region and those under it.
    """
    return alerts(
        session,
        date_from,
        date_to,
        window_days,
        town,
        unit_scope(actor, unit),
        kind,
        figures_region(actor),
    )
