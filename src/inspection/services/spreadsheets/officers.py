"""Officer rosters (执法人员名册) from and to spreadsheets: one officer per row.

An import checks every row first and stores all of them in one transaction, or
none; a badge number already registered updates that officer (its days off and
recusals become the row's).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.tables import OfficerRecusalRow, OfficerRow
from inspection.services.access import Actor, may_act_for_unit
from inspection.services.officers.models import OfficerCreate, OfficerPublic, RecusalKind
from inspection.services.officers.service import get_officer, list_officers, put_officer
from inspection.services.spreadsheets.cells import (
    DATE_FORMATS_HINT,
    Problems,
    check_headers,
    credit_code,
    describe,
    parse_date,
    parse_dates,
    split_list,
)
from inspection.services.spreadsheets.io import (
    TableRow,
    read_table,
    table_xlsx,
)

__all__ = [
    "OFFICER_HEADERS",
    "OfficerImport",
    "import_officers",
    "parse_officers",
    "roster_template_xlsx",
    "roster_xlsx",
]

OFFICER_HEADERS: Final = (
    "执法单位编号",
    "姓名",
    "执法证号",
    "证件有效期至",
    "休息日期",
    "回避企业",
)
"""Headers of the roster file; the last two may be left out."""
_REQUIRED: Final = 4
_COLUMN_OF: Final = {
    "unit_id": "执法单位编号",
    "name": "姓名",
    "badge_number": "执法证号",
    "certificate_expires": "证件有效期至",
    "days_off": "休息日期",
    "recusals": "回避企业",
}


class OfficerImport(BaseModel):
    """What an import of a roster did."""

    created: list[OfficerPublic]
    updated: list[OfficerPublic]


def _describe(detail: Any) -> str:
    if detail["type"] == "string_pattern_mismatch" and detail["loc"][:1] == ("badge_number",):
        return "只能使用英文字母、数字和“-”"
    return describe(detail)


def _read_row(problems: Problems, number: int, row: dict[str, str]) -> OfficerCreate | None:
    skip: set[str] = set()
    raw: dict[str, Any] = {
        "unit_id": row.get("执法单位编号", ""),
        "name": row.get("姓名", ""),
        "badge_number": row.get("执法证号", ""),
    }
    expires = row.get("证件有效期至", "")
    try:
        if not expires:
            raise ValueError(f"不能为空，请写成 {DATE_FORMATS_HINT}")
        raw["certificate_expires"] = parse_date(expires)
    except ValueError as exc:
        problems.add(number, "证件有效期至", str(exc))
        skip.add("certificate_expires")
    days, bad = parse_dates(row.get("休息日期", ""))
    for problem in bad:
        problems.add(number, "休息日期", problem)
    raw["days_off"] = days
    codes: list[str] = []
    for text in split_list(row.get("回避企业", "")):
        try:
            code = credit_code(text)
        except ValueError as exc:
            problems.add(number, "回避企业", str(exc))
            continue
        if code in codes:
            problems.add(number, "回避企业", f"企业 {code} 填了两次")
        else:
            codes.append(code)
    raw["recusals"] = [{"credit_code": c, "kind": RecusalKind.CONFLICT} for c in codes]
    try:
        officer = OfficerCreate.model_validate(raw)
    except ValidationError as exc:
        for detail in exc.errors(include_url=False):
            field = str(detail["loc"][0]) if detail["loc"] else "name"
            if field not in skip:
                problems.add(number, _COLUMN_OF.get(field, "姓名"), _describe(detail))
        return None
    return officer if not bad else None


def parse_officers(rows: Sequence[TableRow]) -> list[tuple[int, OfficerCreate]]:
    """Read a roster, one officer per row.

    Columns: 执法单位编号, 姓名, 执法证号 (letters, digits and ``-``, at most 32),
    证件有效期至 (a date: valid through that day), 休息日期 (dates separated by ``、``
    and the like; optional), 回避企业 (credit codes, likewise; optional: recorded
    as conflicts the officer declared).

    Raises:
        InvalidInputError: When headers are unknown or missing, or there is no data.
        TableImportError: With every problem of every row (a badge number used twice included).
    """
    check_headers(rows, OFFICER_HEADERS[:_REQUIRED], OFFICER_HEADERS[_REQUIRED:])
    problems = Problems(OFFICER_HEADERS)
    found: list[tuple[int, OfficerCreate]] = []
    first_row_of: dict[str, int] = {}
    for number, row in rows:
        before = len(problems)
        badge = row.get("执法证号", "").strip()
        if badge in first_row_of:
            problems.add(number, "执法证号", f"执法证号 {badge} 与第 {first_row_of[badge]} 行重复")
        elif badge:
            first_row_of[badge] = number
        officer = _read_row(problems, number, row)
        if officer is not None and len(problems) == before:
            found.append((number, officer))
    problems.raise_if_any()
    return found


def _reference_problems(
    session: Session, actor: Actor, parsed: list[tuple[int, OfficerCreate]]
) -> Problems:
    problems = Problems(OFFICER_HEADERS)
    units = repository.existing_units(session, {o.unit_id for _, o in parsed})
    codes = {r.credit_code for _, o in parsed for r in o.recusals}
    enterprises = repository.existing_enterprises(session, codes)
    badges = [o.badge_number for _, o in parsed]
    holders = {
        r.badge_number: r
        for r in session.exec(select(OfficerRow).where(col(OfficerRow.badge_number).in_(badges)))
    }
    for number, officer in parsed:
        if not may_act_for_unit(actor, officer.unit_id):
            problems.add(number, "执法单位编号", f"只能导入本单位（{actor.unit_id}）的执法人员")
        elif officer.unit_id not in units:
            problems.add(number, "执法单位编号", f"未知的执法单位 {officer.unit_id}")
        holder = holders.get(officer.badge_number)
        if holder is not None and not may_act_for_unit(actor, holder.unit_id):
            problems.add(
                number, "执法证号", f"执法证号 {officer.badge_number} 已登记为其他单位的执法人员"
            )
        for recusal in officer.recusals:
            if recusal.credit_code not in enterprises:
                problems.add(
                    number, "回避企业", f"未知的企业 {recusal.credit_code}，请先导入企业名录"
                )
    return problems


def _keep_recorded_kinds(session: Session, officer: OfficerCreate) -> OfficerCreate:
    """A recusal the officer already has keeps its kind and reason (the file names none)."""
    holder = session.exec(
        select(OfficerRow).where(OfficerRow.badge_number == officer.badge_number)
    ).first()
    if holder is None:
        return officer
    kept = {
        r.credit_code: r
        for r in session.exec(
            select(OfficerRecusalRow).where(OfficerRecusalRow.officer_id == holder.id)
        )
    }
    recusals = [
        r.model_copy(
            update={
                "kind": RecusalKind(kept[r.credit_code].kind),
                "reason": kept[r.credit_code].reason,
            }
        )
        if r.credit_code in kept
        else r
        for r in officer.recusals
    ]
    return officer.model_copy(update={"recusals": recusals})


def import_officers(
    session: Session, actor: Actor, data: bytes, filename: str | None, max_bytes: int
) -> OfficerImport:
    """Add or update every officer of a roster file, or none (committed; each change audited).

    A unit key imports its own unit's officers only.

    Raises:
        TableImportError: every problem found, each with its row and column.
        InvalidInputError: the file cannot be read at all, or is over `max_bytes`.
    """
    parsed = parse_officers(read_table(data, filename, max_bytes))
    problems = _reference_problems(session, actor, parsed)
    problems.raise_if_any()
    done: list[tuple[int, bool]] = []
    for _, officer in parsed:
        done.append(put_officer(session, actor, _keep_recorded_kinds(session, officer)))
    session.commit()
    return OfficerImport(
        created=[get_officer(session, actor, i) for i, new in done if new],
        updated=[get_officer(session, actor, i) for i, new in done if not new],
    )


def _joined(days: Sequence[date]) -> str:
    return "、".join(day.isoformat() for day in days)


def roster_xlsx(session: Session, actor: Actor, unit_id: str | None = None) -> bytes:
    """The roster as the import reads it (active officers; a unit key: its own unit's)."""
    rows = [
        (
            o.unit_id,
            o.name,
            o.badge_number,
            o.certificate_expires,
            _joined(o.days_off),
            "、".join(r.credit_code for r in o.recusals),
        )
        for o in list_officers(session, actor, unit_id, active_only=True)
    ]
    return table_xlsx("执法人员名册", OFFICER_HEADERS, rows)


def roster_template_xlsx() -> bytes:
    """An empty roster with one example row (fictitious)."""
    example = ("SCJG", "陈志明", "44180020240031", date(2027, 6, 30), "2024-04-10、2024-04-11", "")
    return table_xlsx("执法人员名册", OFFICER_HEADERS, [example])
