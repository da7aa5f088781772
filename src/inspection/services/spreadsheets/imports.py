"""Imports from spreadsheets: every row checked, then all stored in one transaction or none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, Field
from sqlmodel import Session

from inspection.db import repository
from inspection.db.regions import PATH_SEPARATOR, region_by_code
from inspection.services.access import Actor, in_region_scope, may_act_for_unit
from inspection.services.catalogue.checks import CatalogueBook, link_items
from inspection.services.checklists.changes import (
    amendment_refusal,
    apply_amendment,
    changeable_checklist,
)
from inspection.services.checklists.models import ChecklistPublic, ChecklistStatus
from inspection.services.checklists.service import add_checklists, stored_by_reference
from inspection.services.reference.models import (
    EnterpriseCreate,
    EnterprisePublic,
    UnitCreate,
    UnitPublic,
)
from inspection.services.reference.service import (
    add_enterprise,
    add_unit,
    get_enterprise,
    get_unit,
)
from inspection.services.rules.caps import active_cap_rules, enterprise_names, submission_caps
from inspection.services.rules.submission import refusal_message
from inspection.services.spreadsheets.checklists import ParsedChecklist, parse_checklists
from inspection.services.spreadsheets.io import RowError, TableImportError, TableRow, read_table
from inspection.services.spreadsheets.records import (
    REGION_HEADER,
    parse_enterprises,
    parse_units,
)
from inspection.services.trust.audit import Change, record_many, snapshot

__all__ = [
    "ChecklistImport",
    "ImportMode",
    "import_checklists",
    "import_enterprises",
    "import_units",
]

_In = TypeVar("_In", UnitCreate, EnterpriseCreate)
_Out = TypeVar("_Out", UnitPublic, EnterprisePublic)


@dataclass(frozen=True)
class _Records(Generic[_In, _Out]):
    """A kind of reference record a file holds, one per row, keyed by one column."""

    parse: Callable[[Sequence[TableRow]], list[tuple[int, _In]]]
    key: Callable[[_In], str]
    key_column: str
    taken: Callable[[Session, str], object | None]
    taken_message: str  # with {} for the key
    add: Callable[[Session, Actor, _In], None]
    read: Callable[[Session, str], _Out]

    def store_all(
        self, session: Session, actor: Actor, data: bytes, filename: str | None, max_bytes: int
    ) -> list[_Out]:
        """Add every record of the file, or none (committed)."""
        parsed = self.parse(read_table(data, filename, max_bytes))
        errors = [
            RowError(row, self.key_column, self.taken_message.format(self.key(item)))
            for row, item in parsed
            if self.taken(session, self.key(item)) is not None
        ]
        parsed, region_errors = _in_regions(session, actor, parsed)
        errors += region_errors
        if errors:
            raise TableImportError(errors)
        for _, item in parsed:
            self.add(session, actor, item)
        session.commit()
        return [self.read(session, self.key(item)) for _, item in parsed]


def _in_regions(
    session: Session, actor: Actor, parsed: list[tuple[int, _In]]
) -> tuple[list[tuple[int, _In]], list[RowError]]:
    """Each row's region: its 行政区划代码, which must name a region in the importer's (or
    under it); none: the importer's region (the platform's first for a key of every region).
    """
    own = actor.region_path.rsplit(PATH_SEPARATOR, 1)[-1] if actor.region_path else None
    placed: list[tuple[int, _In]] = []
    errors: list[RowError] = []
    for row, item in parsed:
        if item.region is None:
            placed.append((row, item.model_copy(update={"region": own})))
            continue
        region = region_by_code(session, item.region)
        if region is None or not in_region_scope(actor, region.path):
            errors.append(RowError(row, REGION_HEADER, f"行政区划 {item.region} 不存在"))
        placed.append((row, item))
    return placed, errors


_UNITS = _Records[UnitCreate, UnitPublic](
    parse=parse_units,
    key=lambda unit: unit.id,
    key_column="单位编号",
    taken=repository.get_unit,
    taken_message="执法单位 {} 已存在",
    add=add_unit,
    read=get_unit,
)
_ENTERPRISES = _Records[EnterpriseCreate, EnterprisePublic](
    parse=parse_enterprises,
    key=lambda enterprise: enterprise.credit_code,
    key_column="统一社会信用代码",
    taken=repository.get_enterprise,
    taken_message="企业 {} 已存在",
    add=add_enterprise,
    read=get_enterprise,
)


def import_units(
    session: Session, actor: Actor, data: bytes, filename: str | None, max_bytes: int
) -> list[UnitPublic]:
    """Add every unit of a file, or none.

    Raises:
        TableImportError: every problem found, each with its row and column.
        InvalidInputError: the file cannot be read at all, or is over `max_bytes`.
    """
    return _UNITS.store_all(session, actor, data, filename, max_bytes)


def import_enterprises(
    session: Session, actor: Actor, data: bytes, filename: str | None, max_bytes: int
) -> list[EnterprisePublic]:
    """Add every enterprise of a file, or none.

    Raises:
        TableImportError: every problem found, each with its row and column.
        InvalidInputError: the file cannot be read at all, or is over `max_bytes`.
    """
    return _ENTERPRISES.store_all(session, actor, data, filename, max_bytes)


class ImportMode(StrEnum):
    """What to do with a checklist of the file that was imported before with other content."""

    REFUSE = "refuse"
    """Refuse the file, naming the row (the default: nothing changes by surprise)."""
    AMEND = "amend"
    """Amend the stored checklist to the file's content, if it may still change."""


