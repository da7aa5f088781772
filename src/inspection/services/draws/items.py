"""A participating unit's items: a catalogue code resolved to its name and legal basis."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from inspection.errors import InvalidInputError
from inspection.services.catalogue.checks import resolve_items
from inspection.services.catalogue.store import in_effect, items_of_units
from inspection.services.checklists.models import ChecklistCreate, ChecklistItemIn
from inspection.services.draws.models import DrawUnitIn

__all__ = ["checklist_item_ids", "resolve_unit_items"]


def resolve_unit_items(
    session: Session, unit: DrawUnitIn, earliest: date, where: str
) -> tuple[list[ChecklistItemIn], list[int | None]]:
    """The unit's items as its checklist carries them, and the catalogue revisions they use.

    An item given by its code takes the name and legal basis of the revision in effect on
    the window's first day; the items are then held to the unit's catalogue as a
    checklist's are.

    Raises:
        InvalidInputError: a code not in the unit's catalogue, or an item the catalogue
            refuses (field ``<where>.items[i]...``).
    """
    rows = items_of_units(session, [unit.unit_id])
    items: list[ChecklistItemIn] = []
    for index, item in enumerate(unit.items):
        name, legal_basis = item.name, item.legal_basis
        if item.code is not None and (name is None or legal_basis is None):
            effective = [r for r in rows if r.code == item.code and in_effect(r, earliest)]
            if not effective:
                raise InvalidInputError(
                    f"事项编码 {item.code} 不在本单位 {earliest} 施行的检查事项清单中",
                    f"{where}.items[{index}].code",
                )
            revision = max(effective, key=lambda r: r.revision)
            name = name or revision.name
            legal_basis = legal_basis or revision.legal_basis
        assert name is not None
        assert legal_basis is not None
        items.append(ChecklistItemIn(name=name, legal_basis=legal_basis, code=item.code))
    try:
        ids = resolve_items(session, unit.unit_id, earliest, items, unit.onsite_reason)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.detail, f"{where}.{exc.field}") from exc
    return items, ids


def checklist_item_ids(session: Session, data: ChecklistCreate, where: str) -> list[int | None]:
    """The catalogue revisions a drawn checklist's items use, held to the catalogue again
    (it may have changed since the draw was committed).

    Raises:
        InvalidInputError: an item the catalogue now refuses (field ``<where>.items[i]...``).
    """
    try:
        return resolve_items(session, data.unit_id, data.earliest, data.items, data.onsite_reason)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.detail, f"{where}.{exc.field}") from exc
