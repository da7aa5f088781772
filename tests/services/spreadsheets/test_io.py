"""Reading spreadsheet files (.xlsx and .csv) into rows, and every way a file can be refused."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from inspection.errors import InvalidInputError
from inspection.services.spreadsheets import io as tabular_io
from inspection.services.spreadsheets.checklists import parse_checklists
from inspection.services.spreadsheets.io import (
    MAX_DATA_ROWS,
    CellValue,
    TableImportError,
    read_table,
    table_csv,
    table_xlsx,
)
from inspection.services.spreadsheets.template import (
    checklist_template_xlsx,
)
from tests.support.data import UPLOAD_LIMIT
from tests.support.sheets import (
    WRITERS,
    write_and_read,
)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_writers_round_trip_through_read_table(name: str) -> None:
    rows: list[list[CellValue]] = [
        ["文本", date(2024, 6, 3), 3, 2.5, "=1+1"],
        ["两行\n文本", datetime(2024, 6, 4), 0, None, "  留空白  "],
    ]
    read = write_and_read(name, ["甲", "乙", "丙", "丁", "戊"], rows)
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
    assert read_table(buffer.getvalue(), None, UPLOAD_LIMIT) == [
        (2, {"日期": "2024-06-03", "数量": "3"}),
        (4, {"日期": "2024-06-03 08:30:00", "数量": "12"}),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_excel_writes(encoding: str) -> None:
    text = "清单编号,检查对象\r\n甲一,凤城街道\r\n\r\n乙二,“石角镇”\r\n"
    assert read_table(text.encode(encoding), "上传.CSV", UPLOAD_LIMIT) == [
        (2, {"清单编号": "甲一", "检查对象": "凤城街道"}),
        (4, {"清单编号": "乙二", "检查对象": "“石角镇”"}),
    ]


def test_format_is_told_by_content_without_a_known_extension() -> None:
    xlsx = table_xlsx("表", ["甲"], [["一"]])
    csv = table_csv(["甲"], [["一"]])
    for data in (xlsx, csv):
        assert (
            read_table(data, None, UPLOAD_LIMIT)
            == read_table(data, "data.bin", UPLOAD_LIMIT)
            == [(2, {"甲": "一"})]
        )


def test_tab_separated_text_is_read() -> None:
    assert read_table("甲\t乙\n1\t2\n".encode("utf-16"), "x.txt", UPLOAD_LIMIT) == [
        (2, {"甲": "1", "乙": "2"})
    ]


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
        (bytes(UPLOAD_LIMIT + 1), "x.csv", "文件超过 5 MB"),
    ],
)
def test_unreadable_files_are_invalid_input(data: bytes, name: str | None, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_table(data, name, UPLOAD_LIMIT)
    assert message in caught.value.detail
    assert caught.value.field == "file"
    assert not isinstance(caught.value, TableImportError)


def test_too_many_rows_is_refused() -> None:
    body = "甲\n" + "1\n" * MAX_DATA_ROWS
    assert len(read_table(body.encode(), "x.csv", UPLOAD_LIMIT)) == MAX_DATA_ROWS
    with pytest.raises(InvalidInputError, match="20000"):
        read_table((body + "1\n").encode(), "x.csv", UPLOAD_LIMIT)


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
    assert len(bomb) < UPLOAD_LIMIT

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl was given the bomb")

    monkeypatch.setattr(tabular_io, "load_workbook", never)
    with pytest.raises(InvalidInputError, match=message):
        read_table(bomb, "bomb.xlsx", UPLOAD_LIMIT)


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
        rows = read_table(data, name, UPLOAD_LIMIT)
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
        parse_checklists(read_table(bytes(data), "x.xlsx", UPLOAD_LIMIT))


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
    assert read_table(_with_sheet_xml(lambda xml: xml), "x.xlsx", UPLOAD_LIMIT) == [
        (2, {"甲": "一"})
    ]
    with pytest.raises(InvalidInputError, match="不是有效的 Excel 文件"):
        read_table(_with_sheet_xml(change), "x.xlsx", UPLOAD_LIMIT)
