"""A unit's roster: add, edit and deactivate officers (never deleted), their days off and
recusals. A unit key manages its own unit's roster; coordinators and admins any."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.tables import (
    EnterpriseRow,
    OfficerDayOffRow,
    OfficerRecusalRow,
    OfficerRow,
)
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, check_acts_for_unit, may_act_for_unit, unit_scope
from inspection.services.officers.models import (
    OfficerCreate,
    OfficerEdit,
    OfficerPublic,
    RecusalCreate,
    RecusalKind,
    RecusalPublic,
)
from inspection.services.trust.audit import record, snapshot
from inspection.services.trust.keys import IssuedKey, issue_officer_feed_token

__all__ = [
    "add_recusal",
    "create_officer",
    "deactivate_officer",
    "get_officer",
    "issue_officer_feed",
    "list_officers",
    "officer_row",
    "put_officer",
    "remove_recusal",
    "set_days_off",
    "update_officer",
]

_WHAT = "管理执法人员"


def _now() -> datetime:
    return datetime.now(UTC)


def officer_row(session: Session, actor: Actor, officer_id: int) -> OfficerRow:
    """The officer's row, if the actor may see it (a unit key: its own unit's officers).

    Raises:
        NotFoundError: no such officer, or another unit's (as if it did not exist).
    """
    row = session.get(OfficerRow, officer_id)
    if row is None or not may_act_for_unit(actor, row.unit_id):
        raise NotFoundError(f"执法人员 {officer_id} 不存在", "officer_id")
    return row


def _officers_public(session: Session, rows: list[OfficerRow]) -> list[OfficerPublic]:
    ids = [r.id for r in rows if r.id is not None]
    days: dict[int, list[date]] = defaultdict(list)
    recusals: dict[int, list[RecusalPublic]] = defaultdict(list)
    if ids:
        for off in session.exec(
            select(OfficerDayOffRow).where(col(OfficerDayOffRow.officer_id).in_(ids))
        ):
            days[off.officer_id].append(off.day)
        query = (
            select(OfficerRecusalRow, EnterpriseRow.name)
            .join(
                EnterpriseRow, col(EnterpriseRow.credit_code) == col(OfficerRecusalRow.credit_code)
            )
            .where(col(OfficerRecusalRow.officer_id).in_(ids))
            .order_by(col(OfficerRecusalRow.credit_code))
        )
        for recusal, name in session.exec(query):
            recusals[recusal.officer_id].append(
                RecusalPublic(
                    credit_code=recusal.credit_code,
                    enterprise_name=name,
                    kind=RecusalKind(recusal.kind),
                    reason=recusal.reason,
                    recorded_at=recusal.recorded_at,
                )
            )
    found = []
    for row in rows:
        assert row.id is not None
        found.append(
            OfficerPublic(
                id=row.id,
                unit_id=row.unit_id,
                name=row.name,
                badge_number=row.badge_number,
                certificate_expires=row.certificate_expires,
                active=row.active,
                days_off=sorted(days[row.id]),
                recusals=recusals[row.id],
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
        )
    return found


def _public(session: Session, row: OfficerRow) -> OfficerPublic:
    return _officers_public(session, [row])[0]


def get_officer(session: Session, actor: Actor, officer_id: int) -> OfficerPublic:
    """One officer with days off and recusals.

    Raises:
        NotFoundError: no such officer, or another unit's for a unit key.
    """
    return _public(session, officer_row(session, actor, officer_id))


def list_officers(
    session: Session, actor: Actor, unit_id: str | None = None, active_only: bool = False
) -> list[OfficerPublic]:
    """A unit's roster (a unit key: its own, whatever it asks), by unit then name."""
    query = select(OfficerRow)
    unit = unit_scope(actor, unit_id)
    if unit is not None:
        query = query.where(OfficerRow.unit_id == unit)
    if active_only:
        query = query.where(col(OfficerRow.active))
    rows = list(
        session.exec(
            query.order_by(col(OfficerRow.unit_id), col(OfficerRow.name), col(OfficerRow.id))
        )
    )
    return _officers_public(session, rows)


