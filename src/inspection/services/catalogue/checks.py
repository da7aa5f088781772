"""The checklist rule: a checklist uses only its own unit's published items in effect.

A unit that has published at least one edition of its catalogue is held to it: each
item of its checklists must name (by its name, and optionally its `code`) an item of
the unit's catalogue in effect on the checklist's first day (effective by then, not
retired on or before it), with the catalogue's legal basis; when an item is marked
checkable off-site (书面核查/信息共享), the checklist must state why it still needs a
site visit (`onsite_reason`). A unit that has never published an edition keeps the
behaviour from before the catalogue (any item, any legal basis): units adopt the
catalogue one by one.

Both the API (:func:`resolve_items`, raising the first problem) and the spreadsheet
import (:class:`CatalogueBook`, listing every problem) call it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from inspection.db.tables import CatalogueItemRow, ChecklistItemRow
from inspection.errors import InvalidInputError
from inspection.services.catalogue.models import ItemState
from inspection.services.catalogue.store import in_effect, items_of_units, units_with_editions

__all__ = [
    "CatalogueBook",
    "ItemProblem",
    "NamedItem",
    "Resolution",
    "link_items",
    "resolve_items",
]


class NamedItem(Protocol):
    """A checklist's item as it names a catalogue item."""

    @property
    def name(self) -> str: ...

    @property
    def legal_basis(self) -> str: ...

    @property
    def code(self) -> str | None: ...


@dataclass(frozen=True)
class ItemProblem:
    """Why a checklist's item (or the checklist) breaks the rule.

    Attributes:
        index: The item's place in the checklist; None for the checklist itself.
        field: The field named: ``items[i].name``, ``items[i].legal_basis``,
            ``items[i].code`` or ``onsite_reason``.
        problem: A Chinese sentence naming the item.
    """

    index: int | None
    field: str
    problem: str


@dataclass(frozen=True)
class Resolution:
    """What the catalogue says of a checklist's items.

    Attributes:
        item_ids: The catalogue revision each item uses (None: the unit has no catalogue).
        problems: What breaks the rule (empty: the checklist may be stored).
    """

    item_ids: list[int | None]
    problems: list[ItemProblem] = field(default_factory=list)


def _named(row: CatalogueItemRow) -> str:
    return f"事项“{row.name}”（编码 {row.code}）"


