"""Capacity of units that work in several districts, as a plan sees it (design §7).

A unit whose region is not the plan's region nor under it (a city's 市场监管局 in a
district plan) also works elsewhere: on each day of the plan it has its weekday capacity
less its days off (what the problem already holds) less the rounds it joins in live
published visits outside the plan's region; its officers drawn for those rounds are not
free that day. :func:`shared_capacity` puts that residual into the problem and shares it
out with the pure rule of :mod:`.shares`:

* a plan of one district: the district's share is the residual itself (cut to its demand);
  the problem uses the residual, so publishing district after district never books a
  unit beyond its capacity (and :func:`overbooking` refuses a plan the world moved past);
* a plan over several districts (a city or a province, until its parts are solved apart):
  the shares per district are computed with :func:`.shares.share_unit_day` and stored for
  the parts; the solve itself is still one problem over the residual of the whole.

The shares are stored with the plan's result (:func:`store_shares`, in `store_plan`'s
transaction): a retried run recomputes them from the state it read, and a plan that never
stores a result leaves none behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspection.db.regions import PATH_SEPARATOR, enterprises_in, path_filter
from inspection.db.tables import (
    EnterpriseRow,
    LiveVisitRow,
    OfficerRow,
    PlanCapacityShareRow,
    PlanRoundOfficerRow,
    PlanRoundRow,
    RegionRow,
    UnitDayOffRow,
    UnitRow,
)
from inspection.services.planning.shares import UnitDay, apportion, share_unit_day
from inspection.solver import Problem
from inspection.solver.schema import Unit
from inspection.solver.schema_rules import Officer

__all__ = [
    "ShareDraft",
    "district_of",
    "districts_of",
    "overbooking",
    "shared_capacity",
    "store_shares",
]

_CHUNK = 1000  # values per IN (...) list


@dataclass(frozen=True)
class ShareDraft:
    """One district's share of one unit's day, before it is stored with the plan."""

    unit_id: str
    region_id: int
    day: date
    available: int
    demand: int
    capacity: int
    officers: tuple[str, ...]


def _within(path: str, top: str) -> bool:
    return path == top or path.startswith(top + PATH_SEPARATOR)


def _outside_units(session: Session, unit_ids: Iterable[str], path: str) -> set[str]:
    """The units whose region is neither the plan's region nor under it."""
    rows = session.exec(
        select(UnitRow.id, RegionRow.path)
        .join(RegionRow, col(RegionRow.id) == col(UnitRow.region_id))
        .where(col(UnitRow.id).in_(sorted(set(unit_ids))))
    )
    return {unit for unit, own in rows if not _within(own, path)}


def live_elsewhere(
    session: Session, units: Iterable[str], start: date, end: date, path: str
) -> dict[tuple[str, date], int]:
    """Rounds each unit joins per day in live visits at enterprises outside `path`."""
    wanted = sorted(set(units))
    if not wanted:
        return {}
    rows = session.execute(
        sa_select(
            col(LiveVisitRow.unit_id),
            col(LiveVisitRow.day),
            func.count(func.distinct(col(LiveVisitRow.round_id))),
        )
        .where(col(LiveVisitRow.unit_id).in_(wanted))
        .where(col(LiveVisitRow.day) >= start)
        .where(col(LiveVisitRow.day) <= end)
        .where(col(LiveVisitRow.credit_code).not_in(enterprises_in(path)))
        .group_by(col(LiveVisitRow.unit_id), col(LiveVisitRow.day))
    )
    return {(unit, day): count for unit, day, count in rows}


def _officers_elsewhere(
    session: Session, units: Iterable[str], start: date, end: date, path: str
) -> set[tuple[str, date]]:
    """(officer id as text, day) of the units' officers drawn for live rounds outside `path`."""
    wanted = sorted(set(units))
    if not wanted:
        return set()
    live_rounds = (
        select(LiveVisitRow.round_id)
        .where(LiveVisitRow.day >= start)
        .where(LiveVisitRow.day <= end)
        .where(col(LiveVisitRow.credit_code).not_in(enterprises_in(path)))
    )
    rows = session.exec(
        select(col(PlanRoundOfficerRow.officer_id), col(PlanRoundRow.day))
        .join(PlanRoundRow, col(PlanRoundRow.id) == col(PlanRoundOfficerRow.round_id))
        .where(col(PlanRoundOfficerRow.unit_id).in_(wanted))
        .where(col(PlanRoundOfficerRow.round_id).in_(live_rounds))
    )
    return {(str(officer), day) for officer, day in rows}