class ChecklistImport(BaseModel):
    """What an import of checklists did, checklist by checklist."""

    created: list[ChecklistPublic]
    unchanged: list[ChecklistPublic] = Field(
        description="imported before with the same 清单编号 and content: nothing stored"
    )
    amended: list[ChecklistPublic] = Field(
        description="imported before with other content, amended to the file's (on_change=amend)"
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="what the yearly caps said about the stored checklists' targets",
    )


def _reference_errors(
    session: Session, actor: Actor, parsed: Sequence[ParsedChecklist]
) -> list[RowError]:
    """Units the actor may not import for or that are unknown, and unknown enterprises."""
    errors: list[RowError] = []
    unit_ids = {checklist.data.unit_id for checklist in parsed}
    codes = {code for checklist in parsed for code in checklist.data.targets}
    known_units = repository.existing_units(session, unit_ids)
    known_codes = repository.existing_enterprises(session, codes)
    for checklist in parsed:
        unit_id = checklist.data.unit_id
        if not may_act_for_unit(actor, unit_id):
            problem = f"只能导入本单位（{actor.unit_id}）的清单"
            errors.append(RowError(checklist.first_row, "执法单位编号", problem))
        elif unit_id not in known_units:
            problem = f"未知的执法单位 {unit_id}"
            errors.append(RowError(checklist.first_row, "执法单位编号", problem))
        for code, row in zip(checklist.data.targets, checklist.target_rows, strict=True):
            if code not in known_codes:
                errors.append(RowError(row, "检查对象", f"未知的企业 {code}，请先导入企业名录"))
    return errors


# the column of the checklist file each field of the catalogue rule is in
_CATALOGUE_COLUMNS = {"name": "检查事项", "legal_basis": "法律依据", "code": "事项编码"}


def _catalogue_errors(
    book: CatalogueBook, parsed: Sequence[ParsedChecklist]
) -> tuple[dict[str, list[int | None]], list[RowError]]:
    """Each checklist's catalogue revisions by item (keyed by 清单编号), and the rows whose
    items the unit's published catalogue does not allow (a unit without one: any item)."""
    links: dict[str, list[int | None]] = {}
    errors: list[RowError] = []
    for checklist in parsed:
        data = checklist.data
        found = book.resolve(data.unit_id, data.earliest, data.items, data.onsite_reason)
        links[checklist.reference] = found.item_ids
        for problem in found.problems:
            if problem.index is None:
                errors.append(RowError(checklist.first_row, "现场检查理由", problem.problem))
                continue
            column = _CATALOGUE_COLUMNS[problem.field.rsplit(".", 1)[-1]]
            errors.append(RowError(checklist.item_rows[problem.index], column, problem.problem))
    return links, errors


