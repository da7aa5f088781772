"""Engine factory and schema upgrade (alembic), for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Self, TypeVar, overload

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

__all__ = [
    "JOB_QUEUE_PREFIX",
    "UPGRADE_LOCK_KEY",
    "downgrade",
    "is_lock_timeout",
    "make_engine",
    "tables_of_the_service",
    "upgrade",
]

_MIGRATIONS = Path(__file__).with_name("migrations")
# Connections kept open: one per concurrent request up to 20 (the API runs sync endpoints on
# up to 40 threads). With the default 5, a busier server opened and closed a connection for
# about a third of its requests, which on PostgreSQL costs more than the request itself.
_POOL_SIZE = 20
_MAX_OVERFLOW = 20
# the key of the PostgreSQL advisory lock taken around migrations: any fixed 64-bit number that
# no other user of the database locks ("inspect" in ASCII)
UPGRADE_LOCK_KEY = 0x696E7370656374
_BUSY_TIMEOUT_S = 5.0  # as the busy_timeout pragma below
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_turns: dict[str, threading.Lock] = {}
_turns_guard = threading.Lock()
_C = TypeVar("_C", bound=sqlite3.Cursor)


class _TurnTakingConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions wait in line in this process.

    SQLite lets one connection write at a time; the others sleep and retry in
    growing steps (up to 100 ms) until `busy_timeout`, so under load a writer
    could be overtaken for seconds (checklist submissions from 16 clients: p99
    2 s; from 64: the slowest 4.9 s, at the limit). Here a connection takes its
    database's turn lock before the statement that opens its write transaction
    (the first INSERT, UPDATE or DELETE) and gives it back when the transaction
    ends, so the writers of this process wait in line and find SQLite's lock
    free. Readers never wait. Writers of other processes (plan workers), and
    code writing on an event loop's thread, still meet SQLite's own lock; a
    writer that waited `busy_timeout` for its turn goes ahead as it would have
    without the line.
    """

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        key = os.path.realpath(database)
        with _turns_guard:
            self._turn = _turns.setdefault(key, threading.Lock())
        self._holding = False

    @overload
    def cursor(self, factory: None = None) -> sqlite3.Cursor: ...
    @overload
    def cursor(self, factory: Callable[[sqlite3.Connection], _C]) -> _C: ...
    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _TurnTakingCursor)

    def before_statement(self, sql: str) -> None:
        """Wait for the turn if this statement opens a write transaction.

        Not on a thread running an event loop (async middleware writing through a
        sync session): the line's holder may need that loop to end its transaction.
        """
        if not self._holding and not self.in_transaction and _WRITE.match(sql):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                self._holding = self._turn.acquire(timeout=_BUSY_TIMEOUT_S)

    def after_statement(self) -> None:
        """Give the turn back once no transaction is open (committed, rolled back, failed)."""
        if self._holding and not self.in_transaction:
            self._holding = False
            self._turn.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.after_statement()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.after_statement()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._holding:
                self._holding = False
                self._turn.release()


class _TurnTakingCursor(sqlite3.Cursor):
    """Cursor of a `_TurnTakingConnection`: every statement goes through its turn."""

    def _owner(self) -> _TurnTakingConnection:
        connection = self.connection
        assert isinstance(connection, _TurnTakingConnection)
        return connection

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        owner = self._owner()
        owner.before_statement(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            owner.after_statement()

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Self:
        owner = self._owner()
        owner.before_statement(sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        finally:
            owner.after_statement()

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        try:
            return super().executescript(sql_script)  # commits first, runs in autocommit
        finally:
            self._owner().after_statement()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers run beside the one writer; FULL makes an acknowledged commit durable.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def is_lock_timeout(error: BaseException) -> bool:
    """Whether `error` is SQLite's "database is locked": another connection (of another
    process, a plan worker say) held the write lock for longer than `busy_timeout`."""
    orig = getattr(error, "orig", error)
    return isinstance(orig, sqlite3.OperationalError) and "database is locked" in str(orig)


def make_engine(url: str, pool_size: int = _POOL_SIZE, max_overflow: int = _MAX_OVERFLOW) -> Engine:
    """An engine for `url`; a SQLite file gets its folder created and its pragmas set.

    `pool_size` connections stay open, `max_overflow` more are opened under load and closed
    after use: on PostgreSQL one process holds at most their sum (the connection budget of
    docs/deployment.md).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            options["connect_args"]["factory"] = _TurnTakingConnection
            options.update(pool_size=pool_size, max_overflow=max_overflow)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)


JOB_QUEUE_PREFIX = "procrastinate_"
"""The objects of procrastinate's job queue (migration 0016): its schema, not our tables."""


def tables_of_the_service(name: str | None, type_: str, _parents: object) -> bool:
    """Whether alembic's comparison of the schema with the tables looks at `name`: not at the
    job queue's objects, which no SQLModel table describes (an `include_name` hook)."""
    return not (type_ == "table" and (name or "").startswith(JOB_QUEUE_PREFIX))


def _one_migrator_at_a_time(connection: Connection) -> None:
    """On PostgreSQL, wait for the advisory lock of migrations, held until this transaction
    ends: API processes starting together (`inspection serve --processes N`, several
    machines, a one-shot `inspection db upgrade` beside them) upgrade one after the other,
    and those that come later find the schema at head and do nothing. A transaction-level
    lock rather than `pg_advisory_lock`: the migrations run in this one transaction
    (PostgreSQL's DDL is transactional), so the lock is let go exactly when their work
    becomes visible, also when a migration fails or the process dies. SQLite needs
    nothing: its writers already take turns on the file."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK_KEY})


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to `revision` with the package's alembic migrations
    (safe for several processes at once, see `_one_migrator_at_a_time`)."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        _one_migrator_at_a_time(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database schema back to `revision` (an operator's repair, and the tests')."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        _one_migrator_at_a_time(connection)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
