"""The audit trail: every change, appended in the transaction that makes it, chained by SHA-256.

Entry n stores the SHA-256 of its own content (id, time, actor, action,
record before and after) and of entry n-1, so altering, removing or inserting
an entry breaks the chain from there on; the head row names the last entry, so
cutting the tail is seen too. Appends lock the head row, so concurrent
transactions queue instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, insert, update
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow, AuditHeadRow
from inspection.services.access import Actor
from inspection.services.trust import audit_sql

__all__ = [
    "GENESIS",
    "AuditEntryPublic",
    "ChainReport",
    "Change",
    "list_entries",
    "record",
    "record_and_commit",
    "record_many",
    "snapshot",
    "verify_chain",
]

GENESIS = "0" * 64
"""The previous hash of the first entry."""


def snapshot(model: BaseModel | None) -> dict[str, Any] | None:
    """A record as the trail stores it: JSON values only (dates as ISO text)."""
    return None if model is None else model.model_dump(mode="json")


def _moment(at: datetime) -> str:
    # SQLite hands datetimes back naive; every stored moment is UTC
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def _default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def entry_hash(entry: AuditEntryRow) -> str:
    """The SHA-256 of an entry's content and its predecessor's hash."""
    return _content_hash(
        {
            "id": entry.id,
            "at": entry.at,
            "actor": entry.actor,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "before": entry.before,
            "after": entry.after,
            "prev_hash": entry.prev_hash,
        }
    )


def _canonical(value: object) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default
    )


def _content_hash(fields: dict[str, Any]) -> str:
    """The SHA-256 of an entry's fields (every column but the hash itself)."""
    text = _canonical({**fields, "at": _moment(fields["at"])})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# the fields PostgreSQL fills in under the head's lock, in the canonical text's (sorted) order
_SPLICED = ("at", "id", "prev_hash")


def canonical_pieces(fields: dict[str, Any]) -> list[str]:
    """An entry's canonical text (as :func:`entry_hash` hashes it) without `at`, `id` and
    `prev_hash`: the four pieces around their values, so that
    ``p0 + json(at) + p1 + json(id) + p2 + json(prev_hash) + p3`` is the whole text.

    `fields` holds every other field. The text is built key by key exactly as
    ``json.dumps(sort_keys=True)`` builds it, so it is the same text.
    """
    pieces, current = [], "{"
    for n, key in enumerate(sorted([*fields, *_SPLICED])):
        current += ("," if n else "") + _canonical(key) + ":"
        if key in _SPLICED:
            pieces.append(current)
            current = ""
        else:
            current += _canonical(fields[key])
    pieces.append(current + "}")
    return pieces


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntryRow:
    """Append an entry in the caller's transaction (committed with the change it records)."""
    (entry,) = _append(session, actor, [Change(action, entity, entity_id, before, after)])
    return AuditEntryRow(**entry)


@dataclass(frozen=True)
class Change:
    """One change to record: what was done to which record, and the record before and after."""

    action: str
    entity: str
    entity_id: str | int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record_many(session: Session, actor: Actor, changes: Sequence[Change]) -> None:
    """Append an entry per change in the caller's transaction, as :func:`record` would one by
    one, but reserving their ids in one statement and inserting them in one more."""
    if changes:
        _append(session, actor, changes)


def _fields(actor: Actor, change: Change) -> dict[str, Any]:
    """An entry's fields but its id, time and previous hash (known under the head's lock)."""
    return {
        "actor": actor.label,
        "action": change.action,
        "entity": change.entity,
        "entity_id": str(change.entity_id)[:64],
        "before": change.before,
        "after": change.after,
    }


