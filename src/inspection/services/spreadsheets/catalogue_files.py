"""A unit's item catalogue (检查事项清单) as a spreadsheet: export, and import into drafts.

One row per item: 事项编码, 事项名称, 法律依据, 层级 (国家级/省级/市级/县级), 类别
(日常/专项), 可非现场核查 (是/否), 适用行业 (separated by 、; empty: every industry).
An import checks every row first and stores all of them or none; it only ever adds or
changes drafts (a published item's row that says something new drafts its next
revision): publishing is the unit's own step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError
from sqlmodel import Session

from inspection.db.tables import CatalogueItemRow
from inspection.services.access import Actor, check_acts_for_unit
from inspection.services.catalogue.models import (
    CatalogueItemCreate,
    CatalogueItemPatch,
    CatalogueItemPublic,
    ItemCategory,
    ItemLevel,
    ItemState,
)
from inspection.services.catalogue.queries import list_catalogue
from inspection.services.catalogue.service import (
    WHAT,
    add_draft,
    draft_revision,
    update_draft,
)
from inspection.services.catalogue.store import item_public, known_unit, rows_of_unit
from inspection.services.spreadsheets.cells import Problems, check_headers, describe
from inspection.services.spreadsheets.io import (
    CellValue,
    RowError,
    TableImportError,
    TableRow,
    read_table,
    table_csv,
    table_xlsx,
)

__all__ = [
    "CATALOGUE_HEADERS",
    "CATEGORY_NAMES",
    "LEVEL_NAMES",
    "CatalogueImport",
    "catalogue_csv",
    "catalogue_rows",
    "catalogue_xlsx",
    "import_catalogue",
    "parse_catalogue",
]

CATALOGUE_HEADERS: Final = (
    "事项编码",
    "事项名称",
    "法律依据",
    "层级",
    "类别",
    "可非现场核查",
    "适用行业",
    "需准备材料",
)
"""Headers of the catalogue file; 层级, 类别, 可非现场核查, 适用行业 and 需准备材料 (what the
enterprise should have ready, on the notices) may be left out."""
_REQUIRED: Final = CATALOGUE_HEADERS[:3]
LEVEL_NAMES: Final[dict[ItemLevel, str]] = {
    ItemLevel.NATIONAL: "国家级",
    ItemLevel.PROVINCIAL: "省级",
    ItemLevel.CITY: "市级",
    ItemLevel.COUNTY: "县级",
}
"""How the file (and the desk) names each level."""
CATEGORY_NAMES: Final[dict[ItemCategory, str]] = {
    ItemCategory.ROUTINE: "日常",
    ItemCategory.SPECIAL: "专项",
}
"""How the file (and the desk) names each category."""
_LEVELS: Final = {
    **{name: level for level, name in LEVEL_NAMES.items()},
    **{name.removesuffix("级"): level for level, name in LEVEL_NAMES.items()},
    **{str(level): level for level in ItemLevel},
}
_CATEGORIES: Final = {
    **{name: kind for kind, name in CATEGORY_NAMES.items()},
    **{str(kind): kind for kind in ItemCategory},
}
_YES: Final = {"是": True, "否": False, "": False}
_INDUSTRY_SEPARATORS: Final = re.compile(r"[、；;，,\n]+")
_COLUMN_OF: Final = {
    "code": "事项编码",
    "name": "事项名称",
    "legal_basis": "法律依据",
    "level": "层级",
    "category": "类别",
    "offsite": "可非现场核查",
    "industries": "适用行业",
    "documents": "需准备材料",
}


def catalogue_rows(items: Sequence[CatalogueItemPublic]) -> list[tuple[CellValue, ...]]:
    """The file's rows for some items, in the columns :data:`CATALOGUE_HEADERS` names."""
    return [
        (
            item.code,
            item.name,
            item.legal_basis,
            LEVEL_NAMES[item.level],
            CATEGORY_NAMES[item.category],
            "是" if item.offsite else "否",
            "、".join(item.industries),
            item.documents,
        )
        for item in items
    ]


