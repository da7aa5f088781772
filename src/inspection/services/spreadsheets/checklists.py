"""Importing checklists from spreadsheet rows, one row per item (the blank file: `.template`).

Rows sharing a 清单编号 form one checklist. Its own columns (unit, title, type,
window, priority) are read from its first row; later rows leave them empty or
repeat them. Each row may add one item (检查事项 + 法律依据) and any number of
targets (检查对象).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from inspection.services.checklists.models import ChecklistCreate, InspectionType
from inspection.services.reference.kinds import TYPE_NAMES
from inspection.services.spreadsheets.cells import (
    Problems,
    check_headers,
    credit_code,
    describe,
    parse_date,
    parse_int,
    split_list,
)
from inspection.services.spreadsheets.io import (
    TableRow,
)

__all__ = [
    "CHECKLIST_HEADERS",
    "TYPE_HINT",
    "ParsedChecklist",
    "parse_checklists",
]

CHECKLIST_HEADERS: Final = (
    "清单编号",
    "执法单位编号",
    "清单名称",
    "检查类型",
    "最早日期",
    "最晚日期",
    "优先级",
    "检查事项",
    "法律依据",
    "检查对象",
    "事项编码",
    "现场检查理由",
)
"""Headers of the checklists file; 检查类型, 优先级, 事项编码 (the catalogue item's code,
per item) and 现场检查理由 (why items checkable off-site need a visit) may be left out."""
_OPTIONAL: Final = ("检查类型", "优先级", "事项编码", "现场检查理由")
_PER_CHECKLIST: Final = (
    "执法单位编号",
    "清单名称",
    "检查类型",
    "最早日期",
    "最晚日期",
    "优先级",
    "现场检查理由",
)
_COLUMN_OF: Final = {
    "unit_id": "执法单位编号",
    "title": "清单名称",
    "inspection_type": "检查类型",
    "earliest": "最早日期",
    "latest": "最晚日期",
    "priority": "优先级",
    "onsite_reason": "现场检查理由",
}

# a type may be written in Chinese, as the spreadsheet names it, or as the API's code
_TYPES: Final[dict[str, InspectionType]] = {
    **{name: kind for kind, name in TYPE_NAMES.items()},
    **{str(kind): kind for kind in InspectionType},
}
TYPE_HINT: Final = "检查类型应为" + "".join(f"“{name}”" for name in TYPE_NAMES.values())
"""What the type column accepts, for messages and the template's drop-down."""


@dataclass(frozen=True)
class ParsedChecklist:
    """A checklist read from a file, with where each part came from.

    Attributes:
        reference: Its 清单编号 in the file.
        first_row: The row its own columns were read from.
        data: The validated checklist.
        target_rows: The row of each target, aligned with ``data.targets``.
        item_rows: The row of each item, aligned with ``data.items``.
    """

    reference: str
    first_row: int
    data: ChecklistCreate
    target_rows: tuple[int, ...]
    item_rows: tuple[int, ...] = ()


def _inspection_type(text: str) -> InspectionType:
    key = text.strip().lower().removesuffix("检查")
    if key not in _TYPES:
        raise ValueError(f"“{text}”无法识别，{TYPE_HINT}")
    return _TYPES[key]


def _priority(text: str) -> int:
    try:
        return parse_int(text)
    except ValueError:
        raise ValueError(f"“{text}”无法识别，优先级应为 1 到 5 的整数") from None


_READERS: Final[dict[str, Callable[[str], object]]] = {
    "检查类型": _inspection_type,
    "最早日期": parse_date,
    "最晚日期": parse_date,
    "优先级": _priority,
}


def _canonical(column: str, text: str) -> object:
    """The value a checklist-level cell stands for, so ``2024/6/3`` equals ``2024-06-03``."""
    reader = _READERS.get(column)
    if reader is not None:
        try:
            return reader(text)
        except ValueError:
            pass
    return text


@dataclass
class _Group:
    """The rows of one checklist, and what has been read from them so far."""

    reference: str
    rows: list[TableRow]
    raw: dict[str, Any]
    reported: set[str]
    item_rows: list[int]
    target_rows: list[int]


def _read_own_columns(group: _Group, problems: Problems) -> None:
    """Read the checklist's own columns from its first row; check its later rows agree."""
    first_row, first = group.rows[0]
    group.raw["reference"] = group.reference  # the unit's own number: it names the checklist
    group.raw["unit_id"] = first.get("执法单位编号", "")
    group.raw["title"] = first.get("清单名称", "")
    if first.get("现场检查理由", ""):
        group.raw["onsite_reason"] = first["现场检查理由"]
    for field, column in _COLUMN_OF.items():
        reader = _READERS.get(column)
        text = first.get(column, "")
        if reader is None or (not text and column in _OPTIONAL):
            continue
        try:
            if not text:
                raise ValueError("不能为空")
            group.raw[field] = reader(text)
        except ValueError as exc:
            problems.add(first_row, column, str(exc))
            group.reported.add(field)
    earliest, latest = group.raw.get("earliest"), group.raw.get("latest")
    if isinstance(earliest, date) and isinstance(latest, date) and earliest > latest:
        # the model says the same, but only once every field is valid
        problems.add(
            first_row, "最早日期", f"检查时间窗口的开始日期 {earliest} 晚于结束日期 {latest}"
        )
    for number, row in group.rows[1:]:
        for column in _PER_CHECKLIST:
            text, expected = row.get(column, ""), first.get(column, "")
            if text and _canonical(column, text) != _canonical(column, expected):
                shown = f"“{expected}”" if expected else "空白"
                problems.add(
                    number,
                    column,
                    f"与本清单第 {first_row} 行的{shown}不一致："
                    f"同一清单编号的其他行，此列应留空或与第一行相同",
                )


