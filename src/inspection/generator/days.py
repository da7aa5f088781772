"""Planning periods and request windows on the statutory working calendar.

Days are handled as proleptic ordinals (``date.toordinal()``) while generating,
which keeps the loops of the province-wide preset cheap. The calendar covers
the horizon and a few weeks either side, because some windows reach outside it.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from inspection.solver.calendar import is_statutory_working_day

__all__ = ["Period", "WorkCalendar", "pick_period"]

_FIRST_DAY = date(2024, 1, 1)
# The statutory calendar ends with 2026; windows reach up to a few weeks past a
# horizon, so the last horizon ends well before the year does.
_LAST_DAY = date(2026, 11, 30)
_MARGIN_DAYS = 28
_OUTSIDE_REACH_DAYS = 14


@dataclass(frozen=True)
class Period:
    """A planning horizon and the label used in problem names (``2024-W23``, ``2024-10``)."""

    label: str
    start: date
    end: date


@lru_cache(maxsize=4096)
def _working(ordinal: int) -> bool:
    return is_statutory_working_day(date.fromordinal(ordinal))


def _weeks() -> list[Period]:
    """Every Monday-to-Sunday week with exactly its five weekdays working."""
    weeks = []
    monday = _FIRST_DAY + timedelta(days=(7 - _FIRST_DAY.weekday()) % 7)
    while monday + timedelta(days=6) <= _LAST_DAY:
        first = monday.toordinal()
        if all(_working(first + offset) == (offset < 5) for offset in range(7)):
            year, week, _ = monday.isocalendar()
            weeks.append(Period(f"{year}-W{week:02d}", monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return weeks


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _months() -> list[Period]:
    """Every month with a public holiday or a make-up working day (调休) in it."""
    months = []
    for year in range(_FIRST_DAY.year, _LAST_DAY.year + 1):
        for month in range(1, 13):
            start, end = date(year, month, 1), _month_end(year, month)
            if end > _LAST_DAY:
                continue
            ordinals = range(start.toordinal(), end.toordinal() + 1)
            if any(_working(o) != (date.fromordinal(o).weekday() < 5) for o in ordinals):
                months.append(Period(f"{year}-{month:02d}", start, end))
    return months


def _quarters() -> list[Period]:
    quarters = []
    for year in range(_FIRST_DAY.year, _LAST_DAY.year + 1):
        for quarter in range(4):
            start = date(year, 3 * quarter + 1, 1)
            end = _month_end(year, 3 * quarter + 3)
            if end <= _LAST_DAY:
                quarters.append(Period(f"{year}-Q{quarter + 1}", start, end))
    return quarters


def pick_period(rng: random.Random, length: str) -> Period:
    """A horizon of the given length (``week``, ``month`` or ``quarter``) in 2024-2026.

    Weeks have five working days; months have some holiday or make-up day in them.
    """
    choices = {"week": _weeks, "month": _months, "quarter": _quarters}[length]()
    return rng.choice(choices)


class WorkCalendar:
    """Working days in and around a horizon, and the windows requests draw on them.

    Attributes:
        start: First day of the horizon (ordinal).
        end: Last day of the horizon (ordinal).
        days: Working days from a few weeks before to a few weeks after the horizon.
        horizon_days: The working days inside the horizon.
        non_working: The horizon's non-working days, as dates.
    """

    def __init__(self, period: Period) -> None:
        self.start = period.start.toordinal()
        self.end = period.end.toordinal()
        around = range(self.start - _MARGIN_DAYS, self.end + _MARGIN_DAYS + 1)
        self.days = [o for o in around if _working(o)]
        self._first_inside = bisect_left(self.days, self.start)
        self._last_inside = bisect_right(self.days, self.end) - 1
        self.horizon_days = self.days[self._first_inside : self._last_inside + 1]
        self.non_working = [
            date.fromordinal(o) for o in range(self.start, self.end + 1) if not _working(o)
        ]
        self._weeks = self._week_spans()
        self._months = self._month_spans()
        self._holidays = self._holiday_runs()

    def _week_spans(self) -> list[tuple[int, int]]:
        """Monday-to-Sunday weeks with a working day in the horizon, as (first, last) ordinals."""
        monday = self.start - date.fromordinal(self.start).weekday()
        weeks = [(first, first + 6) for first in range(monday, self.end + 1, 7)]
        # A unit does not plan a week that is all holiday (the 1 May week, say).
        return [(a, b) for a, b in weeks if any(a <= d <= b for d in self.horizon_days)]

    def _month_spans(self) -> list[tuple[int, int]]:
        """Calendar months overlapping the horizon, as (first, last) ordinals."""
        spans = []
        first = date.fromordinal(self.start).replace(day=1)
        while first.toordinal() <= self.end:
            last = _month_end(first.year, first.month)
            spans.append((first.toordinal(), last.toordinal()))
            first = last + timedelta(days=1)
        return spans

    def _holiday_runs(self) -> list[tuple[int, int]]:
        """Runs of three or more days off inside the horizon that include a weekday."""
        runs = []
        ordinal = self.start
        while ordinal <= self.end:
            if _working(ordinal):
                ordinal += 1
                continue
            first = ordinal
            while ordinal <= self.end and not _working(ordinal):
                ordinal += 1
            last = ordinal - 1
            has_weekday = any(date.fromordinal(o).weekday() < 5 for o in range(first, last + 1))
            if last - first >= 2 and has_weekday:
                runs.append((first, last))
        return runs

    def narrow(self, rng: random.Random, spans: tuple[int, int], outside: float) -> tuple[int, int]:
        """A window of a few consecutive working days.

        Args:
            rng: The random source.
            spans: Fewest and most working days in the window.
            outside: Chance that the window may reach past either end of the horizon.
        """
        inside = len(self.horizon_days)
        length = rng.randint(*spans)
        if rng.random() < outside:
            # Any placement that still touches the horizon.
            first = rng.randint(self._first_inside - length + 1, self._last_inside)
        else:
            first = self._first_inside + rng.randint(0, max(0, inside - length))
        last = min(first + length - 1, len(self.days) - 1)
        return self.days[max(first, 0)], self.days[last]

    def whole(self, rng: random.Random, outside: float) -> tuple[int, int]:
        """The whole horizon, now and then stretched a little past one or both ends."""
        earliest, latest = self.start, self.end
        if rng.random() < outside:
            reach = rng.random()
            if reach < 0.6:
                earliest -= rng.randint(1, _OUTSIDE_REACH_DAYS)
            if reach > 0.4:
                latest += rng.randint(1, _OUTSIDE_REACH_DAYS)
        return earliest, latest

    def week(self, rng: random.Random) -> tuple[int, int]:
        """A calendar week (Monday to Sunday) overlapping the horizon."""
        return rng.choice(self._weeks)

    def month(self, rng: random.Random) -> tuple[int, int]:
        """A calendar month overlapping the horizon."""
        return rng.choice(self._months)

    def holiday(self, rng: random.Random) -> tuple[int, int] | None:
        """A public-holiday stretch inside the horizon, or None if it has none."""
        return rng.choice(self._holidays) if self._holidays else None
