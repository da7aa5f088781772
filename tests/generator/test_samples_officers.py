"""The sample rosters: every unit staffed beyond its capacity, the rules visible in the demo
week (an expired certificate, days off, a recusal), and the service's import reads them."""

from __future__ import annotations

from datetime import date, timedelta

from inspection.generator.samples import qingcheng_samples
from inspection.generator.samples_officers import OFFICER_COLUMNS, qingcheng_roster
from inspection.services.officers.models import OfficerCreate
from inspection.services.spreadsheets.io import read_table, table_csv
from inspection.services.spreadsheets.officers import OFFICER_HEADERS, parse_officers
from tests.support.data import UPLOAD_LIMIT

DEMO_WEEK = [date(2024, 4, 8) + timedelta(days=i) for i in range(5)]
OFFICERS_PER_UNIT, OFFICER_DAILY_ROUNDS = 2, 2


def _roster() -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    data = qingcheng_samples()
    return data.units, data.enterprises, qingcheng_roster(data.units, data.enterprises)


def test_every_unit_can_staff_its_capacity_every_day_of_the_demo_week() -> None:
    units, _, roster = _roster()
    for unit in units:
        mine = [r for r in roster if r["执法单位编号"] == unit["单位编号"]]
        for day in DEMO_WEEK:
            capacity = int(unit[("周一", "周二", "周三", "周四", "周五")[day.weekday()]])
            available = [
                r
                for r in mine
                if date.fromisoformat(r["证件有效期至"]) >= day
                and day.isoformat() not in r["休息日期"].split("、")
            ]
            # rounds a unit can staff: its officers' rounds a day over the officers a round takes
            staffed = len(available) * OFFICER_DAILY_ROUNDS // OFFICERS_PER_UNIT
            assert staffed >= capacity, (unit["单位编号"], day)


def test_the_roster_shows_each_rule_once_and_is_what_the_import_reads() -> None:
    _, enterprises, roster = _roster()
    assert list(OFFICER_COLUMNS) == list(OFFICER_HEADERS)
    assert roster == qingcheng_roster(*_roster()[:2])  # the same every time
    expired = [r for r in roster if date.fromisoformat(r["证件有效期至"]) < DEMO_WEEK[-1]]
    assert len(expired) == 1
    assert sum(1 for r in roster if r["休息日期"]) >= 3
    recused = [r for r in roster if r["回避企业"]]
    assert len(recused) == 1
    assert recused[0]["回避企业"] in {e["统一社会信用代码"] for e in enterprises}
    assert len({r["执法证号"] for r in roster}) == len(roster)
    assert all(len(r["执法证号"]) == 14 and r["执法证号"].isdigit() for r in roster)
    assert len({r["姓名"] for r in roster}) == len(roster)
    rows = read_table(
        table_csv(OFFICER_COLUMNS, [[r[c] for c in OFFICER_COLUMNS] for r in roster]),
        "officers.csv",
        UPLOAD_LIMIT,
    )
    parsed = parse_officers(rows)
    assert len(parsed) == len(roster)
    assert all(isinstance(officer, OfficerCreate) for _, officer in parsed)
