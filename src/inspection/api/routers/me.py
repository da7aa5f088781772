"""Who the key belongs to: the desk asks once, to show what the role may do."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from inspection.api.auth import ActorDep
from inspection.api.deps import SessionDep
from inspection.services.access import Role
from inspection.services.reference.service import get_unit

__all__ = ["router"]

router = APIRouter(tags=["keys"])


class Me(BaseModel):
    """The caller's role and, for a unit key, its unit."""

    name: str
    role: Role
    unit_id: str | None
    unit_name: str | None


@router.get("/me")
def me(session: SessionDep, actor: ActorDep) -> Me:
    """The key's name, role and unit (any valid key)."""
    unit_name = get_unit(session, actor.unit_id).name if actor.unit_id else None
    return Me(name=actor.name, role=actor.role, unit_id=actor.unit_id, unit_name=unit_name)
