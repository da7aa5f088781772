"""Rosters from spreadsheets: every bad row named with its column, nothing stored unless
every row is valid; a badge number already registered updates that officer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import OfficerRow
from inspection.services.access import Actor, Role
from inspection.services.officers import service
from inspection.services.officers.models import RecusalCreate, RecusalKind
from inspection.services.spreadsheets.io import CellValue, read_table, table_csv
from inspection.services.spreadsheets.officers import (
    OFFICER_HEADERS,
    import_officers,
    roster_template_xlsx,
    roster_xlsx,
)
from inspection.services.trust.audit import list_entries
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, UPLOAD_LIMIT
from tests.support.officers import officer
from tests.support.sheets import WRITERS, import_errors
from tests.support.world import fill_week

SCJG_KEY = Actor(name="scjg", role=Role.UNIT, unit_id="SCJG")


def _file(name: str, rows: Sequence[Sequence[CellValue]]) -> bytes:
    return WRITERS[name](OFFICER_HEADERS, rows)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_roster_imports_and_a_known_badge_number_updates_its_officer(
    engine: Engine, name: str
) -> None:
    with Session(engine) as session:
        fill_week(session)
        known = service.create_officer(
            session, ACTOR, officer("SCJG", "陈志明", "44180020240031", days_off=["2024-06-06"])
        )
        service.add_recusal(
            session,
            ACTOR,
            known.id,
            RecusalCreate(credit_code=FOOD_SHOP, kind=RecusalKind.REQUESTED, reason="企业书面申请"),
        )
        rows: list[list[CellValue]] = [
            ["SCJG", "陈志明", "44180020240031", "2028-12-31", "2024-06-04、2024-06-05", FOOD_SHOP],
            ["SCJG", "李晓燕", "44180020240032", "2027年6月30日", "", f"{FOOD_SHOP}、{FACTORY}"],
            ["XFJY", "赵国栋", "44180020240101", date(2026, 1, 31), "", ""],
        ]
        done = import_officers(session, ACTOR, _file(name, rows), name, UPLOAD_LIMIT)
        assert [o.name for o in done.created] == ["李晓燕", "赵国栋"]
        assert [o.id for o in done.updated] == [known.id]
        updated = done.updated[0]
        assert updated.certificate_expires == date(2028, 12, 31)
        assert updated.days_off == [date(2024, 6, 4), date(2024, 6, 5)]  # the row's, replacing
        # the recusal it had keeps its kind and reason; new ones are declared conflicts
        assert [(r.kind, r.reason) for r in updated.recusals] == [
            (RecusalKind.REQUESTED, "企业书面申请")
        ]
        li = done.created[0]
        assert li.certificate_expires == date(2027, 6, 30)
        assert {r.kind for r in li.recusals} == {RecusalKind.CONFLICT}
        assert len(li.recusals) == 2
        assert done.created[1].certificate_expires == date(2026, 1, 31)
        actions = [e.action for e in list_entries(session, entity="officer")]
        assert actions.count("officer.create") == 3
        assert actions.count("officer.update") == 1
        # the export reads back as the same roster
        exported = read_table(roster_xlsx(session, ACTOR), "x.xlsx", UPLOAD_LIMIT)
        assert [r["执法证号"] for _, r in exported] == [
            "44180020240032",
            "44180020240031",
            "44180020240101",
        ]
        assert exported[1][1]["休息日期"] == "2024-06-04、2024-06-05"


def test_bad_rows_are_each_named_and_nothing_is_stored(engine: Engine) -> None:
    unknown = "91441802MA4UL1AB2F"
    rows: list[list[CellValue]] = [
        ["SCJG", "陈志明", "44180020240031", "2027-06-30", "", ""],
        ["SCJG", "", "粤A 001", "2027-02-30", "明天", ""],
        ["SCJG", "李晓燕", "44180020240031", "", "", "123"],
        ["NOPE", "王建华", "44180020240033", "2027-06-30", "", unknown],
    ]
    with Session(engine) as session:
        fill_week(session)
        errors = import_errors(
            lambda: import_officers(
                session, ACTOR, table_csv(OFFICER_HEADERS, rows), "r.csv", UPLOAD_LIMIT
            )
        )
        assert {(e.row, e.column) for e in errors} == {
            (3, "姓名"),
            (3, "执法证号"),
            (3, "证件有效期至"),
            (3, "休息日期"),
            (4, "执法证号"),
            (4, "证件有效期至"),
            (4, "回避企业"),
        }
        problems = {(e.row, e.column): e.problem for e in errors}
        assert problems[(3, "执法证号")] == "只能使用英文字母、数字和“-”"
        assert problems[(4, "执法证号")] == "执法证号 44180020240031 与第 2 行重复"
        assert "2027-02-30" in problems[(3, "证件有效期至")]
        # the rows read, the references are checked: the unknown unit and enterprise
        good = [rows[0], rows[3]]
        refused = import_errors(
            lambda: import_officers(
                session, ACTOR, table_csv(OFFICER_HEADERS, good), "r.csv", UPLOAD_LIMIT
            )
        )
        assert [(e.row, e.column) for e in refused] == [(3, "执法单位编号"), (3, "回避企业")]
        assert unknown in refused[1].problem
        assert session.exec(select(OfficerRow)).all() == []


def test_a_unit_imports_its_own_officers_only(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        service.create_officer(session, ACTOR, officer("XFJY", "赵国栋", "44180020240101"))
        rows: list[list[CellValue]] = [
            ["SCJG", "陈志明", "44180020240031", "2027-06-30", "", ""],
            ["XFJY", "刘海涛", "44180020240102", "2027-06-30", "", ""],
            ["SCJG", "赵国栋", "44180020240101", "2027-06-30", "", ""],  # another unit's badge
        ]
        errors = import_errors(
            lambda: import_officers(
                session, SCJG_KEY, table_csv(OFFICER_HEADERS, rows), "r.csv", UPLOAD_LIMIT
            )
        )
        assert [(e.row, e.column) for e in errors] == [(3, "执法单位编号"), (4, "执法证号")]
        assert len(session.exec(select(OfficerRow)).all()) == 1


def test_the_template_is_a_roster_the_import_reads() -> None:
    rows = read_table(roster_template_xlsx(), "t.xlsx", UPLOAD_LIMIT)
    assert list(rows[0][1]) == list(OFFICER_HEADERS)
    assert rows[0][1]["执法证号"] == "44180020240031"
