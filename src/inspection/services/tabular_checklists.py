"""Importing checklists from spreadsheet rows (one row per item), and the blank template.

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

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from inspection.services.models import ChecklistCreate, InspectionType
from inspection.services.tabular_cells import (
    DATE_FORMATS_HINT,
    Problems,
    check_headers,
    credit_code,
    describe,
    parse_date,
    parse_int,
    split_list,
)
from inspection.services.tabular_io import (
    CellValue,
    TableRow,
    fill_sheet,
    table_csv,
    workbook_bytes,
)

__all__ = [
    "CHECKLIST_HEADERS",
    "ParsedChecklist",
    "checklist_template_csv",
    "checklist_template_xlsx",
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
)
"""Headers of the checklists file; 检查类型 and 优先级 may be left out."""
_OPTIONAL: Final = ("检查类型", "优先级")
_PER_CHECKLIST: Final = ("执法单位编号", "清单名称", "检查类型", "最早日期", "最晚日期", "优先级")
_COLUMN_OF: Final = {
    "unit_id": "执法单位编号",
    "title": "清单名称",
    "inspection_type": "检查类型",
    "earliest": "最早日期",
    "latest": "最晚日期",
    "priority": "优先级",
}
_TYPES: Final[dict[str, InspectionType]] = {
    "日常": "routine",
    "投诉": "complaint",
    "专项": "special",
    "routine": "routine",
    "complaint": "complaint",
    "special": "special",
}
_TYPE_HINT: Final = "检查类型应为“日常”“投诉”或“专项”"


@dataclass(frozen=True)
class ParsedChecklist:
    """A checklist read from a file, with where each part came from.

    Attributes:
        reference: Its 清单编号 in the file.
        first_row: The row its own columns were read from.
        data: The validated checklist.
        target_rows: The row of each target, aligned with ``data.targets``.
    """

    reference: str
    first_row: int
    data: ChecklistCreate
    target_rows: tuple[int, ...]


def _inspection_type(text: str) -> InspectionType:
    key = text.strip().lower().removesuffix("检查")
    if key not in _TYPES:
        raise ValueError(f"“{text}”无法识别，{_TYPE_HINT}")
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
    group.raw["unit_id"] = first.get("执法单位编号", "")
    group.raw["title"] = first.get("清单名称", "")
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
    items: list[dict[str, str]] = []
    targets: list[str] = []
    row_of: dict[str, int] = {}
    for number, row in group.rows:
        name, basis = row.get("检查事项", ""), row.get("法律依据", "")
        if name or basis:
            items.append({"name": name, "legal_basis": basis})
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
        column = "法律依据" if loc[-1] == "legal_basis" else "检查事项"
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
    return ParsedChecklist(group.reference, group.rows[0][0], data, tuple(group.target_rows))


def parse_checklists(rows: Sequence[TableRow]) -> list[ParsedChecklist]:
    """Read checklists, one row per item, grouped by 清单编号.

    Args:
        rows: What :func:`~inspection.services.tabular_io.read_table` read.

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


# --- the template -----------------------------------------------------------------------------

_FOOD_SHOP: Final = "92441802MAM4JPET9M"
_FACTORY: Final = "91441802469544064E"
_EXAMPLE: Final[tuple[tuple[CellValue, ...], ...]] = (
    (
        "SCJG-001",
        "SCJG",
        "食品安全日常检查",
        "日常",
        date(2024, 6, 3),
        date(2024, 6, 28),
        1,
        "食品经营许可情况",
        "《中华人民共和国食品安全法》第三十五条",
        _FOOD_SHOP,
    ),
    (
        "SCJG-001",
        None,
        None,
        None,
        None,
        None,
        None,
        "从业人员健康管理",
        "《中华人民共和国食品安全法》第四十五条",
        _FACTORY,
    ),
)
_INSTRUCTIONS: Final = (
    ("清单编号", "必填", "自定的编号。编号相同的各行合并为一份检查清单，每行写一项检查事项。"),
    ("执法单位编号", "必填", "系统中执法单位的编号，例如区市场监督管理局为 SCJG。"),
    ("清单名称", "必填", "最多 200 字。"),
    ("检查类型", "选填", "日常、投诉或专项，不填为日常。投诉检查不与其他单位合并进行。"),
    ("最早日期", "必填", f"最早可以检查的日期，写成 {DATE_FORMATS_HINT}。"),
    ("最晚日期", "必填", "最晚可以检查的日期，不能早于最早日期。"),
    ("优先级", "选填", "1 到 5 的整数，不填为 1；数字越大，排不下时越优先安排。"),
    ("检查事项", "必填", "本行的检查事项，最多 200 字。"),
    ("法律依据", "必填", "本行检查事项的法律依据，最多 500 字。"),
    (
        "检查对象",
        "必填",
        "被检查企业的统一社会信用代码（18 位）。"
        "一格可以填多个，用分号、逗号、顿号、空格或换行分开；"
        "同一清单各行的检查对象合在一起，不能重复。企业须已在系统中登记。",
    ),
)
_NOTES: Final = (
    "执法单位编号、清单名称、检查类型、最早日期、最晚日期、优先级只需在每份清单的第一行填写，"
    "其余行留空或填写相同内容。",
    "每份清单最多 100 项检查事项、1000 个检查对象；每个文件最多 20000 行。",
    "文件中任何一处有错，整个文件都不会导入；请按错误提示的行号和列名修改后重新上传。",
    "示例行请删除后再填写。",
)


def _instructions(sheet: Worksheet) -> None:
    fill_sheet(sheet, ("列名", "是否必填", "说明"), _INSTRUCTIONS)
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    start = sheet.max_row + 2
    sheet.cell(row=start, column=1, value="注意事项").font = Font(bold=True)
    for offset, note in enumerate(_NOTES, start=1):
        sheet.cell(row=start + offset, column=1, value=f"{offset}. {note}")


def checklist_template_xlsx() -> bytes:
    """The blank checklist import file, with one example checklist of two items.

    Returns:
        An .xlsx file: sheet 检查清单 (bold frozen header, the example, 检查类型 and
        优先级 offered as lists, code columns formatted as text) and sheet 填写说明
        (what goes in each column).
    """
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "检查清单"
    fill_sheet(sheet, CHECKLIST_HEADERS, _EXAMPLE)
    for letter, width in (("H", 24), ("I", 40), ("J", 44)):
        sheet.column_dimensions[letter].width = width
    for letter in ("A", "B", "J"):  # keep Excel from reading codes as numbers
        sheet.column_dimensions[letter].number_format = "@"
    kinds = DataValidation(type="list", formula1='"日常,投诉,专项"', allow_blank=True)
    kinds.error, kinds.errorTitle = _TYPE_HINT, "检查类型"
    levels = DataValidation(type="whole", operator="between", formula1="1", formula2="5")
    levels.allow_blank = True
    levels.error, levels.errorTitle = "优先级应为 1 到 5 的整数", "优先级"
    for validation, letter in ((kinds, "D"), (levels, "G")):
        validation.showErrorMessage = True
        validation.add(f"{letter}2:{letter}20001")
        sheet.add_data_validation(validation)
    _instructions(workbook.create_sheet("填写说明"))
    return workbook_bytes(workbook)


def checklist_template_csv() -> bytes:
    """The blank checklist import file as CSV (UTF-8 with a byte order mark, for Excel).

    Returns:
        The header and the example checklist of :func:`checklist_template_xlsx`.
    """
    return table_csv(CHECKLIST_HEADERS, _EXAMPLE)
