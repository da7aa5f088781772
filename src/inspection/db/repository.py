"""Repository functions: read and write rows in a session the caller owns.

They flush so that ids and constraint errors show up at once, and never
commit: the service layer decides what one transaction is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, bindparam, insert, literal, union_all, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from inspection.db import prebuilt
from inspection.db.regions import default_region_id
from inspection.db.tables import (
    ChecklistItemRow,
    ChecklistRow,
    EnterpriseRow,
    RequestRow,
    UnitRow,
)

_T = TypeVar("_T")

__all__ = [
    "KnownReferences",
    "NewChecklist",
    "add_checklist",
    "add_checklists",
    "add_enterprise",
    "add_unit",
    "checklist_items",
    "checklist_requests",
    "checklists_by_reference",
    "claim_checklist_version",
    "existing_enterprises",
    "existing_units",
    "get_checklist",
    "get_checklist_by_reference",
    "get_enterprise",
    "get_unit",
    "insert_checklist",
    "items_of_checklists",
    "known_references",
    "list_checklists",
    "replace_checklist_content",
    "targets_of_checklists",
]


_CHUNK = 1000  # values per IN (...) list: well inside every driver's limit on parameters


def _chunks(values: Sequence[_T]) -> list[Sequence[_T]]:
    return [values[start : start + _CHUNK] for start in range(0, len(values), _CHUNK)]


# Core statements of the submission path, built once (building them is most of their cost)
_TABLES = SQLModel.metadata.tables
_KNOWN_REFERENCES = union_all(
    sa_select(literal("unit"), _TABLES["units"].c.id).where(
        _TABLES["units"].c.id == bindparam("unit_id")
    ),
    sa_select(literal("enterprise"), _TABLES["enterprises"].c.credit_code).where(
        _TABLES["enterprises"].c.credit_code.in_(bindparam("codes", expanding=True))
    ),
    # whether the unit's catalogue rule applies (it has published an edition): asked here
    # so that a submission's checks of what it names cost one round trip, not two
    sa_select(literal("edition"), _TABLES["catalogue_editions"].c.unit_id)
    .where(_TABLES["catalogue_editions"].c.unit_id == bindparam("unit_id"))
    .group_by(_TABLES["catalogue_editions"].c.unit_id),
)
_INSERT_CHECKLIST = insert(_TABLES["checklists"])
_INSERT_ITEMS = insert(_TABLES["checklist_items"])
_INSERT_REQUESTS = insert(_TABLES["requests"])
_CHECKLIST_COLUMNS = tuple(c.name for c in _TABLES["checklists"].columns if c.name != "id")


def add_unit(session: Session, unit: UnitRow) -> UnitRow:
    """Insert a unit (in the default region unless it names one)."""
    if unit.region_id is None:
        unit.region_id = default_region_id(session)
    session.add(unit)
    session.flush()
    return unit


def get_unit(session: Session, unit_id: str) -> UnitRow | None:
    """The unit with this id, if any."""
    return session.get(UnitRow, unit_id)


def add_enterprise(session: Session, enterprise: EnterpriseRow) -> EnterpriseRow:
    """Insert an enterprise (in the default region unless it names one)."""
    if enterprise.region_id is None:
        enterprise.region_id = default_region_id(session)
    session.add(enterprise)
    session.flush()
    return enterprise


def get_enterprise(session: Session, credit_code: str) -> EnterpriseRow | None:
    """The enterprise with this credit code, if any."""
    return session.get(EnterpriseRow, credit_code)


@dataclass(frozen=True)
class KnownReferences:
    """What the database knows of the unit and the enterprises a checklist names."""

    unit_known: bool
    credit_codes: set[str]
    """Those of the credit codes that name an enterprise."""
    catalogue_enforced: bool
    """Whether the unit has published a catalogue edition (its items must come from it)."""


def known_references(
    session: Session, unit_id: str, credit_codes: Sequence[str]
) -> KnownReferences:
    """Whether the unit exists and has published a catalogue edition, and which of the
    credit codes name an enterprise (one query)."""
    found = session.connection().execute(
        _KNOWN_REFERENCES, {"unit_id": unit_id, "codes": sorted(set(credit_codes))}
    )
    unit_known, enforced, codes = False, False, set()
    for kind, key in found:
        if kind == "unit":
            unit_known = True
        elif kind == "edition":
            enforced = True
        else:
            codes.add(key)
    return KnownReferences(unit_known, codes, enforced)


@dataclass(frozen=True)
class NewChecklist:
    """A checklist to insert: its row's values (all but the id), items and targets."""

    values: dict[str, object]
    items: Sequence[tuple[str, str]]
    targets: Sequence[str]


