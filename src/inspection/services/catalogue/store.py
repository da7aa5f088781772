"""Reading a unit's catalogue rows, and the rows as clients see them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlmodel import Session, col, select

from inspection.db import prebuilt, repository
from inspection.db.tables import CatalogueEditionRow, CatalogueItemRow
from inspection.errors import NotFoundError
from inspection.services.access import Actor, may_see_unit_record
from inspection.services.catalogue.models import (
    CatalogueEditionPublic,
    CatalogueItemPublic,
    ItemCategory,
    ItemLevel,
    ItemState,
)

__all__ = [
    "edition_public",
    "editions_of",
    "in_effect",
    "item_public",
    "items_of_units",
    "known_unit",
    "latest_edition",
    "rows_of_unit",
    "units_with_editions",
    "visible_item",
]


def item_public(row: CatalogueItemRow) -> CatalogueItemPublic:
    """A stored revision as clients see it."""
    assert row.id is not None
    return CatalogueItemPublic(
        id=row.id,
        unit_id=row.unit_id,
        code=row.code,
        revision=row.revision,
        name=row.name,
        legal_basis=row.legal_basis,
        level=ItemLevel(row.level),
        category=ItemCategory(row.category),
        offsite=row.offsite,
        industries=list(row.industries),
        documents=row.documents,
        state=ItemState(row.state),
        edition=row.edition,
        effective_from=row.effective_from,
        retired_on=row.retired_on,
    )


def edition_public(row: CatalogueEditionRow) -> CatalogueEditionPublic:
    """A stored edition as clients see it."""
    return CatalogueEditionPublic(
        unit_id=row.unit_id,
        edition=row.edition,
        effective_from=row.effective_from,
        published_at=row.published_at,
        published_by=row.published_by,
        items=row.items,
    )


def in_effect(row: CatalogueItemRow, day: date) -> bool:
    """Whether a revision is published and in effect on a day: effective by then, not
    retired on or before it."""
    return (
        row.state != ItemState.DRAFT
        and row.effective_from is not None
        and row.effective_from <= day
        and (row.retired_on is None or row.retired_on > day)
    )


def known_unit(session: Session, unit_id: str) -> None:
    """Raises NotFoundError (field ``unit_id``) when no unit has this id."""
    if repository.get_unit(session, unit_id) is None:
        raise NotFoundError(f"执法单位 {unit_id} 不存在", "unit_id")


def rows_of_unit(session: Session, unit_id: str) -> list[CatalogueItemRow]:
    """Every revision of the unit's items, by code then revision."""
    query = (
        select(CatalogueItemRow)
        .where(CatalogueItemRow.unit_id == unit_id)
        .order_by(col(CatalogueItemRow.code), col(CatalogueItemRow.revision))
    )
    return list(session.exec(query))


def items_of_units(session: Session, unit_ids: Collection[str]) -> list[CatalogueItemRow]:
    """Every revision of the items of these units (one query)."""
    if not unit_ids:
        return []
    query = select(CatalogueItemRow).where(col(CatalogueItemRow.unit_id).in_(sorted(unit_ids)))
    return list(session.exec(query))


def editions_of(session: Session, unit_id: str) -> list[CatalogueEditionRow]:
    """The unit's editions, oldest first."""
    query = (
        select(CatalogueEditionRow)
        .where(CatalogueEditionRow.unit_id == unit_id)
        .order_by(col(CatalogueEditionRow.edition))
    )
    return list(session.exec(query))


def latest_edition(session: Session, unit_id: str) -> CatalogueEditionRow | None:
    """The unit's newest edition, if it published any."""
    editions = editions_of(session, unit_id)
    return editions[-1] if editions else None


def units_with_editions(session: Session, unit_ids: Collection[str]) -> set[str]:
    """Which of these units have published at least one edition (the rule applies to them)."""
    return prebuilt.units_with_editions(session, unit_ids)  # read by every submission


def visible_item(session: Session, actor: Actor, item_id: int) -> CatalogueItemRow:
    """The revision if the actor may see it; another unit's is as good as absent (404)."""
    row = session.get(CatalogueItemRow, item_id)
    if row is None or not may_see_unit_record(actor, row.unit_id):
        raise NotFoundError(f"检查事项 {item_id} 不存在", "id")
    return row
