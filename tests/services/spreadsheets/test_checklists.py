"""Checklists read from spreadsheet rows (one row per item), the template, every error path."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from stdnum.cn import uscc

from inspection.errors import InvalidInputError
from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS, parse_checklists
from inspection.services.spreadsheets.io import (
    RowError,
    read_table,
    table_csv,
)
from inspection.services.spreadsheets.template import (
    checklist_template_csv,
    checklist_template_xlsx,
)
from tests.support.data import FACTORY, FOOD_SHOP, UPLOAD_LIMIT
from tests.support.sheets import (
    FOURTH,
    THIRD,
    checklist_rows,
    first_row,
    import_errors,
)

TEMPLATE = checklist_template_xlsx()


@pytest.mark.parametrize(
    ("data", "name"), [(TEMPLATE, "模板.xlsx"), (checklist_template_csv(), "模板.csv")]
)
def test_the_template_is_a_valid_checklist(data: bytes, name: str) -> None:
    (parsed,) = parse_checklists(read_table(data, name, UPLOAD_LIMIT))
    assert parsed.reference == "SCJG-001"
    assert parsed.first_row == 2
    assert parsed.data.unit_id == "SCJG"
    assert [item.name for item in parsed.data.items] == ["食品经营许可情况", "从业人员健康管理"]
    assert parsed.data.targets == [FOOD_SHOP, FACTORY]
    assert parsed.target_rows == (2, 3)


def test_the_xlsx_template_is_laid_out_and_explained() -> None:
    workbook = load_workbook(io.BytesIO(TEMPLATE))
    assert workbook.sheetnames == ["检查清单", "填写说明"]
    sheet = workbook["检查清单"]
    assert [cell.value for cell in sheet[1]] == list(CHECKLIST_HEADERS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert (sheet.column_dimensions["I"].width or 0) >= 20
    explained = [row[0] for row in workbook["填写说明"].iter_rows(min_row=2, values_only=True)]
    assert set(CHECKLIST_HEADERS) <= set(explained)


def test_checklists_group_rows_and_read_every_column() -> None:
    rows = checklist_rows(
        first_row(检查类型="投诉", 优先级="3", 检查对象=f"{FOOD_SHOP}；{FACTORY}"),
        {"清单编号": "B", "执法单位编号": "XF", "清单名称": "消防", "检查类型": "special",
         "最早日期": "2024/6/3", "最晚日期": "2024年6月30日", "检查事项": "消防通道",
         "法律依据": "《消防法》第二十八条", "检查对象": FOOD_SHOP},
        {"清单编号": "A", "执法单位编号": "SCJG", "最早日期": "2024/6/3", "检查类型": "投诉检查",
         "检查事项": "索证索票", "法律依据": "《食品安全法》第五十条",
         "检查对象": f" {THIRD.lower()}\n"},
    )  # fmt: skip
    first, second = parse_checklists(rows)
    assert (first.reference, first.first_row, second.reference) == ("A", 2, "B")
    assert first.data.inspection_type == "complaint"
    assert first.data.priority == 3
    assert first.data.targets == [FOOD_SHOP, FACTORY, THIRD]
    assert first.target_rows == (2, 2, 4)
    assert [item.legal_basis for item in first.data.items][-1] == "《食品安全法》第五十条"
    assert second.data.inspection_type == "special"
    assert (second.data.earliest, second.data.latest) == (date(2024, 6, 3), date(2024, 6, 30))
    assert second.data.priority == 1


def test_three_bad_rows_give_three_errors_together() -> None:
    rows = checklist_rows(
        first_row(清单编号="A", 优先级="九"),
        first_row(清单编号="B", 检查类型="抽查"),
        first_row(清单编号="C", 法律依据=""),
        first_row(清单编号="D"),
    )
    assert import_errors(lambda: parse_checklists(rows)) == [
        RowError(2, "优先级", "“九”无法识别，优先级应为 1 到 5 的整数"),
        RowError(
            3,
            "检查类型",
            "“抽查”无法识别，检查类型应为“日常”“投诉”“专项”“转办交办”“整改复查”“许可核查”“安全生产”",
        ),
        RowError(4, "法律依据", "不能为空"),
    ]


def test_later_rows_must_repeat_or_leave_the_checklist_columns() -> None:
    rows = checklist_rows(
        first_row(),
        {"清单编号": "A", "执法单位编号": "SCJG", "最晚日期": "2024/6/7", "检查对象": FACTORY},
        {"清单编号": "A", "执法单位编号": "GA", "优先级": "2", "清单名称": "另一个"},
    )
    errors = import_errors(lambda: parse_checklists(rows))
    assert [(e.row, e.column) for e in errors] == [
        (4, "执法单位编号"),
        (4, "清单名称"),
        (4, "优先级"),
    ]
    assert "与本清单第 2 行的“SCJG”不一致" in errors[0].problem
    assert "与本清单第 2 行的空白不一致" in errors[2].problem


def test_a_repeated_target_is_an_error_where_it_repeats() -> None:
    rows = checklist_rows(
        first_row(检查对象=f"{FOOD_SHOP}、{FACTORY}"),
        {"清单编号": "A", "检查对象": f"{THIRD},{FACTORY.lower()}"},
        {"清单编号": "A", "检查对象": f"{FOURTH} {THIRD}\n{FOURTH}"},
    )
    assert import_errors(lambda: parse_checklists(rows)) == [
        RowError(3, "检查对象", f"检查对象 {FACTORY} 重复（第 2 行已经填写过）"),
        RowError(4, "检查对象", f"检查对象 {THIRD} 重复（第 3 行已经填写过）"),
        RowError(4, "检查对象", f"检查对象 {FOURTH} 重复（本行已经填写过）"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2024-13-01", "日期“2024-13-01”不存在"),
        ("明天", "日期“明天”格式不正确，应写成 2024-06-03、2024/6/3 或 2024年6月3日"),
        ("", "不能为空"),
    ],
)
def test_bad_dates_name_row_and_column(text: str, problem: str) -> None:
    rows = checklist_rows(first_row(), first_row(清单编号="B", 最晚日期=text))
    assert import_errors(lambda: parse_checklists(rows)) == [RowError(3, "最晚日期", problem)]


@pytest.mark.parametrize("text", ["2024-6-3", "2024/06/03", "2024年6月3日", "２０２４－０６－０３"])
def test_dates_in_every_accepted_form(text: str) -> None:
    (parsed,) = parse_checklists(checklist_rows(first_row(最早日期=text)))
    assert parsed.data.earliest == date(2024, 6, 3)


def test_a_reversed_window_is_reported_on_the_first_row_even_beside_otherimport_errors() -> None:
    alone = checklist_rows(first_row(), {"清单编号": "A", "检查对象": FACTORY, "检查事项": "x"})
    alone[0][1]["最早日期"] = "2024-06-09"
    errors = import_errors(lambda: parse_checklists(alone))
    assert errors == [
        RowError(2, "最早日期", "检查时间窗口的开始日期 2024-06-09 晚于结束日期 2024-06-07"),
        RowError(3, "法律依据", "不能为空"),
    ]
    without_other = checklist_rows(first_row(最早日期="2024-06-09"))
    assert import_errors(lambda: parse_checklists(without_other)) == errors[:1]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (FOOD_SHOP[:-1] + "N", "校验位不符，请核对是否抄错"),
        (FOOD_SHOP[:-2], "应为 18 位"),
    ],
)
def test_bad_credit_codes_carry_the_stdnum_reason_in_chinese(code: str, reason: str) -> None:
    rows = checklist_rows(first_row(), {"清单编号": "A", "检查对象": f"{FACTORY}；{code}"})
    (error,) = import_errors(lambda: parse_checklists(rows))
    assert (error.row, error.column) == (3, "检查对象")
    assert error.problem == f"统一社会信用代码“{code}”无效：{reason}"


def test_model_errors_map_to_the_row_of_the_item_or_target() -> None:
    rows = checklist_rows(
        first_row(清单名称="名" * 201),
        {"清单编号": "A", "检查事项": "第二项", "法律依据": "依据"},
        {"清单编号": "A", "检查事项": "第三项", "法律依据": "法" * 501},
        {"清单编号": "B", "执法单位编号": "SCJG", "清单名称": "无对象", "最早日期": "2024-06-03",
         "最晚日期": "2024-06-03", "优先级": "6"},
        {"清单编号": ""},
    )  # fmt: skip
    assert import_errors(lambda: parse_checklists(rows)) == [
        RowError(2, "清单名称", "不能超过 200 个字符"),
        RowError(4, "法律依据", "不能超过 500 个字符"),
        RowError(5, "优先级", "不能大于 5"),
        RowError(5, "检查事项", "至少要有 1 项检查事项（填写检查事项和法律依据）"),
        RowError(5, "检查对象", "至少要有 1 个检查对象（填写统一社会信用代码）"),
        RowError(6, "清单编号", "不能为空"),
    ]


def test_too_many_targets_point_at_the_first_row_over_the_limit() -> None:
    codes = [f"91441802MA{i:07d}" for i in range(1001)]
    codes = [c + uscc.calc_check_digit(c) for c in codes]
    rows = checklist_rows(
        first_row(检查对象=""), *({"清单编号": "A", "检查对象": c} for c in codes)
    )
    (error,) = import_errors(lambda: parse_checklists(rows))
    assert error == RowError(1003, "检查对象", "最多只能填 1000 项")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ([*CHECKLIST_HEADERS, "备注"], "无法识别的表头“备注”"),
        (
            [h for h in CHECKLIST_HEADERS if h not in ("清单名称", "法律依据")],
            "缺少表头“清单名称”“法律依据”",
        ),
    ],
)
def test_unknown_and_missing_headers_are_named(headers: list[str], message: str) -> None:
    rows = read_table(table_csv(headers, [["x"] * len(headers)]), "x.csv", UPLOAD_LIMIT)
    with pytest.raises(InvalidInputError, match=message):
        parse_checklists(rows)


def test_optional_headers_may_be_left_out_and_a_file_needs_data() -> None:
    headers = [h for h in CHECKLIST_HEADERS if h not in ("检查类型", "优先级")]
    row = first_row()
    (parsed,) = parse_checklists(
        read_table(table_csv(headers, [[row.get(h, "") for h in headers]]), "x.csv", UPLOAD_LIMIT)
    )
    assert (parsed.data.inspection_type, parsed.data.priority) == ("routine", 1)
    with pytest.raises(InvalidInputError, match="没有数据"):
        parse_checklists(read_table(table_csv(headers, []), "x.csv", UPLOAD_LIMIT))