def _sort_against_stored(
    session: Session, actor: Actor, parsed: Sequence[ParsedChecklist], on_change: ImportMode
) -> tuple[
    list[ParsedChecklist],
    list[ChecklistPublic],
    list[tuple[ParsedChecklist, ChecklistPublic]],
    list[RowError],
]:
    """New checklists, ones imported before unchanged, ones to amend, and the refusals."""
    stored = stored_by_reference(
        session, [(c.data.unit_id, c.reference) for c in parsed if c.data.reference]
    )
    new: list[ParsedChecklist] = []
    unchanged: list[ChecklistPublic] = []
    changed: list[tuple[ParsedChecklist, ChecklistPublic]] = []
    errors: list[RowError] = []
    for checklist in parsed:
        before = stored.get((checklist.data.unit_id, checklist.reference))
        if before is None:
            new.append(checklist)
            continue
        named = f"清单编号 {checklist.reference} 已导入为检查清单“{before.title}”"
        if before.status == ChecklistStatus.WITHDRAWN:
            problem = f"{named}，该清单已撤回；请换一个清单编号"
        elif checklist.data.same_content(before):
            unchanged.append(before)
            continue
        elif on_change == ImportMode.REFUSE:
            problem = (
                f"{named}（第 {before.version} 版），本文件中的内容与之不同；"
                "如要以本文件的内容修改该清单，请选择“按修改导入”"
            )
        elif (refusal := amendment_refusal(session, actor, before.id)) is not None:
            problem = f"{named}，{refusal}"
        else:
            changed.append((checklist, before))
            continue
        errors.append(RowError(checklist.first_row, "清单编号", problem))
    return new, unchanged, changed, errors


def _cap_problems(
    session: Session, to_store: Sequence[ParsedChecklist]
) -> tuple[list[RowError], list[str]]:
    """Targets whose unit cap is used up (a row error on their 检查对象), and the warnings."""
    if not to_store or not active_cap_rules(session):
        return [], []
    errors: list[RowError] = []
    warnings: list[str] = []
    names = enterprise_names(session, [c for p in to_store for c in p.data.targets])
    for checklist in to_store:
        data = checklist.data
        found = submission_caps(
            session,
            data.unit_id,
            str(data.inspection_type),
            data.targets,
            data.earliest,
            data.latest,
        )
        for index, standing in sorted(found.used_up.items()):
            code = data.targets[index]
            problem = refusal_message(code, names.get(code, ""), standing)
            errors.append(RowError(checklist.target_rows[index], "检查对象", problem))
        warnings += [f"清单编号 {checklist.reference}：{w}" for w in found.warnings]
    return errors, warnings


def import_checklists(
    session: Session,
    actor: Actor,
    data: bytes,
    filename: str | None,
    max_bytes: int,
    on_change: ImportMode = ImportMode.REFUSE,
) -> ChecklistImport:
    """Submit every checklist of a file, or none.

    A checklist is named by its unit and its 清单编号: one imported before with the
    same content stores nothing again (it is listed as unchanged); one with other
    content is refused, or amended when `on_change` says so.

    Raises:
        TableImportError: every problem found (unknown units and enterprises, items the
            unit's published catalogue does not allow, off-site items without a 现场检查理由,
            changed checklists refused, targets whose yearly cap is used up), each with
            its row and column.
        InvalidInputError: the file cannot be read at all, or is over `max_bytes`.
    """
    parsed = parse_checklists(read_table(data, filename, max_bytes))
    errors = _reference_errors(session, actor, parsed)
    book = CatalogueBook.load(session, {c.data.unit_id for c in parsed})
    links, catalogue_errors = _catalogue_errors(book, parsed)
    errors += catalogue_errors
    new, unchanged, changed, refusals = _sort_against_stored(session, actor, parsed, on_change)
    errors += refusals
    cap_errors, warnings = _cap_problems(session, [*new, *(c for c, _ in changed)])
    errors += cap_errors
    if errors:
        raise TableImportError(sorted(errors, key=lambda e: (e.row, e.column)))
    created = add_checklists(session, actor, [c.data for c in new])
    link_items(
        session,
        [(stored.id, links[c.reference]) for stored, c in zip(created, new, strict=True)],
    )
    record_many(
        session,
        actor,
        [
            Change("checklist.submit", "checklist", stored.id, None, snapshot(stored))
            for stored in created
        ],
    )
    amended = [
        apply_amendment(session, actor, changeable_checklist(session, actor, before.id), new.data)
        for new, before in changed
    ]
    session.commit()
    return ChecklistImport(created=created, unchanged=unchanged, amended=amended, warnings=warnings)