def _exported(
    session: Session, actor: Actor, unit_id: str, include_drafts: bool
) -> list[CatalogueItemPublic]:
    """The current items, each code once: its draft when drafts are asked for, else the
    newest published revision."""
    listing = list_catalogue(session, actor, unit_id, include_drafts=include_drafts)
    newest: dict[str, CatalogueItemPublic] = {}
    for item in listing.items:
        kept = newest.get(item.code)
        if kept is None or item.revision > kept.revision:
            newest[item.code] = item
    return sorted(newest.values(), key=lambda i: i.code)


def catalogue_xlsx(session: Session, actor: Actor, unit_id: str, include_drafts: bool) -> bytes:
    """The unit's catalogue as an .xlsx file the import reads back.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
    """
    items = _exported(session, actor, unit_id, include_drafts)
    return table_xlsx("检查事项清单", CATALOGUE_HEADERS, catalogue_rows(items))


def catalogue_csv(session: Session, actor: Actor, unit_id: str, include_drafts: bool) -> bytes:
    """The unit's catalogue as CSV (UTF-8 with a byte order mark) the import reads back.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
    """
    items = _exported(session, actor, unit_id, include_drafts)
    return table_csv(CATALOGUE_HEADERS, catalogue_rows(items))


def _choice(
    problems: Problems,
    number: int,
    column: str,
    text: str,
    table: dict[str, Any],
    shown: Sequence[str],
) -> Any:
    if text in table:
        return table[text]
    names = "".join(f"“{name}”" for name in shown)
    problems.add(number, column, f"“{text}”无法识别，{column}应为{names}")
    return None


def parse_catalogue(rows: Sequence[TableRow]) -> list[tuple[int, CatalogueItemCreate]]:
    """Read catalogue items, one per row.

    Raises:
        InvalidInputError: When headers are unknown or missing, or there is no data.
        TableImportError: With every problem of every row (a code or a name used twice
            included).
    """
    check_headers(rows, _REQUIRED, CATALOGUE_HEADERS[len(_REQUIRED) :])
    problems = Problems(CATALOGUE_HEADERS)
    parsed: list[tuple[int, CatalogueItemCreate]] = []
    code_row: dict[str, int] = {}
    name_row: dict[str, int] = {}
    for number, row in rows:
        before = len(problems)
        raw: dict[str, Any] = {
            f: row.get(c, "")
            for f, c in _COLUMN_OF.items()
            if f in ("code", "name", "legal_basis", "documents")
        }
        level_text = row.get("层级", "")
        if level_text:
            raw["level"] = _choice(
                problems, number, "层级", level_text, _LEVELS, list(LEVEL_NAMES.values())
            )
        category_text = row.get("类别", "").removesuffix("检查")
        if category_text:
            raw["category"] = _choice(
                problems, number, "类别", category_text, _CATEGORIES, list(CATEGORY_NAMES.values())
            )
        raw["offsite"] = _choice(
            problems, number, "可非现场核查", row.get("可非现场核查", ""), _YES, ("是", "否")
        )
        raw["industries"] = [
            part.strip()
            for part in _INDUSTRY_SEPARATORS.split(row.get("适用行业", ""))
            if part.strip()
        ]
        for key, seen, column in (
            (raw["code"], code_row, "事项编码"),
            (raw["name"], name_row, "事项名称"),
        ):
            if key and key in seen:
                problems.add(number, column, f"{column}“{key}”与第 {seen[key]} 行重复")
            elif key:
                seen[key] = number
        # a cell already refused is left out (its default stands in), so the row's other
        # cells are still checked by the model
        for field in [f for f, value in raw.items() if value is None]:
            del raw[field]
        try:
            item = CatalogueItemCreate.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = str(error["loc"][0]) if error["loc"] else "code"
                problems.add(number, _COLUMN_OF.get(field, "事项编码"), describe(error))
            continue
        if len(problems) == before:
            parsed.append((number, item))
    problems.raise_if_any()
    return parsed