def districts_of(session: Session, path: str) -> list[RegionRow]:
    """The districts a plan of `path` covers: those under it, or the region itself."""
    rows = list(
        session.exec(
            select(RegionRow)
            .where(path_filter(path))
            .where(RegionRow.level == "district")
            .order_by(col(RegionRow.path))
        )
    )
    if rows:
        return rows
    return list(session.exec(select(RegionRow).where(RegionRow.path == path)))


def district_of(
    session: Session, codes: Iterable[str], districts: Sequence[RegionRow], plan_region: RegionRow
) -> dict[str, RegionRow]:
    """Each enterprise's district among `districts` (the plan's region for one above them)."""
    ordered = sorted(set(codes))
    found: dict[str, RegionRow] = {}
    # a province names ≈120,000 enterprises: PostgreSQL's driver takes 65,535 parameters
    for start in range(0, len(ordered), _CHUNK):
        rows = session.exec(
            select(EnterpriseRow.credit_code, RegionRow.path)
            .join(RegionRow, col(RegionRow.id) == col(EnterpriseRow.region_id))
            .where(col(EnterpriseRow.credit_code).in_(ordered[start : start + _CHUNK]))
        )
        for code, own in rows:
            found[code] = next((d for d in districts if _within(own, d.path)), plan_region)
    return found


def _with_residual(unit: Unit, days: Sequence[date], available: dict[date, int]) -> Unit:
    overrides = {day: available[day] for day in days if available[day] != unit.daily_capacity}
    return unit.model_copy(update={"capacity_by_date": overrides or None})


def _without_busy(officer: Officer, busy: set[tuple[str, date]], days: Sequence[date]) -> Officer:
    taken = {day for day in days if (officer.id, day) in busy}
    if not taken:
        return officer
    return officer.model_copy(update={"days_off": tuple(sorted(set(officer.days_off) | taken))})


