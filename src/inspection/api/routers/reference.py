"""Units and enterprises."""

from __future__ import annotations

from fastapi import APIRouter, status

from inspection.api.deps import SessionDep
from inspection.services import reference
from inspection.services.models import EnterpriseCreate, UnitCreate

__all__ = ["router"]

router = APIRouter(tags=["reference data"])


@router.post("/units", status_code=status.HTTP_201_CREATED)
def create_unit(data: UnitCreate, session: SessionDep) -> UnitCreate:
    """Register an enforcement unit with its capacity per weekday and days off."""
    reference.create_unit(session, data)
    return data


@router.post("/enterprises", status_code=status.HTTP_201_CREATED)
def create_enterprise(data: EnterpriseCreate, session: SessionDep) -> EnterpriseCreate:
    """Register an enterprise by its unified social credit code."""
    reference.create_enterprise(session, data)
    return data
