"""When a visit's outcome may be recorded: from its day, and back-filled (补录) with a reason
for the rule settings' `outcome_backfill_days` after it.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from inspection.errors import ConflictError

__all__ = [
    "RecordingWindow",
    "backfill_until",
    "check_recording_open",
    "window_state",
]


class RecordingWindow(StrEnum):
    """Where a visit stands for recording its outcome, seen from a given day."""

    NOT_YET = "not_yet"
    """Before the visit's day: nothing may be recorded."""
    ON_THE_DAY = "on_the_day"
    """The visit's day: an ordinary record."""
    BACKFILL = "backfill"
    """After the day, within the window: a back-fill, with a reason."""
    CLOSED = "closed"
    """After the window: nothing may be recorded or changed any more."""


def backfill_until(day: date, backfill_days: int) -> date:
    """The last day on which a visit's outcome may still be back-filled."""
    return day + timedelta(days=backfill_days)


def window_state(day: date, today: date, backfill_days: int) -> RecordingWindow:
    """Where a visit of `day` stands on `today` under a window of `backfill_days`."""
    if today < day:
        return RecordingWindow.NOT_YET
    if today == day:
        return RecordingWindow.ON_THE_DAY
    if today <= backfill_until(day, backfill_days):
        return RecordingWindow.BACKFILL
    return RecordingWindow.CLOSED


def check_recording_open(
    day: date, today: date, backfill_days: int, what: str = "填报检查结果"
) -> RecordingWindow:
    """The window's state, when something may be recorded on `today`.

    Raises:
        ConflictError: before the visit's day, or after the back-fill window (field ``code``,
            naming the day and the limit).
    """
    state = window_state(day, today, backfill_days)
    if state is RecordingWindow.NOT_YET:
        raise ConflictError(f"该检查的日期是 {day.isoformat()}，当天起才能{what}", "code")
    if state is RecordingWindow.CLOSED:
        until = backfill_until(day, backfill_days)
        raise ConflictError(
            f"补录期限已过：检查日期 {day.isoformat()} 后 {backfill_days} 天内"
            f"（至 {until.isoformat()}）可补录，现已不能{what}",
            "code",
        )
    return state
