"""Realistic sample data for Qingcheng district (清城区), as rows ready for spreadsheets.

:func:`qingcheng_samples` returns the three files a coordinator would fill in
for one quarter: the enforcement units (the 25 district units and the eight
towns' 综合行政执法办公室, with rounds per weekday and a few training days off),
about 300 enterprises in the eight towns, and the 109 checklists the district
reports for 2024 (one row per checklist item), every value a string as typed
in Excel.

The checklists are built so that joining actually pays: each week anchors a few
joint themes (a routine quarterly check or a special campaign on one industry,
2-4 units), whose checklists all cover that week and share a handful of focus
enterprises; other targets lean towards enterprises that another unit visits in
the same window. Every unit's expected load stays under 60% of its capacity on
every day it works. Complaint checks (投诉) have one target, a window of 2-5 days
and priority 4-5. The themes are written for the second quarter (the default).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, replace
from datetime import date, timedelta

from inspection.generator.codes import CodeBook, NameBook
from inspection.generator.industries import INDUSTRIES, INDUSTRY_BY_KEY
from inspection.generator.places import QINGCHENG
from inspection.generator.samples_laws import (
    ROADS,
    TOWN_WEIGHTS,
    legal_basis,
)
from inspection.generator.samples_planner import (
    BLACKOUT_SHARE,
    CAPACITY,
    CHECKLIST_COUNT,
    CHECKLIST_HEADERS,
    ENTERPRISE_COUNT,
    LOAD_SHARE,
    SEPARATOR,
    WEEKDAYS,
    ChecklistPlanner,
    SampleChecklist,
    SampleEnterprise,
    SampleUnit,
    days_between,
)
from inspection.generator.units import (
    TOWN_OFFICE,
    UNIT_KIND_BY_CODE,
    UNIT_KINDS,
    UnitKind,
    unit_name,
)
from inspection.solver.calendar import is_statutory_working_day

__all__ = [
    "CATALOGUE_SAMPLE_HEADERS",
    "CHECKLIST_COUNT",
    "LOAD_SHARE",
    "SampleData",
    "qingcheng_samples",
    "sample_catalogue",
]


@dataclass(frozen=True)
class SampleData:
    """The rows of the three sample spreadsheets, every value a string.

    Attributes:
        units: 单位编号, 单位名称, 周一 … 周日 (rounds per day), 休息日, 联系人及电话.
        enterprises: 统一社会信用代码, 企业名称, 镇街, 行业, 地址, 不可检查日期.
        checklists: One row per checklist item: 清单编号, 执法单位编号, 清单名称, 检查类型,
            最早日期, 最晚日期, 优先级, 检查事项, 法律依据, 检查对象. Only a checklist's first
            row carries its own columns and its targets; later rows repeat 清单编号 only.
    """

    units: list[dict[str, str]]
    enterprises: list[dict[str, str]]
    checklists: list[dict[str, str]]


def qingcheng_samples(
    seed: int = 2024, start: date = date(2024, 4, 1), weeks: int = 13
) -> SampleData:
    """Sample units, enterprises and 109 checklists of Qingcheng for `weeks` weeks from `start`.

    The same arguments always give the same data.

    Raises:
        ValueError: Fewer than 8 weeks, too few to hold 109 checklists of 1-3 weeks.
        UnknownCalendarError: The weeks lie outside the statutory calendar's years.
    """
    if weeks < 8:
        raise ValueError("the sample data needs a horizon of at least 8 weeks")
    rng = random.Random(seed)
    end = start + timedelta(days=7 * weeks - 1)
    working = [d for d in days_between(start, end) if is_statutory_working_day(d)]
    units = _units(rng, working)
    enterprises = _enterprises(rng, working)
    builder = ChecklistPlanner(rng, start, weeks, working, units, enterprises)
    checklists = builder.build()
    return SampleData(
        units=[_unit_row(u) for u in units],
        enterprises=[_enterprise_row(e) for e in enterprises],
        checklists=_checklist_rows(checklists, start.year),
    )


def _units(rng: random.Random, working: list[date]) -> list[SampleUnit]:
    names = {"district": QINGCHENG.name, "short": QINGCHENG.short, "city": QINGCHENG.city}
    kinds: list[tuple[UnitKind, str | None, str]]
    kinds = [(k, None, k.code) for k in UNIT_KINDS if k.code != TOWN_OFFICE]
    office = UNIT_KIND_BY_CODE[TOWN_OFFICE]
    kinds += [(office, t, f"{TOWN_OFFICE}{n:02d}") for n, t in enumerate(QINGCHENG.towns, 1)]
    trained = set(rng.sample(range(len(kinds) - len(QINGCHENG.towns)), 3))
    weekdays = [d for d in working if d.weekday() < 5]
    units = []
    for index, (kind, town, ident) in enumerate(kinds):
        base, saturday = CAPACITY.get(kind.code, (2, 0))
        friday = max(2, base - rng.randint(0, 1))
        days_off: tuple[date, ...] = ()
        if index in trained:  # a training day or two (业务培训)
            first = rng.randrange(len(weekdays) - 1)
            days_off = tuple(weekdays[first : first + rng.randint(1, 2)])
        name = unit_name(kind, **names, town=town or "")
        units.append(
            SampleUnit(ident, kind.code, name, town, (base,) * 4 + (friday, saturday, 0), days_off)
        )
    return units


def _enterprises(rng: random.Random, working: list[date]) -> list[SampleEnterprise]:
    codes, names = CodeBook(), NameBook()
    total = sum(i.urban_weight for i in INDUSTRIES)
    towns = QINGCHENG.towns
    made = []
    for industry in INDUSTRIES:
        weights = TOWN_WEIGHTS.get(industry.key, TOWN_WEIGHTS["default"])
        for _ in range(max(3, round(ENTERPRISE_COUNT * industry.urban_weight / total))):
            town = rng.choices(towns, weights=weights)[0]
            name, entity = names.new(rng, industry, QINGCHENG, town)
            code = codes.new(rng, entity, QINGCHENG.code)
            road = rng.choice(ROADS[town])
            address = f"{QINGCHENG.city}{QINGCHENG.name}{town}{road}{rng.randint(1, 268)}号"
            made.append(SampleEnterprise(code, name, town, industry.key, address, ()))
    for index in rng.sample(range(len(made)), round(BLACKOUT_SHARE * len(made))):
        first = rng.randrange(len(working) - 1)  # 停产检修: one day or two in a row
        blackouts = tuple(working[first : first + rng.randint(1, 2)])
        made[index] = replace(made[index], blackouts=blackouts)
    rng.shuffle(made)
    return sorted(made, key=lambda e: towns.index(e.town))


def _dates(days: tuple[date, ...]) -> str:
    return SEPARATOR.join(d.isoformat() for d in days)


# fictitious contacts, drawn from the unit's id (not the shared random stream, so that adding
# them changed no other sample value)
_SURNAMES = "陈李王张刘黄林何吴罗郑梁谢朱"
_GIVEN = ("丽华", "志强", "晓敏", "建国", "海燕", "文杰", "嘉欣", "国良", "秀英", "锦涛", "伟明")


def _contact(unit_id: str) -> str:
    seed = zlib.crc32(unit_id.encode("ascii"))
    name = _SURNAMES[seed % len(_SURNAMES)] + _GIVEN[(seed // 16) % len(_GIVEN)]
    return f"{name} 0763-33{seed % 100000:05d}"


def _unit_row(unit: SampleUnit) -> dict[str, str]:
    row = {"单位编号": unit.id, "单位名称": unit.name}
    row |= {day: str(cap) for day, cap in zip(WEEKDAYS, unit.capacity, strict=True)}
    return row | {"休息日": _dates(unit.days_off), "联系人及电话": _contact(unit.id)}


def _enterprise_row(e: SampleEnterprise) -> dict[str, str]:
    return {
        "统一社会信用代码": e.code,
        "企业名称": e.name,
        "镇街": e.town,
        "行业": INDUSTRY_BY_KEY[e.industry].label,
        "地址": e.address,
        "不可检查日期": _dates(e.blackouts),
    }


def _checklist_rows(checklists: list[SampleChecklist], year: int) -> list[dict[str, str]]:
    rows = []
    for number, c in enumerate(checklists, start=1):
        reference = f"QC-{year}-{number:03d}"
        for position, item in enumerate(c.items):
            row = dict.fromkeys(CHECKLIST_HEADERS, "")
            row |= {
                "清单编号": reference,
                "检查事项": item,
                "法律依据": legal_basis(c.unit.kind, item),
            }
            if position == 0:
                row |= {
                    "执法单位编号": c.unit.id,
                    "清单名称": c.title,
                    "检查类型": c.kind,
                    "最早日期": c.earliest.isoformat(),
                    "最晚日期": c.latest.isoformat(),
                    "优先级": str(c.priority),
                    "检查对象": SEPARATOR.join(c.targets),
                }
            rows.append(row)
    return rows


CATALOGUE_SAMPLE_HEADERS = (
    "执法单位编号",
    "事项编码",
    "事项名称",
    "法律依据",
    "层级",
    "类别",
    "可非现场核查",
    "适用行业",
    "需准备材料",
)
"""Headers of the sample catalogue file: the unit, then the columns of a unit's catalogue file."""


