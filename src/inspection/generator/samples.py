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
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from inspection.generator.codes import CodeBook, NameBook
from inspection.generator.industries import INDUSTRIES, INDUSTRY_BY_KEY
from inspection.generator.places import QINGCHENG
from inspection.generator.samples_laws import (
    COMPLAINT_ISSUES,
    INDUSTRY_NOUNS,
    ROADS,
    SPECIAL_THEMES,
    TOWN_WEIGHTS,
    legal_basis,
    topic,
)
from inspection.generator.units import (
    COMPLAINT_ITEM,
    TOWN_OFFICE,
    UNIT_KIND_BY_CODE,
    UNIT_KINDS,
    UnitKind,
    items_for,
    unit_name,
)
from inspection.solver.calendar import is_statutory_working_day

__all__ = ["CHECKLIST_COUNT", "LOAD_SHARE", "SampleData", "qingcheng_samples"]

CHECKLIST_COUNT = 109
"""Checklists drawn up in Qingcheng in 2024, as its annual report states."""
LOAD_SHARE = 0.6
"""Most of a unit's capacity on any working day that its requests are expected to use."""
_ENTERPRISES = 300
_COMPLAINTS = 9
_BLACKOUT_SHARE = 0.05
_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_CHECKLIST_HEADERS: tuple[str, ...] = (
    "清单编号",
    "执法单位编号",
    "清单名称",
    "检查类型",
    "最早日期",
)
_CHECKLIST_HEADERS += ("最晚日期", "优先级", "检查事项", "法律依据", "检查对象")
_SEP = "；"
_CAPACITY = {"SCJG": (6, 1), "XFJY": (5, 1), "YJGL": (5, 0), "STHJ": (4, 0), "ZJJ": (4, 0)}
_CAPACITY |= {"RSJ": (4, 0), "WSJK": (4, 0), "CGZF": (4, 1), "JTYS": (3, 0), TOWN_OFFICE: (3, 1)}
_COMPLAINT_UNITS = {"SCJG": 3, "XFJY": 2, "STHJ": 2, "CGZF": 2, "RSJ": 2, "WSJK": 1, "JTYS": 1}
_COMPLAINT_UNITS |= {"WGLT": 1, TOWN_OFFICE: 2}
_CN_QUARTERS = "一二三四"
_BATCHES = "一二三四五六七八九十"


@dataclass(frozen=True)
class SampleData:
    """The rows of the three sample spreadsheets, every value a string.

    Attributes:
        units: 单位编号, 单位名称, 周一 … 周日 (rounds per day), 休息日.
        enterprises: 统一社会信用代码, 企业名称, 镇街, 行业, 地址, 不可检查日期.
        checklists: One row per checklist item: 清单编号, 执法单位编号, 清单名称, 检查类型,
            最早日期, 最晚日期, 优先级, 检查事项, 法律依据, 检查对象. Only a checklist's first
            row carries its own columns and its targets; later rows repeat 清单编号 only.
    """

    units: list[dict[str, str]]
    enterprises: list[dict[str, str]]
    checklists: list[dict[str, str]]


@dataclass(frozen=True)
class _Unit:
    id: str
    kind: str
    name: str
    town: str | None
    capacity: tuple[int, ...]
    days_off: tuple[date, ...]


@dataclass(frozen=True)
class _Enterprise:
    code: str
    name: str
    town: str
    industry: str
    address: str
    blackouts: tuple[date, ...]


