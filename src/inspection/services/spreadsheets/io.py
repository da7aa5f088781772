"""Spreadsheets in and out: .xlsx and .csv files as rows of text, and writers for both.

Reading is defensive: the bytes come straight from an upload, so every size is
bounded before any parser sees them and every failure becomes an
:class:`~inspection.errors.InvalidInputError` with a Chinese sentence.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any, Final, Literal, TypeAlias

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from inspection.errors import InvalidInputError

__all__ = [
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_DATA_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "CellValue",
    "RowError",
    "TableImportError",
    "TableRow",
    "fill_sheet",
    "read_table",
    "safe_sheet_title",
    "size_text",
    "table_csv",
    "table_xlsx",
    "workbook_bytes",
]

MAX_DATA_ROWS: Final = 20_000
"""Most data rows (not counting the header) in one file."""
MAX_COLUMNS: Final = 50
"""Columns past this one are not read."""
MAX_UNCOMPRESSED_BYTES: Final = 50 * 1024 * 1024
"""Largest total uncompressed size of the members of an .xlsx file."""
MAX_COMPRESSION_RATIO: Final = 100
"""Highest compression ratio of any large member of an .xlsx file."""
_RATIO_CHECKED_FROM: Final = 1024 * 1024  # smaller members cannot hurt under the total cap
_MAX_SHEET_ROW: Final = 1_048_576  # Excel's own last row
_CELL_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_XLS_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

CellValue: TypeAlias = str | int | float | date | time | None
"""What a writer accepts in a cell (``datetime`` is a ``date``)."""
TableRow: TypeAlias = tuple[int, dict[str, str]]
"""A data row: its spreadsheet row number and its cells by header."""


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file, where the user will look for it.

    Attributes:
        row: Row number as the spreadsheet shows it (the header is row 1).
        column: The Chinese header of the column.
        problem: What is wrong, as a Chinese sentence.
    """

    row: int
    column: str
    problem: str


class TableImportError(InvalidInputError):
    """An import that failed as a whole, with every problem found in the file.

    Attributes:
        errors: The problems, in row order.
    """

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"导入失败：共 {len(errors)} 处错误，未导入任何数据", "file")
        self.errors = list(errors)

    def extensions(self) -> dict[str, Any]:
        """Every row's problem: `errors: [{row, column, problem}]`."""
        return {"errors": [asdict(e) for e in self.errors]}


def size_text(size: int) -> str:
    """A number of bytes as people read them: ``5 MB``, ``200 KB`` (decimal, as the settings)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.3g} MB"
    return f"{max(1, round(size / 1000))} KB"


def _not_excel() -> InvalidInputError:
    return InvalidInputError(
        "不是有效的 Excel 文件（.xlsx），请用 Excel 或 WPS 另存为 .xlsx 后重试", "file"
    )


def _too_many_rows() -> InvalidInputError:
    return InvalidInputError(f"数据超过 {MAX_DATA_ROWS} 行，请分成几个文件导入", "file")


def _cell_text(value: object) -> str:
    """A cell's value as the text a user would type for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    return str(value).strip()


def _kind(data: bytes, filename: str | None) -> Literal["xlsx", "csv"]:
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix == ".xls" or (suffix not in (".csv", ".txt") and data.startswith(_XLS_MAGIC)):
        raise InvalidInputError(
            "不支持旧版 Excel 97-2003 文件（.xls），请在 Excel 中另存为 .xlsx 后重试", "file"
        )
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt"):
        return "csv"
    return "xlsx" if data.startswith(b"PK") else "csv"


def _check_zip(data: bytes) -> None:
    """Refuse a zip bomb before any parser inflates a byte of it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # zipfile raises more than BadZipFile on garbage
        raise _not_excel() from exc
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise InvalidInputError("Excel 文件解压后超过 50 MB，请删去多余的内容后重试", "file")
    for member in members:
        if member.file_size < _RATIO_CHECKED_FROM:
            continue
        if member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise InvalidInputError("Excel 文件的压缩比异常，可能是恶意文件，已拒绝", "file")


def _xlsx_grid(data: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the first sheet, numbered as Excel numbers them."""
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl and its XML parser raise many kinds
        raise _not_excel() from exc
    try:
        sheet = workbook.worksheets[0]
        # the dimension in the file may be a lie (A1:XFD1048576): read what is there
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            reset()
        grid: list[tuple[int, list[str]]] = []
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, values in enumerate(rows, start=1):
            if number > _MAX_SHEET_ROW:
                raise _not_excel()
            if values.count(None) == len(values):
                continue
            cells = [_cell_text(value) for value in values]
            if any(cells):
                grid.append((number, cells))
                if len(grid) > MAX_DATA_ROWS + 1:
                    raise _too_many_rows()
        return grid
    except InvalidInputError:
        raise
    except Exception as exc:
        raise _not_excel() from exc
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInputError("无法识别 CSV 文件的文字编码，请另存为“CSV UTF-8”格式后重试", "file")


