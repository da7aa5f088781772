"""Checklists: a unit submits one; it becomes one request per target enterprise."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from inspection.db import repository
from inspection.db.tables import ChecklistRow
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.models import ChecklistCreate, ChecklistItemIn, ChecklistPublic
from inspection.services.plans import published_request_ids

__all__ = ["get_checklist", "list_checklists", "submit_checklist", "withdraw_checklist"]


def _public(session: Session, row: ChecklistRow) -> ChecklistPublic:
    assert row.id is not None
    return ChecklistPublic(
        id=row.id,
        unit_id=row.unit_id,
        title=row.title,
        inspection_type=row.inspection_type,  # type: ignore[arg-type]  # stored from the Literal
        items=[
            ChecklistItemIn(name=i.name, legal_basis=i.legal_basis)
            for i in repository.checklist_items(session, row.id)
        ],
        targets=[r.credit_code for r in repository.checklist_requests(session, row.id)],
        earliest=row.earliest,
        latest=row.latest,
        priority=row.priority,
        status=row.status,
        version=row.version,
    )


def submit_checklist(session: Session, data: ChecklistCreate) -> ChecklistPublic:
    """Store a validated checklist and its requests in one transaction.

    Raises:
        InvalidInputError: the unit or a target enterprise is unknown (the field is named).
    """
    if repository.get_unit(session, data.unit_id) is None:
        raise InvalidInputError(f"未知的执法单位 {data.unit_id}", "unit_id")
    for index, code in enumerate(data.targets):
        if repository.get_enterprise(session, code) is None:
            raise InvalidInputError(f"未知的企业 {code}", f"targets[{index}]")
    now = datetime.now(UTC)
    row = ChecklistRow(
        unit_id=data.unit_id,
        title=data.title,
        inspection_type=data.inspection_type,
        earliest=data.earliest,
        latest=data.latest,
        priority=data.priority,
        created_at=now,
        updated_at=now,
    )
    repository.add_checklist(
        session, row, [(i.name, i.legal_basis) for i in data.items], data.targets
    )
    session.commit()
    return _public(session, row)


def get_checklist(session: Session, checklist_id: int) -> ChecklistPublic:
    """One checklist with its items and targets.

    Raises:
        NotFoundError: no checklist has this id.
    """
    row = repository.get_checklist(session, checklist_id)
    if row is None:
        raise NotFoundError(f"检查清单 {checklist_id} 不存在", "id")
    return _public(session, row)


def list_checklists(
    session: Session,
    unit_id: str | None = None,
    status: str | None = None,
    window_from: date | None = None,
    window_to: date | None = None,
) -> list[ChecklistPublic]:
    """Checklists, newest first, filtered by unit, status and a date range their window meets."""
    rows = repository.list_checklists(session, unit_id, status, window_from, window_to)
    return [_public(session, row) for row in rows]


def withdraw_checklist(session: Session, checklist_id: int) -> ChecklistPublic:
    """Withdraw a submitted checklist: its requests are no longer planned.

    Raises:
        NotFoundError: no checklist has this id.
        ConflictError: it is withdrawn already, or one of its requests is in a published plan.
    """
    row = repository.get_checklist(session, checklist_id)
    if row is None:
        raise NotFoundError(f"检查清单 {checklist_id} 不存在", "id")
    if row.status != "submitted":
        raise ConflictError(f"检查清单 {checklist_id} 的状态是 {row.status}，不能撤回", "status")
    placed = published_request_ids(session)
    if any(r.id in placed for r in repository.checklist_requests(session, checklist_id)):
        raise ConflictError(f"检查清单 {checklist_id} 已有检查排入已发布的计划，不能撤回", "id")
    row.status = "withdrawn"
    row.version += 1
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.commit()
    return _public(session, row)
