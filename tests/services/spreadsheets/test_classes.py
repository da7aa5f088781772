"""Importing enterprises' classes: every row checked, stored whole or not at all."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.reference.models import EnterpriseCreate
from inspection.services.reference.service import create_enterprise, get_enterprise
from inspection.services.spreadsheets.classes import CLASS_HEADERS, import_classes
from inspection.services.spreadsheets.io import table_csv
from inspection.services.trust.audit import list_entries
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, UPLOAD_LIMIT
from tests.support.sheets import FOURTH, THIRD, import_errors


def _setup(session: Session) -> None:
    for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
        create_enterprise(
            session, ACTOR, EnterpriseCreate(credit_code=code, name=name, town="凤城街道")
        )


def _file(*rows: dict[str, str]) -> bytes:
    return table_csv(CLASS_HEADERS, [[row.get(h, "") for h in CLASS_HEADERS] for row in rows])


GOOD = {
    "统一社会信用代码": FOOD_SHOP,
    "风险等级": "C",
    "风险等级来源": "区市场监管局",
    "风险等级日期": "2024年1月15日",
    "无事不扰": "是",
    "无事不扰来源": "无事不扰名单（第一批）",
    "纳入日期": "2024/3/1",
}


def test_a_good_file_sets_every_row_s_classes(engine: Engine) -> None:
    second = {
        "统一社会信用代码": FACTORY,
        "信用等级": "A",
        "信用等级来源": "信用中国",
        "信用等级日期": "2024-02-01",
    }
    with Session(engine) as session:
        _setup(session)
        codes = import_classes(session, ACTOR, _file(GOOD, second), "classes.csv", UPLOAD_LIMIT)
    with Session(engine) as session:
        shop, factory = get_enterprise(session, FOOD_SHOP), get_enterprise(session, FACTORY)
        assert len(list_entries(session, action="enterprise.classes")) == 2
    assert codes == [FOOD_SHOP, FACTORY]
    assert (shop.risk_class, shop.risk_as_of, shop.no_disturb) == ("C", date(2024, 1, 15), True)
    assert shop.no_disturb_since == date(2024, 3, 1)
    assert (factory.credit_class, factory.risk_class, factory.no_disturb) == ("A", None, False)


def test_bad_rows_are_all_named_and_nothing_is_stored(engine: Engine) -> None:
    rows = (
        GOOD,
        {**GOOD, "风险等级日期": "2024-02-30"},  # row 3: no such day, and 信用 source without grade
        {"统一社会信用代码": THIRD, "无事不扰": "否"},  # row 4: unknown enterprise
        {"统一社会信用代码": FOURTH, "无事不扰": "也许"},  # row 5
        {
            "统一社会信用代码": FACTORY,
            "风险等级": "B",
            "风险等级日期": "2024-01-01",
        },  # row 6: no source
        {"统一社会信用代码": "123"},  # row 7
    )
    rows[1]["信用等级来源"] = "信用中国"
    with Session(engine) as session:
        _setup(session)
        parse_errors = import_errors(
            lambda: import_classes(session, ACTOR, _file(*rows), "classes.csv", UPLOAD_LIMIT)
        )
    assert [(e.row, e.column) for e in parse_errors] == [
        (3, "统一社会信用代码"),  # the same code as row 2
        (3, "风险等级日期"),
        (3, "信用等级"),
        (5, "无事不扰"),
        (7, "统一社会信用代码"),
    ]
    good_rows = (rows[0], rows[2], rows[4])
    with Session(engine) as session:
        errors = import_errors(
            lambda: import_classes(session, ACTOR, _file(*good_rows), "classes.csv", UPLOAD_LIMIT)
        )
        assert [(e.row, e.column) for e in errors] == [(3, "统一社会信用代码"), (4, "风险等级来源")]
        assert "未知的企业" in errors[0].problem
        session.rollback()
    with Session(engine) as session:
        assert get_enterprise(session, FOOD_SHOP).risk_class is None
        assert list_entries(session, action="enterprise.classes") == []
