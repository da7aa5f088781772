"""Approval by the unit's head (审批): a submitted checklist is a draft until then.

Only approved checklists are planned, with one exception: case-driven checks
(:data:`~inspection.services.checklists.models.CASE_DRIVEN_TYPES`, a complaint or a
referral) cannot wait, so a plan takes them while still drafts; when the head
approves one that a plan has already placed in a round, the approval is recorded
as given afterwards (``approved_afterwards``, 事后补批).

Approving moves the checklist to its next version in one conditional UPDATE, like
every other change of it (see :mod:`inspection.services.checklists.changes`): of
two approvals that read the same draft, one wins and the other is refused (409).
It leaves `updated_at` (when the content last changed) alone, so a plan that placed a
case-driven draft can still be published after the head approved it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import exists
from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.tables import ChecklistRow, PlanRoundRequestRow, RequestRow
from inspection.errors import ConflictError
from inspection.services.access import Actor, check_may_approve
from inspection.services.checklists.models import (
    CASE_DRIVEN_TYPES,
    ChecklistPublic,
    ChecklistStatus,
    InspectionType,
    checklist_label,
)
from inspection.services.checklists.service import (
    Approval,
    checklist_public,
    visible_checklist,
)
from inspection.services.trust.audit import record, snapshot

__all__ = ["approve_checklist", "approve_drafts", "was_planned"]

_STATE_WORDS: dict[str, str] = {
    ChecklistStatus.APPROVED: "已批准",
    ChecklistStatus.WITHDRAWN: "已撤回",
}


def was_planned(session: Session, checklist_id: int) -> bool:
    """Whether some plan (a draft one too) has placed a request of the checklist in a round."""
    query = select(
        exists()
        .where(col(PlanRoundRequestRow.request_id) == RequestRow.id)
        .where(col(RequestRow.checklist_id) == checklist_id)
    )
    return bool(session.exec(query).one())


def approve_checklist(session: Session, actor: Actor, checklist_id: int) -> ChecklistPublic:
    """Approve a draft checklist as its unit's head (committed, audited as ``checklist.approve``).

    A case-driven check that a plan has already placed is recorded as approved
    afterwards (事后补批).

    Raises:
        NotFoundError: no checklist has this id, or it is another unit's.
        ForbiddenError: the actor is not the head of the checklist's unit (coordinators
            included).
        ConflictError: it is not a draft (approved already, or withdrawn), also when
            another change of it committed while this one ran.
    """
    approved = _approve(session, actor, visible_checklist(session, actor, checklist_id))
    session.commit()
    return approved


def approve_drafts(session: Session, actor: Actor, unit_id: str) -> list[ChecklistPublic]:
    """Approve every draft of a unit as its head, in one transaction (committed), each
    audited as ``checklist.approve``; them as approved, oldest first.

    Raises:
        NotFoundError: a unit key of another unit.
        ForbiddenError: the actor is not the unit's head.
        ConflictError: a draft changed while this ran (nothing is approved then).
    """
    check_may_approve(actor, unit_id)
    drafts = repository.list_checklists(session, unit_id, ChecklistStatus.DRAFT)
    approved = [_approve(session, actor, row) for row in sorted(drafts, key=lambda r: r.id or 0)]
    session.commit()
    return approved


def _approve(session: Session, actor: Actor, row: ChecklistRow) -> ChecklistPublic:
    """Approve a draft the actor sees, in the caller's transaction (audited, no commit)."""
    assert row.id is not None
    checklist_id = row.id
    check_may_approve(actor, row.unit_id)
    named = checklist_label(row.title, row.reference)
    if row.status != ChecklistStatus.DRAFT:
        state = _STATE_WORDS.get(row.status, row.status)
        raise ConflictError(f"{named}{state}，不是待审批的草稿，不能再批准", "status")
    before = snapshot(checklist_public(session, row))
    afterwards = InspectionType(row.inspection_type) in CASE_DRIVEN_TYPES and was_planned(
        session, checklist_id
    )
    approval = Approval(ChecklistStatus.APPROVED, datetime.now(UTC), actor.label, afterwards)
    # `updated_at` stays: it says when the content last changed, and a plan that placed the
    # checklist is stale only if that content changed (publication checks it), not for a
    # signature; the version moves, so an ETag read before the approval is stale
    if not repository.claim_checklist_version(
        session, checklist_id, row.version, **approval.values()
    ):
        session.rollback()  # the change that won committed
        raise ConflictError(f"{named}刚被他人修改或批准，请重新读取后再批准", "version")
    approved = checklist_public(session, row)
    record(
        session, actor, "checklist.approve", "checklist", checklist_id, before, snapshot(approved)
    )
    return approved
