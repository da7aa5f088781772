"""Regions (行政区划): read the caller's subtree, add one (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from inspection.api.auth import allow
from inspection.api.deps import SessionDep
from inspection.services.access import Actor, Role
from inspection.services.regions import service as regions
from inspection.services.regions.models import RegionCreate, RegionPublic

__all__ = ["router"]

router = APIRouter(prefix="/regions", tags=["regions"])
Reader = Annotated[Actor, Depends(allow(Role.COORDINATOR, Role.AUDITOR, Role.ADMIN))]
Admin = Annotated[Actor, Depends(allow(Role.ADMIN))]


@router.get("")
def list_regions(session: SessionDep, actor: Reader) -> list[RegionPublic]:
    """The caller's region and those under it (every region for a key of the whole
    platform), by path."""
    return regions.list_regions(session, actor)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_region(data: RegionCreate, session: SessionDep, actor: Admin) -> RegionPublic:
    """Add a region under its parent (a higher level); a top region has none."""
    return regions.create_region(session, actor, data)
