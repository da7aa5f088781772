"""Spreadsheet import (.xlsx and .csv): reading files, the three formats, every error path."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from stdnum.cn import uscc

from inspection.errors import InvalidInputError
from inspection.services import tabular_io
from inspection.services.models import EnterpriseCreate, UnitCreate
from inspection.services.tabular import (
    CHECKLIST_HEADERS,
    ENTERPRISE_HEADERS,
    MAX_DATA_ROWS,
    UNIT_HEADERS,
    CellValue,
    RowError,
    TableImportError,
    TableRow,
    checklist_template_csv,
    checklist_template_xlsx,
    parse_checklists,
    parse_enterprises,
    parse_units,
    read_table,
    table_csv,
    table_xlsx,
)
from tests.service_data import FACTORY, FOOD_SHOP

THIRD = "91441802MA4WX0Q03" + uscc.calc_check_digit("91441802MA4WX0Q03")
FOURTH = "92441802MA4WX0Q02" + uscc.calc_check_digit("92441802MA4WX0Q02")
Writer = Callable[[Sequence[str], Sequence[Sequence[CellValue]]], bytes]
WRITERS: dict[str, Writer] = {
    "x.xlsx": lambda headers, rows: table_xlsx("数据", headers, rows),
    "x.csv": table_csv,
}


def _write_and_read(
    name: str, headers: Sequence[str], rows: Sequence[Sequence[CellValue]]
) -> list[TableRow]:
    return read_table(WRITERS[name](headers, rows), name)


def _checklist_rows(*rows: dict[str, str]) -> list[TableRow]:
    """Rows of the checklist format numbered from 2, every cell not given empty."""
    return [(n, {h: row.get(h, "") for h in CHECKLIST_HEADERS}) for n, row in enumerate(rows, 2)]


def _first(**cells: str) -> dict[str, str]:
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


def _errors(call: Callable[[], object]) -> list[RowError]:
    with pytest.raises(TableImportError) as caught:
        call()
    assert caught.value.field == "file"
    assert caught.value.detail == f"导入失败：共 {len(caught.value.errors)} 处错误，未导入任何数据"
    return caught.value.errors


# --- reading files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_writers_round_trip_through_read_table(name: str) -> None:
    rows: list[list[CellValue]] = [
        ["文本", date(2024, 6, 3), 3, 2.5, "=1+1"],
        ["两行\n文本", datetime(2024, 6, 4), 0, None, "  留空白  "],
    ]
    read = _write_and_read(name, ["甲", "乙", "丙", "丁", "戊"], rows)
    assert read == [
        (2, {"甲": "文本", "乙": "2024-06-03", "丙": "3", "丁": "2.5", "戊": "=1+1"}),
        (3, {"甲": "两行\n文本", "乙": "2024-06-04", "丙": "0", "丁": "", "戊": "留空白"}),
    ]


def test_xlsx_cells_are_stringified_and_empty_rows_keep_numbering() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append([" 日期 ", "数量", None])
    sheet.append([datetime(2024, 6, 3), 3.0, None])
    sheet.append([None, None, None])
    sheet.append([datetime(2024, 6, 3, 8, 30), 12, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), None) == [
        (2, {"日期": "2024-06-03", "数量": "3"}),
        (4, {"日期": "2024-06-03 08:30:00", "数量": "12"}),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_excel_writes(encoding: str) -> None:
    text = "清单编号,检查对象\r\n甲一,凤城街道\r\n\r\n乙二,“石角镇”\r\n"
    assert read_table(text.encode(encoding), "上传.CSV") == [
        (2, {"清单编号": "甲一", "检查对象": "凤城街道"}),
        (4, {"清单编号": "乙二", "检查对象": "“石角镇”"}),
    ]


def test_format_is_told_by_content_without_a_known_extension() -> None:
    xlsx = table_xlsx("表", ["甲"], [["一"]])
    csv = table_csv(["甲"], [["一"]])
    for data in (xlsx, csv):
        assert read_table(data, None) == read_table(data, "data.bin") == [(2, {"甲": "一"})]


def test_tab_separated_text_is_read() -> None:
    assert read_table("甲\t乙\n1\t2\n".encode("utf-16"), "x.txt") == [(2, {"甲": "1", "乙": "2"})]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "没有任何内容"),
        (b"PK\x03\x04 not really", "x.xlsx", "不是有效的 Excel 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), None, ".xls"),
        (b"anything", "old.xls", ".xls"),
        ("甲,甲\n1,2\n".encode(), "x.csv", "表头“甲”出现了不止一次"),
        ("甲,,\n1,,3\n".encode(), "x.csv", "第 2 行 C 列有内容，但这一列没有表头"),
        ('甲\n"unclosed\n'.encode() + b"x" * 200_000, "x.csv", "CSV 文件第"),
        (b"\x81\x30\xff\xff\xfe", "x.csv", "文字编码"),
        (bytes(tabular_io.MAX_FILE_BYTES + 1), "x.csv", "文件超过 5 MB"),
    ],
)
def test_unreadable_files_are_invalid_input(data: bytes, name: str | None, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_table(data, name)
    assert message in caught.value.detail
    assert caught.value.field == "file"
    assert not isinstance(caught.value, TableImportError)


def test_too_many_rows_is_refused() -> None:
    body = "甲\n" + "1\n" * MAX_DATA_ROWS
    assert len(read_table(body.encode(), "x.csv")) == MAX_DATA_ROWS
    with pytest.raises(InvalidInputError, match="20000"):
        read_table((body + "1\n").encode(), "x.csv")


def _zip(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(("megabytes", "message"), [(60, "解压后超过 50 MB"), (2, "压缩比异常")])
def test_zip_bombs_are_refused_before_openpyxl_opens_them(
    megabytes: int, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _zip(megabytes * 1024 * 1024)
    assert len(bomb) < tabular_io.MAX_FILE_BYTES

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl was given the bomb")

    monkeypatch.setattr(tabular_io, "load_workbook", never)
    with pytest.raises(InvalidInputError, match=message):
        read_table(bomb, "bomb.xlsx")


@settings(max_examples=150, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=600).map(lambda b: "清单编号,检查对象\n".encode() + b),
    ),
    name=st.sampled_from([None, "x.xlsx", "x.csv", "x.txt", "x"]),
)
def test_random_bytes_raise_nothing_but_invalid_input(data: bytes, name: str | None) -> None:
    try:
        rows = read_table(data, name)
        parse_checklists(rows)
    except InvalidInputError:
        pass


TEMPLATE = checklist_template_xlsx()


@settings(max_examples=60, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(TEMPLATE) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )
)
def test_damaged_xlsx_raises_nothing_but_invalid_input(edits: list[tuple[int, int]]) -> None:
    data = bytearray(TEMPLATE)
    for position, value in edits:
        data[position] = value
    with contextlib.suppress(InvalidInputError):
        parse_checklists(read_table(bytes(data), "x.xlsx"))


def _with_sheet_xml(change: Callable[[str], str]) -> bytes:
    """A valid .xlsx file whose sheet XML is changed (and zipped again, so the zip is sound)."""
    source = zipfile.ZipFile(io.BytesIO(table_xlsx("表", ["甲"], [["一"]])))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(member.filename, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml[: len(xml) // 2],  # cut short: the sheet is parsed only when read
        lambda xml: xml.replace('t="inlineStr"><is><t>一</t></is>', 't="s"><v>99</v>'),
    ],
    ids=["truncated", "missing-shared-string"],
)
def test_a_broken_sheet_inside_a_sound_zip_is_invalid_input(change: Callable[[str], str]) -> None:
    assert read_table(_with_sheet_xml(lambda xml: xml), "x.xlsx") == [(2, {"甲": "一"})]
    with pytest.raises(InvalidInputError, match="不是有效的 Excel 文件"):
        read_table(_with_sheet_xml(change), "x.xlsx")


# --- checklists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"), [(TEMPLATE, "模板.xlsx"), (checklist_template_csv(), "模板.csv")]
)
def test_the_template_is_a_valid_checklist(data: bytes, name: str) -> None:
    (parsed,) = parse_checklists(read_table(data, name))
    assert parsed.reference == "SCJG-001"
    assert parsed.first_row == 2
    assert parsed.data.unit_id == "SCJG"
    assert [item.name for item in parsed.data.items] == ["食品经营许可情况", "从业人员健康管理"]
    assert parsed.data.targets == [FOOD_SHOP, FACTORY]
    assert parsed.target_rows == (2, 3)


def test_the_xlsx_template_is_laid_out_and_explained() -> None:
    workbook = load_workbook(io.BytesIO(TEMPLATE))
    assert workbook.sheetnames == ["检查清单", "填写说明"]
    sheet = workbook["检查清单"]
    assert [cell.value for cell in sheet[1]] == list(CHECKLIST_HEADERS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert (sheet.column_dimensions["I"].width or 0) >= 20
    explained = [row[0] for row in workbook["填写说明"].iter_rows(min_row=2, values_only=True)]
    assert set(CHECKLIST_HEADERS) <= set(explained)


def test_checklists_group_rows_and_read_every_column() -> None:
    rows = _checklist_rows(
        _first(检查类型="投诉", 优先级="3", 检查对象=f"{FOOD_SHOP}；{FACTORY}"),
        {"清单编号": "B", "执法单位编号": "XF", "清单名称": "消防", "检查类型": "special",
         "最早日期": "2024/6/3", "最晚日期": "2024年6月30日", "检查事项": "消防通道",
         "法律依据": "《消防法》第二十八条", "检查对象": FOOD_SHOP},
        {"清单编号": "A", "执法单位编号": "SCJG", "最早日期": "2024/6/3", "检查类型": "投诉检查",
         "检查事项": "索证索票", "法律依据": "《食品安全法》第五十条",
         "检查对象": f" {THIRD.lower()}\n"},
    )  # fmt: skip
    first, second = parse_checklists(rows)
    assert (first.reference, first.first_row, second.reference) == ("A", 2, "B")
    assert first.data.inspection_type == "complaint"
    assert first.data.priority == 3
    assert first.data.targets == [FOOD_SHOP, FACTORY, THIRD]
    assert first.target_rows == (2, 2, 4)
    assert [item.legal_basis for item in first.data.items][-1] == "《食品安全法》第五十条"
    assert second.data.inspection_type == "special"
    assert (second.data.earliest, second.data.latest) == (date(2024, 6, 3), date(2024, 6, 30))
    assert second.data.priority == 1


def test_three_bad_rows_give_three_errors_together() -> None:
    rows = _checklist_rows(
        _first(清单编号="A", 优先级="九"),
        _first(清单编号="B", 检查类型="抽查"),
        _first(清单编号="C", 法律依据=""),
        _first(清单编号="D"),
    )
    assert _errors(lambda: parse_checklists(rows)) == [
        RowError(2, "优先级", "“九”无法识别，优先级应为 1 到 5 的整数"),
        RowError(3, "检查类型", "“抽查”无法识别，检查类型应为“日常”“投诉”或“专项”"),
        RowError(4, "法律依据", "不能为空"),
    ]


def test_later_rows_must_repeat_or_leave_the_checklist_columns() -> None:
    rows = _checklist_rows(
        _first(),
        {"清单编号": "A", "执法单位编号": "SCJG", "最晚日期": "2024/6/7", "检查对象": FACTORY},
        {"清单编号": "A", "执法单位编号": "GA", "优先级": "2", "清单名称": "另一个"},
    )
    errors = _errors(lambda: parse_checklists(rows))
    assert [(e.row, e.column) for e in errors] == [
        (4, "执法单位编号"),
        (4, "清单名称"),
        (4, "优先级"),
    ]
    assert "与本清单第 2 行的“SCJG”不一致" in errors[0].problem
    assert "与本清单第 2 行的空白不一致" in errors[2].problem


def test_a_repeated_target_is_an_error_where_it_repeats() -> None:
    rows = _checklist_rows(
        _first(检查对象=f"{FOOD_SHOP}、{FACTORY}"),
        {"清单编号": "A", "检查对象": f"{THIRD},{FACTORY.lower()}"},
        {"清单编号": "A", "检查对象": f"{FOURTH} {THIRD}\n{FOURTH}"},
    )
    assert _errors(lambda: parse_checklists(rows)) == [
        RowError(3, "检查对象", f"检查对象 {FACTORY} 重复（第 2 行已经填写过）"),
        RowError(4, "检查对象", f"检查对象 {THIRD} 重复（第 3 行已经填写过）"),
        RowError(4, "检查对象", f"检查对象 {FOURTH} 重复（本行已经填写过）"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2024-13-01", "日期“2024-13-01”不存在"),
        ("明天", "日期“明天”格式不正确，应写成 2024-06-03、2024/6/3 或 2024年6月3日"),
        ("", "不能为空"),
    ],
)
def test_bad_dates_name_row_and_column(text: str, problem: str) -> None:
    rows = _checklist_rows(_first(), _first(清单编号="B", 最晚日期=text))
    assert _errors(lambda: parse_checklists(rows)) == [RowError(3, "最晚日期", problem)]


@pytest.mark.parametrize("text", ["2024-6-3", "2024/06/03", "2024年6月3日", "２０２４－０６－０３"])
def test_dates_in_every_accepted_form(text: str) -> None:
    (parsed,) = parse_checklists(_checklist_rows(_first(最早日期=text)))
    assert parsed.data.earliest == date(2024, 6, 3)


def test_a_reversed_window_is_reported_on_the_first_row_even_beside_other_errors() -> None:
    alone = _checklist_rows(_first(), {"清单编号": "A", "检查对象": FACTORY, "检查事项": "x"})
    alone[0][1]["最早日期"] = "2024-06-09"
    errors = _errors(lambda: parse_checklists(alone))
    assert errors == [
        RowError(2, "最早日期", "检查时间窗口的开始日期 2024-06-09 晚于结束日期 2024-06-07"),
        RowError(3, "法律依据", "不能为空"),
    ]
    without_other = _checklist_rows(_first(最早日期="2024-06-09"))
    assert _errors(lambda: parse_checklists(without_other)) == errors[:1]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (FOOD_SHOP[:-1] + "N", "The number's checksum or check digit is invalid."),
        (FOOD_SHOP[:-2], "The number has an invalid length."),
    ],
)
def test_bad_credit_codes_carry_the_stdnum_reason(code: str, reason: str) -> None:
    rows = _checklist_rows(_first(), {"清单编号": "A", "检查对象": f"{FACTORY}；{code}"})
    (error,) = _errors(lambda: parse_checklists(rows))
    assert (error.row, error.column) == (3, "检查对象")
    assert code in error.problem
    assert reason in error.problem


def test_model_errors_map_to_the_row_of_the_item_or_target() -> None:
    rows = _checklist_rows(
        _first(清单名称="名" * 201),
        {"清单编号": "A", "检查事项": "第二项", "法律依据": "依据"},
        {"清单编号": "A", "检查事项": "第三项", "法律依据": "法" * 501},
        {"清单编号": "B", "执法单位编号": "SCJG", "清单名称": "无对象", "最早日期": "2024-06-03",
         "最晚日期": "2024-06-03", "优先级": "6"},
        {"清单编号": ""},
    )  # fmt: skip
    assert _errors(lambda: parse_checklists(rows)) == [
        RowError(2, "清单名称", "不能超过 200 个字符"),
        RowError(4, "法律依据", "不能超过 500 个字符"),
        RowError(5, "优先级", "不能大于 5"),
        RowError(5, "检查事项", "至少要有 1 项检查事项（填写检查事项和法律依据）"),
        RowError(5, "检查对象", "至少要有 1 个检查对象（填写统一社会信用代码）"),
        RowError(6, "清单编号", "不能为空"),
    ]


def test_too_many_targets_point_at_the_first_row_over_the_limit() -> None:
    codes = [f"91441802MA{i:07d}" for i in range(1001)]
    codes = [c + uscc.calc_check_digit(c) for c in codes]
    rows = _checklist_rows(_first(检查对象=""), *({"清单编号": "A", "检查对象": c} for c in codes))
    (error,) = _errors(lambda: parse_checklists(rows))
    assert error == RowError(1003, "检查对象", "最多只能填 1000 项")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ([*CHECKLIST_HEADERS, "备注"], "无法识别的表头“备注”"),
        (
            [h for h in CHECKLIST_HEADERS if h not in ("清单名称", "法律依据")],
            "缺少表头“清单名称”“法律依据”",
        ),
    ],
)
def test_unknown_and_missing_headers_are_named(headers: list[str], message: str) -> None:
    rows = read_table(table_csv(headers, [["x"] * len(headers)]), "x.csv")
    with pytest.raises(InvalidInputError, match=message):
        parse_checklists(rows)


def test_optional_headers_may_be_left_out_and_a_file_needs_data() -> None:
    headers = [h for h in CHECKLIST_HEADERS if h not in ("检查类型", "优先级")]
    row = _first()
    (parsed,) = parse_checklists(
        read_table(table_csv(headers, [[row.get(h, "") for h in headers]]), "x.csv")
    )
    assert (parsed.data.inspection_type, parsed.data.priority) == ("routine", 1)
    with pytest.raises(InvalidInputError, match="没有数据"):
        parse_checklists(read_table(table_csv(headers, []), "x.csv"))


# --- units and enterprises ----------------------------------------------------------------------

UNITS = [
    UnitCreate(id="SCJG", name="区市场监督管理局", weekday_capacity=[3, 3, 3, 3, 3, 0, 0],
               days_off=[date(2024, 6, 10), date(2024, 6, 11)]),
    UnitCreate(id="XF-1", name="区消防救援大队", weekday_capacity=[1, 2, 0, 2, 1, 0, 0]),
]  # fmt: skip
ENTERPRISES = [
    EnterpriseCreate(credit_code=FOOD_SHOP, name="清城区某某小吃店", town="凤城街道",
                     industry="餐饮", address="凤城街道 1 号", blackout_days=[date(2024, 6, 5)]),
    EnterpriseCreate(credit_code=FACTORY, name="清远市某某食品有限公司", town="石角镇"),
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_sample_units_and_enterprises_round_trip(name: str) -> None:
    unit_rows: list[list[CellValue]] = [
        [u.id, u.name, *u.weekday_capacity, "；".join(map(str, u.days_off))] for u in UNITS
    ]
    units = parse_units(_write_and_read(name, UNIT_HEADERS, unit_rows))
    assert units == [(2, UNITS[0]), (3, UNITS[1])]
    enterprise_rows: list[list[CellValue]] = [
        [e.credit_code, e.name, e.town, e.industry, e.address, "\n".join(map(str, e.blackout_days))]
        for e in ENTERPRISES
    ]
    enterprises = parse_enterprises(_write_and_read(name, ENTERPRISE_HEADERS, enterprise_rows))
    assert enterprises == [(2, ENTERPRISES[0]), (3, ENTERPRISES[1])]


def test_unit_errors_come_together_with_row_and_column() -> None:
    headers = UNIT_HEADERS[:-1]  # 休息日 is optional
    rows = read_table(
        table_csv(
            headers,
            [
                ["SCJG", "区市场监督管理局", 3, 3, 3, 3, 3, 0, 0],
                ["SCJG", "重复", 1, "", "两", -1, 1001, 0, 0],
                ["市 场", "", 1, 1, 1, 1, 1, 1, 1],
            ],
        ),
        "units.csv",
    )
    assert _errors(lambda: parse_units(rows)) == [
        RowError(3, "单位编号", "单位编号“SCJG”与第 2 行重复"),
        RowError(3, "周二", "不能为空（当天不能参加检查请填 0）"),
        RowError(3, "周三", "“两”不是整数"),
        RowError(3, "周四", "不能小于 0"),
        RowError(3, "周五", "不能大于 1000"),
        RowError(4, "单位编号", "只能使用英文字母、数字、“_”和“-”"),
        RowError(4, "单位名称", "不能为空"),
    ]


def test_unit_days_off_must_be_dates() -> None:
    rows = [
        (
            2,
            {
                **dict.fromkeys(UNIT_HEADERS, "1"),
                "单位编号": "A",
                "单位名称": "甲",
                "休息日": "2024-06-10，周一",
            },
        )
    ]
    assert _errors(lambda: parse_units(rows)) == [
        RowError(2, "休息日", "日期“周一”格式不正确，应写成 2024-06-03、2024/6/3 或 2024年6月3日")
    ]


def test_enterprise_errors_come_together_with_row_and_column() -> None:
    rows = read_table(
        table_csv(
            ENTERPRISE_HEADERS[:3],
            [
                [FOOD_SHOP, "小吃店", "凤城街道"],
                [FOOD_SHOP.lower(), "同一家", "凤城街道"],
                [FACTORY[:-1] + "0", "", "石角镇"],
                ["", "无代码", ""],
            ],
        ),
        "enterprises.csv",
    )
    errors = _errors(lambda: parse_enterprises(rows))
    assert [(e.row, e.column) for e in errors] == [
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (4, "企业名称"),
        (5, "统一社会信用代码"),
        (5, "镇街"),
    ]
    assert errors[0].problem == f"统一社会信用代码 {FOOD_SHOP} 与第 2 行重复"
    assert "The number's checksum or check digit is invalid." in errors[1].problem
    assert errors[3].problem == "不能为空"


def test_enterprise_blackout_days_must_be_dates() -> None:
    row = {"统一社会信用代码": FOOD_SHOP, "企业名称": "小吃店", "镇街": "凤城街道"}
    rows = [(2, {**row, "不可检查日期": "2024年6月5日、2024/6/31"})]
    assert _errors(lambda: parse_enterprises(rows)) == [
        RowError(2, "不可检查日期", "日期“2024/6/31”不存在")
    ]
    rows = [(2, {**row, "不可检查日期": "2024年6月5日、2024/6/30"})]
    ((_, enterprise),) = parse_enterprises(rows)
    assert enterprise.blackout_days == [date(2024, 6, 5), date(2024, 6, 30)]