# what a unit's items ask the enterprise to have ready (需准备材料), by the unit's code (a town's
# office by its prefix); units not listed ask for nothing beyond the notice's standard list
_UNIT_DOCUMENTS = {
    "SCJG": "食品经营许可证、从业人员健康证明、食品进货查验记录",
    "YJGL": "安全生产责任制文件、安全生产教育培训记录、隐患排查治理台账",
    "STHJ": "排污许可证、环境影响评价批复文件、污染防治设施运行记录",
    "XFJY": "消防设施维护保养记录、消防安全检查巡查记录、灭火和应急疏散预案",
    "ZJJ": "施工许可证、施工组织设计、安全技术交底记录",
    "RSJ": "劳动合同、职工名册、工资支付记录",
    "WSJK": "卫生许可证、从业人员健康证明、消毒记录",
    "JTYS": "道路运输经营许可证、车辆技术档案、驾驶员从业资格证",
    "WGLT": "经营许可证、从业人员名册、安全管理制度",
    "CGZF": "夜间施工许可文件、建筑垃圾处置核准文件",
    "JYJ": "办学许可证、食堂食品安全管理制度、陪餐记录",
    "YBJ": "医疗保障定点协议、医保结算台账、药品进销存记录",
    "ZHZF": "门前三包责任书、户外广告设置许可文件",
}


def sample_catalogue(checklists: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each unit's item catalogue covering the items its sample checklists use, one row per
    item (codes ``<unit>-001`` ... in the order the items first appear), every value a string.

    The items are county-level routine items checked on site (可非现场核查 否), for
    every industry, with the legal basis the checklists give them and the documents the
    unit asks for (需准备材料).
    """
    unit_of: dict[str, str] = {}
    items: dict[str, dict[str, str]] = {}  # unit -> item name -> legal basis
    for row in checklists:
        unit = unit_of.setdefault(row["清单编号"], row["执法单位编号"])
        items.setdefault(unit, {}).setdefault(row["检查事项"], row["法律依据"])
    rows = []
    for unit in sorted(items):
        for number, (name, basis) in enumerate(items[unit].items(), start=1):
            rows.append(
                {
                    "执法单位编号": unit,
                    "事项编码": f"{unit}-{number:03d}",
                    "事项名称": name,
                    "法律依据": basis,
                    "层级": "县级",
                    "类别": "日常",
                    "可非现场核查": "否",
                    "适用行业": "",
                    "需准备材料": _UNIT_DOCUMENTS.get(unit.rstrip("0123456789"), ""),
                }
            )
    return rows
