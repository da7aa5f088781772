"""Importing enforcement units and enterprises from spreadsheet rows, one record per row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Generic, TypeVar

from pydantic import ValidationError

from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.spreadsheets.cells import (
    Problems,
    check_headers,
    credit_code,
    describe,
    parse_dates,
    parse_int,
)
from inspection.services.spreadsheets.io import TableRow

__all__ = [
    "ENTERPRISE_HEADERS",
    "REGION_HEADER",
    "UNIT_HEADERS",
    "WEEKDAY_HEADERS",
    "parse_enterprises",
    "parse_units",
]

WEEKDAY_HEADERS: Final = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
"""Capacity columns of the units file, Monday first."""
REGION_HEADER: Final = "行政区划代码"
"""The optional column naming a row's region by its code (empty: the importer's region)."""
UNIT_HEADERS: Final = (
    "单位编号",
    "单位名称",
    *WEEKDAY_HEADERS,
    "休息日",
    "联系人及电话",
    REGION_HEADER,
)
"""Headers of the units file; 休息日, 联系人及电话 (printed on the notices) and 行政区划代码
may be left out."""
ENTERPRISE_HEADERS: Final = (
    "统一社会信用代码",
    "企业名称",
    "镇街",
    "行业",
    "地址",
    "不可检查日期",
    REGION_HEADER,
)
"""Headers of the enterprises file; the last four may be left out."""

_UNIT_COLUMNS: Final = {
    "id": "单位编号",
    "name": "单位名称",
    "days_off": "休息日",
    "contact": "联系人及电话",
    "region": REGION_HEADER,
}
_ENTERPRISE_COLUMNS: Final = {
    "credit_code": "统一社会信用代码",
    "name": "企业名称",
    "town": "镇街",
    "industry": "行业",
    "address": "地址",
    "blackout_days": "不可检查日期",
    "region": REGION_HEADER,
}


def _report(
    problems: Problems,
    number: int,
    error: ValidationError,
    skip: set[str],
    column_of: dict[str, str],
) -> None:
    """Record a model's validation errors on a row, except for fields already reported."""
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        field = str(loc[0]) if loc else ""
        if field in skip:
            continue
        if field == "weekday_capacity":
            day = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
            column = WEEKDAY_HEADERS[day]
        else:
            column = column_of.get(field, next(iter(column_of.values())))
        problems.add(number, column, describe(detail))


def _dates(problems: Problems, number: int, column: str, text: str) -> list[date] | None:
    """The dates of a cell, or ``None`` once their problems are recorded."""
    dates, bad = parse_dates(text)
    for problem in bad:
        problems.add(number, column, problem)
    return None if bad else dates


_Record = TypeVar("_Record", UnitCreate, EnterpriseCreate)
# reads a row's cells into the model's fields, recording the problems it finds (and the fields
# they are about, in `skip`); returns the fields and the row's key when the key is valid
_RowReader = Callable[[Problems, int, dict[str, str], set[str]], tuple[dict[str, Any], str | None]]


@dataclass(frozen=True)
class _Sheet(Generic[_Record]):
    """A file of records, one per row, each keyed by one column that must not repeat."""

    model: type[_Record]
    headers: tuple[str, ...]
    required: int  # the first headers must be present, the others may be left out
    column_of: dict[str, str]  # field to its column, for the model's errors
    key_column: str
    repeated: str  # the problem of a key used twice, with {key} and {row}
    read_row: _RowReader

    def parse(self, rows: Sequence[TableRow]) -> list[tuple[int, _Record]]:
        check_headers(rows, self.headers[: self.required], self.headers[self.required :])
        problems = Problems(self.headers)
        records: list[tuple[int, _Record]] = []
        first_row_of: dict[str, int] = {}
        for number, row in rows:
            before = len(problems)
            skip: set[str] = set()
            raw, key = self.read_row(problems, number, row, skip)
            if key in first_row_of:
                problem = self.repeated.format(key=key, row=first_row_of[key])
                problems.add(number, self.key_column, problem)
            elif key:
                first_row_of[key] = number
            try:
                record = self.model.model_validate(raw)
            except ValidationError as exc:
                _report(problems, number, exc, skip, self.column_of)
                continue
            if len(problems) == before:
                records.append((number, record))
        problems.raise_if_any()
        return records


