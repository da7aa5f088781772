"""Exports of published rounds: CSV, Excel and a unit's iCalendar feed."""

from __future__ import annotations

import codecs
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from icalendar import Calendar
from openpyxl import load_workbook

from inspection.services.spreadsheets.exports import (
    ROUND_HEADERS,
    RoundLine,
    round_uid,
    rounds_csv,
    rounds_xlsx,
    unit_calendar_ics,
)
from inspection.services.spreadsheets.io import read_table
from tests.support.data import FACTORY, FOOD_SHOP, UPLOAD_LIMIT

LINES = [
    RoundLine(
        day=date(2024, 6, 3),
        credit_code=FOOD_SHOP,
        enterprise_name="清城区某某小吃店",
        town="凤城街道",
        address="清远市清城区凤城街道人民一路8号",
        lead_unit="区市场监督管理局",
        units=("区市场监督管理局", "区消防救援大队"),
        items=("食品经营许可情况", "消防通道是否畅通"),
        requests=2,
        officers=("陈志明（44180020240031）", "赵国栋（44180020240101）"),
    ),
    RoundLine(
        day=date(2024, 6, 8),
        credit_code=FACTORY,
        enterprise_name="=清远市某某食品有限公司",
        town="石角镇",
        lead_unit="区市场监督管理局",
        units=("区市场监督管理局",),
        items=("原料进货查验",),
        requests=1,
    ),
]
GENERATED = datetime(2024, 5, 31, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def test_rounds_csv_opens_in_excel_and_reads_back() -> None:
    data = rounds_csv(LINES)
    assert data.startswith(codecs.BOM_UTF8)
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(ROUND_HEADERS)
    rows = read_table(data, "rounds.csv", UPLOAD_LIMIT)
    assert rows[0] == (
        2,
        {
            "日期": "2024-06-03",
            "星期": "周一",
            "镇街": "凤城街道",
            "企业名称": "清城区某某小吃店",
            "统一社会信用代码": FOOD_SHOP,
            "牵头单位": "区市场监督管理局",
            "参加单位": "区市场监督管理局、区消防救援大队",
            "检查事项": "食品经营许可情况；消防通道是否畅通",
            "合并检查数": "2",
            "执法人员": "陈志明（44180020240031）、赵国栋（44180020240101）",
        },
    )
    # Saturday; a name that Excel would run as a formula stays text
    assert rows[1][1]["星期"] == "周六"
    assert rows[1][1]["企业名称"] == "'=清远市某某食品有限公司"
    assert rows[1][1]["执法人员"] == ""  # a unit without a roster sends nobody named
    assert len(rows) == 2


def test_rounds_xlsx_has_a_header_and_one_row_per_round() -> None:
    workbook = load_workbook(io.BytesIO(rounds_xlsx(LINES, "2024年6月[联合]检查安排")))
    sheet = workbook.active
    assert sheet is not None
    assert sheet.title == "2024年6月联合检查安排"
    assert workbook.properties.title == "2024年6月[联合]检查安排"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ROUND_HEADERS
    assert values[1] == (
        datetime(2024, 6, 3),
        "周一",
        "凤城街道",
        "清城区某某小吃店",
        FOOD_SHOP,
        "区市场监督管理局",
        "区市场监督管理局、区消防救援大队",
        "食品经营许可情况；消防通道是否畅通",
        2,
        "陈志明（44180020240031）、赵国栋（44180020240101）",
    )
    assert values[2][3] == "=清远市某某食品有限公司"
    assert sheet["D3"].data_type == "s"  # text, not a formula
    assert len(values) == 3
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J3"


def test_rounds_xlsx_prints_a_week_one_page_wide_with_its_header_on_every_page() -> None:
    sheet = load_workbook(io.BytesIO(rounds_xlsx(LINES * 200, "检查安排"))).active
    assert sheet is not None
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    # one page wide, as many pages down as it takes
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"


def test_an_empty_rounds_export_still_has_its_header() -> None:
    workbook = load_workbook(io.BytesIO(rounds_xlsx([], "")))
    sheet = workbook.active
    assert sheet is not None
    assert list(sheet.iter_rows(values_only=True)) == [ROUND_HEADERS]
    assert rounds_csv([]).decode("utf-8-sig").strip() == ",".join(ROUND_HEADERS)


def test_unit_calendar_has_one_all_day_event_per_round() -> None:
    data = unit_calendar_ics("SCJG", "区市场监督管理局", LINES, generated=GENERATED)
    calendar = Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//Inspect Once//")
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == "区市场监督管理局联合检查"
    assert str(calendar["x-wr-timezone"]) == "Asia/Shanghai"
    events = calendar.events
    assert [e.uid for e in events] == [
        f"20240603-{FOOD_SHOP}-SCJG@inspect-once",
        f"20240608-{FACTORY}-SCJG@inspect-once",
    ]
    first = events[0]
    assert first.start == date(2024, 6, 3)
    assert first.end == date(2024, 6, 4)
    stamp = first.DTSTAMP
    assert stamp == datetime(2024, 5, 31, 1, 30, tzinfo=UTC)
    assert str(first["summary"]) == "联合检查：清城区某某小吃店"
    # where to go: the enterprise's address (the town alone when none is on file)
    assert str(first["location"]) == "清远市清城区凤城街道人民一路8号"
    assert str(events[1]["location"]) == "石角镇"
    description = str(first["description"])
    for part in (
        "牵头单位：区市场监督管理局",
        "区消防救援大队",
        "1. 食品经营许可情况",
        "2. 消防通道",
        "执法人员：陈志明（44180020240031）、赵国栋（44180020240101）",
    ):
        assert part in description
    assert "执法人员" not in str(events[1]["description"])


def test_calendar_uids_are_stable_and_unique() -> None:
    again = unit_calendar_ics(
        "SCJG", "区市场监督管理局", [LINES[1], LINES[0], LINES[0]], generated=datetime(2024, 6, 1)
    )
    events = Calendar.from_ical(again).events
    assert sorted(e.uid for e in events) == sorted(
        round_uid("SCJG", line.day, line.credit_code) for line in LINES
    )
    # a naive time is taken as UTC
    stamp = events[0].DTSTAMP
    assert stamp == datetime(2024, 6, 1, tzinfo=UTC)
    empty = Calendar.from_ical(unit_calendar_ics("XF", "区消防救援大队", [], generated=GENERATED))
    assert empty.events == []


def test_a_round_requests_joined_replaces_its_event_a_sequence_further() -> None:
    published, joined_at = datetime(2024, 5, 31, 1, 0), datetime(2024, 6, 4, 9, 0, tzinfo=UTC)
    first = LINES[0]
    changed = replace(
        first, units=(*first.units, "区应急管理局"), requests=3, revision=1, modified=joined_at
    )

    def event(line: RoundLine) -> Any:
        (found,) = Calendar.from_ical(
            unit_calendar_ics("SCJG", "区市场监督管理局", [line], generated=GENERATED)
        ).events
        return found

    before = event(replace(first, modified=published))
    after = event(changed)
    assert after.uid == before.uid  # the same event, updated
    assert (int(before["sequence"]), int(after["sequence"])) == (0, 1)
    assert before["last-modified"].dt == published.replace(tzinfo=UTC)  # naive is UTC
    assert after["last-modified"].dt == joined_at
    assert "区应急管理局" in str(after["description"])
    # a line without a publication time (a draft's) states no LAST-MODIFIED
    assert "last-modified" not in event(first)
