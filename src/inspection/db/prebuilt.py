"""Statements of every request's path as Core statements built once, run on the session's
connection.

A checklist submission runs a dozen statements; building an ORM `select` and running it
through the session cost about ten times what the database's answer cost (a profile of 16
clients submitting: ~0.35 ms of server CPU each, of which ~0.05 ms in the driver). These
statements are built at import and run on the session's connection (its transaction),
so each costs about the driver's part. They answer plain values, not ORM rows: the
callers build what they need from them. And on PostgreSQL a checklist, its items and its
requests are inserted by one statement instead of three.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ARRAY, Connection, Row, String, bindparam, func, insert, select, true
from sqlmodel import Session, SQLModel

import inspection.db.tables  # noqa: F401  # the tables register with the metadata

__all__ = [
    "CHECKLIST_COLUMNS",
    "active_cap_rule_rows",
    "cap_exempt_categories",
    "cap_settings_and_rules",
    "connection_for",
    "insert_checklist_on_postgresql",
    "key_by_hash",
    "units_with_editions",
]

_TABLES = SQLModel.metadata.tables


def connection_for(session: Session) -> Connection:
    """The session's connection, its pending changes flushed first as the ORM's autoflush
    would before a query (so a read sees what the transaction wrote)."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection()


_KEYS, _UNITS, _REGIONS = _TABLES["api_keys"], _TABLES["units"], _TABLES["regions"]
_KEY_BY_HASH = (
    select(
        _KEYS.c.id,
        _KEYS.c.name,
        _KEYS.c.role,
        _KEYS.c.unit_id,
        _KEYS.c.unit_head,
        _KEYS.c.officer_id,
        _KEYS.c.revoked_at,
        _REGIONS.c.path,
    )
    .select_from(
        _KEYS.outerjoin(_UNITS, _UNITS.c.id == _KEYS.c.unit_id).outerjoin(
            _REGIONS, _REGIONS.c.id == func.coalesce(_KEYS.c.region_id, _UNITS.c.region_id)
        )
    )
    .where(_KEYS.c.key_hash == bindparam("key_hash"))
)
_CAP_RULES = (
    select(
        _TABLES["cap_rules"].c.id,
        _TABLES["cap_rules"].c.unit_id,
        _TABLES["cap_rules"].c.industry,
        _TABLES["cap_rules"].c.risk_class,
        _TABLES["cap_rules"].c.yearly_limit,
        _TABLES["cap_rules"].c.basis,
    )
    .where(_TABLES["cap_rules"].c.active)
    .order_by(_TABLES["cap_rules"].c.id)
)
_CAP_EXEMPT = select(_TABLES["rule_settings"].c.cap_exempt_categories).where(
    _TABLES["rule_settings"].c.id == bindparam("settings_id")
)
# the settings' exempt kinds beside every active rule (one row, the rule's columns NULL, when
# there is none; no row without settings): a submission's two cap reads in one round trip
_CAP_SETTINGS_AND_RULES = (
    select(
        _TABLES["rule_settings"].c.cap_exempt_categories,
        *_CAP_RULES.selected_columns,
    )
    .select_from(
        _TABLES["rule_settings"].outerjoin(_TABLES["cap_rules"], _TABLES["cap_rules"].c.active)
    )
    .where(_TABLES["rule_settings"].c.id == bindparam("settings_id"))
    .order_by(_TABLES["cap_rules"].c.id)
)
_UNITS_WITH_EDITIONS = (
    select(_TABLES["catalogue_editions"].c.unit_id)
    .where(_TABLES["catalogue_editions"].c.unit_id.in_(bindparam("unit_ids", expanding=True)))
    .group_by(_TABLES["catalogue_editions"].c.unit_id)
)


def key_by_hash(session: Session, key_hash: str) -> Row[*tuple[Any, ...]] | None:
    """The key with this hash (`id, name, role, unit_id, unit_head, officer_id, revoked_at`)
    and its region's path (the key's own region, else its unit's, else None)."""
    return connection_for(session).execute(_KEY_BY_HASH, {"key_hash": key_hash}).first()