def _unit_row(
    problems: Problems, number: int, row: dict[str, str], skip: set[str]
) -> tuple[dict[str, Any], str | None]:
    unit_id = row.get("单位编号", "")
    raw: dict[str, Any] = {
        "id": unit_id,
        "name": row.get("单位名称", ""),
        "contact": row.get("联系人及电话", ""),
        "region": row.get(REGION_HEADER, "").strip() or None,
    }
    capacity: list[int] = []
    for day in WEEKDAY_HEADERS:
        text = row.get(day, "")
        try:
            if not text:
                raise ValueError("不能为空（当天不能参加检查请填 0）")
            capacity.append(parse_int(text))
        except ValueError as exc:
            problems.add(number, day, str(exc))
            capacity.append(0)  # a stand-in, so the other days are still checked
    raw["weekday_capacity"] = capacity
    days_off = _dates(problems, number, "休息日", row.get("休息日", ""))
    if days_off is None:
        skip.add("days_off")
    else:
        raw["days_off"] = days_off
    return raw, unit_id or None


def _enterprise_row(
    problems: Problems, number: int, row: dict[str, str], skip: set[str]
) -> tuple[dict[str, Any], str | None]:
    raw: dict[str, Any] = {
        field: row.get(column, "")
        for field, column in _ENTERPRISE_COLUMNS.items()
        if field not in ("blackout_days", "region")
    }
    raw["region"] = row.get(REGION_HEADER, "").strip() or None
    code: str | None = None
    code_text = row.get("统一社会信用代码", "")
    try:
        if not code_text:
            raise ValueError("不能为空")
        code = raw["credit_code"] = credit_code(code_text)
    except ValueError as exc:
        problems.add(number, "统一社会信用代码", str(exc))
        skip.add("credit_code")
    blackout = _dates(problems, number, "不可检查日期", row.get("不可检查日期", ""))
    if blackout is None:
        skip.add("blackout_days")
    else:
        raw["blackout_days"] = blackout
    return raw, code


_UNITS: Final = _Sheet(
    model=UnitCreate,
    headers=UNIT_HEADERS,
    required=len(UNIT_HEADERS) - 2,
    column_of=_UNIT_COLUMNS,
    key_column="单位编号",
    repeated="单位编号“{key}”与第 {row} 行重复",
    read_row=_unit_row,
)
_ENTERPRISES: Final = _Sheet(
    model=EnterpriseCreate,
    headers=ENTERPRISE_HEADERS,
    required=3,
    column_of=_ENTERPRISE_COLUMNS,
    key_column="统一社会信用代码",
    repeated="统一社会信用代码 {key} 与第 {row} 行重复",
    read_row=_enterprise_row,
)


def parse_units(rows: Sequence[TableRow]) -> list[tuple[int, UnitCreate]]:
    """Read enforcement units, one per row.

    Columns: 单位编号, 单位名称, 周一 … 周日 (how many inspections the unit can
    join that weekday, a whole number, 0 for none), 休息日 (dates separated by
    ``；;，,、``, spaces or line breaks; optional).

    Args:
        rows: What :func:`~inspection.services.spreadsheets.io.read_table` read.

    Returns:
        Each row's number and its unit, in file order.

    Raises:
        InvalidInputError: When headers are unknown or missing, or there is no data.
        TableImportError: With every problem of every row (a unit id used twice included).
    """
    return _UNITS.parse(rows)


def parse_enterprises(rows: Sequence[TableRow]) -> list[tuple[int, EnterpriseCreate]]:
    """Read enterprises, one per row.

    Columns: 统一社会信用代码 (checked with python-stdnum), 企业名称, 镇街, 行业
    (optional), 地址 (optional), 不可检查日期 (dates as in :func:`parse_units`; optional).

    Args:
        rows: What :func:`~inspection.services.spreadsheets.io.read_table` read.

    Returns:
        Each row's number and its enterprise, in file order.

    Raises:
        InvalidInputError: When headers are unknown or missing, or there is no data.
        TableImportError: With every problem of every row (a code used twice included).
    """
    return _ENTERPRISES.parse(rows)
