"""Rule rows stored directly, for tests of what reads them (their use cases are tested with
their own wing)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from inspection.db.tables import CapRuleRow, QuietDayRuleRow

__all__ = ["add_cap_rule", "add_quiet_rule"]


def add_cap_rule(
    session: Session,
    unit_id: str | None,
    limit: int,
    industry: str = "",
    risk_class: str = "",
    basis: str = "",
) -> int:
    """Store an active cap rule (committed); its id."""
    now = datetime.now(UTC)
    row = CapRuleRow(
        unit_id=unit_id,
        yearly_limit=limit,
        industry=industry,
        risk_class=risk_class,
        basis=basis,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id


def add_quiet_rule(
    session: Session,
    month_days: list[int],
    exempt: list[str],
    dates: list[str] | None = None,
    active: bool = True,
) -> QuietDayRuleRow:
    """Store a quiet-day rule (committed)."""
    now = datetime.now(UTC)
    row = QuietDayRuleRow(
        name="宁静日",
        month_days=month_days,
        dates=dates or [],
        exempt_categories=exempt,
        active=active,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.commit()
    return row
