"""A city-level unit (市市场监管局) with requests in both districts of the regions' world on one
day, and the plans of a district or the city run and published here."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import LiveVisitRow, PlanRoundRow
from inspection.services.access import Actor, Role
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from tests.support.data import head_of
from tests.support.draws import credit_code
from tests.support.regions import CITY, DISTRICTS
from tests.support.world import week_checklist

__all__ = ["COORDINATOR", "add_city_unit", "live_rounds_per_day", "plan_of", "publish", "rounds_of"]

COORDINATOR = Actor(name="tests", role=Role.COORDINATOR)


def add_city_unit(
    session: Session, tag: int, day: date, capacity: int, demand: tuple[int, int]
) -> str:
    """Store a unit of the city, `capacity` rounds a day, and one checklist of it for `day`
    at `demand[i]` new enterprises of district i (tagged, so several setups can coexist)."""
    unit = f"SJ{tag}"
    create_unit(
        session,
        COORDINATOR,
        UnitCreate(id=unit, name="市市场监管局", weekday_capacity=[capacity] * 7, region=CITY),
    )
    targets: list[str] = []
    for number, (code, count) in enumerate(zip(DISTRICTS, demand, strict=True)):
        for i in range(count):
            enterprise = credit_code(10_000 + 100 * tag + 10 * number + i)
            create_enterprise(
                session,
                COORDINATOR,
                EnterpriseCreate(
                    credit_code=enterprise, name=f"企业{tag}-{number}-{i}", town="某镇", region=code
                ),
            )
            targets.append(enterprise)
    submit_checklist(
        session,
        head_of(unit),
        week_checklist(unit, targets, earliest=day.isoformat(), latest=day.isoformat()),
    )
    return unit


def plan_of(engine: Engine, region: str, start: date, end: date, run: bool = True) -> int:
    """A plan of the region over [start, end], solved here unless `run` is false."""
    with Session(engine) as session:
        asked = PlanCreate(start=start, end=end, time_limit_s=5, region=region)
        plan_id = create_plan(session, COORDINATOR, asked).id
    if run:
        run_plan(engine, plan_id)
    return plan_id


def publish(engine: Engine, plan_id: int) -> None:
    """Publish the plan as the coordinator."""
    with Session(engine) as session:
        publish_plan(session, COORDINATOR, plan_id)


def rounds_of(engine: Engine, plan_id: int, unit: str) -> dict[date, int]:
    """The plan's rounds the unit joins, per day."""
    found: dict[date, int] = defaultdict(int)
    with Session(engine) as session:
        for round_ in session.exec(select(PlanRoundRow).where(PlanRoundRow.plan_id == plan_id)):
            if unit in round_.units:
                found[round_.day] += 1
    return dict(found)


def live_rounds_per_day(engine: Engine, unit: str) -> dict[date, int]:
    """The unit's live published rounds per day, every region."""
    found: dict[date, set[int]] = defaultdict(set)
    with Session(engine) as session:
        for visit in session.exec(select(LiveVisitRow).where(col(LiveVisitRow.unit_id) == unit)):
            found[visit.day].add(visit.round_id)
    return {day: len(rounds) for day, rounds in found.items()}
