"""Quiet-day rules (宁静日): days without site checks except for the exempt inspection types.

A rule covers a day when it is active, the day is within its validity range
(either end open), and the day is one of its days of the month or one of its
dates. Day 31 of a 30-day month simply does not occur.

Rules are deactivated, never deleted: a rule in force shaped the plans made while
it was, and the audit trail and the plans' reasons (QUIET_DAY) refer to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pydantic import ValidationError
from sqlmodel import Session, col, select

from inspection.db.tables import QuietDayRuleRow
from inspection.errors import InvalidInputError, NotFoundError
from inspection.services.access import Actor
from inspection.services.reference.kinds import InspectionType
from inspection.services.rules.models import (
    QuietDayRuleCreate,
    QuietDayRulePublic,
    QuietDayRuleUpdate,
)
from inspection.services.trust.audit import record, snapshot

__all__ = [
    "MAX_CALENDAR_DAYS",
    "QuietDay",
    "covers",
    "create_quiet_day_rule",
    "get_quiet_day_rule",
    "list_quiet_day_rules",
    "quiet_days_between",
    "quiet_days_in",
    "update_quiet_day_rule",
]

MAX_CALENDAR_DAYS = 366
"""The longest range :func:`quiet_days_between` answers for."""


@dataclass(frozen=True)
class QuietDay:
    """One rule covering one day, with the inspection types it still lets in."""

    day: date
    rule_id: int
    rule_name: str
    exempt: frozenset[InspectionType]


def _public(row: QuietDayRuleRow) -> QuietDayRulePublic:
    assert row.id is not None
    return QuietDayRulePublic(
        id=row.id,
        name=row.name,
        month_days=list(row.month_days),
        dates=[date.fromisoformat(d) for d in row.dates],
        exempt_categories=[InspectionType(c) for c in row.exempt_categories],
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _check(data: QuietDayRuleCreate) -> None:
    """The rules across fields, each error naming its field."""
    if not data.month_days and not data.dates:
        raise InvalidInputError("宁静日规则至少要有一个每月日期或具体日期", "month_days")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise InvalidInputError(
            f"有效期结束日 {data.valid_to} 早于开始日 {data.valid_from}", "valid_to"
        )


def _row(session: Session, rule_id: int) -> QuietDayRuleRow:
    row = session.get(QuietDayRuleRow, rule_id)
    if row is None:
        raise NotFoundError(f"宁静日规则 {rule_id} 不存在", "id")
    return row


def _fill(row: QuietDayRuleRow, data: QuietDayRuleCreate) -> None:
    row.name = data.name
    row.month_days = list(data.month_days)
    row.dates = [d.isoformat() for d in data.dates]
    row.exempt_categories = [str(c) for c in data.exempt_categories]
    row.valid_from = data.valid_from
    row.valid_to = data.valid_to
    row.active = data.active


def create_quiet_day_rule(
    session: Session, actor: Actor, data: QuietDayRuleCreate
) -> QuietDayRulePublic:
    """Store a quiet-day rule (committed, audited as ``rules.quiet_day.create``).

    Raises:
        InvalidInputError: no day at all (``month_days``), or a validity range that
            ends before it starts (``valid_to``).
    """
    _check(data)
    now = datetime.now(UTC)
    row = QuietDayRuleRow(
        name="", month_days=[], dates=[], exempt_categories=[], created_at=now, updated_at=now
    )
    _fill(row, data)
    session.add(row)
    session.flush()
    stored = _public(row)
    record(
        session,
        actor,
        "rules.quiet_day.create",
        "quiet_day_rule",
        stored.id,
        None,
        snapshot(stored),
    )
    session.commit()
    return stored


def update_quiet_day_rule(
    session: Session, actor: Actor, rule_id: int, changes: QuietDayRuleUpdate
) -> QuietDayRulePublic:
    """Change the fields sent of a quiet-day rule (``active: false`` deactivates it);
    committed, audited as ``rules.quiet_day.update``.

    Raises:
        NotFoundError: no rule has this id.
        InvalidInputError: the changed rule has no day at all, or ends before it starts.
    """
    row = _row(session, rule_id)
    before = _public(row)
    try:
        merged = QuietDayRuleCreate.model_validate(
            {
                **before.model_dump(include=set(QuietDayRuleCreate.model_fields)),
                **changes.model_dump(exclude_unset=True),
            }
        )
    except ValidationError as exc:  # a field sent as null that the rule cannot be without
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InvalidInputError("不能为 null；不修改该项时请不要发送它", field) from None
    _check(merged)
    _fill(row, merged)
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    after = _public(row)
    record(
        session,
        actor,
        "rules.quiet_day.update",
        "quiet_day_rule",
        rule_id,
        snapshot(before),
        snapshot(after),
    )
    session.commit()
    return after


def get_quiet_day_rule(session: Session, rule_id: int) -> QuietDayRulePublic:
    """One quiet-day rule.

    Raises:
        NotFoundError: no rule has this id.
    """
    return _public(_row(session, rule_id))


def list_quiet_day_rules(session: Session, active_only: bool = False) -> list[QuietDayRulePublic]:
    """The quiet-day rules by id (the active ones only, when asked)."""
    query = select(QuietDayRuleRow).order_by(col(QuietDayRuleRow.id))
    if active_only:
        query = query.where(col(QuietDayRuleRow.active))
    return [_public(row) for row in session.exec(query)]


def covers(rule: QuietDayRulePublic, day: date) -> bool:
    """Whether an active rule keeps site checks out on this day (inactive rules never do)."""
    if not rule.active:
        return False
    if rule.valid_from is not None and day < rule.valid_from:
        return False
    if rule.valid_to is not None and day > rule.valid_to:
        return False
    return day.day in rule.month_days or day in rule.dates


def quiet_days_in(session: Session, days: Sequence[date]) -> list[QuietDay]:
    """For each day of a horizon, each active rule covering it with its exempt types.

    The planning problem has one exempt list: the lead takes the intersection of the
    rules' lists over the horizon, so each rule's own list is given here.

    Returns:
        One entry per day and covering rule, by day then rule id; days no rule
        covers are absent.
    """
    rules = list_quiet_day_rules(session, active_only=True)
    return [
        QuietDay(day, rule.id, rule.name, frozenset(rule.exempt_categories))
        for day in sorted(set(days))
        for rule in rules
        if covers(rule, day)
    ]


def quiet_days_between(session: Session, start: date, end: date) -> list[QuietDay]:
    """:func:`quiet_days_in` for every day from `start` to `end` (both included).

    Raises:
        InvalidInputError: `end` before `start`, or a range over 366 days.
    """
    if end < start:
        raise InvalidInputError(f"结束日 {end} 早于开始日 {start}", "end")
    length = (end - start).days + 1
    if length > MAX_CALENDAR_DAYS:
        raise InvalidInputError(f"日期范围不能超过 {MAX_CALENDAR_DAYS} 天", "end")
    return quiet_days_in(session, [start + timedelta(days=n) for n in range(length)])
