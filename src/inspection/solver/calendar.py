"""The working calendar of a problem.

A problem either lists its non-working days (then the list is complete) or
leaves them to the mainland-China statutory calendar: weekends and public
holidays off, and the weekend days made working days (调休) on. The statutory
calendar comes from the `chinese-calendar` package, a pure data table, which
is part of the format's meaning and so the one import of the core besides
pydantic and ortools. It knows a fixed range of years; a day outside it is an
error rather than a guess.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from inspection.solver.errors import UnknownCalendarError
from inspection.solver.schema import Problem

__all__ = ["is_statutory_working_day", "statutory_years", "working_days"]


@lru_cache(maxsize=1)
def statutory_years() -> tuple[int, int]:
    """The first and last year the statutory calendar knows (read once: it is a data table)."""
    import chinese_calendar  # a data table; imported on first use to keep start-up light

    known = [day.year for day in chinese_calendar.holidays]
    return min(known), max(known)


def is_statutory_working_day(day: date) -> bool:
    """Whether `day` is a working day by the mainland statutory calendar.

    Raises:
        UnknownCalendarError: `day` lies in a year the calendar does not know.
    """
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        first, last = statutory_years()
        raise UnknownCalendarError(
            "non_working_days",
            f"{day} is outside the statutory calendar ({first}-{last}); "
            "list non_working_days in the problem",
        ) from None


def working_days(problem: Problem) -> list[date]:
    """The horizon's working days, in order.

    Uses the problem's `non_working_days` when present, else the statutory calendar.

    Raises:
        UnknownCalendarError: the calendar is needed for a year it does not know.
    """
    days = problem.horizon.days()
    if problem.non_working_days is not None:
        off = set(problem.non_working_days)
        return [d for d in days if d not in off]
    return [d for d in days if is_statutory_working_day(d)]