def _check_unit(session: Session, actor: Actor, unit_id: str) -> None:
    check_acts_for_unit(actor, unit_id, _WHAT)
    if repository.get_unit(session, unit_id) is None:
        raise InvalidInputError(f"执法单位 {unit_id} 不存在", "unit_id")


def _check_badge_free(session: Session, badge: str, officer_id: int | None) -> None:
    holder = session.exec(select(OfficerRow).where(OfficerRow.badge_number == badge)).first()
    if holder is not None and holder.id != officer_id:
        raise ConflictError(
            f"执法证号 {badge} 已登记给 {holder.unit_id} 的 {holder.name}", "badge_number"
        )


def _check_enterprises(session: Session, codes: Iterable[tuple[str, str]]) -> None:
    """Each (credit code, field) names a registered enterprise (422 naming the field)."""
    for code, field in codes:
        if session.get(EnterpriseRow, code) is None:
            raise InvalidInputError(f"回避企业 {code} 未登记", field)


def _replace_days_off(session: Session, officer_id: int, days: Iterable[date]) -> None:
    for old in session.exec(
        select(OfficerDayOffRow).where(OfficerDayOffRow.officer_id == officer_id)
    ):
        session.delete(old)
    session.flush()
    for day in sorted(set(days)):
        session.add(OfficerDayOffRow(officer_id=officer_id, day=day))


def _replace_recusals(session: Session, officer_id: int, recusals: list[RecusalCreate]) -> None:
    """The officer's recusals become these; one kept keeps when it was first recorded."""
    old = {
        r.credit_code: r
        for r in session.exec(
            select(OfficerRecusalRow).where(OfficerRecusalRow.officer_id == officer_id)
        )
    }
    wanted = {r.credit_code: r for r in recusals}
    for code, row in old.items():
        if code not in wanted:
            session.delete(row)
    for code, recusal in wanted.items():
        row = old.get(code) or OfficerRecusalRow(
            officer_id=officer_id, credit_code=code, kind=recusal.kind, recorded_at=_now()
        )
        row.kind, row.reason = recusal.kind, recusal.reason
        session.add(row)


def put_officer(session: Session, actor: Actor, data: OfficerCreate) -> tuple[int, bool]:
    """Add an officer, or update the one with this badge number, with days off and recusals
    replaced by the given ones, in the caller's transaction (no commit; audited).

    Returns:
        The officer's id and whether it is new.

    Raises:
        ForbiddenError: a unit key naming another unit (or its officer).
        InvalidInputError: an unknown unit or recusal enterprise.
    """
    _check_unit(session, actor, data.unit_id)
    _check_enterprises(
        session,
        ((r.credit_code, f"recusals[{i}].credit_code") for i, r in enumerate(data.recusals)),
    )
    row = session.exec(
        select(OfficerRow).where(OfficerRow.badge_number == data.badge_number)
    ).first()
    before = None
    if row is not None:
        check_acts_for_unit(actor, row.unit_id, _WHAT)
        before = snapshot(_public(session, row))
    now = _now()
    if row is None:
        row = OfficerRow(
            unit_id=data.unit_id,
            name=data.name,
            badge_number=data.badge_number,
            certificate_expires=data.certificate_expires,
            active=data.active,
            created_at=now,
            updated_at=now,
        )
    else:
        row.unit_id, row.name = data.unit_id, data.name
        row.certificate_expires, row.active, row.updated_at = (
            data.certificate_expires,
            data.active,
            now,
        )
    session.add(row)
    session.flush()
    assert row.id is not None
    _replace_days_off(session, row.id, data.days_off)
    _replace_recusals(session, row.id, data.recusals)
    session.flush()
    action = "officer.create" if before is None else "officer.update"
    record(session, actor, action, "officer", row.id, before, snapshot(_public(session, row)))
    return row.id, before is None


def create_officer(session: Session, actor: Actor, data: OfficerCreate) -> OfficerPublic:
    """Add an officer to a unit's roster (committed).

    Raises:
        ForbiddenError: a unit key naming another unit.
        InvalidInputError: an unknown unit or recusal enterprise.
        ConflictError: the badge number is registered already.
    """
    _check_unit(session, actor, data.unit_id)
    _check_badge_free(session, data.badge_number, None)
    officer_id, _ = put_officer(session, actor, data)
    session.commit()
    return get_officer(session, actor, officer_id)


