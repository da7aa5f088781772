"""The blank checklist import file users fill in (Excel and CSV): an example and instructions."""

from __future__ import annotations

from datetime import date
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from inspection.services.reference.kinds import TYPE_NAMES
from inspection.services.spreadsheets.cells import DATE_FORMATS_HINT
from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS, TYPE_HINT
from inspection.services.spreadsheets.io import CellValue, fill_sheet, table_csv, workbook_bytes

__all__ = ["checklist_template_csv", "checklist_template_xlsx"]

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
        None,
        None,
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
        None,
        None,
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
    (
        "事项编码",
        "选填",
        "本行检查事项在本单位检查事项清单中的编码。本单位已公布检查事项清单的，"
        "检查事项须为清单中已公布、在最早日期施行的事项，法律依据须与清单一致。",
    ),
    (
        "现场检查理由",
        "选填",
        "检查事项清单标明可书面核查或信息共享核查的事项，确需现场检查的理由；"
        "清单中有此类事项时必填，只需在第一行填写。",
    ),
)
_NOTES: Final = (
    "执法单位编号、清单名称、检查类型、最早日期、最晚日期、优先级、现场检查理由"
    "只需在每份清单的第一行填写，"
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
    choices = ",".join(TYPE_NAMES.values())
    kinds = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    kinds.error, kinds.errorTitle = TYPE_HINT, "检查类型"
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
