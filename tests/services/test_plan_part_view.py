"""A plan's district parts as a coordinator reads them (`plan_parts`), on SQLite and
PostgreSQL: queued, solved and failed parts, in the order of the districts' paths, scoped
like the plan; none for a plan solved whole."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import PlanPartRow, RegionRow
from inspection.errors import NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.part_runs import claim_part, fail_part
from inspection.services.planning.part_view import plan_parts
from inspection.services.planning.parts import PartStatus, split_plan
from inspection.services.planning.use_cases import create_plan
from inspection.services.planning.worker import claim_plan
from tests.support.part_jobs import Recorder, run_parts
from tests.support.regions import CITY, DISTRICTS, RegionWorld, fill_regions
from tests.support.shares import COORDINATOR, add_city_unit, plan_of

DAY = date(2024, 6, 5)  # a Wednesday of the regions' world's week
WEEK = (date(2024, 6, 3), date(2024, 6, 7))


@pytest.fixture
def world(engine: Engine) -> RegionWorld:
    return fill_regions(engine)


def _coordinator_of(engine: Engine, code: str) -> Actor:
    with Session(engine) as session:
        region = session.exec(select(RegionRow).where(RegionRow.code == code)).one()
    return Actor(name=f"coordinator {code}", role=Role.COORDINATOR, region_path=region.path)


def _split_city_plan(engine: Engine, jobs: Recorder) -> int:
    """A city plan over the week, claimed and split into its districts' parts."""
    with Session(engine) as session:
        asked = PlanCreate(start=WEEK[0], end=WEEK[1], time_limit_s=2, region=CITY)
        plan_id = create_plan(session, COORDINATOR, asked).id
    attempt = claim_plan(engine, plan_id)
    assert attempt is not None
    assert split_plan(engine, plan_id, attempt, jobs) is None
    return plan_id


def test_the_parts_are_listed_by_district_as_they_go(engine: Engine, world: RegionWorld) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 1, DAY, capacity=5, demand=(4, 6))
    jobs = Recorder()
    plan_id = _split_city_plan(engine, jobs)
    city = _coordinator_of(engine, CITY)
    with Session(engine) as session:
        queued = plan_parts(session, plan_id, city)
        stored = list(session.exec(select(PlanPartRow).where(PlanPartRow.plan_id == plan_id)))
    # stored the larger (second) district first; listed by the districts' paths
    assert [p.region_id for p in sorted(stored, key=lambda p: p.id or 0)] == sorted(
        (p.region_id for p in stored), reverse=True
    )
    assert [(p.region, p.region_name) for p in queued] == [
        (DISTRICTS[0], "清城区"),
        (DISTRICTS[1], "清新区"),
    ]
    assert [p.status for p in queued] == [PartStatus.QUEUED] * 2
    with Session(engine) as session:
        code_of = {r.id: r.code for r in session.exec(select(RegionRow))}
    by_region = {code_of[p.region_id]: p for p in stored}
    for part in queued:
        row = by_region[part.region]
        assert (part.requests, part.time_limit_s) == (row.requests, row.time_limit_s)
        assert part.shared_units == [unit]
        assert (part.attempt, part.progress, part.priority_bound, part.relaxed) == (
            0,
            None,
            None,
            None,
        )
        assert (part.started_at, part.finished_at, part.error) == (None, None, None)
    assert queued[0].requests < queued[1].requests  # 4 and 6 of the unit, and each one's own

    run_parts(engine, jobs)
    with Session(engine) as session:
        solved = plan_parts(session, plan_id, city)
    assert [p.status for p in solved] == [PartStatus.FINISHED] * 2
    for part in solved:
        assert part.attempt == 1
        assert part.progress is not None
        assert part.progress.stage == 2
        assert part.progress.rounds > 0
        assert part.priority_bound is not None
        assert part.priority_bound >= part.progress.priority > 0
        assert part.relaxed is True  # the unit is shared: the bound is the relaxed model's
        assert part.started_at is not None
        assert part.finished_at is not None
        assert part.started_at.tzinfo is not None
        assert part.started_at <= part.finished_at


def test_a_failed_part_says_why(engine: Engine, world: RegionWorld) -> None:
    jobs = Recorder()
    plan_id = _split_city_plan(engine, jobs)
    first = jobs.parts[0]
    fail_part(engine, first, "求解进程异常退出（代码 -9）", claim_part(engine, first))
    with Session(engine) as session:
        parts = plan_parts(session, plan_id, COORDINATOR)
    failed = [p for p in parts if p.status == PartStatus.FAILED]
    assert [(p.error, p.attempt) for p in failed] == [("求解进程异常退出（代码 -9）", 1)]
    assert failed[0].finished_at is not None
    assert [p.status for p in parts if p not in failed] == [PartStatus.QUEUED]


def test_the_parts_are_read_in_the_plan_s_region_and_above(
    engine: Engine, world: RegionWorld
) -> None:
    plan_id = _split_city_plan(engine, Recorder())
    with Session(engine) as session:
        assert len(plan_parts(session, plan_id, COORDINATOR)) == 2  # the whole platform
        for district in DISTRICTS:  # the city's plan is above a district's coordinator
            with pytest.raises(NotFoundError):
                plan_parts(session, plan_id, _coordinator_of(engine, district))
        with pytest.raises(NotFoundError):
            plan_parts(session, plan_id + 1, COORDINATOR)


def test_a_plan_solved_whole_has_no_parts(engine: Engine, world: RegionWorld) -> None:
    plan_id = plan_of(engine, DISTRICTS[0], *WEEK)
    with Session(engine) as session:
        assert plan_parts(session, plan_id, _coordinator_of(engine, DISTRICTS[0])) == []
