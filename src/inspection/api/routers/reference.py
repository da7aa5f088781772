"""Units and enterprises."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from inspection.api.auth import ActorDep, allow
from inspection.api.deps import MAX_ROW_ID, SessionDep
from inspection.services.access import Actor, Role
from inspection.services.reference import service as reference
from inspection.services.reference.classes import ClassesUpdate, set_classes
from inspection.services.reference.models import (
    EnterpriseCreate,
    EnterprisePublic,
    UnitCreate,
    UnitPublic,
)

__all__ = ["router"]

router = APIRouter(tags=["reference data"])
Admin = Annotated[Actor, Depends(allow(Role.ADMIN))]
Classifier = Annotated[Actor, Depends(allow(Role.COORDINATOR, Role.ADMIN))]


@router.post("/units", status_code=status.HTTP_201_CREATED)
def create_unit(
    data: UnitCreate, session: SessionDep, response: Response, actor: Admin
) -> UnitPublic:
    """Register an enforcement unit with its capacity per weekday and days off."""
    created = reference.create_unit(session, actor, data)
    response.headers["Location"] = f"/api/v1/units/{created.id}"
    return created


@router.get("/units")
def list_units(session: SessionDep, actor: ActorDep) -> list[UnitPublic]:
    """The enforcement units of the caller's region and those under it, by id."""
    return reference.list_units(session, actor.region_path)


@router.get("/units/{unit_id}")
def read_unit(unit_id: str, session: SessionDep, actor: ActorDep) -> UnitPublic:
    """One enforcement unit (404 outside the caller's region)."""
    return reference.get_unit(session, unit_id, actor.region_path)


@router.post("/enterprises", status_code=status.HTTP_201_CREATED)
def create_enterprise(
    data: EnterpriseCreate, session: SessionDep, response: Response, actor: Admin
) -> EnterprisePublic:
    """Register an enterprise by its unified social credit code."""
    created = reference.create_enterprise(session, actor, data)
    response.headers["Location"] = f"/api/v1/enterprises/{created.credit_code}"
    return created


@router.get("/enterprises")
def list_enterprises(
    session: SessionDep,
    actor: ActorDep,
    town: Annotated[str | None, Query(max_length=100)] = None,
    industry: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=100, description="part of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
    no_disturb: Annotated[bool | None, Query(description="on the no-disturb list")] = None,
    risk_class: Annotated[str | None, Query(max_length=16)] = None,
) -> list[EnterprisePublic]:
    """Enterprises of the caller's region and those under it, by credit code, filtered by
    town, industry, part of the name, the no-disturb flag and the risk class."""
    return reference.list_enterprises(
        session,
        town,
        industry,
        q,
        limit,
        offset,
        no_disturb=no_disturb,
        risk_class=risk_class,
        region_path=actor.region_path,
    )


@router.get("/enterprises/{credit_code}")
def read_enterprise(credit_code: str, session: SessionDep, actor: ActorDep) -> EnterprisePublic:
    """One enterprise (404 outside the caller's region)."""
    return reference.get_enterprise(session, credit_code, actor.region_path)


@router.patch("/enterprises/{credit_code}/classes")
def update_classes(
    credit_code: str, changes: ClassesUpdate, session: SessionDep, actor: Classifier
) -> EnterprisePublic:
    """Set an enterprise's risk class, credit class or no-disturb flag, each with its
    source and date (only the fields sent change; `null` or `false` clears a class)."""
    return set_classes(session, actor, credit_code, changes)
