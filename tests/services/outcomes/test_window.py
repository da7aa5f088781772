"""The recording window: the district's own date, the day itself, the back-fill days, closed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from inspection.errors import ConflictError
from inspection.services.outcomes.window import (
    RecordingWindow,
    backfill_until,
    check_recording_open,
    window_state,
)
from inspection.services.reference.today import CHINA_STANDARD_TIME, district_today

DAY = date(2024, 6, 5)


def test_the_district_s_today_is_its_local_date() -> None:
    assert CHINA_STANDARD_TIME.utcoffset(None) == timedelta(hours=8)
    before, today, after = (
        (datetime.now(UTC) + timedelta(hours=8)).date(),
        district_today(),
        (datetime.now(UTC) + timedelta(hours=8)).date(),
    )
    assert today in (before, after)


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (-1, RecordingWindow.NOT_YET),
        (0, RecordingWindow.ON_THE_DAY),
        (1, RecordingWindow.BACKFILL),
        (10, RecordingWindow.BACKFILL),
        (11, RecordingWindow.CLOSED),
    ],
)
def test_each_day_s_state_under_ten_days(offset: int, state: RecordingWindow) -> None:
    assert window_state(DAY, DAY + timedelta(days=offset), 10) is state


def test_a_window_of_no_days_allows_the_day_only() -> None:
    assert backfill_until(DAY, 0) == DAY
    assert window_state(DAY, DAY, 0) is RecordingWindow.ON_THE_DAY
    assert window_state(DAY, DAY + timedelta(days=1), 0) is RecordingWindow.CLOSED
    with pytest.raises(ConflictError, match=r"至 2024-06-05"):
        check_recording_open(DAY, DAY + timedelta(days=1), 0)
    assert check_recording_open(DAY, DAY, 0) is RecordingWindow.ON_THE_DAY