def shared_capacity(
    session: Session, problem: Problem, plan_region: RegionRow
) -> tuple[Problem, list[ShareDraft]]:
    """The problem with the residual capacity of units that work outside the plan's region,
    and the shares of every unit working there in several districts (or outside it).

    Units of the plan's region (or under it) keep their capacity in the problem; they get
    shares only in a plan of several districts whose requests of them span two or more.
    """
    path = plan_region.path
    start, end = problem.horizon.start, problem.horizon.end
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    outside = _outside_units(session, (u.id for u in problem.units), path)
    districts = districts_of(session, path)
    # one district (a district plan): every request is its; otherwise each enterprise's
    district_ids: dict[str, int] = {}
    if len(districts) >= 2:
        found = district_of(
            session, {r.enterprise for r in problem.requests}, districts, plan_region
        )
        district_ids = {code: region.id for code, region in found.items() if region.id}
    only = districts[0].id if len(districts) == 1 else plan_region.id
    assert only is not None
    spans: dict[str, set[int]] = defaultdict(set)
    for request in problem.requests:
        spans[request.unit].add(district_ids.get(request.enterprise, only))
    shared = outside | {u for u, ds in spans.items() if len(ds) >= 2}
    if not shared:
        return problem, []
    # demand[unit][day][district id]: requests of the unit whose window holds the day
    demand: dict[str, dict[date, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for request in problem.requests:
        if request.unit not in shared:
            continue
        district = district_ids.get(request.enterprise, only)
        day = max(request.earliest, start)
        while day <= min(request.latest, end):
            by_district = demand[request.unit][day]
            by_district[district] = by_district.get(district, 0) + 1
            day += timedelta(days=1)
    used = live_elsewhere(session, outside, start, end, path)
    busy = _officers_elsewhere(session, outside, start, end, path)
    officers = tuple(
        _without_busy(o, busy, days) if o.unit in outside else o for o in problem.officers
    )
    rules = problem.rules
    per_unit = rules.officers_per_unit if rules is not None else 2
    per_officer = rules.officer_daily_rounds if rules is not None else 1
    units: list[Unit] = []
    drafts: list[ShareDraft] = []
    for unit in problem.units:
        if unit.id not in shared:
            units.append(unit)
            continue
        available = {d: max(0, unit.capacity_on(d) - used.get((unit.id, d), 0)) for d in days}
        units.append(_with_residual(unit, days, available) if unit.id in outside else unit)
        free = {
            d: tuple(sorted(o.id for o in officers if o.unit == unit.id and d not in o.days_off))
            for d in days
        }
        for day in days:
            asked = {str(k): n for k, n in demand[unit.id][day].items() if n > 0}
            if not asked:
                continue
            if len(asked) == 1:
                # one district: its share is what is left, its officers all those free
                (alone,) = asked
                shares = [(int(alone), apportion(available[day], asked)[alone], free[day])]
            else:
                shares = [
                    (int(s.district), s.capacity, s.officers)
                    for s in share_unit_day(
                        UnitDay(
                            unit_id=unit.id,
                            available=available[day],
                            officers=free[day],
                            demand=asked,
                        ),
                        per_unit,
                        per_officer,
                    )
                ]
            drafts.extend(
                ShareDraft(unit.id, region, day, available[day], asked[str(region)], cap, staff)
                for region, cap, staff in shares
            )
    updated = problem.model_copy(update={"units": tuple(units), "officers": officers})
    return updated, drafts


def store_shares(session: Session, plan_id: int, drafts: Sequence[ShareDraft]) -> None:
    """Store a plan's shares (no commit)."""
    session.add_all(
        PlanCapacityShareRow(
            plan_id=plan_id,
            unit_id=d.unit_id,
            region_id=d.region_id,
            day=d.day,
            available=d.available,
            demand=d.demand,
            capacity=d.capacity,
            officers=list(d.officers),
        )
        for d in drafts
    )
    session.flush()


def _capacity(
    session: Session, units: Sequence[str], days: Sequence[date]
) -> dict[tuple[str, date], int]:
    off = {
        (row.unit_id, row.day)
        for row in session.exec(
            select(UnitDayOffRow)
            .where(col(UnitDayOffRow.unit_id).in_(units))
            .where(col(UnitDayOffRow.day).in_(days))
        )
    }
    found: dict[tuple[str, date], int] = {}
    for row in session.exec(select(UnitRow).where(col(UnitRow.id).in_(units))):
        for day in days:
            found[(row.id, day)] = (
                0 if (row.id, day) in off else row.weekday_capacity[day.weekday()]
            )
    return found


def overbooking(session: Session, plan_id: int, path: str) -> str | None:
    """What publishing the plan would overbook, as a sentence; None when nothing.

    For each unit of the plan's rounds working outside its region: its rounds in the plan
    plus its live rounds elsewhere on a day may not exceed that day's capacity, and none
    of its officers may be drawn both here and elsewhere on one day (another district's
    plan published after this one started took what this one counted on).
    """
    rounds = list(session.exec(select(PlanRoundRow).where(PlanRoundRow.plan_id == plan_id)))
    if not rounds:
        return None
    outside = _outside_units(session, {u for r in rounds for u in r.units}, path)
    if not outside:
        return None
    days = sorted({r.day for r in rounds})
    mine: dict[tuple[str, date], int] = defaultdict(int)
    for round_ in rounds:
        for unit in set(round_.units) & outside:
            mine[(unit, round_.day)] += 1
    used = live_elsewhere(session, outside, days[0], days[-1], path)
    capacity = _capacity(session, sorted(outside), days)
    names = {
        row.id: row.name
        for row in session.exec(select(UnitRow).where(col(UnitRow.id).in_(sorted(outside))))
    }
    for (unit, day), count in sorted(mine.items()):
        if count + used.get((unit, day), 0) > capacity[(unit, day)]:
            return (
                f"{names[unit]} {day.month} 月 {day.day} 日已在其他区县的已发布排期中安排 "
                f"{used.get((unit, day), 0)} 轮，本排期再排 {count} 轮将超过其当日能力 "
                f"{capacity[(unit, day)]} 轮；请重新排期"
            )
    by_round = {r.id: r for r in rounds}
    drawn = session.exec(
        select(PlanRoundOfficerRow)
        .where(col(PlanRoundOfficerRow.round_id).in_(list(by_round)))
        .order_by(col(PlanRoundOfficerRow.round_id), col(PlanRoundOfficerRow.officer_id))
    )
    busy = _officers_elsewhere(session, outside, days[0], days[-1], path)
    for officer in drawn:
        day = by_round[officer.round_id].day
        if officer.unit_id in outside and (str(officer.officer_id), day) in busy:
            person = session.get(OfficerRow, officer.officer_id)
            named = person.name if person is not None else f"#{officer.officer_id}"
            return (
                f"{names[officer.unit_id]}的执法人员{named} {day.month} 月 "
                f"{day.day} 日已在其他区县的已发布排期中安排；请重新排期"
            )
    return None
