"""Checklists: a unit submits one; it becomes one request per target enterprise."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from inspection.db import repository
from inspection.db.tables import ChecklistRow
from inspection.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PreconditionFailedError,
)
from inspection.services.access import Actor, check_acts_for_unit, may_see_unit_record, unit_scope
from inspection.services.checklists.models import (
    ChecklistCreate,
    ChecklistItemIn,
    ChecklistPublic,
    ChecklistStatus,
    InspectionType,
)
from inspection.services.ledger import live_request_ids
from inspection.services.trust.audit import record, snapshot

__all__ = [
    "add_checklist",
    "amend_checklist",
    "get_checklist",
    "list_checklists",
    "public_checklists",
    "submit_checklist",
    "withdraw_checklist",
]


def _public(session: Session, row: ChecklistRow) -> ChecklistPublic:
    assert row.id is not None
    return ChecklistPublic(
        id=row.id,
        unit_id=row.unit_id,
        title=row.title,
        inspection_type=InspectionType(row.inspection_type),
        items=[
            ChecklistItemIn(name=i.name, legal_basis=i.legal_basis)
            for i in repository.checklist_items(session, row.id)
        ],
        targets=[r.credit_code for r in repository.checklist_requests(session, row.id)],
        earliest=row.earliest,
        latest=row.latest,
        priority=row.priority,
        status=ChecklistStatus(row.status),
        version=row.version,
    )


def _check_references(session: Session, data: ChecklistCreate) -> None:
    unit_known, known = repository.known_references(session, data.unit_id, data.targets)
    if not unit_known:
        raise InvalidInputError(f"未知的执法单位 {data.unit_id}", "unit_id")
    for index, code in enumerate(data.targets):
        if code not in known:
            raise InvalidInputError(f"未知的企业 {code}", f"targets[{index}]")


def add_checklist(session: Session, data: ChecklistCreate) -> ChecklistRow:
    """Add a checklist whose unit and targets are known to the caller's transaction."""
    now = datetime.now(UTC)
    row = ChecklistRow(
        unit_id=data.unit_id,
        title=data.title,
        inspection_type=data.inspection_type,
        earliest=data.earliest,
        latest=data.latest,
        priority=data.priority,
        status=ChecklistStatus.SUBMITTED,
        created_at=now,
        updated_at=now,
    )
    return repository.add_checklist(
        session, row, [(i.name, i.legal_basis) for i in data.items], data.targets
    )


def public_checklists(session: Session, rows: list[ChecklistRow]) -> list[ChecklistPublic]:
    """Stored checklists as clients see them."""
    return [_public(session, row) for row in rows]


def submit_checklist(session: Session, actor: Actor, data: ChecklistCreate) -> ChecklistPublic:
    """Store a validated checklist and its requests in one transaction, with its audit entry.

    Raises:
        ForbiddenError: a unit key submitting for another unit.
        InvalidInputError: the unit or a target enterprise is unknown (the field is named).
    """
    check_acts_for_unit(actor, data.unit_id)
    _check_references(session, data)
    row = add_checklist(session, data)
    # what was just stored, as stored (the targets in their order): nothing to read back
    assert row.id is not None
    created = ChecklistPublic(
        id=row.id,
        unit_id=row.unit_id,
        title=row.title,
        inspection_type=data.inspection_type,
        items=list(data.items),
        targets=list(data.targets),
        earliest=row.earliest,
        latest=row.latest,
        priority=row.priority,
        status=ChecklistStatus(row.status),
        version=row.version,
    )
    record(session, actor, "checklist.submit", "checklist", row.id, None, snapshot(created))
    session.commit()
    return created


def _visible(session: Session, actor: Actor, checklist_id: int) -> ChecklistRow:
    """The checklist if the actor may see it; another unit's is as good as absent (404)."""
    row = repository.get_checklist(session, checklist_id)
    if row is None or not may_see_unit_record(actor, row.unit_id):
        raise NotFoundError(f"检查清单 {checklist_id} 不存在", "id")
    return row


