"""Importing enterprises' classes (风险等级, 信用等级, 无事不扰) from a spreadsheet.

One row per enterprise, named by its credit code. A class is changed only where
its cell is filled: an empty 风险等级 leaves the stored risk grade as it is (clearing
a grade is done one enterprise at a time, on the desk or with PATCH); 无事不扰 否 takes
an enterprise off the list. Every row is checked first; the file is stored whole or
not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from pydantic import ValidationError
from sqlmodel import Session

from inspection.db import repository
from inspection.errors import InvalidInputError
from inspection.services.access import Actor
from inspection.services.reference.classes import ClassesUpdate, apply_classes, check_classes
from inspection.services.spreadsheets.cells import (
    Problems,
    check_headers,
    credit_code,
    describe,
    parse_date,
)
from inspection.services.spreadsheets.io import RowError, TableImportError, TableRow, read_table

__all__ = ["CLASS_HEADERS", "import_classes", "parse_classes"]

CLASS_HEADERS: Final = (
    "统一社会信用代码",
    "风险等级",
    "风险等级来源",
    "风险等级日期",
    "信用等级",
    "信用等级来源",
    "信用等级日期",
    "无事不扰",
    "无事不扰来源",
    "纳入日期",
)
"""Headers of the classes file; only 统一社会信用代码 is required."""

# a class's value column, then its source and date columns, by field
_GROUPS: Final = (
    (("risk_class", "风险等级"), ("risk_source", "风险等级来源"), ("risk_as_of", "风险等级日期")),
    (
        ("credit_class", "信用等级"),
        ("credit_source", "信用等级来源"),
        ("credit_as_of", "信用等级日期"),
    ),
    (
        ("no_disturb", "无事不扰"),
        ("no_disturb_source", "无事不扰来源"),
        ("no_disturb_since", "纳入日期"),
    ),
)
_COLUMN_OF: Final = {field: column for group in _GROUPS for field, column in group}
_YES_NO: Final = {"是": True, "否": False}


def _group(problems: Problems, number: int, row: dict[str, str], group: Any) -> dict[str, object]:
    """The fields of one class a row fills, its problems recorded."""
    (value_field, value_column), (source_field, source_column), (date_field, date_column) = group
    value_text = row.get(value_column, "")
    if not value_text:
        if row.get(source_column, "") or row.get(date_column, ""):
            problems.add(number, value_column, f"填写了{source_column}或日期，但{value_column}为空")
        return {}
    raw: dict[str, object] = {source_field: row.get(source_column, "")}
    if value_field == "no_disturb":
        if value_text not in _YES_NO:
            problems.add(number, value_column, f"“{value_text}”应为“是”或“否”")
            return {}
        raw[value_field] = _YES_NO[value_text]
    else:
        raw[value_field] = value_text
    date_text = row.get(date_column, "")
    if date_text:
        try:
            raw[date_field] = parse_date(date_text)
        except ValueError as exc:
            problems.add(number, date_column, str(exc))
    return raw


def parse_classes(rows: Sequence[TableRow]) -> list[tuple[int, str, ClassesUpdate]]:
    """Read each row's credit code and the classes it sets.

    Raises:
        InvalidInputError: unknown or missing headers, or no data.
        TableImportError: every problem of every row (a code used twice included).
    """
    check_headers(rows, CLASS_HEADERS[:1], CLASS_HEADERS[1:])
    problems = Problems(CLASS_HEADERS)
    parsed: list[tuple[int, str, ClassesUpdate]] = []
    first_row_of: dict[str, int] = {}
    for number, row in rows:
        before = len(problems)
        code = ""
        try:
            code = credit_code(row.get("统一社会信用代码", "") or "")
        except ValueError as exc:
            problems.add(
                number, "统一社会信用代码", str(exc) if row.get("统一社会信用代码") else "不能为空"
            )
        if code in first_row_of:
            problems.add(
                number,
                "统一社会信用代码",
                f"统一社会信用代码 {code} 与第 {first_row_of[code]} 行重复",
            )
        elif code:
            first_row_of[code] = number
        raw: dict[str, object] = {}
        for group in _GROUPS:
            raw.update(_group(problems, number, row, group))
        try:
            changes = ClassesUpdate.model_validate(raw)
        except ValidationError as exc:
            for detail in exc.errors(include_url=False):
                field = str(detail["loc"][0]) if detail["loc"] else ""
                problems.add(number, _COLUMN_OF.get(field, "统一社会信用代码"), describe(detail))
            continue
        if len(problems) == before:
            parsed.append((number, code, changes))
    problems.raise_if_any()
    return parsed


def import_classes(
    session: Session, actor: Actor, data: bytes, filename: str | None, max_bytes: int
) -> list[str]:
    """Set the classes of every enterprise of a file, or of none (committed).

    Returns:
        The credit codes changed, in file order.

    Raises:
        TableImportError: every problem found (unknown enterprises, a class without
            its source or date), each with its row and column.
        InvalidInputError: the file cannot be read at all, or is over `max_bytes`.
    """
    parsed = parse_classes(read_table(data, filename, max_bytes))
    known = repository.existing_enterprises(session, {code for _, code, _ in parsed})
    errors: list[RowError] = []
    for number, code, changes in parsed:
        if code not in known:
            errors.append(
                RowError(number, "统一社会信用代码", f"未知的企业 {code}，请先导入企业名录")
            )
            continue
        try:
            check_classes(session, code, changes)
        except InvalidInputError as exc:
            errors.append(
                RowError(number, _COLUMN_OF.get(exc.field or "", "统一社会信用代码"), exc.detail)
            )
    if errors:
        raise TableImportError(errors)
    for _, code, changes in parsed:
        apply_classes(session, actor, code, changes)
    session.commit()
    return [code for _, code, _ in parsed]
