"""Changes to a submitted checklist: amend it (If-Match), withdraw it.

Each change moves the checklist from the version it was read at to the next
in one conditional UPDATE (``... WHERE id = :id AND version = :read``), the
transaction's first write to it: of two changes that read the same version,
one moves it and the other finds it moved and is refused (412 for an
amendment sent with that version's ETag, 409 for the rest), on SQLite and
PostgreSQL alike. Reading the version and writing were two steps before, and
both changes of such a pair succeeded (one edit lost).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from inspection.db import repository
from inspection.db.tables import ChecklistRow
from inspection.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PreconditionFailedError,
)
from inspection.services.access import Actor
from inspection.services.catalogue.checks import link_items, resolve_items
from inspection.services.checklists.models import (
    ChecklistCreate,
    ChecklistPublic,
    ChecklistReceipt,
    ChecklistStatus,
    checklist_label,
)
from inspection.services.checklists.service import (
    approval_on_change,
    check_references,
    check_submission_caps,
    checklist_public,
    same_reference,
    visible_checklist,
)
from inspection.services.ledger import live_request_ids
from inspection.services.trust.audit import record, snapshot

__all__ = [
    "amend_checklist",
    "amendment_refusal",
    "apply_amendment",
    "changeable_checklist",
    "withdraw_checklist",
]


# a checklist's state as a message says it ("已撤回"), not its code
_STATUS_WORDS: dict[str, str] = {
    ChecklistStatus.WITHDRAWN: "已撤回",
    ChecklistStatus.DRAFT: "待审批",
    ChecklistStatus.APPROVED: "已批准",
}


def _changeable(session: Session, actor: Actor, checklist_id: int, action: str) -> ChecklistRow:
    """The checklist, if it may still change: submitted, and nothing of it announced."""
    row = visible_checklist(session, actor, checklist_id)
    named = checklist_label(row.title, row.reference)
    if row.status == ChecklistStatus.WITHDRAWN:
        state = _STATUS_WORDS.get(row.status, row.status)
        raise ConflictError(f"{named}{state}，不能{action}", "status")
    placed = live_request_ids(session)
    if any(r.id in placed for r in repository.checklist_requests(session, checklist_id)):
        raise ConflictError(f"{named}已有检查排入已发布的计划，不能{action}", "id")
    return row


def _claim(
    session: Session,
    actor: Actor,
    row: ChecklistRow,
    action: str,
    if_match: bool,
    **values: Any,
) -> None:
    """Move the checklist from the version it was read at to the next, setting `values`,
    in one conditional UPDATE (the row in the session follows).

    Raises:
        ConflictError: it was withdrawn meanwhile, or changed meanwhile (no If-Match).
        PreconditionFailedError: it changed meanwhile, and the client sent If-Match.
    """
    assert row.id is not None
    checklist_id, read = row.id, row.version
    if repository.claim_checklist_version(
        session, checklist_id, read, updated_at=datetime.now(UTC), **values
    ):
        return
    session.rollback()  # the change that won committed: read what it left
    current = _changeable(session, actor, checklist_id, action)
    message = (
        f"{checklist_label(current.title, current.reference)}刚被他人修改"
        f"（第 {read} 版已不是当前版本），请重新读取后再{action}"
    )
    if if_match:
        raise PreconditionFailedError(message, "If-Match")
    raise ConflictError(message, "version")


def amend_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    data: ChecklistCreate,
    expected_version: int,
) -> ChecklistReceipt:
    """Replace a checklist's content while none of its requests is announced; it as
    amended, with what the yearly caps said about its targets.

    The amended checklist is a draft again (it needs its head's approval), unless the
    unit's head amends it: then it is approved by that head at once.

    Args:
        session: The caller's session; committed here.
        actor: Who amends (a unit key only its own unit's checklists).
        checklist_id: The checklist to amend.
        data: Its new content (the unit cannot change).
        expected_version: The version the client read (from the ETag).

    Raises:
        NotFoundError: no checklist has this id.
        PreconditionFailedError: it changed since the client read it (also when another
            amendment of that version commits while this one runs).
        ConflictError: it is withdrawn, or one of its requests is in a published plan.
        InvalidInputError: another unit, an unknown enterprise, or an item the unit's
            published catalogue does not allow (none is checked for a unit without one).
        CapReachedError: a target's yearly cap for the unit is used up (409).
    """
    row = _changeable(session, actor, checklist_id, "修改")
    if row.version != expected_version:
        named = checklist_label(row.title, row.reference)
        raise PreconditionFailedError(
            f"{named}已被他人修改（当前为第 {row.version} 版），请重新读取后再提交",
            "If-Match",
        )
    amended, warnings = _amend(session, actor, row, data, if_match=True)
    session.commit()
    return ChecklistReceipt.of(amended, warnings)


def apply_amendment(
    session: Session, actor: Actor, row: ChecklistRow, data: ChecklistCreate
) -> ChecklistPublic:
    """Replace a changeable checklist's content in the caller's transaction, audited (no commit).

    The checklist must still be at the version `row` was read at.

    Raises:
        InvalidInputError: another unit, an unknown enterprise, or an item the unit's
            published catalogue does not allow (none is checked for a unit without one).
        ConflictError: the new reference names another checklist of the unit, or the
            checklist changed since `row` was read.
    """
    return _amend(session, actor, row, data, if_match=False)[0]


def _amend(
    session: Session, actor: Actor, row: ChecklistRow, data: ChecklistCreate, if_match: bool
) -> tuple[ChecklistPublic, list[str]]:
    assert row.id is not None
    if data.unit_id != row.unit_id:
        raise InvalidInputError("不能更改检查清单所属的执法单位", "unit_id")
    enforced = check_references(session, data)
    # the unit's catalogue, as on submission (a unit without a published edition: any item)
    item_ids = resolve_items(
        session, data.unit_id, data.earliest, data.items, data.onsite_reason, enforced
    )
    warnings = check_submission_caps(session, data)
    other = same_reference(session, data)
    if other is not None and other.id != row.id:
        named = checklist_label(other.title, other.reference)
        raise ConflictError(f"清单编号 {data.reference} 已用于本单位的{named}", "reference")
    # the content at the version read: the claim below succeeds only if it is still that one
    before = snapshot(checklist_public(session, row))
    # new content needs the head's approval again, unless the head made the change
    approval = approval_on_change(actor, row.unit_id, datetime.now(UTC))
    _claim(
        session,
        actor,
        row,
        "修改",
        if_match,
        reference=data.reference,
        title=data.title,
        inspection_type=str(data.inspection_type),
        earliest=data.earliest,
        latest=data.latest,
        priority=data.priority,
        onsite_reason=data.onsite_reason,
        **approval.values(),
    )
    repository.replace_checklist_content(
        session, row, [(i.name, i.legal_basis) for i in data.items], data.targets
    )
    link_items(session, [(row.id, item_ids)])
    amended = checklist_public(session, row)
    record(session, actor, "checklist.amend", "checklist", row.id, before, snapshot(amended))
    return amended, warnings


def amendment_refusal(session: Session, actor: Actor, checklist_id: int) -> str | None:
    """Why the actor may not amend the checklist now, or None when it may."""
    try:
        _changeable(session, actor, checklist_id, "修改")
    except (ConflictError, NotFoundError) as refused:
        return refused.detail
    return None


def changeable_checklist(session: Session, actor: Actor, checklist_id: int) -> ChecklistRow:
    """The checklist, if the actor may amend it now: submitted, and nothing of it announced.

    Raises:
        NotFoundError: no checklist has this id, or it is another unit's.
        ConflictError: it is withdrawn, or one of its requests is in a published plan.
    """
    return _changeable(session, actor, checklist_id, "修改")


def withdraw_checklist(session: Session, actor: Actor, checklist_id: int) -> ChecklistPublic:
    """Withdraw a submitted checklist: its requests are no longer planned.

    Raises:
        NotFoundError: no checklist has this id, or it is another unit's.
        ConflictError: it is withdrawn already (also by a withdrawal committed while this
            one ran), changed while this one ran, or one of its requests is in a published plan.
    """
    row = _changeable(session, actor, checklist_id, "撤回")
    before = snapshot(checklist_public(session, row))
    _claim(session, actor, row, "撤回", False, status=str(ChecklistStatus.WITHDRAWN))
    withdrawn = checklist_public(session, row)
    record(
        session, actor, "checklist.withdraw", "checklist", checklist_id, before, snapshot(withdrawn)
    )
    session.commit()
    return withdrawn