def _changeable(session: Session, actor: Actor, checklist_id: int, action: str) -> ChecklistRow:
    """The checklist, if it may still change: submitted, and nothing of it announced."""
    row = _visible(session, actor, checklist_id)
    if row.status != ChecklistStatus.SUBMITTED:
        raise ConflictError(
            f"检查清单 {checklist_id} 的状态是 {row.status}，不能{action}", "status"
        )
    placed = live_request_ids(session)
    if any(r.id in placed for r in repository.checklist_requests(session, checklist_id)):
        raise ConflictError(f"检查清单 {checklist_id} 已有检查排入已发布的计划，不能{action}", "id")
    return row


def amend_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    data: ChecklistCreate,
    expected_version: int,
) -> ChecklistPublic:
    """Replace a checklist's content while none of its requests is announced.

    Args:
        session: The caller's session; committed here.
        actor: Who amends (a unit key only its own unit's checklists).
        checklist_id: The checklist to amend.
        data: Its new content (the unit cannot change).
        expected_version: The version the client read (from the ETag).

    Raises:
        NotFoundError: no checklist has this id.
        PreconditionFailedError: it changed since the client read it.
        ConflictError: it is withdrawn, or one of its requests is in a published plan.
        InvalidInputError: another unit, or an unknown enterprise.
    """
    row = _changeable(session, actor, checklist_id, "修改")
    before = snapshot(_public(session, row))
    if row.version != expected_version:
        raise PreconditionFailedError(
            f"检查清单 {checklist_id} 已被修改（当前版本 {row.version}），请重新读取后再提交",
            "If-Match",
        )
    if data.unit_id != row.unit_id:
        raise InvalidInputError("不能更改检查清单所属的执法单位", "unit_id")
    _check_references(session, data)
    row.title, row.inspection_type = data.title, data.inspection_type
    row.earliest, row.latest, row.priority = data.earliest, data.latest, data.priority
    row.version += 1
    row.updated_at = datetime.now(UTC)
    session.add(row)
    repository.replace_checklist_content(
        session, row, [(i.name, i.legal_basis) for i in data.items], data.targets
    )
    amended = _public(session, row)
    record(session, actor, "checklist.amend", "checklist", checklist_id, before, snapshot(amended))
    session.commit()
    return amended


def get_checklist(session: Session, actor: Actor, checklist_id: int) -> ChecklistPublic:
    """One checklist with its items and targets.

    Raises:
        NotFoundError: no checklist has this id, or it is another unit's.
    """
    return _public(session, _visible(session, actor, checklist_id))


def list_checklists(
    session: Session,
    actor: Actor,
    unit_id: str | None = None,
    status: ChecklistStatus | None = None,
    window_from: date | None = None,
    window_to: date | None = None,
) -> list[ChecklistPublic]:
    """Checklists, newest first, filtered by unit, status and a date range their window meets.

    A unit key sees its own unit's only, whatever `unit_id` says.
    """
    unit_id = unit_scope(actor, unit_id)
    rows = repository.list_checklists(session, unit_id, status, window_from, window_to)
    return [_public(session, row) for row in rows]


def withdraw_checklist(session: Session, actor: Actor, checklist_id: int) -> ChecklistPublic:
    """Withdraw a submitted checklist: its requests are no longer planned.

    Raises:
        NotFoundError: no checklist has this id, or it is another unit's.
        ConflictError: it is withdrawn already, or one of its requests is in a published plan.
    """
    row = _changeable(session, actor, checklist_id, "撤回")
    before = snapshot(_public(session, row))
    row.status = ChecklistStatus.WITHDRAWN
    row.version += 1
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    withdrawn = _public(session, row)
    record(
        session, actor, "checklist.withdraw", "checklist", checklist_id, before, snapshot(withdrawn)
    )
    session.commit()
    return withdrawn
