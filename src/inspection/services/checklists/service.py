"""Checklists: a unit submits one; it becomes one request per target enterprise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspection.db import listing, repository
from inspection.db.regions import unit_in_region
from inspection.db.tables import ChecklistRow
from inspection.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
)
from inspection.services.access import (
    Actor,
    check_acts_for_unit,
    is_unit_head,
    may_see_unit_record,
    unit_scope,
)
from inspection.services.catalogue.checks import link_items, resolve_items
from inspection.services.checklists.models import (
    DEFAULT_PAGE,
    ChecklistCreate,
    ChecklistItemIn,
    ChecklistPage,
    ChecklistPublic,
    ChecklistStatus,
    InspectionType,
    checklist_label,
)
from inspection.services.rules.submission import enforce_caps
from inspection.services.trust.audit import record_and_commit, snapshot

__all__ = [
    "Approval",
    "Receipt",
    "add_checklist",
    "add_checklists",
    "approval_on_change",
    "check_references",
    "check_same_as_before",
    "check_submission_caps",
    "checklist_public",
    "get_checklist",
    "list_checklists",
    "public_checklists",
    "receive_checklist",
    "same_reference",
    "stored_by_reference",
    "submit_checklist",
    "visible_checklist",
]


def checklist_public(session: Session, row: ChecklistRow) -> ChecklistPublic:
    """The checklist as clients read it, its items and targets read from the database."""
    assert row.id is not None
    items = [
        ChecklistItemIn(name=i.name, legal_basis=i.legal_basis)
        for i in repository.checklist_items(session, row.id)
    ]
    targets = [r.credit_code for r in repository.checklist_requests(session, row.id)]
    return ChecklistPublic(
        id=row.id,
        unit_id=row.unit_id,
        reference=row.reference,
        title=row.title,
        inspection_type=InspectionType(row.inspection_type),
        items=items,
        targets=targets,
        earliest=row.earliest,
        latest=row.latest,
        priority=row.priority,
        status=ChecklistStatus(row.status),
        version=row.version,
        onsite_reason=row.onsite_reason,
        approved_at=row.approved_at,
        approved_by=row.approved_by,
        approved_afterwards=row.approved_afterwards,
    )


@dataclass(frozen=True)
class Approval:
    """A checklist's approval columns (审批): its status, and who approved it when."""

    status: ChecklistStatus
    approved_at: datetime | None = None
    approved_by: str | None = None
    approved_afterwards: bool = False

    def values(self) -> dict[str, object]:
        """The columns as an UPDATE or INSERT sets them."""
        return {
            "status": str(self.status),
            "approved_at": self.approved_at,
            "approved_by": self.approved_by,
            "approved_afterwards": self.approved_afterwards,
        }


def approval_on_change(actor: Actor, unit_id: str, now: datetime) -> Approval:
    """The approval of a checklist the actor has just submitted or amended for its unit.

    The unit head's own submission (or amendment) is approved at once, by that head;
    anyone else's is a draft waiting for the head (so an approved checklist amended by
    someone else needs approving again).
    """
    if is_unit_head(actor, unit_id):
        return Approval(ChecklistStatus.APPROVED, now, actor.label)
    return Approval(ChecklistStatus.DRAFT)


def check_references(session: Session, data: ChecklistCreate) -> bool:
    """Check that the checklist's unit and targets exist; whether the unit's catalogue rule
    applies to its items (it has published an edition), read in the same query.

    Raises:
        InvalidInputError: the unit (``unit_id``) or a target (``targets[i]``) is unknown.
    """
    known = repository.known_references(session, data.unit_id, data.targets)
    if not known.unit_known:
        raise InvalidInputError(f"未知的执法单位 {data.unit_id}", "unit_id")
    for index, code in enumerate(data.targets):
        if code not in known.credit_codes:
            raise InvalidInputError(f"未知的企业 {code}", f"targets[{index}]")
    return known.catalogue_enforced


def check_submission_caps(session: Session, data: ChecklistCreate) -> list[str]:
    """The yearly caps' warnings about the checklist's targets.

    Raises:
        CapReachedError: a target's unit cap is used up (409, field ``targets[i]``).
    """
    return enforce_caps(
        session,
        data.unit_id,
        str(data.inspection_type),
        data.targets,
        data.earliest,
        data.latest,
    )


def add_checklist(session: Session, actor: Actor, data: ChecklistCreate) -> ChecklistPublic:
    """Add a checklist whose unit and targets are known to the caller's transaction: a
    draft, or approved when the unit's head submits it; it as stored."""
    now = datetime.now(UTC)
    approval = approval_on_change(actor, data.unit_id, now)
    checklist_id = repository.insert_checklist(session, _new_checklist(data, approval, now))
    return _as_stored(checklist_id, data, approval)


