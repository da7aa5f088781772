"""Checklists: units submit them; one request per target enterprise."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from inspection.api.deps import SessionDep
from inspection.services import checklists
from inspection.services.models import ChecklistCreate, ChecklistPublic

__all__ = ["router"]

router = APIRouter(prefix="/checklists", tags=["checklists"])


@router.post("", status_code=status.HTTP_201_CREATED)
def submit(data: ChecklistCreate, session: SessionDep, response: Response) -> ChecklistPublic:
    """Submit a checklist; each target enterprise becomes one inspection request."""
    created = checklists.submit_checklist(session, data)
    response.headers["Location"] = f"/api/v1/checklists/{created.id}"
    return created


@router.get("/{checklist_id}")
def read(checklist_id: int, session: SessionDep) -> ChecklistPublic:
    """One checklist with its items and targets."""
    return checklists.get_checklist(session, checklist_id)


@router.get("")
def list_all(
    session: SessionDep,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[Literal["submitted", "withdrawn"] | None, Query(alias="status")] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> list[ChecklistPublic]:
    """Checklists, newest first; `from`/`to` keep those whose window meets the range."""
    return checklists.list_checklists(session, unit, state, date_from, date_to)


@router.post("/{checklist_id}/withdraw")
def withdraw(checklist_id: int, session: SessionDep) -> ChecklistPublic:
    """Withdraw a checklist; its requests leave future plans."""
    return checklists.withdraw_checklist(session, checklist_id)
