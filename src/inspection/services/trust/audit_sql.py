"""The audit append on PostgreSQL: one statement, and with the commit one round trip.

What the chain is (the canonical text, the hash, :func:`verify_chain`) is in
:mod:`inspection.services.trust.audit`; here is only how PostgreSQL appends one entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

__all__ = ["APPEND_ONE", "PIPELINE", "append_one", "append_one_and_commit"]

APPEND_ONE = text(
    """
WITH head AS MATERIALIZED (
    SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE
), stamped AS MATERIALIZED (
    SELECT last_id + 1 AS id, last_hash AS prev_hash, clock_timestamp() AS at FROM head
), hashed AS MATERIALIZED (
    SELECT id, at, prev_hash, encode(sha256(convert_to(
        CAST(:p0 AS text) || '"'
        || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00"'
        || CAST(:p1 AS text) || CAST(id AS text)
        || CAST(:p2 AS text) || '"' || prev_hash || '"' || CAST(:p3 AS text),
        'UTF8')), 'hex') AS hash
    FROM stamped
), appended AS (
    INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT id, at, :actor, :action, :entity, :entity_id,
           CAST(:before AS json), CAST(:after AS json), prev_hash, hash
    FROM hashed
    RETURNING id, at, prev_hash, hash
)
UPDATE audit_head SET last_id = appended.id, last_hash = appended.hash
FROM appended WHERE audit_head.id = 1
RETURNING appended.id, appended.at, appended.prev_hash, appended.hash
"""
)
"""One entry appended on PostgreSQL in one statement.

The head's row lock comes first (`FOR UPDATE`; a waiting append reads the head as the
one before it committed it); the time is read after it, so entry times rise along the
chain; the hash is SHA-256 over Python's canonical text (`audit.canonical_pieces`) with
the id, the time (as `audit._moment` writes it) and the previous hash put in by
PostgreSQL, which is the text `audit.entry_hash` hashes, so `verify_chain` is unchanged.
The CTEs are `MATERIALIZED` so that each is computed once, in this order.
"""

PIPELINE = psycopg.Pipeline.is_supported()
"""Whether this libpq sends statements without waiting for each answer (14 and later)."""


def _parameters(
    connection: Connection, fields: dict[str, Any], pieces: Sequence[str]
) -> dict[str, Any]:
    p0, p1, p2, p3 = pieces
    # stored as the JSON column stores them (SQLAlchemy's serializer: `None` is JSON null)
    serialize = getattr(connection.dialect, "_json_serializer", None) or json.dumps
    return {
        "p0": p0,
        "p1": p1,
        "p2": p2,
        "p3": p3,
        **fields,
        "before": serialize(fields["before"]),
        "after": serialize(fields["after"]),
    }


def _entry(fields: dict[str, Any], row: Sequence[Any]) -> dict[str, Any]:
    entry_id, at, previous, digest = row
    return {**fields, "id": entry_id, "at": at, "prev_hash": previous, "hash": digest}


def append_one(
    connection: Connection, fields: dict[str, Any], pieces: Sequence[str]
) -> dict[str, Any]:
    """Append one entry (`fields`: all but id, time and hashes; `pieces`: its canonical text
    around them) in the connection's transaction; the entry as stored."""
    row = connection.execute(APPEND_ONE, _parameters(connection, fields, pieces)).one()
    return _entry(fields, tuple(row))


_COMPILED: dict[str, Any] = {}


def append_one_and_commit(
    connection: Connection, fields: dict[str, Any], pieces: Sequence[str]
) -> dict[str, Any]:
    """Append one entry as :func:`append_one` does and commit the transaction, both sent
    before waiting for either answer (psycopg's pipeline; needs :data:`PIPELINE`).

    The caller tells its SQLAlchemy session afterwards (its commit then sends nothing).

    Raises:
        sqlalchemy.exc.DBAPIError: the append or the commit failed (nothing of the
            transaction is stored; the caller rolls its session back).
    """
    compiled = _COMPILED.get(connection.dialect.name)
    if compiled is None:
        compiled = _COMPILED[connection.dialect.name] = APPEND_ONE.compile(
            dialect=connection.dialect
        )
    driver = connection.connection.dbapi_connection
    assert isinstance(driver, psycopg.Connection)
    parameters = compiled.construct_params(_parameters(connection, fields, pieces))
    statement = str(compiled)
    try:
        with driver.pipeline(), driver.cursor() as cursor:
            cursor.execute(statement, parameters)
            driver.commit()  # sent behind the append; the pipeline waits for both here
            row = cursor.fetchone()
    except psycopg.Error as error:  # as SQLAlchemy raises it (IntegrityError, ...)
        raise DBAPIError.instance(statement, parameters, error, psycopg.Error) from error
    assert row is not None
    return _entry(fields, row)
