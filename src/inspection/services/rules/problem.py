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

from sqlmodel import Session

from inspection.services.rules.caps import remaining_caps
from inspection.services.rules.quiet_days import quiet_days_in
from inspection.services.rules.settings import rule_settings
from inspection.solver.schema_rules import NoDisturbRule, QuietDays, Rules

__all__ = ["problem_rules", "quiet_days_of"]


def quiet_days_of(session: Session, days: Sequence[date]) -> QuietDays:
    """The quiet days among `days`, with the kinds of check every rule covering them exempts."""
    covering = quiet_days_in(session, days)
    exempt: frozenset[str] | None = None
    for quiet in covering:
        exempt = quiet.exempt if exempt is None else exempt & quiet.exempt
    return QuietDays(
        days=tuple(sorted({quiet.day for quiet in covering})),
        exempt_categories=tuple(sorted(exempt or ())),
    )


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
    settings = rule_settings(session)
    no_disturb_exempt = sorted(str(kind) for kind in settings.no_disturb_exempt_categories)
    return Rules(
        quiet_days=quiet_days_of(session, days),
        no_disturb=NoDisturbRule(exempt_categories=tuple(no_disturb_exempt)),
        caps=remaining_caps(session, days[0], days[-1], pairs, enterprises),
        officers_per_unit=settings.officers_per_unit,
        officer_daily_rounds=settings.officer_daily_rounds,
    )
