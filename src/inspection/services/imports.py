"""Imports from spreadsheets: every row checked, then all stored in one transaction or none."""

from __future__ import annotations

from sqlmodel import Session

from inspection.db import repository
from inspection.services.audit import Actor, record
from inspection.services.checklists import add_checklist, public_checklists
from inspection.services.models import ChecklistPublic, EnterprisePublic, UnitPublic
from inspection.services.reference import add_enterprise, add_unit, get_enterprise, get_unit
from inspection.services.tabular import (
    RowError,
    TableImportError,
    parse_checklists,
    parse_enterprises,
    parse_units,
    read_table,
)

__all__ = ["import_checklists", "import_enterprises", "import_units"]


def import_units(
    session: Session, actor: Actor, data: bytes, filename: str | None
) -> list[UnitPublic]:
    """Add every unit of a file, or none.

    Raises:
        TableImportError: every problem found, each with its row and column.
        InvalidInputError: the file cannot be read at all.
    """
    parsed = parse_units(read_table(data, filename))
    errors = [
        RowError(row, "单位编号", f"执法单位 {unit.id} 已存在")
        for row, unit in parsed
        if repository.get_unit(session, unit.id) is not None
    ]
    if errors:
        raise TableImportError(errors)
    for _, unit in parsed:
        add_unit(session, actor, unit)
    session.commit()
    return [get_unit(session, unit.id) for _, unit in parsed]


def import_enterprises(
    session: Session, actor: Actor, data: bytes, filename: str | None
) -> list[EnterprisePublic]:
    """Add every enterprise of a file, or none.

    Raises:
        TableImportError: every problem found, each with its row and column.
        InvalidInputError: the file cannot be read at all.
    """
    parsed = parse_enterprises(read_table(data, filename))
    errors = [
        RowError(row, "统一社会信用代码", f"企业 {enterprise.credit_code} 已存在")
        for row, enterprise in parsed
        if repository.get_enterprise(session, enterprise.credit_code) is not None
    ]
    if errors:
        raise TableImportError(errors)
    for _, enterprise in parsed:
        add_enterprise(session, actor, enterprise)
    session.commit()
    return [get_enterprise(session, e.credit_code) for _, e in parsed]


def import_checklists(
    session: Session, actor: Actor, data: bytes, filename: str | None
) -> list[ChecklistPublic]:
    """Submit every checklist of a file, or none.

    Raises:
        TableImportError: every problem found (unknown units and enterprises
            included), each with its row and column.
        InvalidInputError: the file cannot be read at all.
    """
    parsed = parse_checklists(read_table(data, filename))
    errors: list[RowError] = []
    known_units: dict[str, bool] = {}
    known_codes: dict[str, bool] = {}
    for checklist in parsed:
        unit_id = checklist.data.unit_id
        if unit_id not in known_units:
            known_units[unit_id] = repository.get_unit(session, unit_id) is not None
        if actor.role == "unit" and unit_id != actor.unit_id:
            errors.append(
                RowError(
                    checklist.first_row, "执法单位编号", f"只能导入本单位（{actor.unit_id}）的清单"
                )
            )
        elif not known_units[unit_id]:
            errors.append(
                RowError(checklist.first_row, "执法单位编号", f"未知的执法单位 {unit_id}")
            )
        for code, row in zip(checklist.data.targets, checklist.target_rows, strict=True):
            if code not in known_codes:
                known_codes[code] = repository.get_enterprise(session, code) is not None
            if not known_codes[code]:
                errors.append(RowError(row, "检查对象", f"未知的企业 {code}，请先导入企业名录"))
    if errors:
        raise TableImportError(sorted(errors, key=lambda e: (e.row, e.column)))
    rows = [add_checklist(session, checklist.data) for checklist in parsed]
    created = public_checklists(session, rows)
    for stored in created:
        after = stored.model_dump(mode="json")
        record(session, actor, "checklist.submit", "checklist", stored.id, None, after)
    session.commit()
    return created
