"""Yearly caps (频次上限): the rules coordinators set, and what each cap has used and left."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from inspection.api.auth import ActorDep, allow
from inspection.api.deps import RowId, SessionDep
from inspection.services.access import Actor, Role
from inspection.services.rules import cap_rules
from inspection.services.rules.cap_rule_models import (
    CapRuleCreate,
    CapRulePublic,
    CapRuleUpdate,
    ChecklistTargetCaps,
    EnterpriseCaps,
)

__all__ = ["router"]

router = APIRouter(tags=["caps"])
Coordinator = Annotated[Actor, Depends(allow(Role.COORDINATOR))]
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR))]
Year = Annotated[
    int | None, Query(ge=2000, le=2100, description="the calendar year; this year if left out")
]


def _year(year: int | None) -> int:
    return year if year is not None else datetime.now(UTC).year


@router.get("/rules/caps")
def list_rules(
    session: SessionDep,
    _actor: ActorDep,
    active: Annotated[bool | None, Query(description="only active (or inactive) rules")] = None,
) -> list[CapRulePublic]:
    """Every cap rule, oldest first; deactivated ones too unless `active` says otherwise."""
    return cap_rules.list_cap_rules(session, active)


@router.post("/rules/caps", status_code=status.HTTP_201_CREATED)
def create_rule(
    data: CapRuleCreate, session: SessionDep, response: Response, actor: Coordinator
) -> CapRulePublic:
    """Set a yearly cap for a unit (or, with `unit_id` null, for all units together).

    A second active rule for the same unit, industry and risk class is a 409 naming the first.
    """
    created = cap_rules.create_cap_rule(session, actor, data)
    response.headers["Location"] = f"/api/v1/rules/caps/{created.id}"
    return created


@router.patch("/rules/caps/{rule_id}")
def update_rule(
    rule_id: RowId, data: CapRuleUpdate, session: SessionDep, actor: Coordinator
) -> CapRulePublic:
    """Change a cap rule; `{"active": false}` deactivates it (rules are never deleted)."""
    return cap_rules.update_cap_rule(session, actor, rule_id, data)


@router.get("/caps")
def list_caps(
    session: SessionDep,
    actor: ActorDep,
    year: Year = None,
    enterprise: Annotated[str | None, Query(max_length=18, description="a credit code")] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    town: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=100, description="part of the name")] = None,
) -> list[EnterpriseCaps]:
    """Per enterprise a cap applies to: what each cap has used and left in the year.

    A unit key sees its own unit's caps and the enterprise-wide ones.
    """
    return cap_rules.list_caps(session, actor, _year(year), enterprise, unit, town, q)


@router.get("/enterprises/{credit_code}/caps")
def read_enterprise_caps(
    credit_code: str, session: SessionDep, actor: ActorDep, year: Year = None
) -> EnterpriseCaps:
    """One enterprise's caps in the year (a unit key: its own unit's and the enterprise-wide)."""
    return cap_rules.enterprise_caps(session, actor, credit_code, _year(year))


@router.get("/checklists/{checklist_id}/caps")
def read_checklist_caps(
    checklist_id: RowId, session: SessionDep, actor: Reader
) -> list[ChecklistTargetCaps]:
    """Per target of the checklist, what its unit may still inspect there in the window's year."""
    return cap_rules.checklist_caps(session, actor, checklist_id)