def add_checklists(session: Session, checklists: Sequence[NewChecklist]) -> list[int]:
    """Insert many checklists with their items and requests; their new ids, in order.

    Three statements in all (each an executemany, the first returning the ids in the
    order given), whatever the number of checklists: an import of thousands.

    Raises:
        sqlalchemy.exc.IntegrityError: a duplicate target, a reference the unit used,
            or an unknown unit/enterprise.
    """
    if not checklists:
        return []
    session.flush()
    connection = session.connection()
    table = _TABLES["checklists"]
    inserted = connection.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [dict(c.values) for c in checklists],
    )
    ids = [int(row[0]) for row in inserted]
    items = [
        {"checklist_id": checklist_id, "position": position, "name": name, "legal_basis": basis}
        for checklist_id, checklist in zip(ids, checklists, strict=True)
        for position, (name, basis) in enumerate(checklist.items)
    ]
    requests = [
        {"checklist_id": checklist_id, "credit_code": code, "position": position, "active": True}
        for checklist_id, checklist in zip(ids, checklists, strict=True)
        for position, code in enumerate(checklist.targets)
    ]
    if items:
        connection.execute(_INSERT_ITEMS, items)
    if requests:
        connection.execute(_INSERT_REQUESTS, requests)
    return ids


def add_checklist(
    session: Session,
    checklist: ChecklistRow,
    items: Sequence[tuple[str, str]],
    targets: Sequence[str],
) -> ChecklistRow:
    """Insert a checklist with its items (name, legal basis) and one request per target
    (see :func:`insert_checklist`). The checklist is returned with its id set; it is not
    added to the session.

    Raises:
        sqlalchemy.exc.IntegrityError: a duplicate target or an unknown unit/enterprise.
    """
    values = {name: getattr(checklist, name) for name in _CHECKLIST_COLUMNS}
    checklist.id = insert_checklist(session, NewChecklist(values, items, targets))
    return checklist


def insert_checklist(session: Session, new: NewChecklist) -> int:
    """Insert a checklist with its items and one request per target; its id.

    Three Core INSERTs (the items and requests as one executemany each; on PostgreSQL
    one statement), not ORM objects: this is the hot path of submission.

    Raises:
        sqlalchemy.exc.IntegrityError: a duplicate target or an unknown unit/enterprise.
    """
    session.flush()  # whatever the caller added first (its unit, its enterprises)
    connection = session.connection()
    items, targets = new.items, new.targets
    if connection.dialect.name == "postgresql":  # one round trip instead of three
        return prebuilt.insert_checklist_on_postgresql(connection, new.values, items, targets)
    inserted = connection.execute(_INSERT_CHECKLIST, new.values).inserted_primary_key
    assert inserted is not None
    checklist_id = int(inserted[0])
    if items:
        connection.execute(
            _INSERT_ITEMS,
            [
                {
                    "checklist_id": checklist_id,
                    "position": position,
                    "name": name,
                    "legal_basis": legal_basis,
                }
                for position, (name, legal_basis) in enumerate(items)
            ],
        )
    if targets:
        connection.execute(
            _INSERT_REQUESTS,
            [
                {
                    "checklist_id": checklist_id,
                    "credit_code": credit_code,
                    "position": position,
                    "active": True,
                }
                for position, credit_code in enumerate(targets)
            ],
        )
    return checklist_id


def replace_checklist_content(
    session: Session,
    checklist: ChecklistRow,
    items: Sequence[tuple[str, str]],
    targets: Sequence[str],
) -> None:
    """Replace a checklist's items and targets.

    A target kept keeps its request (and id); a dropped one is deactivated, not
    deleted, because draft plans may name it; a new one gets a new request.
    """
    assert checklist.id is not None
    for item in checklist_items(session, checklist.id):
        session.delete(item)
    session.flush()
    for position, (name, legal_basis) in enumerate(items):
        session.add(
            ChecklistItemRow(
                checklist_id=checklist.id, position=position, name=name, legal_basis=legal_basis
            )
        )
    existing = {
        r.credit_code: r for r in checklist_requests(session, checklist.id, include_inactive=True)
    }
    wanted = {code: position for position, code in enumerate(targets)}
    for code, request in existing.items():
        request.active = code in wanted
        request.position = wanted.get(code, request.position)
        session.add(request)
    for code, position in wanted.items():
        if code not in existing:
            session.add(RequestRow(checklist_id=checklist.id, credit_code=code, position=position))
    session.flush()


def get_checklist(session: Session, checklist_id: int) -> ChecklistRow | None:
    """The checklist with this id, if any."""
    return session.get(ChecklistRow, checklist_id)


def get_checklist_by_reference(
    session: Session, unit_id: str, reference: str
) -> ChecklistRow | None:
    """The unit's checklist with this reference number (its 清单编号), if any."""
    query = (
        select(ChecklistRow)
        .where(ChecklistRow.unit_id == unit_id)
        .where(ChecklistRow.reference == reference)
    )
    return session.exec(query).first()


