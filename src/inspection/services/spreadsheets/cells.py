"""Reading typed values out of spreadsheet cells, and collecting problems by row and column.

Shared by the importers of units, enterprises and checklists. Every problem is
a Chinese sentence; pydantic's English messages are translated here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Final

from pydantic_core import ErrorDetails
from stdnum import exceptions as stdnum_errors

from inspection.errors import InvalidInputError
from inspection.services.reference.models import credit_code_problem, standard_credit_code
from inspection.services.spreadsheets.io import RowError, TableImportError, TableRow

__all__ = [
    "DATE_FORMATS_HINT",
    "Problems",
    "check_headers",
    "credit_code",
    "describe",
    "parse_date",
    "parse_dates",
    "parse_int",
    "split_list",
]

_SEPARATORS: Final = re.compile(r"[；;，,、\s]+")
_DATE_FORMS: Final = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
)
_INTEGER: Final = re.compile(r"[+-]?[0-9]+")
DATE_FORMATS_HINT: Final = "2024-06-03、2024/6/3 或 2024年6月3日"
"""The date forms the importers accept, for messages and instructions."""


def split_list(text: str) -> list[str]:
    """Split a cell holding several values.

    Values may be separated by ``；;，,、``, spaces or line breaks.

    Args:
        text: The cell's text.

    Returns:
        The non-empty values, in order.
    """
    return [part for part in _SEPARATORS.split(text) if part]


def parse_date(text: str) -> date:
    """Read one date written as ``2024-06-03``, ``2024/6/3`` or ``2024年6月3日``.

    Full-width digits and punctuation are accepted too.

    Args:
        text: The text (a date cell reaches here already as ``YYYY-MM-DD``).

    Returns:
        The date.

    Raises:
        ValueError: With a Chinese message naming the text.
    """
    normal = unicodedata.normalize("NFKC", text).strip()
    for form in _DATE_FORMS:
        match = form.fullmatch(normal)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"日期“{text}”不存在") from None
    raise ValueError(f"日期“{text}”格式不正确，应写成 {DATE_FORMATS_HINT}")


def parse_dates(text: str) -> tuple[list[date], list[str]]:
    """Read a cell holding several dates (see :func:`split_list` and :func:`parse_date`).

    Args:
        text: The cell's text.

    Returns:
        The dates that could be read, and a problem for each that could not.
    """
    dates: list[date] = []
    problems: list[str] = []
    for part in split_list(text):
        try:
            dates.append(parse_date(part))
        except ValueError as exc:
            problems.append(str(exc))
    return dates, problems


def parse_int(text: str) -> int:
    """Read a whole number (full-width digits allowed).

    Raises:
        ValueError: With a Chinese message, when the text is not a whole number.
    """
    normal = unicodedata.normalize("NFKC", text).strip()
    if not _INTEGER.fullmatch(normal):
        raise ValueError(f"“{text}”不是整数")
    return int(normal)


def credit_code(text: str) -> str:
    """Check a unified social credit code with python-stdnum.

    Args:
        text: The code as typed.

    Returns:
        The code in its standard form (upper case, no spaces).

    Raises:
        ValueError: Naming the code, with python-stdnum's reason in Chinese.
    """
    try:
        return standard_credit_code(text)
    except stdnum_errors.ValidationError as exc:
        raise ValueError(f"统一社会信用代码“{text}”无效：{credit_code_problem(exc)}") from None


def check_headers(
    rows: Sequence[TableRow], required: Sequence[str], optional: Sequence[str]
) -> None:
    """Check that the file has data and the expected headers, before reading any row.

    Args:
        rows: The rows :func:`~inspection.services.spreadsheets.io.read_table` returned.
        required: Headers that must be present.
        optional: Headers that may be present.

    Raises:
        InvalidInputError: Naming the first unknown or missing header (``field`` is ``"file"``).
    """
    if not rows:
        raise InvalidInputError("文件中没有数据（第 1 行是表头，数据从第 2 行开始填写）", "file")
    present = list(dict.fromkeys(name for _, row in rows for name in row))
    known = [*required, *optional]
    for name in present:
        if name not in known:
            raise InvalidInputError(f"无法识别的表头“{name}”，表头应为：{'、'.join(known)}", "file")
    missing = [name for name in required if name not in present]
    if missing:
        raise InvalidInputError(f"缺少表头“{'”“'.join(missing)}”", "file")


def describe(error: ErrorDetails) -> str:
    """One pydantic validation error as a Chinese sentence.

    Args:
        error: An entry of ``ValidationError.errors()``.

    Returns:
        The problem; the models' own messages (already Chinese) pass through.
    """
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "missing":
        return "不能为空"
    if kind == "string_too_short":
        least = int(ctx.get("min_length", 1))
        return "不能为空" if least <= 1 else f"至少 {least} 个字符"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"^[A-Za-z0-9_-]+$":
            return "只能使用英文字母、数字、“_”和“-”"
        return "格式不正确"
    if kind == "too_short":
        return f"至少要填 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"最多只能填 {ctx.get('max_length')} 项"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    return "取值无效"


class Problems:
    """The problems found in one file, reported together at the end.

    Args:
        columns: The file's headers, in the order problems on one row are listed.
    """

    def __init__(self, columns: Sequence[str]) -> None:
        self._order = {name: index for index, name in enumerate(columns)}
        self._errors: dict[RowError, None] = {}

    def add(self, row: int, column: str, problem: str) -> None:
        """Record a problem (recording the same one twice keeps one)."""
        self._errors[RowError(row, column, problem)] = None

    def __len__(self) -> int:
        return len(self._errors)

    def raise_if_any(self) -> None:
        """Raise every recorded problem, sorted by row then column.

        Raises:
            TableImportError: When there is at least one problem.
        """
        if self._errors:
            ordered = sorted(
                self._errors, key=lambda e: (e.row, self._order.get(e.column, len(self._order)))
            )
            raise TableImportError(ordered)
