"""Tables to planning problem, on SQLite and PostgreSQL, and the problem solves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db import batches, repository
from inspection.db.regions import region_by_code
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan
from inspection.services.planning.worker import run_plan
from inspection.services.rounds.store import plan_round_ids
from inspection.services.translation import pinned_rounds, problem_for_horizon
from inspection.solver import SolveOptions, check, solve
from tests.support.data import FOOD_SHOP
from tests.support.regions import CITY, DISTRICTS, fill_regions
from tests.support.shares import COORDINATOR, add_city_unit
from tests.support.world import WEEK, fill_week


def test_problem_holds_the_week_s_submitted_checklists(engine: Engine) -> None:
    with Session(engine) as session:
        ids = fill_week(session)
        problem = problem_for_horizon(session, *WEEK, name="qingcheng-2024-W23")
        excluded = {
            str(r.id)
            for key in ("later", "withdrawn")
            for r in repository.checklist_requests(session, ids[key])
        }
    by_unit = {u.id: u for u in problem.units}
    assert by_unit["SCJG"].daily_capacity == 3
    assert by_unit["SCJG"].capacity_by_date == {
        date(2024, 6, 4): 0,  # day off
        date(2024, 6, 7): 2,  # Friday
        date(2024, 6, 8): 0,
        date(2024, 6, 9): 0,
    }
    assert by_unit["XFJY"].capacity_by_date is None
    checklists_seen = {r.items for r in problem.requests}
    assert checklists_seen == {("SCJG检查事项",), ("XFJY检查事项",)}
    assert len(problem.requests) == 3  # 2 routine targets + 1 complaint; not later, not withdrawn
    complaint = [r for r in problem.requests if r.unit == "XFJY"]
    assert [(r.joinable, r.priority) for r in complaint] == [(False, 3)]
    shop = next(e for e in problem.enterprises if e.id == FOOD_SHOP)
    assert shop.blackout_days == (date(2024, 6, 5),)
    assert problem.non_working_days is None  # the statutory calendar applies
    assert excluded
    assert excluded.isdisjoint(r.id for r in problem.requests)


def test_the_mapped_problem_solves_to_a_valid_plan(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        problem = problem_for_horizon(session, *WEEK)
    solution = solve(problem, SolveOptions(time_limit_s=5, workers=1))
    assert check(problem, solution).ok
    assert solution.statistics is not None
    assert solution.statistics.scheduled_requests == 3
    scheduled_days = {r.date for r in solution.rounds if r.enterprise == FOOD_SHOP}
    assert scheduled_days.isdisjoint({date(2024, 6, 4), date(2024, 6, 5)})


def test_a_plan_of_a_region_takes_the_requests_of_its_enterprises(engine: Engine) -> None:
    world = fill_regions(engine)
    own, other = DISTRICTS
    with Session(engine) as session:
        district = region_by_code(session, own)
        assert district is not None
        in_district = problem_for_horizon(session, *WEEK, region_path=district.path)
        in_city = problem_for_horizon(session, *WEEK, region_path=CITY)
        everywhere = problem_for_horizon(session, *WEEK)
    assert {r.enterprise for r in in_district.requests} == set(world.enterprises[own])
    assert {u.id for u in in_district.units} == {world.units[own]}
    both = set(world.enterprises[own]) | set(world.enterprises[other])
    assert {r.enterprise for r in in_city.requests} == both
    assert {r.enterprise for r in everywhere.requests} == both


def test_long_lists_are_read_in_batches_to_the_same_problem(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a province's plan reads more enterprises than a statement may name: batches of two
    # here must give the problem (and the pinned rounds) read in one go
    fill_regions(engine)
    with Session(engine) as session:
        fill_week(session)
        add_city_unit(session, 1, date(2024, 6, 5), capacity=3, demand=(3, 2))
        whole = problem_for_horizon(session, *WEEK)
    with Session(engine) as session:
        asked = PlanCreate(start=WEEK[0], end=WEEK[1], time_limit_s=2)
        plan_id = create_plan(session, COORDINATOR, asked).id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        round_ids = plan_round_ids(session, plan_id)
        pinned = pinned_rounds(session, round_ids)
    monkeypatch.setattr(batches, "IN_LIST_SIZE", 2)
    with Session(engine) as session:
        assert problem_for_horizon(session, *WEEK) == whole
        assert pinned_rounds(session, round_ids) == pinned
    assert len(whole.enterprises) > 2
    assert len(round_ids) > 2


def test_reading_in_chunks_gives_the_same_problem(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a province's quarter names more checklists and enterprises than one IN list may hold
    # (PostgreSQL's driver: 65,535 parameters); chunks of one must change nothing
    world = fill_regions(engine)
    with Session(engine) as session:
        fill_week(session)
        whole = problem_for_horizon(session, *WEEK, region_path=CITY)
        monkeypatch.setattr(batches, "IN_LIST_SIZE", 1)
        chunked = problem_for_horizon(session, *WEEK, region_path=CITY)
    assert len(whole.requests) > 3
    assert len(whole.units) > 1
    assert {r.enterprise for r in whole.requests} >= set(world.enterprises[DISTRICTS[0]])
    assert chunked == whole
    assert [r.id for r in chunked.requests] == sorted((r.id for r in whole.requests), key=int)
