"""A unit's item catalogue: drafts, revisions, editions, retirement; every change audited.

Who: a unit key for its own unit; coordinators and admins for any unit
(:func:`~inspection.services.access.check_acts_for_unit`). Another unit's item read
by id is as good as absent (404).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspection.db.tables import CatalogueEditionRow, CatalogueItemRow
from inspection.errors import ConflictError, InvalidInputError
from inspection.services.access import Actor, check_acts_for_unit
from inspection.services.catalogue.models import (
    CatalogueEditionDetail,
    CatalogueItemCreate,
    CatalogueItemPatch,
    CatalogueItemPublic,
    ItemState,
    PublishRequest,
    RetireRequest,
)
from inspection.services.catalogue.store import (
    edition_public,
    in_effect,
    item_public,
    known_unit,
    latest_edition,
    rows_of_unit,
    visible_item,
)
from inspection.services.trust.audit import Change, record, record_many, snapshot

__all__ = [
    "WHAT",
    "add_draft",
    "add_item",
    "draft_revision",
    "edit_draft",
    "publish_catalogue",
    "retire_item",
    "revise_item",
    "update_draft",
]

WHAT = "管理检查事项清单"
"""What a unit key may do for its own unit only, as the refusal names it."""


def _check_name_free(rows: list[CatalogueItemRow], code: str, name: str) -> None:
    """Another item of the unit that is not retired must not have the same name: checklists
    name items by their name."""
    for other in rows:
        if other.code != code and other.name == name and other.state != ItemState.RETIRED:
            raise ConflictError(f"事项名称“{name}”已用于本单位的事项（编码 {other.code}）", "name")


def _flush_or_conflict(session: Session, message: str, field: str) -> None:
    """Flush; a unique key taken by a change committed meanwhile is a 409, not a 500.

    Raises:
        ConflictError: the flush broke a unique key (the transaction is rolled back).
    """
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ConflictError(message, field) from None


def add_draft(
    session: Session, actor: Actor, unit_id: str, data: CatalogueItemCreate
) -> CatalogueItemRow:
    """Add a new item as a draft to the caller's transaction, audited (no commit).

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
        ConflictError: the unit has an item with this code (field ``code``), or another
            item with this name (field ``name``).
    """
    check_acts_for_unit(actor, unit_id, WHAT)
    known_unit(session, unit_id)
    rows = rows_of_unit(session, unit_id)
    if any(r.code == data.code for r in rows):
        raise ConflictError(
            f"事项编码 {data.code} 已用于本单位的事项清单；如要修改已公布的事项，请起草新版本",
            "code",
        )
    _check_name_free(rows, data.code, data.name)
    now = datetime.now(UTC)
    row = CatalogueItemRow(
        unit_id=unit_id,
        code=data.code,
        revision=1,
        name=data.name,
        legal_basis=data.legal_basis,
        level=str(data.level),
        category=str(data.category),
        offsite=data.offsite,
        industries=list(data.industries),
        documents=data.documents,
        state=str(ItemState.DRAFT),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    _flush_or_conflict(session, f"事项编码 {data.code} 刚被他人用于本单位的事项清单", "code")
    assert row.id is not None
    record(
        session, actor, "catalogue.add", "catalogue_item", row.id, None, snapshot(item_public(row))
    )
    return row


def add_item(
    session: Session, actor: Actor, unit_id: str, data: CatalogueItemCreate
) -> CatalogueItemPublic:
    """Store a new item of the unit's catalogue as a draft.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
        ConflictError: the code or the name is taken in the unit.
    """
    row = add_draft(session, actor, unit_id, data)
    session.commit()
    return item_public(row)


def update_draft(
    session: Session, actor: Actor, row: CatalogueItemRow, patch: CatalogueItemPatch
) -> CatalogueItemRow:
    """Apply changes to a draft in the caller's transaction, audited (no commit).

    Raises:
        ForbiddenError: a unit key naming another unit.
        ConflictError: it is not a draft (field ``state``), or its new name is taken.
    """
    check_acts_for_unit(actor, row.unit_id, WHAT)
    if row.state != ItemState.DRAFT:
        raise ConflictError(
            f"事项“{row.name}”（编码 {row.code}）已公布，不能直接修改；请起草新版本", "state"
        )
    changes = patch.model_dump(exclude_none=True)
    if not changes:
        return row
    if "name" in changes:
        _check_name_free(rows_of_unit(session, row.unit_id), row.code, changes["name"])
    before = snapshot(item_public(row))
    for field, value in changes.items():
        setattr(row, field, str(value) if field in ("level", "category") else value)
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    assert row.id is not None
    record(
        session,
        actor,
        "catalogue.edit",
        "catalogue_item",
        row.id,
        before,
        snapshot(item_public(row)),
    )
    return row


def edit_draft(
    session: Session, actor: Actor, item_id: int, patch: CatalogueItemPatch
) -> CatalogueItemPublic:
    """Change a draft item.

    Raises:
        NotFoundError: no item has this id, or it is another unit's.
        ConflictError: it is published or retired, or its new name is taken.
    """
    row = update_draft(session, actor, visible_item(session, actor, item_id), patch)
    session.commit()
    return item_public(row)


def revise_item(
    session: Session, actor: Actor, item_id: int, patch: CatalogueItemPatch | None = None
) -> CatalogueItemPublic:
    """Draft the next revision of a published item (same code, revision + 1), with changes.

    The published revision stays in effect until an edition publishes the new one.

    Raises:
        NotFoundError: no item has this id, or it is another unit's.
        ConflictError: it is a draft or retired, or a draft of its code exists already.
    """
    revision = draft_revision(session, actor, visible_item(session, actor, item_id), patch)
    session.commit()
    return item_public(revision)


def draft_revision(
    session: Session, actor: Actor, row: CatalogueItemRow, patch: CatalogueItemPatch | None
) -> CatalogueItemRow:
    """Draft the next revision of a published item in the caller's transaction, audited
    (no commit); see :func:`revise_item`.

    Raises:
        ForbiddenError: a unit key naming another unit.
        ConflictError: it is a draft or retired, or a draft of its code exists already.
    """
    check_acts_for_unit(actor, row.unit_id, WHAT)
    if row.state != ItemState.PUBLISHED:
        state = "是草稿，可直接修改" if row.state == ItemState.DRAFT else "已停用，不能起草新版本"
        raise ConflictError(f"事项“{row.name}”（编码 {row.code}）{state}", "state")
    rows = [r for r in rows_of_unit(session, row.unit_id) if r.code == row.code]
    draft = next((r for r in rows if r.state == ItemState.DRAFT), None)
    if draft is not None:
        raise ConflictError(
            f"事项“{row.name}”（编码 {row.code}）已有第 {draft.revision} 版草稿，请修改该草稿",
            "code",
        )
    now = datetime.now(UTC)
    revision = CatalogueItemRow(
        unit_id=row.unit_id,
        code=row.code,
        revision=max(r.revision for r in rows) + 1,
        name=row.name,
        legal_basis=row.legal_basis,
        level=row.level,
        category=row.category,
        offsite=row.offsite,
        industries=list(row.industries),
        documents=row.documents,
        state=str(ItemState.DRAFT),
        created_at=now,
        updated_at=now,
    )
    changes = (patch or CatalogueItemPatch()).model_dump(exclude_none=True)
    if "name" in changes:
        _check_name_free(rows_of_unit(session, row.unit_id), row.code, changes["name"])
    for field, value in changes.items():
        setattr(revision, field, str(value) if field in ("level", "category") else value)
    session.add(revision)
    _flush_or_conflict(
        session, f"事项编码 {row.code} 的新版本刚被他人起草，请刷新后修改该草稿", "code"
    )
    assert revision.id is not None
    record(
        session,
        actor,
        "catalogue.revise",
        "catalogue_item",
        revision.id,
        snapshot(item_public(row)),
        snapshot(item_public(revision)),
    )
    return revision


def publish_catalogue(
    session: Session, actor: Actor, unit_id: str, request: PublishRequest
) -> CatalogueEditionDetail:
    """Publish every draft of the unit as its next edition (1, 2, ...), in effect from a date.

    A new revision replaces the one before it: that one is retired on the edition's
    effective date.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
        ConflictError: the unit has no drafts.
        InvalidInputError: the date is before the previous edition's (``effective_from``).
    """
    check_acts_for_unit(actor, unit_id, WHAT)
    known_unit(session, unit_id)
    day = request.effective_from
    previous = latest_edition(session, unit_id)
    if previous is not None and day < previous.effective_from:
        raise InvalidInputError(
            f"施行日期 {day} 早于上一版（第 {previous.edition} 版）的施行日期 "
            f"{previous.effective_from}",
            "effective_from",
        )
    rows = rows_of_unit(session, unit_id)
    drafts = [r for r in rows if r.state == ItemState.DRAFT]
    if not drafts:
        raise ConflictError("本单位的事项清单没有待公布的草稿", "unit_id")
    edition = 1 if previous is None else previous.edition + 1
    now = datetime.now(UTC)
    changes: list[Change] = []
    draft_codes = {d.code for d in drafts}
    for old in rows:
        if old.code in draft_codes and old.state == ItemState.PUBLISHED:
            before = snapshot(item_public(old))
            old.state = str(ItemState.RETIRED)
            old.retired_on = day if old.retired_on is None else min(old.retired_on, day)
            old.updated_at = now
            session.add(old)
            assert old.id is not None
            changes.append(
                Change(
                    "catalogue.replace",
                    "catalogue_item",
                    old.id,
                    before,
                    snapshot(item_public(old)),
                )
            )
    for draft in drafts:
        before = snapshot(item_public(draft))
        draft.state = str(ItemState.PUBLISHED)
        draft.edition = edition
        draft.effective_from = day
        draft.updated_at = now
        session.add(draft)
        assert draft.id is not None
        changes.append(
            Change(
                "catalogue.publish",
                "catalogue_item",
                draft.id,
                before,
                snapshot(item_public(draft)),
            )
        )
    session.flush()
    counted = sum(1 for r in rows if in_effect(r, day))
    edition_row = CatalogueEditionRow(
        unit_id=unit_id,
        edition=edition,
        effective_from=day,
        published_at=now,
        published_by=actor.label,
        items=counted,
    )
    session.add(edition_row)
    _flush_or_conflict(session, f"第 {edition} 版事项清单刚被他人公布，请刷新后查看", "unit_id")
    detail = CatalogueEditionDetail(
        **edition_public(edition_row).model_dump(),
        published=[item_public(d) for d in drafts],
    )
    changes.append(
        Change(
            "catalogue.edition",
            "catalogue_edition",
            f"{unit_id}/{edition}",
            None,
            snapshot(edition_public(edition_row)),
        )
    )
    record_many(session, actor, changes)
    session.commit()
    return detail


def retire_item(
    session: Session, actor: Actor, item_id: int, request: RetireRequest
) -> CatalogueItemPublic:
    """Retire a published item from a date on; it stays on record (never deleted).

    Raises:
        NotFoundError: no item has this id, or it is another unit's.
        ConflictError: it is a draft, or retired already (field ``state``).
        InvalidInputError: the date is before the item took effect (``retired_on``).
    """
    row = visible_item(session, actor, item_id)
    check_acts_for_unit(actor, row.unit_id, WHAT)
    named = f"事项“{row.name}”（编码 {row.code}，第 {row.revision} 版）"
    if row.state != ItemState.PUBLISHED:
        state = (
            "是草稿，尚未公布" if row.state == ItemState.DRAFT else f"已于 {row.retired_on} 停用"
        )
        raise ConflictError(f"{named}{state}，不能停用", "state")
    assert row.effective_from is not None
    if request.retired_on < row.effective_from:
        raise InvalidInputError(
            f"停用日期 {request.retired_on} 早于{named}的施行日期 {row.effective_from}",
            "retired_on",
        )
    before = snapshot(item_public(row))
    row.state = str(ItemState.RETIRED)
    row.retired_on = request.retired_on
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "catalogue.retire",
        "catalogue_item",
        item_id,
        before,
        snapshot(item_public(row)),
    )
    session.commit()
    return item_public(row)