def record_and_commit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append an entry as :func:`record` does and commit the caller's transaction.

    On PostgreSQL the append and the COMMIT reach the server together (psycopg's
    pipeline), so the head's lock lasts the server's own time for the two: between
    separate round trips, the thread holding it waited for the GIL to send the COMMIT
    while every other change waited for the lock. Elsewhere: :func:`record`, then commit.
    """
    change = Change(action, entity, entity_id, before, after)
    session.flush()  # the caller's rows go out first, before the lock
    connection = session.connection()
    if connection.dialect.name == "postgresql" and audit_sql.PIPELINE:
        fields = _fields(actor, change)
        audit_sql.append_one_and_commit(connection, fields, canonical_pieces(fields))
    else:
        _append(session, actor, [change])
    # SQLAlchemy's side of the commit (after the pipeline the driver has nothing to send)
    session.commit()


def _append(session: Session, actor: Actor, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """Chain `changes` after the head and move the head past them; the entries appended.

    The head row's lock (PostgreSQL) or the write lock (SQLite) is taken by the first
    statement that touches the head, so no other append can interleave; it is held until
    the caller commits, so every append waits for the one before it to commit, and what
    runs between is kept short. On PostgreSQL one change is one statement
    (`audit_sql.APPEND_ONE`): PostgreSQL locks the head, takes the time, hashes the canonical
    text Python prepared before the lock and moves the head, so only that statement and
    the commit run under the lock. Several changes, and SQLite: the head's update hands
    back the ids reserved and the previous hash, Python chains the entries (plain values:
    building ORM rows costs more than storing them), one insert and one update store them.
    """
    # the caller's pending rows go out before the lock is taken, not at its commit under it
    session.flush()
    # Core statements on the session's connection (its transaction): the ORM's bulk UPDATE
    # path costs several times the statement's own CPU, all of it spent holding the lock
    connection = session.connection()
    postgresql = connection.dialect.name == "postgresql"
    fields = [_fields(actor, change) for change in changes]
    if postgresql and len(fields) == 1:
        return [audit_sql.append_one(connection, fields[0], canonical_pieces(fields[0]))]
    reserve = (
        update(AuditHeadRow)
        .where(col(AuditHeadRow.id) == 1)
        .values(last_id=AuditHeadRow.last_id + len(fields))
    )
    if postgresql:
        # the database's clock, read under the lock, as the one-statement append reads it
        last_id, previous, at = connection.execute(
            reserve.returning(
                col(AuditHeadRow.last_id), col(AuditHeadRow.last_hash), func.clock_timestamp()
            )
        ).one()
    else:
        last_id, previous = connection.execute(
            reserve.returning(col(AuditHeadRow.last_id), col(AuditHeadRow.last_hash))
        ).one()
        at = datetime.now(UTC)
    entries = []
    for offset, entry in enumerate(fields):
        entry.update(id=last_id - len(fields) + 1 + offset, at=at, prev_hash=previous)
        entry["hash"] = previous = _content_hash(entry)
        entries.append(entry)
    connection.execute(insert(AuditEntryRow), entries)
    connection.execute(
        update(AuditHeadRow).where(col(AuditHeadRow.id) == 1).values(last_hash=previous)
    )
    return entries


class ChainReport(BaseModel):
    """The result of recomputing the chain."""

    ok: bool
    entries: int
    first_broken: int | None = None
    problem: str | None = None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Recompute every entry's hash and link; name the first entry that does not hold."""
    expected_id, previous, count = 1, GENESIS, 0
    while True:
        entries = list(
            session.exec(
                select(AuditEntryRow)
                .where(col(AuditEntryRow.id) >= expected_id)
                .order_by(col(AuditEntryRow.id))
                .limit(batch)
            )
        )
        for entry in entries:
            if entry.id != expected_id:
                return ChainReport(
                    ok=False, entries=count, first_broken=expected_id, problem="条目缺失"
                )
            if entry.prev_hash != previous:
                return ChainReport(
                    ok=False, entries=count, first_broken=entry.id, problem="与前一条目的链接不符"
                )
            if entry_hash(entry) != entry.hash:
                return ChainReport(
                    ok=False, entries=count, first_broken=entry.id, problem="内容与哈希不符"
                )
            previous, expected_id, count = entry.hash, expected_id + 1, count + 1
        if len(entries) < batch:
            break
    head = session.get(AuditHeadRow, 1, populate_existing=True)
    if head is None or head.last_id != count or head.last_hash != previous:
        return ChainReport(
            ok=False, entries=count, first_broken=count + 1, problem="链尾被截断或链头被改动"
        )
    return ChainReport(ok=True, entries=count)


class AuditEntryPublic(BaseModel):
    """An entry of the audit trail."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


def list_entries(
    session: Session,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    actor: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[AuditEntryPublic]:
    """Entries in order, after `after_id` (the page's cursor), filtered."""
    query = select(AuditEntryRow).where(col(AuditEntryRow.id) > after_id)
    if entity is not None:
        query = query.where(AuditEntryRow.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntryRow.entity_id == entity_id)
    if action is not None:
        query = query.where(AuditEntryRow.action == action)
    if actor is not None:
        query = query.where(AuditEntryRow.actor == actor)
    rows = session.exec(query.order_by(col(AuditEntryRow.id)).limit(limit))
    return [
        AuditEntryPublic(
            id=r.id,
            at=r.at if r.at.tzinfo is not None else r.at.replace(tzinfo=UTC),
            actor=r.actor,
            action=r.action,
            entity=r.entity,
            entity_id=r.entity_id,
            before=r.before,
            after=r.after,
            prev_hash=r.prev_hash,
            hash=r.hash,
        )
        for r in rows
    ]
