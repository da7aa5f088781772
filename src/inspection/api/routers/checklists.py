"""Checklists: units submit them; one request per target enterprise."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

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
