"""Units and enterprises read from spreadsheet rows, one per row, with every problem together."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.spreadsheets.io import (
    CellValue,
    RowError,
    read_table,
    table_csv,
)
from inspection.services.spreadsheets.records import (
    ENTERPRISE_HEADERS,
    UNIT_HEADERS,
    parse_enterprises,
    parse_units,
)
from tests.support.data import FACTORY, FOOD_SHOP, UPLOAD_LIMIT
from tests.support.sheets import (
    WRITERS,
    import_errors,
    write_and_read,
)

UNITS = [
    UnitCreate(id="SCJG", name="区市场监督管理局", weekday_capacity=[3, 3, 3, 3, 3, 0, 0],
               days_off=[date(2024, 6, 10), date(2024, 6, 11)], contact="张丽 0763-3362101"),
    UnitCreate(id="XF-1", name="区消防救援大队", weekday_capacity=[1, 2, 0, 2, 1, 0, 0]),
]  # fmt: skip
UNITS_WITHOUT_CONTACT = table_csv(UNIT_HEADERS[:-1], [["A", "甲", 1, 1, 1, 1, 1, 0, 0, ""]])
ENTERPRISES = [
    EnterpriseCreate(credit_code=FOOD_SHOP, name="清城区某某小吃店", town="凤城街道",
                     industry="餐饮", address="凤城街道 1 号", blackout_days=[date(2024, 6, 5)]),
    EnterpriseCreate(credit_code=FACTORY, name="清远市某某食品有限公司", town="石角镇"),
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_sample_units_and_enterprises_round_trip(name: str) -> None:
    unit_rows: list[list[CellValue]] = [
        [u.id, u.name, *u.weekday_capacity, "；".join(map(str, u.days_off)), u.contact]
        for u in UNITS
    ]
    units = parse_units(write_and_read(name, UNIT_HEADERS, unit_rows))
    assert units == [(2, UNITS[0]), (3, UNITS[1])]
    enterprise_rows: list[list[CellValue]] = [
        [e.credit_code, e.name, e.town, e.industry, e.address, "\n".join(map(str, e.blackout_days))]
        for e in ENTERPRISES
    ]
    enterprises = parse_enterprises(write_and_read(name, ENTERPRISE_HEADERS, enterprise_rows))
    assert enterprises == [(2, ENTERPRISES[0]), (3, ENTERPRISES[1])]


def test_unit_errors_come_together_with_row_and_column() -> None:
    headers = UNIT_HEADERS[:-2]  # 休息日 and 联系人及电话 are optional
    rows = read_table(
        table_csv(
            headers,
            [
                ["SCJG", "区市场监督管理局", 3, 3, 3, 3, 3, 0, 0],
                ["SCJG", "重复", 1, "", "两", -1, 1001, 0, 0],
                ["市 场", "", 1, 1, 1, 1, 1, 1, 1],
            ],
        ),
        "units.csv",
        UPLOAD_LIMIT,
    )
    assert import_errors(lambda: parse_units(rows)) == [
        RowError(3, "单位编号", "单位编号“SCJG”与第 2 行重复"),
        RowError(3, "周二", "不能为空（当天不能参加检查请填 0）"),
        RowError(3, "周三", "“两”不是整数"),
        RowError(3, "周四", "不能小于 0"),
        RowError(3, "周五", "不能大于 1000"),
        RowError(4, "单位编号", "只能使用英文字母、数字、“_”和“-”"),
        RowError(4, "单位名称", "不能为空"),
    ]


def test_a_unit_s_contact_is_read_and_checked_and_files_without_it_stay_valid() -> None:
    old = read_table(UNITS_WITHOUT_CONTACT, "units.csv", UPLOAD_LIMIT)
    assert [u.contact for _, u in parse_units(old)] == [""]
    rows = [
        (2, {**dict.fromkeys(UNIT_HEADERS, "1"), "单位编号": "A", "单位名称": "甲",
             "休息日": "", "联系人及电话": "  李明 0763-3362102 "}),
        (3, {**dict.fromkeys(UNIT_HEADERS, "1"), "单位编号": "B", "单位名称": "乙",
             "休息日": "", "联系人及电话": "电话" * 101}),
    ]  # fmt: skip
    assert import_errors(lambda: parse_units(rows)) == [
        RowError(3, "联系人及电话", "不能超过 200 个字符")
    ]
    assert parse_units(rows[:1])[0][1].contact == "李明 0763-3362102"


def test_unit_days_off_must_be_dates() -> None:
    rows = [
        (
            2,
            {
                **dict.fromkeys(UNIT_HEADERS, "1"),
                "单位编号": "A",
                "单位名称": "甲",
                "休息日": "2024-06-10，周一",
            },
        )
    ]
    assert import_errors(lambda: parse_units(rows)) == [
        RowError(2, "休息日", "日期“周一”格式不正确，应写成 2024-06-03、2024/6/3 或 2024年6月3日")
    ]


def test_enterprise_errors_come_together_with_row_and_column() -> None:
    rows = read_table(
        table_csv(
            ENTERPRISE_HEADERS[:3],
            [
                [FOOD_SHOP, "小吃店", "凤城街道"],
                [FOOD_SHOP.lower(), "同一家", "凤城街道"],
                [FACTORY[:-1] + "0", "", "石角镇"],
                ["", "无代码", ""],
            ],
        ),
        "enterprises.csv",
        UPLOAD_LIMIT,
    )
    errors = import_errors(lambda: parse_enterprises(rows))
    assert [(e.row, e.column) for e in errors] == [
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (4, "企业名称"),
        (5, "统一社会信用代码"),
        (5, "镇街"),
    ]
    assert errors[0].problem == f"统一社会信用代码 {FOOD_SHOP} 与第 2 行重复"
    assert errors[1].problem == f"统一社会信用代码“{FACTORY[:-1]}0”无效：校验位不符，请核对是否抄错"
    assert errors[3].problem == "不能为空"


# python-stdnum's kinds of invalid code: a letter it never uses, a wrong check character,
# a wrong check character for an unknown registration authority (the first character);
# and too short, which the importer hands to python-stdnum too
WRONG_CODES = [FACTORY[:-1] + "I", FACTORY[:-1] + "0", "0" + FACTORY[1:]]


def _latin_words(problem: str, code: str) -> list[str]:
    """The words in Latin letters, the code aside (python-stdnum's messages are English)."""
    return re.findall(r"[A-Za-z]+", problem.replace(code, ""))


@pytest.mark.parametrize("code", [*WRONG_CODES, FACTORY[:-1]])
def test_an_imported_invalid_credit_code_is_explained_in_chinese_only(code: str) -> None:
    rows = read_table(
        table_csv(ENTERPRISE_HEADERS[:3], [[code, "企业", "石角镇"]]), "e.csv", UPLOAD_LIMIT
    )
    (error,) = import_errors(lambda: parse_enterprises(rows))
    assert error.problem.startswith(f"统一社会信用代码“{code}”无效："), error.problem
    assert _latin_words(error.problem, code) == [], error.problem


@pytest.mark.parametrize("code", WRONG_CODES)
def test_a_submitted_invalid_credit_code_is_explained_in_chinese_only(code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        EnterpriseCreate(credit_code=code, name="企业", town="石角镇")
    problem = str(refused.value.errors()[0]["ctx"]["error"])
    assert problem.startswith("统一社会信用代码无效："), problem
    assert _latin_words(problem, code) == [], problem


def test_enterprise_blackout_days_must_be_dates() -> None:
    row = {"统一社会信用代码": FOOD_SHOP, "企业名称": "小吃店", "镇街": "凤城街道"}
    rows = [(2, {**row, "不可检查日期": "2024年6月5日、2024/6/31"})]
    assert import_errors(lambda: parse_enterprises(rows)) == [
        RowError(2, "不可检查日期", "日期“2024/6/31”不存在")
    ]
    rows = [(2, {**row, "不可检查日期": "2024年6月5日、2024/6/30"})]
    ((_, enterprise),) = parse_enterprises(rows)
    assert enterprise.blackout_days == [date(2024, 6, 5), date(2024, 6, 30)]
