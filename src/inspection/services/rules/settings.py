"""The district's rule settings: exempt categories, the officers' draw and the outcomes'
back-fill window, one row (id 1)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from inspection.db import prebuilt
from inspection.db.tables import RuleSettingsRow
from inspection.errors import NotFoundError
from inspection.services.access import Actor
from inspection.services.reference.kinds import InspectionType
from inspection.services.rules.models import RuleSettingsPublic, RuleSettingsUpdate
from inspection.services.trust.audit import record, snapshot

__all__ = [
    "MISSING_SETTINGS",
    "SETTINGS_ID",
    "cap_exempt_kinds",
    "rule_settings",
    "update_rule_settings",
]

SETTINGS_ID = 1
"""The one row's id (the migration creates it with the district's defaults)."""


MISSING_SETTINGS = "规则设置不存在，请先升级数据库（inspection db upgrade）"


def _row(session: Session) -> RuleSettingsRow:
    row = session.get(RuleSettingsRow, SETTINGS_ID)
    if row is None:  # only a database that skipped migration 0011 lacks it
        raise NotFoundError(MISSING_SETTINGS, "settings")
    return row


def _public(row: RuleSettingsRow) -> RuleSettingsPublic:
    return RuleSettingsPublic(
        cap_exempt_categories=[InspectionType(c) for c in row.cap_exempt_categories],
        no_disturb_exempt_categories=[InspectionType(c) for c in row.no_disturb_exempt_categories],
        officers_per_unit=row.officers_per_unit,
        officer_daily_rounds=row.officer_daily_rounds,
        outcome_backfill_days=row.outcome_backfill_days,
        updated_at=row.updated_at,
    )


def rule_settings(session: Session) -> RuleSettingsPublic:
    """The district's rule settings (for the desk, and for the problem's `rules`).

    Raises:
        NotFoundError: the database was not migrated (no settings row).
    """
    return _public(_row(session))


def cap_exempt_kinds(session: Session) -> list[InspectionType]:
    """The kinds of check the yearly caps do not count, as :func:`rule_settings` says
    (one column, by a prebuilt statement: every submission reads it).

    Raises:
        NotFoundError: the database was not migrated (no settings row).
    """
    kinds = prebuilt.cap_exempt_categories(session, SETTINGS_ID)
    if kinds is None:
        raise NotFoundError(MISSING_SETTINGS, "settings")
    return [InspectionType(c) for c in kinds]


def update_rule_settings(
    session: Session, actor: Actor, data: RuleSettingsUpdate
) -> RuleSettingsPublic:
    """Replace the district's rule settings (committed, audited as ``rules.settings.update``).

    Raises:
        NotFoundError: the database was not migrated (no settings row).
    """
    row = _row(session)
    before = snapshot(_public(row))
    row.cap_exempt_categories = [str(c) for c in data.cap_exempt_categories]
    row.no_disturb_exempt_categories = [str(c) for c in data.no_disturb_exempt_categories]
    row.officers_per_unit = data.officers_per_unit
    row.officer_daily_rounds = data.officer_daily_rounds
    row.outcome_backfill_days = data.outcome_backfill_days
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    after = _public(row)
    record(
        session,
        actor,
        "rules.settings.update",
        "rule_settings",
        SETTINGS_ID,
        before,
        snapshot(after),
    )
    session.commit()
    return after