@dataclass(frozen=True)
class _Checklist:
    unit: _Unit
    industry: str
    title: str
    kind: str  # 日常, 专项 or 投诉
    earliest: date
    latest: date
    priority: int
    items: tuple[str, ...]
    targets: tuple[str, ...]


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
    working = [d for d in _days(start, end) if is_statutory_working_day(d)]
    units = _units(rng, working)
    enterprises = _enterprises(rng, working)
    builder = _Planner(rng, start, weeks, working, units, enterprises)
    checklists = builder.build()
    return SampleData(
        units=[_unit_row(u) for u in units],
        enterprises=[_enterprise_row(e) for e in enterprises],
        checklists=_checklist_rows(checklists, start.year),
    )


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _units(rng: random.Random, working: list[date]) -> list[_Unit]:
    names = {"district": QINGCHENG.name, "short": QINGCHENG.short, "city": QINGCHENG.city}
    kinds: list[tuple[UnitKind, str | None, str]]
    kinds = [(k, None, k.code) for k in UNIT_KINDS if k.code != TOWN_OFFICE]
    office = UNIT_KIND_BY_CODE[TOWN_OFFICE]
    kinds += [(office, t, f"{TOWN_OFFICE}{n:02d}") for n, t in enumerate(QINGCHENG.towns, 1)]
    trained = set(rng.sample(range(len(kinds) - len(QINGCHENG.towns)), 3))
    weekdays = [d for d in working if d.weekday() < 5]
    units = []
    for index, (kind, town, ident) in enumerate(kinds):
        base, saturday = _CAPACITY.get(kind.code, (2, 0))
        friday = max(2, base - rng.randint(0, 1))
        days_off: tuple[date, ...] = ()
        if index in trained:  # a training day or two (业务培训)
            first = rng.randrange(len(weekdays) - 1)
            days_off = tuple(weekdays[first : first + rng.randint(1, 2)])
        name = unit_name(kind, **names, town=town or "")
        units.append(
            _Unit(ident, kind.code, name, town, (base,) * 4 + (friday, saturday, 0), days_off)
        )
    return units


def _enterprises(rng: random.Random, working: list[date]) -> list[_Enterprise]:
    codes, names = CodeBook(), NameBook()
    total = sum(i.urban_weight for i in INDUSTRIES)
    towns = QINGCHENG.towns
    made = []
    for industry in INDUSTRIES:
        weights = TOWN_WEIGHTS.get(industry.key, TOWN_WEIGHTS["default"])
        for _ in range(max(3, round(_ENTERPRISES * industry.urban_weight / total))):
            town = rng.choices(towns, weights=weights)[0]
            name, entity = names.new(rng, industry, QINGCHENG, town)
            code = codes.new(rng, entity, QINGCHENG.code)
            road = rng.choice(ROADS[town])
            address = f"{QINGCHENG.city}{QINGCHENG.name}{town}{road}{rng.randint(1, 268)}号"
            made.append(_Enterprise(code, name, town, industry.key, address, ()))
    for index in rng.sample(range(len(made)), round(_BLACKOUT_SHARE * len(made))):
        first = rng.randrange(len(working) - 1)  # 停产检修: one day or two in a row
        blackouts = tuple(working[first : first + rng.randint(1, 2)])
        made[index] = replace(made[index], blackouts=blackouts)
    rng.shuffle(made)
    return sorted(made, key=lambda e: towns.index(e.town))


def _weighted_sample(
    rng: random.Random, items: list[str], weights: list[float], k: int
) -> list[str]:
    """`k` different items, each drawn with chance proportional to its weight."""
    keys = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in sorted(keys[:k], key=lambda pair: pair[1])]


