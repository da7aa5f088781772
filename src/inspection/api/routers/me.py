"""Who the key belongs to: the desk asks once, to show what the role may do."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from inspection.api.auth import ActorDep
from inspection.api.deps import SessionDep
from inspection.services.access import Role
from inspection.services.checklists.models import ChecklistStatus
from inspection.services.checklists.service import list_checklists
from inspection.services.planning.schedule import drafts_waiting_for_review
from inspection.services.reference.service import get_unit
from inspection.services.regions.service import region_for, region_name
from inspection.services.rounds.views import latest_published_day

__all__ = ["router"]

router = APIRouter(tags=["keys"])


class Me(BaseModel):
    """The caller's role and, for a unit key, its unit."""

    name: str
    role: Role
    unit_id: str | None
    unit_name: str | None
    unit_head: bool = Field(
        default=False, description="a unit head's key: it approves the unit's checklists"
    )
    drafts_waiting: int | None = Field(
        default=None,
        description="checklists waiting for approval (a unit key: its unit's; a coordinator: "
        "every unit's); null for the other roles",
    )
    plan_drafts_waiting: int | None = Field(
        default=None,
        description="scheduled draft plans waiting for review (待审核的草案) of the region and "
        "those under it; a coordinator's only, null for the other roles",
    )
    region_name: str | None = Field(
        default=None,
        description="the name of the region the key sees (全平台: every region), when the "
        "platform holds more than one region; null with one",
    )
    region: str = Field(
        description="the code of the region the key works on when a request names none "
        "(its own; a key of the whole platform: the first region); the desk's region picker "
        "starts on it"
    )
    latest_published_day: date | None = Field(
        description="the newest day with a published round this key may see (a unit key: "
        "rounds its unit takes part in); null before anything is published"
    )


@router.get("/me")
def me(session: SessionDep, actor: ActorDep) -> Me:
    """The key's name, role and unit (any valid key), whether it is a unit head's, how many
    checklists wait for approval, and where its newest published data is."""
    unit_name = get_unit(session, actor.unit_id).name if actor.unit_id else None
    drafts = None
    if actor.role in (Role.UNIT, Role.COORDINATOR):
        drafts = list_checklists(session, actor, status=ChecklistStatus.DRAFT, limit=1).total
    plan_drafts = None
    if actor.role == Role.COORDINATOR:
        plan_drafts = drafts_waiting_for_review(session, actor)
    return Me(
        name=actor.name,
        role=actor.role,
        unit_id=actor.unit_id,
        unit_name=unit_name,
        unit_head=actor.unit_head,
        drafts_waiting=drafts,
        plan_drafts_waiting=plan_drafts,
        region_name=region_name(session, actor),
        region=region_for(session, actor, None).code,
        latest_published_day=latest_published_day(session, actor),
    )