@dataclass(frozen=True)
class CatalogueImport:
    """What an import did: drafts added, drafts changed (or revisions drafted), rows that
    said what the catalogue says already; the items as stored."""

    added: int
    updated: int
    unchanged: int
    items: list[CatalogueItemPublic]


def _content(item: CatalogueItemCreate | CatalogueItemRow) -> tuple[object, ...]:
    return (
        item.name,
        item.legal_basis,
        str(item.level),
        str(item.category),
        item.offsite,
        list(item.industries),
        item.documents,
    )


def _patch(item: CatalogueItemCreate) -> CatalogueItemPatch:
    return CatalogueItemPatch(
        name=item.name,
        legal_basis=item.legal_basis,
        level=item.level,
        category=item.category,
        offsite=item.offsite,
        industries=list(item.industries),
        documents=item.documents,
    )


def import_catalogue(
    session: Session,
    actor: Actor,
    unit_id: str,
    data: bytes,
    filename: str | None,
    max_bytes: int,
) -> CatalogueImport:
    """Add or update the unit's drafts from a file, all rows or none (committed).

    A code new to the unit becomes a draft; a draft's code updates it; a published
    item's code with other content drafts its next revision; a row that says what the
    catalogue says stores nothing. Nothing is published.

    Raises:
        ForbiddenError: a unit key naming another unit.
        NotFoundError: no unit has this id.
        TableImportError: every bad row, with its row and column.
        InvalidInputError: the file cannot be read at all, or is over `max_bytes`.
    """
    check_acts_for_unit(actor, unit_id, WHAT)
    known_unit(session, unit_id)
    parsed = parse_catalogue(read_table(data, filename, max_bytes))
    stored = rows_of_unit(session, unit_id)
    by_code: dict[str, list[CatalogueItemRow]] = {}
    for row in stored:
        by_code.setdefault(row.code, []).append(row)
    codes_in_file = {item.code for _, item in parsed}
    errors: list[RowError] = []
    for number, item in parsed:
        revisions = by_code.get(item.code, [])
        if revisions and all(r.state == ItemState.RETIRED for r in revisions):
            errors.append(
                RowError(number, "事项编码", f"事项编码 {item.code} 的事项已停用，请换一个编码")
            )
        taken = next(
            (
                r
                for r in stored
                if r.name == item.name
                and r.code != item.code
                and r.code not in codes_in_file
                and r.state != ItemState.RETIRED
            ),
            None,
        )
        if taken is not None:
            errors.append(
                RowError(
                    number,
                    "事项名称",
                    f"事项名称“{item.name}”已用于本单位的事项（编码 {taken.code}）",
                )
            )
    if errors:
        raise TableImportError(errors)
    added = updated = unchanged = 0
    result: list[CatalogueItemRow] = []
    for _, item in parsed:
        revisions = by_code.get(item.code, [])
        draft = next((r for r in revisions if r.state == ItemState.DRAFT), None)
        published = [r for r in revisions if r.state == ItemState.PUBLISHED]
        if not revisions:
            result.append(add_draft(session, actor, unit_id, item))
            added += 1
        elif draft is not None:
            if _content(draft) == _content(item):
                unchanged += 1
                result.append(draft)
            else:
                updated += 1
                result.append(update_draft(session, actor, draft, _patch(item)))
        else:
            latest = max(published, key=lambda r: r.revision)
            if _content(latest) == _content(item):
                unchanged += 1
                result.append(latest)
            else:
                result.append(draft_revision(session, actor, latest, _patch(item)))
                updated += 1
    session.commit()
    return CatalogueImport(
        added=added, updated=updated, unchanged=unchanged, items=[item_public(r) for r in result]
    )
