"""Spreadsheet import and export (Excel .xlsx and CSV), as pure functions over bytes.

One place to import from; the work is split over:

* :mod:`~inspection.services.tabular_io`: reading a file into rows of text,
  writing rows into a file, the error types;
* :mod:`~inspection.services.tabular_records`: units and enterprises, one per row;
* :mod:`~inspection.services.tabular_checklists`: checklists, one row per item,
  and the template users fill in.

Typical use::

    rows = read_table(upload_bytes, upload_name)
    checklists = parse_checklists(rows)  # raises TableImportError with every problem
"""

from __future__ import annotations

from inspection.services.tabular_checklists import (
    CHECKLIST_HEADERS,
    ParsedChecklist,
    checklist_template_csv,
    checklist_template_xlsx,
    parse_checklists,
)
from inspection.services.tabular_io import (
    MAX_COMPRESSION_RATIO,
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    CellValue,
    RowError,
    TableImportError,
    TableRow,
    read_table,
    table_csv,
    table_xlsx,
)
from inspection.services.tabular_records import (
    ENTERPRISE_HEADERS,
    UNIT_HEADERS,
    parse_enterprises,
    parse_units,
)

__all__ = [
    "CHECKLIST_HEADERS",
    "ENTERPRISE_HEADERS",
    "MAX_COMPRESSION_RATIO",
    "MAX_DATA_ROWS",
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "UNIT_HEADERS",
    "CellValue",
    "ParsedChecklist",
    "RowError",
    "TableImportError",
    "TableRow",
    "checklist_template_csv",
    "checklist_template_xlsx",
    "parse_checklists",
    "parse_enterprises",
    "parse_units",
    "read_table",
    "table_csv",
    "table_xlsx",
]