def _changed(
    session: Session, actor: Actor, row: OfficerRow, action: str, before: OfficerPublic
) -> OfficerPublic:
    row.updated_at = _now()
    session.add(row)
    session.flush()
    assert row.id is not None
    after = _public(session, row)
    record(session, actor, action, "officer", row.id, snapshot(before), snapshot(after))
    session.commit()
    return get_officer(session, actor, row.id)


def update_officer(
    session: Session, actor: Actor, officer_id: int, data: OfficerEdit
) -> OfficerPublic:
    """Change an officer's name, badge number, certificate expiry or activity (committed).

    Raises:
        NotFoundError: no such officer (or another unit's, for a unit key).
        ConflictError: the badge number is another officer's.
    """
    row = officer_row(session, actor, officer_id)
    _check_badge_free(session, data.badge_number, officer_id)
    before = _public(session, row)
    row.name, row.badge_number = data.name, data.badge_number
    row.certificate_expires, row.active = data.certificate_expires, data.active
    return _changed(session, actor, row, "officer.update", before)


def deactivate_officer(session: Session, actor: Actor, officer_id: int) -> OfficerPublic:
    """Take an officer off the roster (kept for the record; never drawn again; committed).

    Raises:
        NotFoundError: no such officer (or another unit's, for a unit key).
        ConflictError: the officer is inactive already.
    """
    row = officer_row(session, actor, officer_id)
    if not row.active:
        raise ConflictError(f"执法人员 {row.name}（{row.badge_number}）已停用", "active")
    before = _public(session, row)
    row.active = False
    return _changed(session, actor, row, "officer.deactivate", before)


def set_days_off(
    session: Session, actor: Actor, officer_id: int, days: list[date]
) -> OfficerPublic:
    """Replace an officer's days off (committed).

    Raises:
        NotFoundError: no such officer (or another unit's, for a unit key).
    """
    row = officer_row(session, actor, officer_id)
    before = _public(session, row)
    _replace_days_off(session, officer_id, days)
    return _changed(session, actor, row, "officer.days_off", before)


def add_recusal(
    session: Session, actor: Actor, officer_id: int, data: RecusalCreate
) -> OfficerPublic:
    """Record that an officer must not inspect an enterprise (committed).

    Raises:
        NotFoundError: no such officer (or another unit's, for a unit key).
        InvalidInputError: the enterprise is not registered (field ``credit_code``).
        ConflictError: the officer is recused from it already.
    """
    row = officer_row(session, actor, officer_id)
    _check_enterprises(session, [(data.credit_code, "credit_code")])
    if session.get(OfficerRecusalRow, (officer_id, data.credit_code)) is not None:
        raise ConflictError(f"{row.name} 已回避企业 {data.credit_code}", "credit_code")
    before = _public(session, row)
    session.add(
        OfficerRecusalRow(
            officer_id=officer_id,
            credit_code=data.credit_code,
            kind=data.kind,
            reason=data.reason,
            recorded_at=_now(),
        )
    )
    session.flush()
    return _changed(session, actor, row, "officer.recusal_add", before)


def remove_recusal(
    session: Session, actor: Actor, officer_id: int, credit_code: str
) -> OfficerPublic:
    """Lift an officer's recusal from an enterprise (committed).

    Raises:
        NotFoundError: no such officer, or no such recusal.
    """
    row = officer_row(session, actor, officer_id)
    code = credit_code.strip().upper()
    recusal = session.get(OfficerRecusalRow, (officer_id, code))
    if recusal is None:
        raise NotFoundError(f"{row.name} 没有回避企业 {code}", "credit_code")
    before = _public(session, row)
    session.delete(recusal)
    session.flush()
    return _changed(session, actor, row, "officer.recusal_remove", before)


def issue_officer_feed(session: Session, actor: Actor, officer_id: int) -> IssuedKey:
    """Issue an officer's own calendar feed token (committed; shown once, revoked like any key).

    The officer's unit (its key) issues it, or a coordinator.

    Raises:
        NotFoundError: no such officer, or another unit's for a unit key.
    """
    row = officer_row(session, actor, officer_id)
    assert row.id is not None
    return issue_officer_feed_token(session, actor, row.id, row.unit_id, row.name)
