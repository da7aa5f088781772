"""Idempotency records expire: an old one is never replayed, and claims purge the expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from inspection.db.tables import IdempotencyRow
from inspection.services.trust.idempotency import claim_key, keep_answer

TTL = timedelta(hours=24)


def _age(engine: Engine, principal: str, key: str, by: timedelta) -> None:
    with Session(engine) as session:
        row = session.get(IdempotencyRow, (principal, key))
        assert row is not None
        row.created_at = datetime.now(UTC) - by
        session.add(row)
        session.commit()


def test_an_expired_record_is_not_replayed_and_is_purged(engine: Engine) -> None:
    assert claim_key(engine, "key-1", "old", "POST /x?", "a" * 64, TTL) is None
    keep_answer(engine, "key-1", "old", 201, b'{"id": 1}', {})
    assert claim_key(engine, "key-2", "stale", "POST /x?", "b" * 64, TTL) is None
    assert claim_key(engine, "key-1", "young", "POST /x?", "c" * 64, TTL) is None
    # a fresh record is replayed
    replayed = claim_key(engine, "key-1", "old", "POST /x?", "a" * 64, TTL)
    assert replayed is not None
    assert replayed.status_code == 201
    _age(engine, "key-1", "old", TTL + timedelta(minutes=1))
    _age(engine, "key-2", "stale", TTL + timedelta(hours=5))
    _age(engine, "key-1", "young", TTL - timedelta(minutes=5))
    # past its time the key is claimed afresh: the request runs again
    assert claim_key(engine, "key-1", "old", "POST /x?", "a" * 64, TTL) is None
    with Session(engine) as session:
        left = {(r.principal, r.key) for r in session.exec(select(IdempotencyRow))}
        assert left == {("key-1", "old"), ("key-1", "young")}
        assert session.exec(select(func.count()).select_from(IdempotencyRow)).one() == 2
