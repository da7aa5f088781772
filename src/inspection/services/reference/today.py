"""The district's "today": its local date, China Standard Time (UTC+8, no daylight saving).

Whatever the server's own time zone, a visit on 6 June is "today" from midnight in the
district, not from 08:00 when the server runs on UTC. The API takes the settings'
`today` instead when one is set (demos of past sample weeks, tests).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Final

__all__ = ["CHINA_STANDARD_TIME", "district_today"]

CHINA_STANDARD_TIME: Final = timezone(timedelta(hours=8), "CST")


def district_today(now: datetime | None = None) -> date:
    """The district's local date at `now` (default: the present moment)."""
    return (now or datetime.now(UTC)).astimezone(CHINA_STANDARD_TIME).date()
