"""The district's rules: settings (exempt categories, the officers' draw) and quiet days."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel

from inspection.api.auth import allow
from inspection.api.deps import RowId, SessionDep
from inspection.services.access import Actor, Role
from inspection.services.checklists.models import InspectionType
from inspection.services.rules import quiet_days, settings
from inspection.services.rules.models import (
    QuietDayRuleCreate,
    QuietDayRulePublic,
    QuietDayRuleUpdate,
    RuleSettingsPublic,
    RuleSettingsUpdate,
)

__all__ = ["router"]

router = APIRouter(prefix="/rules", tags=["rules"])
Coordinator = Annotated[Actor, Depends(allow(Role.COORDINATOR))]
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.AUDITOR, Role.ADMIN))]


class QuietDayPublic(BaseModel):
    """A day a quiet-day rule covers, with the inspection types it still lets in."""

    day: date
    rule_id: int
    rule_name: str
    exempt_categories: list[InspectionType]


@router.get("/settings")
def read_settings(session: SessionDep, _actor: Reader) -> RuleSettingsPublic:
    """The district's rule settings."""
    return settings.rule_settings(session)


@router.put("/settings")
def replace_settings(
    data: RuleSettingsUpdate, session: SessionDep, actor: Coordinator
) -> RuleSettingsPublic:
    """Replace the district's rule settings (every field)."""
    return settings.update_rule_settings(session, actor, data)


@router.get("/quiet-days")
def list_quiet_day_rules(
    session: SessionDep,
    _actor: Reader,
    active: Annotated[bool, Query(description="only the active rules")] = False,
) -> list[QuietDayRulePublic]:
    """The quiet-day rules by id."""
    return quiet_days.list_quiet_day_rules(session, active_only=active)


@router.post("/quiet-days", status_code=status.HTTP_201_CREATED)
def create_quiet_day_rule(
    data: QuietDayRuleCreate, session: SessionDep, response: Response, actor: Coordinator
) -> QuietDayRulePublic:
    """Add a quiet-day rule: days of every month and single dates without site checks,
    except for the exempt inspection types."""
    created = quiet_days.create_quiet_day_rule(session, actor, data)
    response.headers["Location"] = f"/api/v1/rules/quiet-days/{created.id}"
    return created


@router.get("/quiet-days/calendar")
def quiet_day_calendar(
    session: SessionDep,
    _actor: Reader,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> list[QuietDayPublic]:
    """Each day from `from` to `to` (at most 366 days) an active rule covers, per rule."""
    return [
        QuietDayPublic(
            day=q.day,
            rule_id=q.rule_id,
            rule_name=q.rule_name,
            exempt_categories=[c for c in InspectionType if c in q.exempt],
        )
        for q in quiet_days.quiet_days_between(session, start, end)
    ]


@router.get("/quiet-days/{rule_id}")
def read_quiet_day_rule(rule_id: RowId, session: SessionDep, _actor: Reader) -> QuietDayRulePublic:
    """One quiet-day rule."""
    return quiet_days.get_quiet_day_rule(session, rule_id)


@router.patch("/quiet-days/{rule_id}")
def update_quiet_day_rule(
    rule_id: RowId, changes: QuietDayRuleUpdate, session: SessionDep, actor: Coordinator
) -> QuietDayRulePublic:
    """Change a quiet-day rule (only the fields sent); `{"active": false}` deactivates it.
    Rules are never deleted: the plans made while one was in force refer to it."""
    return quiet_days.update_quiet_day_rule(session, actor, rule_id, changes)
