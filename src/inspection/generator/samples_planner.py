"""How the sample checklists are drawn: one joint theme at a time, within every unit's load.

Each week anchors a few joint themes (a routine quarterly check or a special
campaign on one industry, 2-4 units), whose checklists all cover that week and
share a handful of focus enterprises; other targets lean towards enterprises
that another unit visits in the same window. Every unit's expected load stays
under :data:`LOAD_SHARE` of its capacity on every day it works.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from inspection.generator.industries import INDUSTRIES, INDUSTRY_BY_KEY
from inspection.generator.places import QINGCHENG
from inspection.generator.samples_laws import (
    COMPLAINT_ISSUES,
    INDUSTRY_NOUNS,
    SPECIAL_THEMES,
    topic,
)
from inspection.generator.units import (
    COMPLAINT_ITEM,
    TOWN_OFFICE,
    items_for,
)

__all__ = [
    "BLACKOUT_SHARE",
    "CAPACITY",
    "CHECKLIST_COUNT",
    "CHECKLIST_HEADERS",
    "ENTERPRISE_COUNT",
    "LOAD_SHARE",
    "SEPARATOR",
    "WEEKDAYS",
    "ChecklistPlanner",
    "SampleChecklist",
    "SampleEnterprise",
    "SampleUnit",
    "days_between",
    "weighted_sample",
]

CHECKLIST_COUNT = 109
"""Checklists drawn up in Qingcheng in 2024, as its annual report states."""
LOAD_SHARE = 0.6
"""Most of a unit's capacity on any working day that its requests are expected to use."""
ENTERPRISE_COUNT = 300
_COMPLAINTS = 9
BLACKOUT_SHARE = 0.05
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
CHECKLIST_HEADERS: tuple[str, ...] = (
    "清单编号",
    "执法单位编号",
    "清单名称",
    "检查类型",
    "最早日期",
)
CHECKLIST_HEADERS += ("最晚日期", "优先级", "检查事项", "法律依据", "检查对象")
SEPARATOR = "；"
CAPACITY = {"SCJG": (6, 1), "XFJY": (5, 1), "YJGL": (5, 0), "STHJ": (4, 0), "ZJJ": (4, 0)}
CAPACITY |= {"RSJ": (4, 0), "WSJK": (4, 0), "CGZF": (4, 1), "JTYS": (3, 0), TOWN_OFFICE: (3, 1)}
_COMPLAINT_UNITS = {"SCJG": 3, "XFJY": 2, "STHJ": 2, "CGZF": 2, "RSJ": 2, "WSJK": 1, "JTYS": 1}
_COMPLAINT_UNITS |= {"WGLT": 1, TOWN_OFFICE: 2}
_CN_QUARTERS = "一二三四"
_BATCHES = "一二三四五六七八九十"


@dataclass(frozen=True)
class SampleUnit:
    id: str
    kind: str
    name: str
    town: str | None
    capacity: tuple[int, ...]
    days_off: tuple[date, ...]


@dataclass(frozen=True)
class SampleEnterprise:
    code: str
    name: str
    town: str
    industry: str
    address: str
    blackouts: tuple[date, ...]


@dataclass(frozen=True)
class SampleChecklist:
    unit: SampleUnit
    industry: str
    title: str
    kind: str  # 日常, 专项 or 投诉
    earliest: date
    latest: date
    priority: int
    items: tuple[str, ...]
    targets: tuple[str, ...]


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def weighted_sample(
    rng: random.Random, items: list[str], weights: list[float], k: int
) -> list[str]:
    """`k` different items, each drawn with chance proportional to its weight."""
    keys = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in sorted(keys[:k], key=lambda pair: pair[1])]


class ChecklistPlanner:
    """Draws the checklists one joint theme at a time, keeping every unit's load in bounds."""

    def __init__(
        self,
        rng: random.Random,
        start: date,
        weeks: int,
        working: list[date],
        units: list[SampleUnit],
        enterprises: list[SampleEnterprise],
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
        self.made: list[SampleChecklist] = []
        self.shared: dict[int, int] = defaultdict(int)
        self.anchors = [w for w in range(weeks) if len(self._workdays(w, w)) >= 2]

    def _workdays(self, first_week: int, last_week: int) -> list[date]:
        monday = self.start + timedelta(days=7 * first_week)
        return [
            d
            for d in days_between(monday, monday + timedelta(days=7 * (last_week - first_week) + 4))
            if d in self.working
        ]

    def build(self) -> list[SampleChecklist]:
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

    def _usable(self, unit: SampleUnit, first: date, last: date) -> list[date]:
        """The days of [first, last] on which `unit` can inspect."""
        return [
            d
            for d in days_between(first, last)
            if d in self.working and unit.capacity[d.weekday()] > 0 and d not in unit.days_off
        ]

    def _room(self, unit: SampleUnit, first: date, last: date) -> int:
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

    def _pool(self, unit: SampleUnit, industry: str, first: date, last: date) -> list[str]:
        """The enterprises of `industry` that `unit` may target and does not yet in the window."""
        codes = self.by_industry[industry]
        return [
            c
            for c in codes
            if unit.town in (None, self.enterprise[c].town)
            and unit.id not in self._targeting(c, first, last)
        ]

    def _pick(
        self, unit: SampleUnit, pool: list[str], count: int, first: date, last: date
    ) -> list[str]:
        """Targets that lean towards enterprises another unit visits in the same window."""
        weights = [
            (6.0 if set(self._targeting(c, first, last)) - {unit.id} else 1.0)
            / (1 + len(self.visits[c]))
            for c in pool
        ]
        return weighted_sample(self.rng, pool, weights, max(0, min(count, len(pool))))

    def _checklist(
        self,
        unit: SampleUnit,
        industry: str,
        title: str,
        special: bool,
        window: tuple[date, date],
        targets: list[str],
    ) -> SampleChecklist:
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
        return SampleChecklist(
            unit, industry, title, kind, *window, priority[0], items, tuple(targets)
        )

    def _group(self, anchor: int, *, special: bool) -> list[SampleChecklist]:
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
            kinds = weighted_sample(rng, [c for c, _ in chances], [p for _, p in chances], size)
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

    def _solo(self, unit: SampleUnit, turn: int) -> bool:
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
            SampleChecklist(
                unit, target.industry, title, "投诉", first, last, priority, items, targets
            )
        )

    def _commit(self, checklist: SampleChecklist) -> None:
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