@dataclass
class CatalogueBook:
    """The catalogues of some units, read once, to check many checklists against."""

    session: Session
    rows: dict[str, list[CatalogueItemRow]]
    enforced: set[str]

    @classmethod
    def load(
        cls, session: Session, unit_ids: Collection[str], enforced: set[str] | None = None
    ) -> CatalogueBook:
        """Read the catalogues of these units (two queries; one when none has published an
        edition: only the items of units the rule applies to are ever looked at; none then
        when the caller knows which have published one: `enforced`)."""
        if enforced is None:
            enforced = units_with_editions(session, unit_ids)
        rows: dict[str, list[CatalogueItemRow]] = defaultdict(list)
        for row in items_of_units(session, enforced):
            rows[row.unit_id].append(row)
        return cls(session, rows=dict(rows), enforced=enforced)

    def _others(self, unit_id: str, name: str) -> str | None:
        """Another unit whose published catalogue has an item of this name, if any."""
        query = (
            select(CatalogueItemRow.unit_id)
            .where(CatalogueItemRow.name == name)
            .where(CatalogueItemRow.unit_id != unit_id)
            .where(CatalogueItemRow.state != str(ItemState.DRAFT))
            .order_by(col(CatalogueItemRow.unit_id))
            .limit(1)
        )
        return self.session.exec(query).first()

    def _find(
        self, unit_id: str, earliest: date, index: int, item: NamedItem
    ) -> tuple[CatalogueItemRow | None, ItemProblem | None]:
        """The revision the item uses, or why there is none."""
        rows = self.rows.get(unit_id, [])
        where = f"items[{index}]"
        code = item.code
        if code is not None:
            candidates = [r for r in rows if r.code == code]
            if not candidates:
                return None, ItemProblem(
                    index, f"{where}.code", f"事项编码 {code} 不在本单位的检查事项清单中"
                )
            named = [r for r in candidates if r.name == item.name]
            if not named:
                current = max(candidates, key=lambda r: r.revision)
                return None, ItemProblem(
                    index,
                    f"{where}.name",
                    f"事项“{item.name}”与事项编码 {code} 的事项名称“{current.name}”不符",
                )
            candidates = named
        else:
            candidates = [r for r in rows if r.name == item.name]
        effective = [r for r in candidates if in_effect(r, earliest)]
        if effective:
            return max(effective, key=lambda r: r.revision), None
        field_name = f"{where}.name"
        if not candidates:
            other = self._others(unit_id, item.name)
            if other is not None:
                problem = (
                    f"事项“{item.name}”属于其他单位（{other}）的检查事项清单，"
                    "只能使用本单位已公布的事项"
                )
            else:
                problem = f"事项“{item.name}”不在本单位已公布的检查事项清单中"
            return None, ItemProblem(index, field_name, problem)
        published = [r for r in candidates if r.state != ItemState.DRAFT]
        if not published:
            problem = f"{_named(candidates[0])}尚未公布，不能用于检查清单"
        else:
            latest = max(published, key=lambda r: r.revision)
            assert latest.effective_from is not None
            if latest.effective_from > earliest:
                problem = (
                    f"{_named(latest)}自 {latest.effective_from} 起施行，"
                    f"检查清单的最早日期 {earliest} 在此之前"
                )
            else:
                problem = f"{_named(latest)}已于 {latest.retired_on} 停用，不能用于检查清单"
        return None, ItemProblem(index, field_name, problem)

    def resolve(
        self,
        unit_id: str,
        earliest: date,
        items: Sequence[NamedItem],
        onsite_reason: str | None,
    ) -> Resolution:
        """What the unit's catalogue says of a checklist's items: the revisions they use,
        or every problem (none for a unit without a published edition)."""
        if unit_id not in self.enforced:
            return Resolution(item_ids=[None] * len(items))
        ids: list[int | None] = []
        problems: list[ItemProblem] = []
        offsite: list[CatalogueItemRow] = []
        for index, item in enumerate(items):
            row, problem = self._find(unit_id, earliest, index, item)
            if problem is not None:
                problems.append(problem)
                ids.append(None)
                continue
            assert row is not None
            ids.append(row.id)
            if item.legal_basis != row.legal_basis:
                problems.append(
                    ItemProblem(
                        index,
                        f"items[{index}].legal_basis",
                        f"{_named(row)}的法律依据应为检查事项清单中的“{row.legal_basis}”，"
                        f"而不是“{item.legal_basis}”",
                    )
                )
            if row.offsite:
                offsite.append(row)
        if offsite and not (onsite_reason or "").strip():
            names = "、".join(_named(r) for r in offsite)
            problems.append(
                ItemProblem(
                    None,
                    "onsite_reason",
                    f"{names}可书面核查或通过信息共享核查；确需现场检查的，请填写现场检查理由",
                )
            )
        return Resolution(item_ids=ids, problems=problems)


def resolve_items(
    session: Session,
    unit_id: str,
    earliest: date,
    items: Sequence[NamedItem],
    onsite_reason: str | None,
    enforced: bool | None = None,
) -> list[int | None]:
    """The catalogue revision each of a checklist's items uses (all None for a unit that
    has not published a catalogue edition: the rule does not apply to it yet). `enforced`:
    whether it has, when the caller has read it
    (:attr:`~inspection.db.repository.KnownReferences.catalogue_enforced`).

    Raises:
        InvalidInputError: the first problem, naming its field (``items[i].name``,
            ``items[i].legal_basis``, ``items[i].code`` or ``onsite_reason``) and the item.
    """
    known = None if enforced is None else ({unit_id} if enforced else set())
    resolution = CatalogueBook.load(session, [unit_id], known).resolve(
        unit_id, earliest, items, onsite_reason
    )
    if resolution.problems:
        first = resolution.problems[0]
        raise InvalidInputError(first.problem, first.field)
    return resolution.item_ids


def link_items(session: Session, links: Sequence[tuple[int, Sequence[int | None]]]) -> None:
    """Record which catalogue revision each item of some stored checklists uses
    (``(checklist id, ids by item position)``); positions without one are left alone."""
    values = [
        {"c": checklist_id, "p": position, "i": item_id}
        for checklist_id, item_ids in links
        for position, item_id in enumerate(item_ids)
        if item_id is not None
    ]
    if not values:
        return
    session.flush()
    table = ChecklistItemRow.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(table.c.checklist_id == bindparam("c"))
        .where(table.c.position == bindparam("p"))
        .values(catalogue_item_id=bindparam("i"))
    )
    session.connection().execute(statement, values)