def active_cap_rule_rows(session: Session) -> Sequence[Row[*tuple[Any, ...]]]:
    """The active cap rules, oldest first: `id, unit_id, industry, risk_class,
    yearly_limit, basis`."""
    return connection_for(session).execute(_CAP_RULES).all()


def cap_exempt_categories(session: Session, settings_id: int) -> list[str] | None:
    """The rule settings' kinds of check exempt from the caps (None: no settings row)."""
    found = connection_for(session).execute(_CAP_EXEMPT, {"settings_id": settings_id}).first()
    return None if found is None else list(found[0])


def cap_settings_and_rules(
    session: Session, settings_id: int
) -> tuple[list[str], list[tuple[Any, ...]]] | None:
    """The rule settings' exempt kinds and the active cap rules, oldest first (each
    `id, unit_id, industry, risk_class, yearly_limit, basis`), in one statement; None: no
    settings row."""
    found = (
        connection_for(session).execute(_CAP_SETTINGS_AND_RULES, {"settings_id": settings_id}).all()
    )
    if not found:
        return None
    rules = [tuple(row[1:]) for row in found if row[1] is not None]
    return list(found[0][0]), rules


def units_with_editions(session: Session, unit_ids: Collection[str]) -> set[str]:
    """Which of these units have published at least one catalogue edition."""
    if not unit_ids:
        return set()
    found = connection_for(session).execute(_UNITS_WITH_EDITIONS, {"unit_ids": sorted(unit_ids)})
    return {unit_id for (unit_id,) in found}


_CHECKLISTS, _ITEMS, _REQUESTS = (
    _TABLES["checklists"],
    _TABLES["checklist_items"],
    _TABLES["requests"],
)
CHECKLIST_COLUMNS = tuple(c.name for c in _CHECKLISTS.columns if c.name != "id")
"""The columns a new checklist's insert sets (all but its id)."""


def _insert_checklist() -> Any:
    """`WITH c AS (INSERT checklist RETURNING id), i AS (INSERT items FROM unnest(...)),
    r AS (INSERT requests FROM unnest(...)) SELECT id FROM c`; positions from 0."""
    checklist = (
        insert(_CHECKLISTS)
        .values({name: bindparam(name) for name in CHECKLIST_COLUMNS})
        .returning(_CHECKLISTS.c.id)
        .cte("c")
    )
    texts = ARRAY(String)
    items = (
        func.unnest(bindparam("item_names", type_=texts), bindparam("item_bases", type_=texts))
        .table_valued("name", "legal_basis", with_ordinality="ord")
        .render_derived("n")
    )
    targets = (
        func.unnest(bindparam("targets", type_=texts))
        .table_valued("credit_code", with_ordinality="ord")
        .render_derived("t")
    )
    add_items = insert(_ITEMS).from_select(
        ["checklist_id", "position", "name", "legal_basis"],
        select(checklist.c.id, items.c.ord - 1, items.c.name, items.c.legal_basis)
        .select_from(checklist)
        .join(items, true())
        .order_by(items.c.ord),  # ids in the order of positions, as one by one
    )
    add_requests = insert(_REQUESTS).from_select(
        ["checklist_id", "credit_code", "position", "active"],
        select(checklist.c.id, targets.c.credit_code, targets.c.ord - 1, true())
        .select_from(checklist)
        .join(targets, true())
        .order_by(targets.c.ord),
    )
    return select(checklist.c.id).add_cte(add_items.cte("i"), add_requests.cte("r"))


_INSERT_CHECKLIST = _insert_checklist()


def insert_checklist_on_postgresql(
    connection: Connection,
    values: dict[str, Any],
    items: Sequence[tuple[str, str]],
    targets: Sequence[str],
) -> int:
    """Insert a checklist (`values`: :data:`CHECKLIST_COLUMNS`), its items (name, legal
    basis) and one request per target in one statement; the checklist's id.

    Raises:
        sqlalchemy.exc.IntegrityError: a duplicate target, a reference the unit used, or
            an unknown unit/enterprise (the statement stores nothing then).
    """
    found = connection.execute(
        _INSERT_CHECKLIST,
        {
            **values,
            "item_names": [name for name, _ in items],
            "item_bases": [basis for _, basis in items],
            "targets": list(targets),
        },
    ).scalar_one()
    return int(found)
