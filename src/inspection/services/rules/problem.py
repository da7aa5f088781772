"""What of the rules of lawful inspection a plan's problem carries (format 1.1's `rules`).

- **Caps**: what is left of each yearly cap for the horizon (:mod:`.caps`).
- **Quiet days**: the horizon's days that an active quiet-day rule covers. The format
  has one exempt list per problem, so when several rules with different exemptions
  cover the horizon, only the kinds every one of them exempts stay exempt: stricter
  than one rule alone on some days, never less lawful than any.
- **No-disturb**: the exempt kinds of the rule settings (the enterprises' own flag is
  carried on each enterprise).
- **Officers per unit and daily rounds**: the rule settings'.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from sqlmodel import Session, col, select

from inspection.db.tables import QuietDayRuleRow, RuleSettingsRow
from inspection.services.rules.caps import remaining_caps
from inspection.solver.schema_rules import NoDisturbRule, QuietDays, Rules

__all__ = ["covers", "problem_rules", "quiet_days_of"]


def covers(rule: QuietDayRuleRow, day: date) -> bool:
    """Whether an active quiet-day rule makes `day` quiet."""
    if not rule.active:
        return False
    if rule.valid_from is not None and day < rule.valid_from:
        return False
    if rule.valid_to is not None and day > rule.valid_to:
        return False
    return day.day in rule.month_days or day.isoformat() in rule.dates


def quiet_days_of(session: Session, days: Sequence[date]) -> QuietDays:
    """The quiet days among `days`, with the kinds of check every rule covering them exempts."""
    rules = list(
        session.exec(
            select(QuietDayRuleRow)
            .where(col(QuietDayRuleRow.active))
            .order_by(col(QuietDayRuleRow.id))
        )
    )
    quiet: list[date] = []
    exempt: set[str] | None = None
    for day in days:
        covering = [rule for rule in rules if covers(rule, day)]
        if not covering:
            continue
        quiet.append(day)
        for rule in covering:
            kinds = set(rule.exempt_categories)
            exempt = kinds if exempt is None else exempt & kinds
    return QuietDays(days=tuple(quiet), exempt_categories=tuple(sorted(exempt or ())))


def problem_rules(
    session: Session,
    days: Sequence[date],
    pairs: Collection[tuple[str, str]],
    enterprises: Mapping[str, tuple[str, str | None]],
) -> Rules:
    """The rules a problem over `days` carries.

    Args:
        session: The session to read with.
        days: The horizon's days, in order.
        pairs: The (unit, enterprise) pairs the problem's requests name.
        enterprises: The problem's enterprises: credit code to (industry, risk class).
    """
    settings = session.get(RuleSettingsRow, 1)
    no_disturb_exempt = () if settings is None else tuple(settings.no_disturb_exempt_categories)
    return Rules(
        quiet_days=quiet_days_of(session, days),
        no_disturb=NoDisturbRule(exempt_categories=tuple(sorted(no_disturb_exempt))),
        caps=remaining_caps(session, days[0], days[-1], pairs, enterprises),
        officers_per_unit=2 if settings is None else settings.officers_per_unit,
        officer_daily_rounds=1 if settings is None else settings.officer_daily_rounds,
    )
