"""The Qingcheng sample data: valid rows, the report's 109 checklists, real joint opportunities."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta

import pytest
from stdnum.cn import uscc

from inspection.generator.industries import INDUSTRIES, Industry
from inspection.generator.places import QINGCHENG
from inspection.generator.samples import CHECKLIST_COUNT, SampleData, qingcheng_samples
from inspection.generator.units import COMPLAINT_ITEM, TOWN_OFFICE, items_for
from inspection.services.checklists.models import ChecklistCreate
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.solver.calendar import is_statutory_working_day
from inspection.solver.greedy import greedy_plan
from inspection.solver.schema import Enterprise, Horizon, Problem, Request, Unit

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
UNIT_KEYS = {"单位编号", "单位名称", *WEEKDAYS, "休息日", "联系人及电话"}
ENTERPRISE_KEYS = {"统一社会信用代码", "企业名称", "镇街", "行业", "地址", "不可检查日期"}
OWN_COLUMNS = ("执法单位编号", "清单名称", "检查类型", "最早日期", "最晚日期", "优先级", "检查对象")
CHECKLIST_KEYS = {"清单编号", "检查事项", "法律依据", *OWN_COLUMNS}
TYPES = {"日常": "routine", "专项": "special", "投诉": "complaint"}
LAW = re.compile(r"^《[^《》]+》第[一二三四五六七八九十百]+条$")
INDUSTRY_BY_LABEL: dict[str, Industry] = {i.label: i for i in INDUSTRIES}
DEFAULT = (2024, date(2024, 4, 1))
CASES = [DEFAULT, (11, date(2024, 7, 1))]
DEMO_WEEK = date(2024, 4, 8)


@pytest.fixture(scope="module", params=CASES, ids=["Q2-default", "Q3-seed11"])
def case(request: pytest.FixtureRequest) -> tuple[SampleData, date, date]:
    seed, start = request.param
    return qingcheng_samples(seed, start), start, start + timedelta(days=7 * 13 - 1)


@pytest.fixture(scope="module")
def default() -> SampleData:
    return qingcheng_samples()


def _split(cell: str) -> list[str]:
    return [part for part in cell.split("；") if part]


def _dates(cell: str) -> list[date]:
    return [date.fromisoformat(part) for part in _split(cell)]


def _groups(data: SampleData) -> dict[str, list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in data.checklists:
        groups[row["清单编号"]].append(row)
    return groups


def _checklist(rows: list[dict[str, str]]) -> ChecklistCreate:
    first = rows[0]
    return ChecklistCreate(
        unit_id=first["执法单位编号"],
        title=first["清单名称"],
        inspection_type=TYPES[first["检查类型"]],  # type: ignore[arg-type]
        items=[{"name": r["检查事项"], "legal_basis": r["法律依据"]} for r in rows],  # type: ignore[misc]
        targets=[t for r in rows for t in _split(r["检查对象"])],
        earliest=date.fromisoformat(first["最早日期"]),
        latest=date.fromisoformat(first["最晚日期"]),
        priority=int(first["优先级"]),
    )


def _kind(unit_id: str) -> str:
    return TOWN_OFFICE if unit_id.startswith(TOWN_OFFICE) else unit_id


def test_the_reports_figures_and_sizes(case: tuple[SampleData, date, date]) -> None:
    data, _, _ = case
    assert len(_groups(data)) == CHECKLIST_COUNT == 109
    assert 25 <= len(data.units) <= 33
    assert 250 <= len(data.enterprises) <= 400
    complaints = sum(rows[0]["检查类型"] == "投诉" for rows in _groups(data).values())
    assert 5 <= complaints <= 13  # about 8%
    assert {rows[0]["检查类型"] for rows in _groups(data).values()} == set(TYPES)


def test_rows_have_exactly_the_spreadsheet_columns_as_text(
    case: tuple[SampleData, date, date],
) -> None:
    data, _, _ = case
    for rows, keys in (
        (data.units, UNIT_KEYS),
        (data.enterprises, ENTERPRISE_KEYS),
        (data.checklists, CHECKLIST_KEYS),
    ):
        for row in rows:
            assert set(row) == keys
            assert all(isinstance(value, str) for value in row.values())


def test_units_validate_and_have_sensible_capacities(case: tuple[SampleData, date, date]) -> None:
    data, start, end = case
    ids = [row["单位编号"] for row in data.units]
    assert len(set(ids)) == len(ids)
    assert {f"{TOWN_OFFICE}{n:02d}" for n in range(1, 9)} <= set(ids)
    assert "SCJG" in ids
    names = {row["单位编号"]: row["单位名称"] for row in data.units}
    assert names["SCJG"] == "清城区市场监督管理局"
    assert names["STHJ"] == "清远市生态环境局清城分局"
    with_days_off = 0
    for row in data.units:
        unit = UnitCreate(
            id=row["单位编号"],
            name=row["单位名称"],
            weekday_capacity=[int(row[day]) for day in WEEKDAYS],
            days_off=_dates(row["休息日"]),
        )
        assert all(2 <= c <= 6 for c in unit.weekday_capacity[:5])
        assert unit.weekday_capacity[5] <= 1
        assert unit.weekday_capacity[6] == 0
        assert all(start <= day <= end for day in unit.days_off)
        with_days_off += bool(unit.days_off)
    assert 1 <= with_days_off <= 5


def test_enterprises_validate_with_distinct_valid_credit_codes(
    case: tuple[SampleData, date, date],
) -> None:
    data, start, end = case
    codes = [row["统一社会信用代码"] for row in data.enterprises]
    assert len(set(codes)) == len(codes)
    assert len({row["企业名称"] for row in data.enterprises}) == len(codes)
    blacked_out = 0
    for row in data.enterprises:
        assert uscc.is_valid(row["统一社会信用代码"])
        assert row["统一社会信用代码"][2:8] == QINGCHENG.code
        assert row["镇街"] in QINGCHENG.towns
        assert row["行业"] in INDUSTRY_BY_LABEL
        assert row["地址"].startswith(f"清远市清城区{row['镇街']}")
        assert row["地址"].endswith("号")
        enterprise = EnterpriseCreate(
            credit_code=row["统一社会信用代码"],
            name=row["企业名称"],
            town=row["镇街"],
            industry=row["行业"],
            address=row["地址"],
            blackout_days=_dates(row["不可检查日期"]),
        )
        assert len(enterprise.blackout_days) <= 2
        assert all(start <= day <= end for day in enterprise.blackout_days)
        blacked_out += bool(enterprise.blackout_days)
    assert 0.02 * len(codes) <= blacked_out <= 0.1 * len(codes)
    assert {row["镇街"] for row in data.enterprises} == set(QINGCHENG.towns)


def test_checklists_validate_and_keep_to_their_rules(case: tuple[SampleData, date, date]) -> None:
    data, start, end = case
    units = {row["单位编号"] for row in data.units}
    enterprises = {row["统一社会信用代码"]: row for row in data.enterprises}
    groups = _groups(data)
    assert list(groups) == [f"QC-{start.year}-{n:03d}" for n in range(1, 110)]
    for reference, rows in groups.items():
        assert all(rows[0][column] for column in OWN_COLUMNS), reference
        assert all(not row[column] for row in rows[1:] for column in OWN_COLUMNS), reference
        checklist = _checklist(rows)
        assert checklist.unit_id in units
        assert start <= checklist.earliest <= checklist.latest <= end
        assert 1 <= len(checklist.items) <= 4
        assert all(LAW.match(item.legal_basis) for item in checklist.items), reference
        kind = _kind(checklist.unit_id)
        for code in checklist.targets:
            enterprise = enterprises[code]
            industry = INDUSTRY_BY_LABEL[enterprise["行业"]]
            assert kind in industry.unit_codes(), (reference, code)
            if kind == TOWN_OFFICE:
                town_number = QINGCHENG.towns.index(enterprise["镇街"]) + 1
                assert checklist.unit_id == f"{TOWN_OFFICE}{town_number:02d}"
            allowed = {*items_for(kind, industry.key), COMPLAINT_ITEM}
            assert {item.name for item in checklist.items} <= allowed, reference
        days = (checklist.latest - checklist.earliest).days + 1
        if checklist.inspection_type == "complaint":
            assert len(checklist.targets) == 1
            assert 2 <= days <= 5
            assert checklist.priority in (4, 5)
            assert checklist.title.startswith("投诉举报核查（")
            assert checklist.items[0].name == COMPLAINT_ITEM
        else:
            assert 1 <= len(checklist.targets) <= 15
            assert 3 <= days <= 21
            assert checklist.priority in (
                (1, 2) if checklist.inspection_type == "routine" else (2, 3)
            )


def _working(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [day for day in days if is_statutory_working_day(day)]


def test_every_units_expected_load_stays_well_under_its_capacity(
    case: tuple[SampleData, date, date],
) -> None:
    data = case[0]
    capacity = {row["单位编号"]: [int(row[day]) for day in WEEKDAYS] for row in data.units}
    days_off = {row["单位编号"]: set(_dates(row["休息日"])) for row in data.units}
    load: dict[tuple[str, date], float] = defaultdict(float)
    for rows in _groups(data).values():
        checklist = _checklist(rows)
        unit = checklist.unit_id
        usable = [
            day
            for day in _working(checklist.earliest, checklist.latest)
            if capacity[unit][day.weekday()] > 0 and day not in days_off[unit]
        ]
        assert usable, rows[0]["清单编号"]
        for day in usable:
            load[unit, day] += len(checklist.targets) / len(usable)
    for (unit, day), expected in load.items():
        assert expected <= 0.75 * capacity[unit][day.weekday()], (unit, day, expected)


def test_the_same_data_for_the_same_seed(default: SampleData) -> None:
    assert qingcheng_samples() == default
    assert qingcheng_samples(seed=2025) != default


def test_the_data_do_not_depend_on_string_hashing(default: SampleData) -> None:
    script = (
        "import hashlib, json; from dataclasses import asdict;"
        "from inspection.generator.samples import qingcheng_samples;"
        "print(hashlib.sha256(json.dumps(asdict(qingcheng_samples()), ensure_ascii=False)"
        ".encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    rows = {"units": default.units, "enterprises": default.enterprises}
    rows["checklists"] = default.checklists
    expected = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    assert result.stdout.strip() == expected


def test_the_demo_week_has_many_enterprises_for_several_units(default: SampleData) -> None:
    week = _working(DEMO_WEEK, DEMO_WEEK + timedelta(days=6))
    assert len(week) == 5
    units_by_day: dict[tuple[str, date], set[str]] = defaultdict(set)
    requests = 0
    for rows in _groups(default).values():
        checklist = _checklist(rows)
        inside = [day for day in week if checklist.earliest <= day <= checklist.latest]
        if not inside or checklist.inspection_type == "complaint":
            continue
        requests += len(checklist.targets)
        for code in checklist.targets:
            for day in inside:
                units_by_day[code, day].add(checklist.unit_id)
    shared = {code for (code, _), units in units_by_day.items() if len(units) >= 2}
    assert requests >= 40
    # at least 20 asked for; chance overlaps alone give about 20, the focus enterprises ~35
    assert len(shared) >= 25


def test_planning_the_demo_week_saves_visits(default: SampleData) -> None:
    end = DEMO_WEEK + timedelta(days=6)
    week = [DEMO_WEEK + timedelta(days=i) for i in range(7)]
    units = []
    for row in default.units:
        capacity = [int(row[day]) for day in WEEKDAYS]
        off = set(_dates(row["休息日"]))
        by_date = {day: 0 if day in off else capacity[day.weekday()] for day in week}
        units.append(Unit(id=row["单位编号"], daily_capacity=6, capacity_by_date=by_date))
    enterprises = [
        Enterprise(id=row["统一社会信用代码"], blackout_days=tuple(_dates(row["不可检查日期"])))
        for row in default.enterprises
    ]
    requests = [
        Request(
            id=f"{reference}/{code}",
            unit=checklist.unit_id,
            enterprise=code,
            earliest=checklist.earliest,
            latest=checklist.latest,
            joinable=checklist.joinable,
            priority=checklist.priority,
        )
        for reference, rows in _groups(default).items()
        for checklist in [_checklist(rows)]
        if checklist.earliest <= end and checklist.latest >= DEMO_WEEK
        for code in checklist.targets
    ]
    problem = Problem(
        format="inspect-once/1",
        horizon=Horizon(start=DEMO_WEEK, end=end),
        units=tuple(units),
        enterprises=tuple(enterprises),
        requests=tuple(requests),
    )
    plan = greedy_plan(problem)
    placed = len(requests) - len(plan.unscheduled)
    assert placed >= 0.9 * len(requests)
    assert placed - len(plan.rounds) >= 25  # visits saved


def test_the_services_spreadsheet_importers_accept_the_rows(default: SampleData) -> None:
    from inspection.services.spreadsheets.checklists import parse_checklists
    from inspection.services.spreadsheets.records import parse_enterprises, parse_units

    def numbered(rows: list[dict[str, str]]) -> list[tuple[int, dict[str, str]]]:
        return [(number, row) for number, row in enumerate(rows, start=2)]

    assert len(parse_units(numbered(default.units))) == len(default.units)
    assert len(parse_enterprises(numbered(default.enterprises))) == len(default.enterprises)
    assert len(parse_checklists(numbered(default.checklists))) == CHECKLIST_COUNT


def test_too_short_a_horizon_is_refused() -> None:
    with pytest.raises(ValueError, match="8 weeks"):
        qingcheng_samples(weeks=4)