class _Planner:
    """Draws the checklists one joint theme at a time, keeping every unit's load in bounds."""

    def __init__(
        self,
        rng: random.Random,
        start: date,
        weeks: int,
        working: list[date],
        units: list[_Unit],
        enterprises: list[_Enterprise],
    ) -> None:
        self.rng, self.start, self.weeks = rng, start, weeks
        self.working = set(working)
        self.units = units
        self.unit_of = {(u.kind, u.town): u for u in units}
        self.enterprise = {e.code: e for e in enterprises}
        self.by_industry: dict[str, list[str]] = defaultdict(list)
        for e in enterprises:
            self.by_industry[e.industry].append(e.code)
        self.load: dict[tuple[str, date], float] = defaultdict(float)
        self.visits: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
        self.titles: dict[tuple[str, str], int] = defaultdict(int)
        self.made: list[_Checklist] = []
        self.shared: dict[int, int] = defaultdict(int)
        self.anchors = [w for w in range(weeks) if len(self._workdays(w, w)) >= 2]

    def _workdays(self, first_week: int, last_week: int) -> list[date]:
        monday = self.start + timedelta(days=7 * first_week)
        return [
            d
            for d in _days(monday, monday + timedelta(days=7 * (last_week - first_week) + 4))
            if d in self.working
        ]

    def build(self) -> list[_Checklist]:
        """Complaints first, then joint themes round the weeks, then single checklists."""
        for _ in range(_COMPLAINTS):
            self._complaint()
        goal, turn = CHECKLIST_COUNT - _COMPLAINTS, 0
        covered = {c.unit.id for c in self.made}
        while turn < 40 * len(self.anchors):
            # the week with the fewest shared enterprises so far, so every week has some
            anchor = min(self.anchors, key=lambda w: (self.shared[w], (w - turn) % self.weeks))
            turn += 1
            uncovered = sum(1 for u in self.units if u.id not in covered)
            room = goal - (len(self.made) - _COMPLAINTS) - uncovered
            if room < 2:
                break
            group = self._group(anchor, special=self.rng.random() < 0.45)
            fresh = [c for c in group if c.unit.id not in covered]
            group = fresh + [c for c in group if c.unit.id in covered][:room]
            if len(group) >= 2:
                for checklist in group:
                    self._commit(checklist)
                covered |= {c.unit.id for c in group}
                targets = [t for c in group for t in c.targets]
                self.shared[anchor] += len({t for t in targets if targets.count(t) > 1})
        for unit in [u for u in self.units if u.id not in covered]:
            for _ in range(3 * len(self.anchors)):
                turn += 1
                if self._solo(unit, turn):
                    break
        while len(self.made) < CHECKLIST_COUNT and turn < 400 * len(self.anchors):
            turn += 1
            self._solo(self.rng.choice(self.units), turn)
        if len(self.made) != CHECKLIST_COUNT:
            raise RuntimeError("could not fit the sample checklists into the units' capacity")
        return sorted(self.made, key=lambda c: (c.earliest, c.latest, c.unit.id))

    def _usable(self, unit: _Unit, first: date, last: date) -> list[date]:
        """The days of [first, last] on which `unit` can inspect."""
        return [
            d
            for d in _days(first, last)
            if d in self.working and unit.capacity[d.weekday()] > 0 and d not in unit.days_off
        ]

    def _room(self, unit: _Unit, first: date, last: date) -> int:
        """How many more targets `unit` can take in [first, last] within :data:`LOAD_SHARE`."""
        days = self._usable(unit, first, last)
        spare = [LOAD_SHARE * unit.capacity[d.weekday()] - self.load[unit.id, d] for d in days]
        return max(0, int(min(spare) * len(days) + 1e-9)) if days else 0

    def _window(self, anchor: int) -> tuple[date, date]:
        """A window of one to three weeks (Monday to Friday) covering week `anchor`."""
        rng = self.rng
        span = rng.choices((1, 2, 3), (0.5, 0.38, 0.12))[0]
        first = max(0, min(anchor - rng.randint(0, span - 1), self.weeks - span))
        last = first + span - 1
        while len(self._workdays(first, last)) < 3 and last + 1 < self.weeks:
            last += 1
        earliest = self.start + timedelta(days=7 * first)
        if first < anchor:  # a later start inside the first week keeps the anchor covered
            earliest += timedelta(days=rng.choice((0, 0, 1, 2)))
        return earliest, self.start + timedelta(days=7 * last + 4)

    def _targeting(self, code: str, first: date, last: date) -> list[str]:
        """The units already targeting enterprise `code` in a window meeting [first, last]."""
        return [u for u, a, b in self.visits[code] if a <= last and b >= first]

    def _pool(self, unit: _Unit, industry: str, first: date, last: date) -> list[str]:
        """The enterprises of `industry` that `unit` may target and does not yet in the window."""
        codes = self.by_industry[industry]
        return [
            c
            for c in codes
            if unit.town in (None, self.enterprise[c].town)
            and unit.id not in self._targeting(c, first, last)
        ]

    def _pick(self, unit: _Unit, pool: list[str], count: int, first: date, last: date) -> list[str]:
        """Targets that lean towards enterprises another unit visits in the same window."""
        weights = [
            (6.0 if set(self._targeting(c, first, last)) - {unit.id} else 1.0)
            / (1 + len(self.visits[c]))
            for c in pool
        ]
        return _weighted_sample(self.rng, pool, weights, max(0, min(count, len(pool))))

    def _checklist(
        self,
        unit: _Unit,
        industry: str,
        title: str,
        special: bool,
        window: tuple[date, date],
        targets: list[str],
    ) -> _Checklist:
        """A routine or special checklist, its priority and items drawn here."""
        rng = self.rng
        if not title:
            quarter = _CN_QUARTERS[(self.start.month - 1) // 3]
            subject = INDUSTRY_NOUNS[industry] + topic(unit.kind, industry)
            title = f"{self.start.year}年第{quarter}季度{subject}检查"
        priority = rng.choices((2, 3), (0.6, 0.4)) if special else rng.choices((1, 2), (0.8, 0.2))
        pool = items_for(unit.kind, industry)
        count = min(len(pool), rng.choices((1, 2, 3, 4), (0.2, 0.35, 0.3, 0.15))[0])
        items = tuple(pool[i] for i in sorted(rng.sample(range(len(pool)), count)))
        kind = "专项" if special else "日常"
        return _Checklist(unit, industry, title, kind, *window, priority[0], items, tuple(targets))

    def _group(self, anchor: int, *, special: bool) -> list[_Checklist]:
        """The checklists of one joint theme anchored at week `anchor` (not yet committed)."""
        rng = self.rng
        if special:
            title, industry, listed = rng.choice(SPECIAL_THEMES)
            kinds = [listed[0], *rng.sample(listed[1:], rng.randint(1, len(listed) - 1))]
        else:
            keys = [i.key for i in INDUSTRIES]
            industry = rng.choices(keys, weights=[len(self.by_industry[k]) for k in keys])[0]
            chances = [(c, p) for c, p in INDUSTRY_BY_KEY[industry].units if p >= 0.15]
            size = min(len(chances), rng.choice((2, 2, 3, 3, 4)))
            kinds = _weighted_sample(rng, [c for c, _ in chances], [p for _, p in chances], size)
            title = ""
        town = None
        if TOWN_OFFICE in kinds:
            codes = self.by_industry[industry]
            towns = [
                t for t in QINGCHENG.towns if sum(self.enterprise[c].town == t for c in codes) > 2
            ]
            town = rng.choice(towns) if towns else None
            if town is None:
                kinds.remove(TOWN_OFFICE)
        members = [self.unit_of[k, town if k == TOWN_OFFICE else None] for k in kinds]
        windows = [self._window(anchor) for _ in members]
        low, high = min(a for a, _ in windows), max(b for _, b in windows)
        office = next((m for m in members if m.town), members[0])
        ids = {m.id for m in members}
        shared = [
            c
            for c in self._pool(office, industry, low, high)
            if not ids & set(self._targeting(c, low, high))
        ]
        focus = self._pick(members[0], shared, rng.randint(5, 8), low, high)
        group = []
        for unit, window in zip(members, windows, strict=True):
            wanted = rng.randint(5, 10) if special else rng.randint(6, 12)
            pool = [c for c in self._pool(unit, industry, *window) if c not in focus]
            targets = focus + self._pick(unit, pool, wanted - len(focus), *window)
            targets = targets[: self._room(unit, *window)]
            if targets:
                group.append(self._checklist(unit, industry, title, special, window, targets))
        return group

    def _solo(self, unit: _Unit, turn: int) -> bool:
        """Add a routine checklist of `unit` alone, if it has room; return whether it did."""
        rng = self.rng
        industries = [i for i in INDUSTRIES if unit.kind in i.unit_codes()]
        weights = [len(self.by_industry[i.key]) * dict(i.units)[unit.kind] for i in industries]
        industry = rng.choices([i.key for i in industries], weights=weights)[0]
        window = self._window(self.anchors[turn % len(self.anchors)])
        targets = self._pick(unit, self._pool(unit, industry, *window), rng.randint(3, 8), *window)
        targets = targets[: self._room(unit, *window)]
        if targets:
            self._commit(self._checklist(unit, industry, "", False, window, targets))
        return bool(targets)

    def _complaint(self) -> None:
        """Add a complaint check: one enterprise, two to five days, priority 4 or 5."""
        rng = self.rng
        kind = rng.choices(list(_COMPLAINT_UNITS), weights=list(_COMPLAINT_UNITS.values()))[0]
        unit = self.unit_of[kind, rng.choice(QINGCHENG.towns) if kind == TOWN_OFFICE else None]
        end = self.start + timedelta(days=7 * self.weeks - 1)
        first = rng.choice(self._usable(unit, self.start, end - timedelta(days=5)))
        last = first + timedelta(days=rng.randint(1, 4))
        pool = [
            e
            for e in self.enterprise.values()
            if kind in INDUSTRY_BY_KEY[e.industry].unit_codes()
            and unit.town in (None, e.town)
            and not any(first <= day <= last for day in e.blackouts)
        ]
        target = rng.choice(pool)
        items = items_for(kind, target.industry)
        items = (COMPLAINT_ITEM, *rng.sample(items, rng.randint(0, 2)))
        title = f"投诉举报核查（{rng.choice(COMPLAINT_ISSUES[kind])}）"
        priority = rng.choice((4, 5))
        targets = (target.code,)
        self._commit(
            _Checklist(unit, target.industry, title, "投诉", first, last, priority, items, targets)
        )

    def _commit(self, checklist: _Checklist) -> None:
        """Add `checklist`, numbering repeated titles by batch, and book its load."""
        unit, first, last = checklist.unit, checklist.earliest, checklist.latest
        if checklist.kind != "投诉":
            self.titles[unit.id, checklist.title] += 1
            batch = self.titles[unit.id, checklist.title]
            if batch > 1:
                title = f"{checklist.title}（第{_BATCHES[min(batch, 10) - 1]}批）"
                checklist = replace(checklist, title=title)
        days = self._usable(unit, first, last)
        for day in days:
            self.load[unit.id, day] += len(checklist.targets) / len(days)
        for code in checklist.targets:
            self.visits[code].append((unit.id, first, last))
        self.made.append(checklist)


def _dates(days: tuple[date, ...]) -> str:
    return _SEP.join(d.isoformat() for d in days)


def _unit_row(unit: _Unit) -> dict[str, str]:
    row = {"单位编号": unit.id, "单位名称": unit.name}
    row |= {day: str(cap) for day, cap in zip(_WEEKDAYS, unit.capacity, strict=True)}
    return row | {"休息日": _dates(unit.days_off)}


def _enterprise_row(e: _Enterprise) -> dict[str, str]:
    return {
        "统一社会信用代码": e.code,
        "企业名称": e.name,
        "镇街": e.town,
        "行业": INDUSTRY_BY_KEY[e.industry].label,
        "地址": e.address,
        "不可检查日期": _dates(e.blackouts),
    }


def _checklist_rows(checklists: list[_Checklist], year: int) -> list[dict[str, str]]:
    rows = []
    for number, c in enumerate(checklists, start=1):
        reference = f"QC-{year}-{number:03d}"
        for position, item in enumerate(c.items):
            row = dict.fromkeys(_CHECKLIST_HEADERS, "")
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
                    "检查对象": _SEP.join(c.targets),
                }
            rows.append(row)
    return rows