def add_checklists(
    session: Session, actor: Actor, checklists: list[ChecklistCreate]
) -> list[ChecklistPublic]:
    """Add many checklists, whose units and targets are known, to the caller's transaction;
    them as stored (an import's path: three statements however many there are). Each is a
    draft, or approved when the actor is its unit's head."""
    now = datetime.now(UTC)
    approvals = {
        unit_id: approval_on_change(actor, unit_id, now)
        for unit_id in {data.unit_id for data in checklists}
    }
    ids = repository.add_checklists(
        session, [_new_checklist(data, approvals[data.unit_id], now) for data in checklists]
    )
    return [
        _as_stored(checklist_id, data, approvals[data.unit_id])
        for checklist_id, data in zip(ids, checklists, strict=True)
    ]


def _new_checklist(
    data: ChecklistCreate, approval: Approval, now: datetime
) -> repository.NewChecklist:
    """The rows that store a validated checklist, version 1, with its approval."""
    return repository.NewChecklist(
        values={
            "unit_id": data.unit_id,
            "reference": data.reference,
            "title": data.title,
            "inspection_type": str(data.inspection_type),
            "earliest": data.earliest,
            "latest": data.latest,
            "priority": data.priority,
            **approval.values(),
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "onsite_reason": data.onsite_reason,
        },
        items=[(i.name, i.legal_basis) for i in data.items],
        targets=data.targets,
    )


def _as_stored(checklist_id: int, data: ChecklistCreate, approval: Approval) -> ChecklistPublic:
    """A checklist just stored by :func:`_new_checklist`, from what was validated (the
    targets in their order): nothing to read back or validate again."""
    return ChecklistPublic.model_construct(
        id=checklist_id,
        unit_id=data.unit_id,
        reference=data.reference,
        title=data.title,
        inspection_type=data.inspection_type,
        items=list(data.items),
        targets=list(data.targets),
        earliest=data.earliest,
        latest=data.latest,
        priority=data.priority,
        status=approval.status,
        version=1,
        onsite_reason=data.onsite_reason,
        approved_at=approval.approved_at,
        approved_by=approval.approved_by,
        approved_afterwards=False,
    )


def public_checklists(session: Session, rows: list[ChecklistRow]) -> list[ChecklistPublic]:
    """Stored checklists as clients see them (their items and targets read in two queries)."""
    ids = [row.id for row in rows if row.id is not None]
    items = repository.items_of_checklists(session, ids)
    targets = repository.targets_of_checklists(session, ids)
    return [
        ChecklistPublic(
            id=row.id,
            unit_id=row.unit_id,
            reference=row.reference,
            title=row.title,
            inspection_type=InspectionType(row.inspection_type),
            items=[ChecklistItemIn(name=name, legal_basis=basis) for name, basis in items[row.id]],
            targets=targets[row.id],
            earliest=row.earliest,
            latest=row.latest,
            priority=row.priority,
            status=ChecklistStatus(row.status),
            version=row.version,
            onsite_reason=row.onsite_reason,
            approved_at=row.approved_at,
            approved_by=row.approved_by,
            approved_afterwards=row.approved_afterwards,
        )
        for row in rows
        if row.id is not None
    ]


def stored_by_reference(
    session: Session, names: list[tuple[str, str]]
) -> dict[tuple[str, str], ChecklistPublic]:
    """The stored checklists named by (unit, reference), keyed so."""
    rows = repository.checklists_by_reference(session, names)
    return {(c.unit_id, c.reference or ""): c for c in public_checklists(session, rows)}


@dataclass(frozen=True)
class Receipt:
    """What a submission did: the checklist as stored, and whether it was stored just now.

    Attributes:
        checklist: The checklist (the one stored before, when it was sent again).
        created: False when the unit had sent this checklist (same reference, same
            content) before: nothing new was stored.
        warnings: What the yearly caps said about its targets (when stored just now).
    """

    checklist: ChecklistPublic
    created: bool
    warnings: tuple[str, ...] = ()


def same_reference(session: Session, data: ChecklistCreate) -> ChecklistPublic | None:
    """The unit's checklist with the reference `data` names, if it names one that exists."""
    if data.reference is None:
        return None
    row = repository.get_checklist_by_reference(session, data.unit_id, data.reference)
    return None if row is None else checklist_public(session, row)


