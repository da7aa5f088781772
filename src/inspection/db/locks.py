"""Serialisation points: rows a transaction updates first so that its kind runs one at a time.

An UPDATE of the lock row is held until the transaction ends: on PostgreSQL the
row lock makes the next one wait (and, read committed, every statement after it
sees what the one before committed); on SQLite it takes the database's write lock
(and the turn of the writers of this process), and the reads after it see the
last commit. Whatever the transaction checks after taking its turn cannot change
under it, on either database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlmodel import Session, col

from inspection.db.tables import PublicationTurnRow

__all__ = ["take_outcome_day_turns", "take_publication_turn"]

# the first key of the advisory locks of the outcome rollup's days (any fixed number)
_OUTCOME_DAY_LOCKS = 14_015


def take_publication_turn(session: Session) -> None:
    """Wait for the turn to publish (held until the caller's transaction ends).

    Publications meet whenever their horizons share a day; one turn for all of
    them is the simplest point that serialises every overlapping pair, and
    publishing is rare (a few times a week) and takes milliseconds. The row is
    the migrations' (0010 inserts it), as `audit_head` is.
    """
    taken = session.execute(
        update(PublicationTurnRow)
        .where(col(PublicationTurnRow.id) == 1)
        .values(turns=col(PublicationTurnRow.turns) + 1, taken_at=datetime.now(UTC))
    )
    if cast(CursorResult[Any], taken).rowcount != 1:  # without it nothing would queue
        raise RuntimeError(
            "publication_turn has no row: upgrade the database (inspection db upgrade)"
        )


def take_outcome_day_turns(session: Session, days: Sequence[date]) -> None:
    """Wait for the turn to rebuild these days' outcome rollup (held until the transaction ends).

    On PostgreSQL, one transaction-scoped advisory lock per day, taken in day order (so two
    rebuilders never wait on each other in a cycle): a rebuild that computes a day's sums
    after taking its lock sees, read committed, every outcome the rebuild before it
    committed, so the last one to commit stores sums that include both. On SQLite
    nothing to take: the outcome written before the rebuild holds the database's write
    lock until the commit.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for day in sorted(set(days)):
        session.execute(select(func.pg_advisory_xact_lock(_OUTCOME_DAY_LOCKS, day.toordinal())))
