"""The answers to POSTs sent with an `Idempotency-Key`, kept so a retry gets the first one again.

Each function runs its own short transaction on the engine it is given: the
API's middleware calls them around a request, outside the request's session.
A record lives `ttl` (``INSPECTION_IDEMPOTENCY_TTL_HOURS``, 24 h by default): an
older one is never replayed, and every claim purges the expired ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from inspection.db.tables import IdempotencyRow

__all__ = ["StoredAnswer", "claim_key", "forget_key", "keep_answer", "purge_expired"]


@dataclass(frozen=True)
class StoredAnswer:
    """What the first request with a key was, and (once it has one) its answer.

    Attributes:
        request_sha256: The first request's hash (method, path, query and body).
        status_code: Its answer's status, or None while it is being answered
            (or if its run died before answering).
        body: Its answer's body.
        headers: The answer's headers worth replaying.
    """

    request_sha256: str
    status_code: int | None
    body: bytes | None
    headers: dict[str, str]


def _stored(row: IdempotencyRow) -> StoredAnswer:
    return StoredAnswer(
        request_sha256=row.request_sha256,
        status_code=row.status_code,
        body=row.response_body,
        headers=dict(row.response_headers or {}),
    )


def claim_key(
    engine: Engine,
    principal: str,
    key: str,
    target: str,
    request_sha256: str,
    ttl: timedelta = timedelta(hours=24),
) -> StoredAnswer | None:
    """Take a key for a first request (None), or hand back what a request before held it.

    Records older than `ttl` are deleted first (for every caller), so an expired key
    is claimed afresh. Two requests with the same key at once: one claims it, the
    other gets its (still unanswered) record.
    """
    with Session(engine) as session:
        now = datetime.now(UTC)
        if purge_expired(session, now - ttl):
            session.commit()
        stored = session.get(IdempotencyRow, (principal, key))
        if stored is not None:
            return _stored(stored)
        session.add(
            IdempotencyRow(
                principal=principal,
                key=key,
                method_path=target[:500],
                request_sha256=request_sha256,
                created_at=now,
            )
        )
        try:
            session.commit()
        except IntegrityError:  # the same key arrived twice at once
            session.rollback()
            stored = session.get(IdempotencyRow, (principal, key))
            return None if stored is None else _stored(stored)
        return None


def purge_expired(session: Session, before: datetime) -> int:
    """Delete the records created before `before` (in the session's transaction): how many."""
    deleted = session.execute(delete(IdempotencyRow).where(col(IdempotencyRow.created_at) < before))
    return int(getattr(deleted, "rowcount", 0) or 0)


def keep_answer(
    engine: Engine, principal: str, key: str, status: int, body: bytes, headers: dict[str, str]
) -> None:
    """Store the first request's answer, to replay on every retry."""
    with Session(engine) as session:
        stored = session.get(IdempotencyRow, (principal, key))
        if stored is not None:
            stored.status_code = status
            stored.response_body = body
            stored.response_headers = headers
            session.add(stored)
            session.commit()


def forget_key(engine: Engine, principal: str, key: str) -> None:
    """Drop a claimed key whose request decided nothing (a 5xx): a retry may run again."""
    with Session(engine) as session:
        stored = session.get(IdempotencyRow, (principal, key))
        if stored is not None:
            session.delete(stored)
            session.commit()
