"""Capacity of a city-level unit shared by district plans and city plans (design §7), on
SQLite and PostgreSQL: residual capacity in the problem, shares stored, publication guarded."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.regions import region_by_code
from inspection.db.tables import PlanCapacityShareRow
from inspection.errors import ConflictError
from inspection.services.planning.capacity import shared_capacity
from inspection.services.planning.use_cases import capacity_shares
from inspection.services.translation import problem_for_horizon
from tests.support.regions import CITY, DISTRICTS, RegionWorld, fill_regions
from tests.support.shares import (
    COORDINATOR,
    add_city_unit,
    live_rounds_per_day,
    plan_of,
    publish,
    rounds_of,
)

OWN, OTHER = DISTRICTS
DAY = date(2024, 6, 5)  # a Wednesday of the regions' world's week
WEEK = (date(2024, 6, 3), date(2024, 6, 7))


@pytest.fixture
def world(engine: Engine) -> RegionWorld:
    return fill_regions(engine)


def _shares(engine: Engine, plan_id: int) -> list[tuple[str, str, int, int, int]]:
    with Session(engine) as session:
        return [
            (s.unit_id, s.region, s.available, s.demand, s.capacity)
            for s in capacity_shares(session, plan_id, COORDINATOR)
        ]


def test_the_second_district_sees_what_the_first_left(engine: Engine, world: RegionWorld) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 1, DAY, capacity=5, demand=(3, 3))
    first = plan_of(engine, OWN, *WEEK)
    assert rounds_of(engine, first, unit) == {DAY: 3}
    publish(engine, first)
    with Session(engine) as session:
        other = region_by_code(session, OTHER)
        assert other is not None
        problem = problem_for_horizon(session, *WEEK, region_path=other.path)
        residual, drafts = shared_capacity(session, problem, other)
    by_id = {u.id: u for u in residual.units}
    assert by_id[unit].capacity_on(DAY) == 2  # 5 less the 3 published in the first district
    assert by_id[unit].capacity_on(date(2024, 6, 4)) == 5
    # the district's own unit is as the problem had it
    assert by_id[world.units[OTHER]] == {u.id: u for u in problem.units}[world.units[OTHER]]
    assert [(d.unit_id, d.day, d.available, d.demand, d.capacity) for d in drafts] == [
        (unit, DAY, 2, 3, 2)
    ]
    second = plan_of(engine, OTHER, *WEEK)
    assert rounds_of(engine, second, unit) == {DAY: 2}
    publish(engine, second)
    assert live_rounds_per_day(engine, unit) == {DAY: 5}
    assert _shares(engine, first) == [(unit, OWN, 5, 3, 3)]
    assert _shares(engine, second) == [(unit, OTHER, 2, 3, 2)]
    with Session(engine) as session:  # the district units have no shares
        units = {s.unit_id for s in session.exec(select(PlanCapacityShareRow))}
    assert units == {unit}


def test_two_district_plans_solved_side_by_side_cannot_both_be_published(
    engine: Engine, world: RegionWorld
) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 2, DAY, capacity=4, demand=(3, 3))
    first, second = plan_of(engine, OWN, *WEEK), plan_of(engine, OTHER, *WEEK)
    assert rounds_of(engine, first, unit) == rounds_of(engine, second, unit) == {DAY: 3}
    publish(engine, first)
    with pytest.raises(ConflictError, match="超过其当日能力 4 轮"):
        publish(engine, second)
    again = plan_of(engine, OTHER, *WEEK)
    assert rounds_of(engine, again, unit) == {DAY: 1}
    publish(engine, again)
    assert live_rounds_per_day(engine, unit) == {DAY: 4}


def test_a_city_plan_shares_the_unit_between_its_districts(
    engine: Engine, world: RegionWorld
) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 3, DAY, capacity=5, demand=(6, 4))
    plan = plan_of(engine, CITY, *WEEK)
    # by demand 6:4, one round each first, then the rest by largest remainder
    assert _shares(engine, plan) == [(unit, OWN, 5, 6, 3), (unit, OTHER, 5, 4, 2)]
    assert rounds_of(engine, plan, unit) == {DAY: 5}  # the solve is still one problem


_TAGS = count(10)
# Wednesdays that are working days, one per example: their plans never overlap
_DAYS = [date(2024, 9, 4), date(2024, 9, 11), date(2024, 9, 25), date(2024, 10, 16)]
_DAYS += [date(2024, 10, 23), date(2024, 10, 30), date(2024, 11, 6), date(2024, 11, 13)]


@settings(
    max_examples=len(_DAYS),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    capacity=st.integers(1, 4),
    demand=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    side_by_side=st.booleans(),
    first_is_own=st.booleans(),
)
def test_published_visits_of_a_shared_unit_never_exceed_its_capacity(
    engine: Engine,
    world: RegionWorld,
    capacity: int,
    demand: tuple[int, int],
    side_by_side: bool,
    first_is_own: bool,
) -> None:
    tag = next(_TAGS)
    day = _DAYS[(tag - 10) % len(_DAYS)]
    with Session(engine) as session:
        unit = add_city_unit(session, tag, day, capacity, demand)
    order = (OWN, OTHER) if first_is_own else (OTHER, OWN)
    first = plan_of(engine, order[0], day, day)
    second = plan_of(engine, order[1], day, day, run=side_by_side)
    publish(engine, first)
    if side_by_side:
        try:
            publish(engine, second)  # solved before the first was published
        except ConflictError:
            second = plan_of(engine, order[1], day, day)
            publish(engine, second)
    else:
        from inspection.services.planning.worker import run_plan

        run_plan(engine, second)
        publish(engine, second)
    live = live_rounds_per_day(engine, unit)
    assert live.get(day, 0) <= capacity
    # nothing is left undone that capacity allowed: min(capacity, total demand) rounds
    assert live.get(day, 0) == min(capacity, sum(demand))


def test_officers_drawn_in_another_district_that_day_are_not_free(
    engine: Engine, world: RegionWorld
) -> None:
    from inspection.services.officers.service import create_officer
    from tests.support.officers import officer

    with Session(engine) as session:
        unit = add_city_unit(session, 4, DAY, capacity=5, demand=(1, 1))
        for name, badge in (("陈志明", "44180020240031"), ("李晓燕", "44180020240032")):
            create_officer(session, COORDINATOR, officer(unit, name, badge))
    first, second = plan_of(engine, OWN, *WEEK), plan_of(engine, OTHER, *WEEK)
    assert rounds_of(engine, first, unit) == rounds_of(engine, second, unit) == {DAY: 1}
    publish(engine, first)
    with pytest.raises(ConflictError, match="执法人员陈志明 6 月 5 日已在其他区县"):
        publish(engine, second)  # both drew the unit's only team
    again = plan_of(engine, OTHER, *WEEK)
    assert rounds_of(engine, again, unit) == {}  # its team is out in the first district
    with Session(engine) as session:
        (share,) = capacity_shares(session, again, COORDINATOR)
    assert (share.available, share.demand, share.officers) == (4, 1, [])
    publish(engine, again)
    assert live_rounds_per_day(engine, unit) == {DAY: 1}