def _read_items_and_targets(group: _Group, problems: Problems) -> None:
    """Collect one item per row that has one, and the union of the rows' targets."""
    items: list[dict[str, str | None]] = []
    targets: list[str] = []
    row_of: dict[str, int] = {}
    for number, row in group.rows:
        name, basis = row.get("检查事项", ""), row.get("法律依据", "")
        if name or basis:
            items.append({"name": name, "legal_basis": basis, "code": row.get("事项编码") or None})
            group.item_rows.append(number)
        for text in split_list(row.get("检查对象", "")):
            try:
                code = credit_code(text)
            except ValueError as exc:
                problems.add(number, "检查对象", str(exc))
                group.reported.add("targets")
                continue
            if code in row_of:
                where = "本行" if row_of[code] == number else f"第 {row_of[code]} 行"
                problems.add(number, "检查对象", f"检查对象 {code} 重复（{where}已经填写过）")
                continue
            row_of[code] = number
            targets.append(code)
            group.target_rows.append(number)
    group.raw["items"] = items
    group.raw["targets"] = targets


def _locate(group: _Group, error: ErrorDetails) -> tuple[int, str, str]:
    """The row, column and problem of one of the model's errors."""
    loc = error["loc"]
    first_row = group.rows[0][0]
    problem = describe(error)
    if not loc:  # a model-level rule: the window
        return first_row, "最早日期", problem
    field, index = str(loc[0]), loc[1] if len(loc) > 1 else None
    if field in _COLUMN_OF:
        return first_row, _COLUMN_OF[field], problem
    if field == "items":
        column = {"legal_basis": "法律依据", "code": "事项编码"}.get(str(loc[-1]), "检查事项")
        if isinstance(index, int):
            return group.item_rows[index], column, problem
        if error["type"] == "too_short":
            return first_row, column, "至少要有 1 项检查事项（填写检查事项和法律依据）"
        limit = int((error.get("ctx") or {}).get("max_length", 0))
        return group.item_rows[min(limit, len(group.item_rows) - 1)], column, problem
    if field == "targets":
        if isinstance(index, int):
            code = group.raw["targets"][index]
            return group.target_rows[index], "检查对象", f"{code}：{problem}"
        if error["type"] == "too_short":
            return first_row, "检查对象", "至少要有 1 个检查对象（填写统一社会信用代码）"
        limit = int((error.get("ctx") or {}).get("max_length", 0))
        return group.target_rows[min(limit, len(group.target_rows) - 1)], "检查对象", problem
    return first_row, "清单编号", problem


def _parse_group(group: _Group, problems: Problems) -> ParsedChecklist | None:
    before = len(problems)
    _read_own_columns(group, problems)
    _read_items_and_targets(group, problems)
    try:
        data = ChecklistCreate.model_validate(group.raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if error["loc"] and str(error["loc"][0]) in group.reported:
                continue
            problems.add(*_locate(group, error))
        return None
    if len(problems) > before:
        return None
    return ParsedChecklist(
        group.reference,
        group.rows[0][0],
        data,
        tuple(group.target_rows),
        tuple(group.item_rows),
    )


def parse_checklists(rows: Sequence[TableRow]) -> list[ParsedChecklist]:
    """Read checklists, one row per item, grouped by 清单编号.

    Args:
        rows: What :func:`~inspection.services.spreadsheets.io.read_table` read.

    Returns:
        The checklists in the order their 清单编号 first appears.

    Raises:
        InvalidInputError: When headers are unknown or missing, or there is no data.
        TableImportError: With every problem of every row: values the model
            rejects, later rows contradicting the first, repeated targets.
    """
    check_headers(rows, [h for h in CHECKLIST_HEADERS if h not in _OPTIONAL], _OPTIONAL)
    problems = Problems(CHECKLIST_HEADERS)
    groups: dict[str, _Group] = {}
    for number, row in rows:
        reference = row.get("清单编号", "")
        if not reference:
            problems.add(number, "清单编号", "不能为空")
        elif len(reference) > 64:
            problems.add(number, "清单编号", "不能超过 64 个字符")
        elif reference in groups:
            groups[reference].rows.append((number, row))
        else:
            groups[reference] = _Group(reference, [(number, row)], {}, set(), [], [])
    parsed = [p for group in groups.values() if (p := _parse_group(group, problems)) is not None]
    problems.raise_if_any()
    return parsed