def _csv_grid(data: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty records of a CSV file, numbered from 1 as Excel shows them."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = next((d for d in ("\t", ";") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record[:MAX_COLUMNS]]
            if any(cells):
                grid.append((number, cells))
                if len(grid) > MAX_DATA_ROWS + 1:
                    raise _too_many_rows()
    except csv.Error as exc:
        raise InvalidInputError(
            f"CSV 文件第 {number + 1} 行附近格式有误（例如引号不成对或单元格过长）", "file"
        ) from exc
    return grid


def read_table(data: bytes, filename: str | None, max_bytes: int) -> list[TableRow]:
    """Read the first sheet of an .xlsx file, or a .csv file, as rows of text.

    The first non-empty row is the header; header cells and values are trimmed,
    dates become ``YYYY-MM-DD`` and whole numbers lose their ``.0``. Fully empty
    rows are skipped, but row numbers stay those the spreadsheet shows.

    Args:
        data: The file's bytes.
        filename: The uploaded file's name; its extension decides the format,
            else the content does (an .xlsx file starts with ``PK``).
        max_bytes: The largest file accepted (the setting ``INSPECTION_MAX_UPLOAD_BYTES``).

    Returns:
        Each data row's number and its cells by header (every header present,
        ``""`` for an empty cell).

    Raises:
        InvalidInputError: For any file that cannot be read (``field`` is ``"file"``):
            too large, not a spreadsheet, a zip bomb, an unknown text encoding,
            a duplicated header, or content under no header.
    """
    if len(data) > max_bytes:
        raise InvalidInputError(f"文件超过 {size_text(max_bytes)} 上限", "file")
    grid = _xlsx_grid(data) if _kind(data, filename) == "xlsx" else _csv_grid(data)
    if not grid:
        raise InvalidInputError("文件中没有任何内容", "file")
    _, header = grid[0]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in columns:
            raise InvalidInputError(f"表头“{name}”出现了不止一次", "file")
        if name:
            columns[name] = index
    rows: list[TableRow] = []
    for number, cells in grid[1:]:
        for index, value in enumerate(cells):
            if value and (index >= len(header) or not header[index]):
                raise InvalidInputError(
                    f"第 {number} 行 {get_column_letter(index + 1)} 列有内容，但这一列没有表头",
                    "file",
                )
        rows.append(
            (number, {name: cells[i] if i < len(cells) else "" for name, i in columns.items()})
        )
    _refuse_control_characters(rows)
    return rows


def _refuse_control_characters(rows: list[TableRow]) -> None:
    """Every cell holding a control character (tab and line breaks aside), as row problems:
    no field has a use for them, and PostgreSQL cannot even compare text holding U+0000."""
    problems = [
        RowError(number, column, "不能包含控制字符（如 U+0000）")
        for number, cells in rows
        for column, value in cells.items()
        if _CELL_CONTROL.search(value)
    ]
    if problems:
        raise TableImportError(problems)


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> bytes:
    """A CSV file Excel opens correctly: UTF-8 with a byte order mark, CRLF line ends.

    Args:
        headers: The header row.
        rows: The data rows; dates are written as ``YYYY-MM-DD``, ``None`` as empty.

    Returns:
        The file's bytes; :func:`read_table` reads them back unchanged.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell_text(value) for value in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _display_width(value: object) -> int:
    text = _cell_text(value)
    widest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        widest = max(widest, width)
    return widest


def fill_sheet(
    sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[CellValue]]
) -> None:
    """Write a header row and data rows into an empty sheet, laid out for reading.

    The header is bold and frozen, columns are as wide as their content (within
    reason), dates are date cells, and text starting with ``=`` stays text (it
    never becomes a formula).

    Args:
        sheet: The sheet to fill.
        headers: The header row.
        rows: The data rows.
    """
    widths = [_display_width(name) for name in headers]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], _display_width(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def safe_sheet_title(title: str, fallback: str = "数据") -> str:
    """A title Excel accepts for a sheet: forbidden characters dropped, at most 31 long.

    Args:
        title: The wanted title.
        fallback: The title when nothing of it is left.
    """
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\").strip("' ")
    return cleaned[:31] or fallback


def workbook_bytes(workbook: Workbook) -> bytes:
    """Save a workbook to bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(
    sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[CellValue]]
) -> bytes:
    """An .xlsx file of one sheet holding a table (see :func:`fill_sheet`).

    Args:
        sheet_title: The sheet's name (characters Excel forbids are dropped, and
            it is cut to 31 characters).
        headers: The header row.
        rows: The data rows.

    Returns:
        The file's bytes; :func:`read_table` reads them back unchanged.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = safe_sheet_title(sheet_title)
    fill_sheet(sheet, headers, rows)
    return workbook_bytes(workbook)
