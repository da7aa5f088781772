"""The audit trail (auditors, admins) and API keys (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from inspection.api.auth import allow
from inspection.api.deps import MAX_ROW_ID, NoIdempotencyKey, RowId, SessionDep
from inspection.services.access import Actor, KeyRole, Role
from inspection.services.reference.models import no_control_characters
from inspection.services.trust import keys
from inspection.services.trust.audit import (
    AuditEntryPublic,
    ChainReport,
    list_entries,
    verify_chain,
)

__all__ = ["router"]

router = APIRouter(tags=["trust"])
Reader = Annotated[Actor, Depends(allow(Role.AUDITOR, Role.ADMIN))]
Admin = Annotated[Actor, Depends(allow(Role.ADMIN))]


@router.get("/audit")
def audit_trail(
    session: SessionDep,
    _actor: Reader,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    after: Annotated[
        int, Query(ge=0, le=MAX_ROW_ID, description="the last id of the previous page")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntryPublic]:
    """Entries in order, a page at a time (`after` = the last id seen), filtered."""
    return list_entries(session, entity, entity_id, action, actor, after, limit)


@router.get("/audit/verify")
def audit_verify(session: SessionDep, _actor: Reader) -> ChainReport:
    """Recompute the chain; `first_broken` names the first entry that does not hold."""
    return verify_chain(session)


class KeyCreate(BaseModel):
    """A key to issue."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"role": "unit", "unit_id": "SCJG", "name": "市场监管局张三"}]
        },
    )

    role: KeyRole
    unit_id: str | None = None
    unit_head: bool = Field(
        default=False, description="a unit key of the unit's head, who approves its checklists"
    )
    name: Annotated[str, Field(max_length=200), AfterValidator(no_control_characters)] = ""


@router.get("/keys")
def list_keys(session: SessionDep, _actor: Admin) -> list[keys.KeyPublic]:
    """Every key (never the keys themselves)."""
    return keys.list_keys(session)


@router.post("/keys", status_code=status.HTTP_201_CREATED)
def create_key(
    data: KeyCreate, session: SessionDep, actor: Admin, _no_replay: None = NoIdempotencyKey
) -> keys.IssuedKey:
    """Issue a key; the answer is the only time it is shown (so no `Idempotency-Key`: 422)."""
    return keys.create_key(
        session, actor, data.role, data.unit_id, data.name, unit_head=data.unit_head
    )


@router.post("/keys/{key_id}/revoke")
def revoke_key(key_id: RowId, session: SessionDep, actor: Admin) -> keys.KeyPublic:
    """Revoke a key at once."""
    return keys.revoke_key(session, actor, key_id)
