"""Reading a unit's item catalogue: its items as of a day, its editions."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from inspection.db.tables import CatalogueEditionRow
from inspection.errors import NotFoundError
from inspection.services.access import Actor, check_acts_for_unit
from inspection.services.catalogue.models import (
    CatalogueEditionDetail,
    CatalogueEditionPublic,
    CatalogueItemPublic,
    CatalogueListing,
    ItemState,
)
from inspection.services.catalogue.store import (
    edition_public,
    editions_of,
    item_public,
    known_unit,
    rows_of_unit,
)

__all__ = ["get_edition", "list_catalogue", "list_editions"]

_READ = "查看检查事项清单"


def list_catalogue(
    session: Session,
    actor: Actor,
    unit_id: str,
    on: date | None = None,
    include_retired: bool = False,
    include_drafts: bool = False,
) -> CatalogueListing:
    """A unit's catalogue: the items published and not retired by `on` (today by default:
    those in effect and those an edition put in effect later), with the retired ones and
    the drafts when asked; and its editions.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
    """
    check_acts_for_unit(actor, unit_id, _READ)
    known_unit(session, unit_id)
    day = on or date.today()
    items: list[CatalogueItemPublic] = []
    for row in rows_of_unit(session, unit_id):
        retired = row.retired_on is not None and row.retired_on <= day
        shown = include_retired or not retired
        if include_drafts if row.state == ItemState.DRAFT else shown:
            items.append(item_public(row))
    editions = [edition_public(e) for e in editions_of(session, unit_id)]
    return CatalogueListing(unit_id=unit_id, on=day, items=items, editions=editions)


def list_editions(session: Session, actor: Actor, unit_id: str) -> list[CatalogueEditionPublic]:
    """The unit's editions, oldest first.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
    """
    check_acts_for_unit(actor, unit_id, _READ)
    known_unit(session, unit_id)
    return [edition_public(e) for e in editions_of(session, unit_id)]


def get_edition(
    session: Session, actor: Actor, unit_id: str, edition: int
) -> CatalogueEditionDetail:
    """One edition of the unit's catalogue with the revisions it published.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id, or the unit has no such edition.
    """
    check_acts_for_unit(actor, unit_id, _READ)
    known_unit(session, unit_id)
    row = session.get(CatalogueEditionRow, (unit_id, edition))
    if row is None:
        raise NotFoundError(f"执法单位 {unit_id} 的事项清单没有第 {edition} 版", "edition")
    published = [item_public(r) for r in rows_of_unit(session, unit_id) if r.edition == edition]
    return CatalogueEditionDetail(**edition_public(row).model_dump(), published=published)
