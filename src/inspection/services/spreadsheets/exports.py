"""Published rounds for people and their calendars: CSV, Excel and iCalendar files.

Pure functions over :class:`RoundLine` values the caller has queried and sorted;
nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final

from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from inspection.services.spreadsheets.io import (
    CellValue,
    fill_sheet,
    safe_sheet_title,
    table_csv,
    workbook_bytes,
)

__all__ = [
    "ROUND_HEADERS",
    "RoundLine",
    "round_uid",
    "rounds_csv",
    "rounds_xlsx",
    "unit_calendar_ics",
]

ROUND_HEADERS: Final = (
    "日期",
    "星期",
    "镇街",
    "企业名称",
    "统一社会信用代码",
    "牵头单位",
    "参加单位",
    "检查事项",
    "合并检查数",
    "执法人员",
)
"""Columns of the rounds export."""
_WEEKDAYS: Final = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_PRODID: Final = "-//Inspect Once//综合查一次//ZH"
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RoundLine:
    """One joint inspection of one enterprise on one day, as exported.

    Attributes:
        day: The day of the visit.
        credit_code: The enterprise's unified social credit code.
        enterprise_name: The enterprise's name.
        town: The town (镇街) it is in.
        lead_unit: The unit leading the visit.
        units: Every unit taking part (names or ids, as the caller chooses).
        items: The items to check.
        requests: How many checklist requests the visit covers.
        address: The enterprise's address, if it is on file (where the visit goes).
        revision: How many times the announced visit changed (requests joined it).
        modified: When its current content was published, if it is.
        officers: Who inspects, as ``姓名（执法证号）`` (the solver's draw; none when the
            units have no roster).
    """

    day: date
    credit_code: str
    enterprise_name: str
    town: str
    lead_unit: str
    units: tuple[str, ...]
    items: tuple[str, ...]
    requests: int
    address: str = ""
    revision: int = 0
    modified: datetime | None = None
    officers: tuple[str, ...] = ()


def _cells(line: RoundLine) -> tuple[CellValue, ...]:
    return (
        line.day,
        _WEEKDAYS[line.day.weekday()],
        line.town,
        line.enterprise_name,
        line.credit_code,
        line.lead_unit,
        "、".join(line.units),
        "；".join(line.items),
        line.requests,
        "、".join(line.officers),
    )


def _defused(value: CellValue) -> CellValue:
    """Text that Excel would run as a formula, made plain text (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def rounds_csv(lines: Iterable[RoundLine]) -> bytes:
    """The rounds as a CSV file for Excel (UTF-8 with a byte order mark).

    Units are joined with ``、``, items with ``；``. Text that Excel would take
    for a formula (starting with ``=``, ``+``, ``-`` or ``@``) gets a leading ``'``.

    Args:
        lines: The rounds, in the order to list them.

    Returns:
        The file's bytes, with the :data:`ROUND_HEADERS` header.
    """
    return table_csv(ROUND_HEADERS, ([_defused(value) for value in _cells(line)] for line in lines))


def rounds_xlsx(lines: Iterable[RoundLine], title: str) -> bytes:
    """The rounds as an .xlsx file of one sheet with a filter on the header.

    Args:
        lines: The rounds, in the order to list them.
        title: The sheet's name and the document title (e.g. ``2024年6月联合检查``).

    Returns:
        The file's bytes: the :data:`ROUND_HEADERS` header in row 1, one round per
        row with real date cells; text never becomes a formula. It prints landscape,
        one page wide, the header repeated on every page.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = safe_sheet_title(title, "检查安排")
    workbook.properties.title = title
    fill_sheet(sheet, ROUND_HEADERS, (_cells(line) for line in lines))
    for letter, width in (("G", 30), ("H", 50), ("J", 30)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=10):
        for cell in row:
            if cell.column in (7, 8, 10):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.auto_filter.ref = sheet.dimensions
    _print_setup(sheet)
    return workbook_bytes(workbook)


def _print_setup(sheet: Worksheet) -> None:
    """Print on A4 landscape, every column on one page's width, the header on every page.

    Without it a week printed on eight portrait pages, its columns split across them.
    """
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.print_title_rows = "1:1"


def _description(line: RoundLine) -> str:
    parts = [
        f"企业：{line.enterprise_name}（{line.credit_code}）",
        f"镇街：{line.town}",
        f"牵头单位：{line.lead_unit}",
        f"参加单位：{'、'.join(line.units)}",
        f"合并检查数：{line.requests}",
        *([f"执法人员：{'、'.join(line.officers)}"] if line.officers else []),
        "检查事项：",
        *(f"{number}. {item}" for number, item in enumerate(line.items, start=1)),
    ]
    return "\n".join(parts)


def _utc(moment: datetime) -> datetime:
    """A moment in UTC; a naive one (as SQLite gives them back) already is."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def round_uid(unit_id: str, day: date, credit_code: str) -> str:
    """The iCalendar UID of a unit's round: the same on every export, so updates replace it."""
    return f"{day:%Y%m%d}-{credit_code}-{unit_id}@inspect-once"


def unit_calendar_ics(
    unit_id: str,
    unit_name: str,
    lines: Sequence[RoundLine],
    *,
    generated: datetime,
    calendar_name: str | None = None,
) -> bytes:
    """A unit's rounds as an iCalendar feed of all-day events (RFC 5545).

    An event's UID stays the same for the unit, day and enterprise; when requests
    join a round, its SEQUENCE (the round's revision) grows and its LAST-MODIFIED
    moves to that publication, so calendars that already hold it replace it.

    Args:
        unit_id: The unit's id, part of every event's UID.
        unit_name: The unit's name, for the calendar's name.
        lines: The unit's rounds; a second round of the same enterprise on the
            same day would share a UID and is left out.
        generated: When the feed was made (DTSTAMP); a naive time is taken as UTC.
        calendar_name: The calendar's name (default: the unit's name and 联合检查).

    Returns:
        The ``text/calendar`` body.
    """
    stamp = _utc(generated)
    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name or f"{unit_name}联合检查")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    seen: set[str] = set()
    for line in lines:
        uid = round_uid(unit_id, line.day, line.credit_code)
        if uid in seen:
            continue
        seen.add(uid)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("sequence", line.revision)
        if line.modified is not None:
            event.add("last-modified", _utc(line.modified))
        event.add("dtstart", line.day)
        event.add("dtend", line.day + timedelta(days=1))
        event.add("summary", f"联合检查：{line.enterprise_name}")
        # where the inspectors go: the address; the town alone when none is on file
        event.add("location", line.address or line.town)
        event.add("description", _description(line))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