def check_same_as_before(data: ChecklistCreate, before: ChecklistPublic) -> None:
    """A checklist sent again under its reference must say what it said.

    Raises:
        ConflictError: it is different, or the one stored was withdrawn (field ``reference``).
    """
    if before.status == ChecklistStatus.WITHDRAWN:
        raise ConflictError(
            f"清单编号 {data.reference} 已用于{checklist_label(before.title, before.reference)}，"
            "该清单已撤回；请换一个清单编号",
            "reference",
        )
    if not data.same_content(before):
        raise ConflictError(
            f"清单编号 {data.reference} 已用于{checklist_label(before.title, before.reference)}"
            f"（第 {before.version} 版），内容不同；如要修改，请修改该清单",
            "reference",
        )


def receive_checklist(session: Session, actor: Actor, data: ChecklistCreate) -> Receipt:
    """Store a checklist, or recognise one the unit sent before under the same reference.

    Raises:
        ForbiddenError: a unit key submitting for another unit.
        InvalidInputError: the unit or a target enterprise is unknown, or an item breaks the
            unit's catalogue (the field is named: see
            :func:`~inspection.services.catalogue.checks.resolve_items`; a unit without a
            published catalogue edition may use any item).
        ConflictError: its reference names another checklist of the unit (field ``reference``).
        CapReachedError: a target's yearly cap for the unit is used up (409, field
            ``targets[i]``); a target close to a cap is a warning of the answer instead.
    """
    check_acts_for_unit(actor, data.unit_id)
    # a coordinator of a region submits for its units only (a unit key for its own: above)
    if not actor.is_unit and not unit_in_region(session, data.unit_id, actor.region_path):
        raise InvalidInputError(f"未知的执法单位 {data.unit_id}", "unit_id")
    before = same_reference(session, data)
    if before is not None:
        check_same_as_before(data, before)
        return Receipt(before, created=False)
    enforced = check_references(session, data)
    item_ids = resolve_items(
        session, data.unit_id, data.earliest, data.items, data.onsite_reason, enforced
    )
    warnings = check_submission_caps(session, data)
    try:
        created = add_checklist(session, actor, data)
        link_items(session, [(created.id, item_ids)])
    except IntegrityError:  # the same reference, stored by a submission running beside this one
        session.rollback()
        before = same_reference(session, data)
        if before is None:
            raise
        check_same_as_before(data, before)
        return Receipt(before, created=False)
    # the audit entry last, sent with the commit: the chain's lock is held only for the two
    record_and_commit(
        session, actor, "checklist.submit", "checklist", created.id, None, snapshot(created)
    )
    return Receipt(created, created=True, warnings=tuple(warnings))


def submit_checklist(session: Session, actor: Actor, data: ChecklistCreate) -> ChecklistPublic:
    """Store a validated checklist and its requests in one transaction, with its audit entry.

    Sent again under its reference with the same content, nothing new is stored and the
    checklist stored before is returned (see :func:`receive_checklist`).

    Raises:
        ForbiddenError: a unit key submitting for another unit.
        InvalidInputError: the unit or a target enterprise is unknown (the field is named).
        ConflictError: its reference names another checklist of the unit (field ``reference``).
    """
    return receive_checklist(session, actor, data).checklist


def visible_checklist(session: Session, actor: Actor, checklist_id: int) -> ChecklistRow:
    """The checklist if the actor may see it; another unit's, or one of a unit outside the
    actor's region, is as good as absent (404)."""
    row = repository.get_checklist(session, checklist_id)
    if (
        row is None
        or not may_see_unit_record(actor, row.unit_id)
        or not unit_in_region(session, row.unit_id, actor.region_path)
    ):
        raise NotFoundError(f"检查清单 {checklist_id} 不存在", "id")
    return row


def get_checklist(session: Session, actor: Actor, checklist_id: int) -> ChecklistPublic:
    """One checklist with its items and targets.

    Raises:
        NotFoundError: no checklist has this id, or it is another unit's.
    """
    return checklist_public(session, visible_checklist(session, actor, checklist_id))


def list_checklists(
    session: Session,
    actor: Actor,
    unit_id: str | None = None,
    status: ChecklistStatus | None = None,
    window_from: date | None = None,
    window_to: date | None = None,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
) -> ChecklistPage:
    """A page of checklists, newest first, filtered by unit, status and a date range their
    window meets; with how many the filters keep in all.

    A unit key sees its own unit's only, whatever `unit_id` says; a key of a region the
    checklists of the units in or under it.
    """
    unit_id = unit_scope(actor, unit_id)
    rows, total = listing.checklist_page(
        session, unit_id, status, window_from, window_to, limit, offset, actor.region_path
    )
    return ChecklistPage(checklists=public_checklists(session, rows), total=total)