def checklist_items(session: Session, checklist_id: int) -> list[ChecklistItemRow]:
    """A checklist's items in their order."""
    query = (
        select(ChecklistItemRow)
        .where(ChecklistItemRow.checklist_id == checklist_id)
        .order_by(col(ChecklistItemRow.position))
    )
    return list(session.exec(query))


def checklist_requests(
    session: Session, checklist_id: int, include_inactive: bool = False
) -> list[RequestRow]:
    """A checklist's requests, one per target enterprise, in the targets' order."""
    query = select(RequestRow).where(RequestRow.checklist_id == checklist_id)
    if not include_inactive:
        query = query.where(col(RequestRow.active))
    return list(session.exec(query.order_by(col(RequestRow.position), col(RequestRow.id))))


def list_checklists(
    session: Session,
    unit_id: str | None = None,
    status: str | None = None,
    window_from: date | None = None,
    window_to: date | None = None,
) -> list[ChecklistRow]:
    """Checklists, newest first, optionally of one unit, one status, windows meeting a range."""
    query = select(ChecklistRow)
    if unit_id is not None:
        query = query.where(ChecklistRow.unit_id == unit_id)
    if status is not None:
        query = query.where(ChecklistRow.status == status)
    if window_from is not None:
        query = query.where(ChecklistRow.latest >= window_from)
    if window_to is not None:
        query = query.where(ChecklistRow.earliest <= window_to)
    return list(session.exec(query.order_by(col(ChecklistRow.id).desc())))


def existing_units(session: Session, unit_ids: set[str]) -> set[str]:
    """Which of these unit ids name a unit."""
    found: set[str] = set()
    for chunk in _chunks(sorted(unit_ids)):
        found.update(session.exec(select(UnitRow.id).where(col(UnitRow.id).in_(chunk))))
    return found


def existing_enterprises(session: Session, credit_codes: set[str]) -> set[str]:
    """Which of these credit codes name an enterprise."""
    found: set[str] = set()
    column = col(EnterpriseRow.credit_code)
    for chunk in _chunks(sorted(credit_codes)):
        found.update(session.exec(select(EnterpriseRow.credit_code).where(column.in_(chunk))))
    return found


def checklists_by_reference(session: Session, names: list[tuple[str, str]]) -> list[ChecklistRow]:
    """The checklists named by (unit id, reference)."""
    wanted = set(names)
    rows: list[ChecklistRow] = []
    for chunk in _chunks(sorted({reference for _, reference in names})):
        query = select(ChecklistRow).where(col(ChecklistRow.reference).in_(chunk))
        rows += [r for r in session.exec(query) if (r.unit_id, r.reference) in wanted]
    return rows


def items_of_checklists(
    session: Session, checklist_ids: list[int]
) -> dict[int, list[tuple[str, str]]]:
    """Checklist id to its items (name, legal basis) in their order."""
    items: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in _chunks(checklist_ids):
        query = (
            select(
                ChecklistItemRow.checklist_id, ChecklistItemRow.name, ChecklistItemRow.legal_basis
            )
            .where(col(ChecklistItemRow.checklist_id).in_(chunk))
            .order_by(col(ChecklistItemRow.checklist_id), col(ChecklistItemRow.position))
        )
        for checklist_id, name, basis in session.exec(query):
            items[checklist_id].append((name, basis))
    return items


def targets_of_checklists(session: Session, checklist_ids: list[int]) -> dict[int, list[str]]:
    """Checklist id to its active targets' credit codes, in the targets' order."""
    targets: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(checklist_ids):
        query = (
            select(RequestRow.checklist_id, RequestRow.credit_code)
            .where(col(RequestRow.checklist_id).in_(chunk))
            .where(col(RequestRow.active))
            .order_by(col(RequestRow.checklist_id), col(RequestRow.position), col(RequestRow.id))
        )
        for checklist_id, credit_code in session.exec(query):
            targets[checklist_id].append(credit_code)
    return targets


def claim_checklist_version(
    session: Session, checklist_id: int, read_version: int, **values: object
) -> bool:
    """Move a checklist from `read_version` to the next one, setting `values` too, in one
    conditional UPDATE (``WHERE id = :id AND version = :read_version``).

    False when it is no longer at that version: another change committed first. On
    PostgreSQL a change still running holds the row, and this waits for it and then
    re-checks the version; on SQLite writers run one at a time. The checklist row in
    the session takes the new values.
    """
    moved = session.execute(
        update(ChecklistRow)
        .where(col(ChecklistRow.id) == checklist_id, col(ChecklistRow.version) == read_version)
        .values(version=col(ChecklistRow.version) + 1, **values)
        .execution_options(synchronize_session="evaluate")
    )
    return cast(CursorResult[Any], moved).rowcount == 1
