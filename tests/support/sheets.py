"""Spreadsheets for the import tests: writers, rows of the checklist format, a small district's
units and enterprises as files, and the errors an import raises."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from stdnum.cn import uscc

from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS
from inspection.services.spreadsheets.io import (
    CellValue,
    RowError,
    TableImportError,
    TableRow,
    read_table,
    table_csv,
    table_xlsx,
)
from tests.support.data import FACTORY, FOOD_SHOP, UPLOAD_LIMIT
from tests.support.paths import SAMPLES

__all__ = [
    "ENTERPRISES_CSV",
    "FOURTH",
    "THIRD",
    "UNITS_CSV",
    "WRITERS",
    "checklist_rows",
    "first_row",
    "import_errors",
    "many_checklists",
    "write_and_read",
]

# two more valid credit codes
THIRD = "91441802MA4WX0Q03" + uscc.calc_check_digit("91441802MA4WX0Q03")
FOURTH = "92441802MA4WX0Q02" + uscc.calc_check_digit("92441802MA4WX0Q02")
Writer = Callable[[Sequence[str], Sequence[Sequence[CellValue]]], bytes]
WRITERS: dict[str, Writer] = {
    "x.xlsx": lambda headers, rows: table_xlsx("数据", headers, rows),
    "x.csv": table_csv,
}
"""A file name to the writer of that format."""


def write_and_read(
    name: str, headers: Sequence[str], rows: Sequence[Sequence[CellValue]]
) -> list[TableRow]:
    """Write rows in the format of `name`, then read them back as an upload."""
    return read_table(WRITERS[name](headers, rows), name, UPLOAD_LIMIT)


def checklist_rows(*rows: dict[str, str]) -> list[TableRow]:
    """Rows of the checklist format numbered from 2, every cell not given empty."""
    return [(n, {h: row.get(h, "") for h in CHECKLIST_HEADERS}) for n, row in enumerate(rows, 2)]


def first_row(**cells: str) -> dict[str, str]:
    """A valid first row of checklist A; cells override it."""
    row = {
        "清单编号": "A",
        "执法单位编号": "SCJG",
        "清单名称": "食品安全日常检查",
        "最早日期": "2024-06-03",
        "最晚日期": "2024-06-07",
        "检查事项": "食品经营许可情况",
        "法律依据": "《食品安全法》第三十五条",
        "检查对象": FOOD_SHOP,
    }
    row.update(cells)
    return row


def import_errors(call: Callable[[], object]) -> list[RowError]:
    """The problems of an import that fails as a whole (checked to say so)."""
    with pytest.raises(TableImportError) as caught:
        call()
    assert caught.value.field == "file"
    assert caught.value.detail == f"导入失败：共 {len(caught.value.errors)} 处错误，未导入任何数据"
    return caught.value.errors


UNITS_CSV = table_csv(
    ["单位编号", "单位名称", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "休息日"],
    [
        ["SCJG", "清城区市场监督管理局", 3, 3, 3, 3, 3, 0, 0, ""],
        ["XFJY", "清城区消防救援大队", 2, 2, 2, 2, 2, 0, 0, "2024-06-05"],
    ],
)
ENTERPRISES_CSV = table_csv(
    ["统一社会信用代码", "企业名称", "镇街", "行业", "地址", "不可检查日期"],
    [
        [FOOD_SHOP, "清远市清城区伟佳饭店", "凤城街道", "餐饮服务", "凤城街道人民一路8号", ""],
        [FACTORY, "清远市某某食品有限公司", "石角镇", "食品生产", "", "2024-06-07"],
    ],
)


def many_checklists(count: int, rows_each: int = 5) -> bytes:
    """`count` checklists of the sample units as CSV, `rows_each` rows (an item and a target
    each) per checklist: a large import for benchmarks and load tests."""
    units = [
        line.split(",")[0]
        for line in (SAMPLES / "units.csv").read_text("utf-8-sig").splitlines()[1:]
    ]
    codes = [
        line.split(",")[0]
        for line in (SAMPLES / "enterprises.csv").read_text("utf-8-sig").splitlines()[1:]
    ]
    rows = []
    for number in range(count):
        unit = units[number % len(units)]
        for line in range(rows_each):
            own = (
                [
                    f"B-{number:05d}",
                    unit,
                    f"基准导入清单{number}",
                    "日常",
                    "2024-06-03",
                    "2024-06-28",
                    "1",
                ]
                if line == 0
                else [f"B-{number:05d}", "", "", "", "", "", ""]
            )
            target = codes[(number * rows_each + line) % len(codes)]
            rows.append([*own, f"检查事项{line}", f"《某某条例》第{line + 1}条", target])
    return table_csv(CHECKLIST_HEADERS, rows)
