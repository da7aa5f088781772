"""API keys: issued once, stored as a SHA-256 only, revocable; and units' calendar feed tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlmodel import Session, col, select

from inspection.db import prebuilt, repository
from inspection.db.regions import region_by_code
from inspection.db.tables import ApiKeyRow
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.access import KEY_ROLES, Actor, KeyRole, Role, check_may_issue_feed
from inspection.services.trust.audit import record

__all__ = [
    "IssuedKey",
    "KeyPublic",
    "authenticate",
    "create_key",
    "has_active_admin_key",
    "issue_feed_token",
    "issue_officer_feed_token",
    "list_keys",
    "revoke_key",
]

_PREFIX = {
    Role.UNIT: "iou",
    Role.COORDINATOR: "ioc",
    Role.AUDITOR: "ioa",
    Role.ADMIN: "iox",
    Role.FEED: "iof",
}


class KeyPublic(BaseModel):
    """A key as listed: never the key itself."""

    id: int
    name: str
    role: KeyRole
    unit_id: str | None
    officer_id: int | None = None
    unit_head: bool = False
    region_id: int | None = None
    prefix: str
    created_at: datetime
    revoked: bool


class IssuedKey(KeyPublic):
    """A key just issued: the only time the key itself is shown."""

    key: str


def _hash(key: str) -> str:
    # keys carry 256 random bits: a plain SHA-256 cannot be brute-forced back
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _public(row: ApiKeyRow) -> KeyPublic:
    assert row.id is not None
    return KeyPublic(
        id=row.id,
        name=row.name,
        role=Role(row.role),  # type: ignore[arg-type]  # stored from a KeyRole
        unit_id=row.unit_id,
        officer_id=row.officer_id,
        unit_head=row.unit_head,
        region_id=row.region_id,
        prefix=row.prefix,
        created_at=row.created_at,
        revoked=row.revoked_at is not None,
    )


def create_key(
    session: Session,
    actor: Actor,
    role: Role,
    unit_id: str | None = None,
    name: str = "",
    *,
    officer_id: int | None = None,
    unit_head: bool = False,
    region: str | None = None,
) -> IssuedKey:
    """Issue a key (committed); the returned `key` is shown once and never stored.

    `unit_head` issues a unit key to the unit's head (单位负责人), who approves the
    unit's checklists. `region` (a region's code) keeps a coordinator's or auditor's key
    to that region and those under it; without one it sees the whole platform. A unit
    key (and a feed token) is scoped by its unit's region instead.

    Raises:
        InvalidInputError: an unknown role, a unit key (or feed token) without a
            known unit, a unit given for another role, or a head's key of another role.
    """
    if role not in KEY_ROLES:
        raise InvalidInputError(
            f"不能为角色 {role} 签发密钥（可选：{'、'.join(KEY_ROLES)}）", "role"
        )
    role = Role(role)  # a caller that is not type-checked may hand in the text
    if role in (Role.UNIT, Role.FEED):
        if unit_id is None or repository.get_unit(session, unit_id) is None:
            raise InvalidInputError(f"{role} 密钥须指定已登记的执法单位", "unit_id")
    elif unit_id is not None:
        raise InvalidInputError(f"{role} 密钥不属于某个执法单位", "unit_id")
    if officer_id is not None and role != Role.FEED:
        raise InvalidInputError(f"{role} 密钥不属于某个执法人员", "officer_id")
    if unit_head and role != Role.UNIT:
        raise InvalidInputError(
            f"只有执法单位密钥可以是单位负责人的密钥（不是 {role}）", "unit_head"
        )
    region_id: int | None = None
    if region is not None:
        if role not in (Role.COORDINATOR, Role.AUDITOR):
            raise InvalidInputError(f"{role} 密钥不属于某个行政区划", "region")
        found = region_by_code(session, region.strip())
        if found is None:
            raise InvalidInputError(f"行政区划 {region} 不存在", "region")
        region_id = found.id
    key = f"{_PREFIX[role]}_{secrets.token_urlsafe(32)}"
    row = ApiKeyRow(
        name=(name or f"{role}{'-' + unit_id if unit_id else ''}")[:200],
        role=role,
        unit_id=unit_id,
        officer_id=officer_id,
        unit_head=unit_head,
        region_id=region_id,
        key_hash=_hash(key),
        prefix=key[:12],
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    public = _public(row)
    record(session, actor, "key.create", "api_key", public.id, None, public.model_dump(mode="json"))
    session.commit()
    return IssuedKey(**public.model_dump(), key=key)


def issue_feed_token(session: Session, actor: Actor, unit_id: str) -> IssuedKey:
    """Issue a unit's calendar feed token (committed); it is shown once, revoked like any key.

    A unit issues its own; coordinators (who already read every unit's rounds) and
    admins any unit's.

    Raises:
        NotFoundError: a unit key naming another unit.
        InvalidInputError: no unit has this id.
    """
    check_may_issue_feed(actor, unit_id)
    return create_key(session, actor, Role.FEED, unit_id, name=f"日历订阅-{unit_id}")


def issue_officer_feed_token(
    session: Session, actor: Actor, officer_id: int, unit_id: str, officer_name: str
) -> IssuedKey:
    """Issue an officer's own calendar feed token (committed), bound to the officer.

    The caller (the officers' service) has checked that the officer exists, is of
    `unit_id`, and that the actor may issue it. The token reads the officer's
    calendar and nothing else, not even the unit's.
    """
    name = f"日历订阅-{unit_id}-{officer_name}"
    return create_key(session, actor, Role.FEED, unit_id, name=name, officer_id=officer_id)


def revoke_key(session: Session, actor: Actor, key_id: int) -> KeyPublic:
    """Revoke a key at once (committed).

    Raises:
        NotFoundError: no key has this id.
        ConflictError: it is revoked already.
    """
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        raise NotFoundError(f"密钥 {key_id} 不存在", "id")
    if row.revoked_at is not None:
        raise ConflictError(f"密钥 {key_id} 已吊销", "id")
    before = _public(row).model_dump(mode="json")
    row.revoked_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "key.revoke",
        "api_key",
        key_id,
        before,
        _public(row).model_dump(mode="json"),
    )
    session.commit()
    return _public(row)


def list_keys(session: Session) -> list[KeyPublic]:
    """Every key, by id (revoked ones too)."""
    return [_public(r) for r in session.exec(select(ApiKeyRow).order_by(col(ApiKeyRow.id)))]


def authenticate(session: Session, key: str) -> Actor | None:
    """The holder of a live key, or None for an unknown or revoked one.

    Its region is read in the same statement: the key's own, else its unit's, else none
    (the whole platform).
    """
    # a prebuilt statement on the session's connection: it runs for every request
    found = prebuilt.key_by_hash(session, _hash(key))
    if found is None or found.revoked_at is not None:
        return None
    return Actor(
        name=found.name,
        role=Role(found.role),
        key_id=found.id,
        unit_id=found.unit_id,
        officer_id=found.officer_id,
        unit_head=found.unit_head,
        region_path=found.path,
    )


def has_active_admin_key(session: Session) -> bool:
    """Whether some admin key is live (serve refuses to start without one)."""
    query = (
        select(ApiKeyRow.id)
        .where(ApiKeyRow.role == Role.ADMIN)
        .where(col(ApiKeyRow.revoked_at).is_(None))
    )
    return session.exec(query).first() is not None
