"""Imports from spreadsheets: every row checked, then all stored in one transaction or none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlmodel import Session

from inspection.db import repository
from inspection.services.access import Actor, may_act_for_unit
from inspection.services.checklists.models import ChecklistPublic
from inspection.services.checklists.service import add_checklist, public_checklists
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
from inspection.services.spreadsheets.checklists import parse_checklists
from inspection.services.spreadsheets.io import RowError, TableImportError, TableRow, read_table
from inspection.services.spreadsheets.records import parse_enterprises, parse_units
from inspection.services.trust.audit import record

__all__ = ["import_checklists", "import_enterprises", "import_units"]

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
        if errors:
            raise TableImportError(errors)
        for _, item in parsed:
            self.add(session, actor, item)
        session.commit()
        return [self.read(session, self.key(item)) for _, item in parsed]


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


def import_checklists(
    session: Session, actor: Actor, data: bytes, filename: str | None, max_bytes: int
) -> list[ChecklistPublic]:
    """Submit every checklist of a file, or none.

    Raises:
        TableImportError: every problem found (unknown units and enterprises
            included), each with its row and column.
        InvalidInputError: the file cannot be read at all, or is over `max_bytes`.
    """
    parsed = parse_checklists(read_table(data, filename, max_bytes))
    errors: list[RowError] = []
    known_units: dict[str, bool] = {}
    known_codes: dict[str, bool] = {}
    for checklist in parsed:
        unit_id = checklist.data.unit_id
        if unit_id not in known_units:
            known_units[unit_id] = repository.get_unit(session, unit_id) is not None
        if not may_act_for_unit(actor, unit_id):
            problem = f"只能导入本单位（{actor.unit_id}）的清单"
            errors.append(RowError(checklist.first_row, "执法单位编号", problem))
        elif not known_units[unit_id]:
            problem = f"未知的执法单位 {unit_id}"
            errors.append(RowError(checklist.first_row, "执法单位编号", problem))
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
