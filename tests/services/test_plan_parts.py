"""A city's plan solved in district parts and merged (docs/province-platform.md §8), on SQLite
and PostgreSQL, with the jobs run here in order by a recorder in place of the queue."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from inspection.db.tables import AuditEntryRow, PlanPartRow, PlanRow
from inspection.services.planning.capacity import ShareDraft
from inspection.services.planning.models import PlanCreate, PlanStatus
from inspection.services.planning.part_merge import merge_plan
from inspection.services.planning.part_runs import claim_part, fail_part, run_part
from inspection.services.planning.parts import (
    MIN_PART_S,
    PartStatus,
    part_capacities,
    part_time_limit,
    parts_budget,
    seam_time_limit,
    split_plan,
)
from inspection.services.planning.use_cases import create_plan, request_stop
from inspection.services.planning.worker import begin_plan, claim_plan
from inspection.solver import SolveOptions, check, solve
from tests.support.part_jobs import Recorder, run_parts
from tests.support.platform import stored_solution
from tests.support.regions import CITY, DISTRICTS, RegionWorld, fill_regions
from tests.support.shares import COORDINATOR, add_city_unit, publish, rounds_of

DAY = date(2024, 6, 5)  # a Wednesday of the regions' world's week
WEEK = (date(2024, 6, 3), date(2024, 6, 7))


@pytest.fixture
def world(engine: Engine) -> RegionWorld:
    return fill_regions(engine)


@pytest.fixture(autouse=True)
def _no_fallback(caplog: pytest.LogCaptureFixture) -> None:
    """Every merge here is accepted by the checker (no whole solve in its place)."""
    caplog.set_level(logging.ERROR, logger="inspection.services.planning.part_merge")


def _city_plan(engine: Engine, time_limit_s: float = 2) -> tuple[int, int]:
    """A claimed plan of the city over the week: its id and attempt."""
    with Session(engine) as session:
        asked = PlanCreate(start=WEEK[0], end=WEEK[1], time_limit_s=time_limit_s, region=CITY)
        plan_id = create_plan(session, COORDINATOR, asked).id
    attempt = claim_plan(engine, plan_id)
    assert attempt == 1
    return plan_id, attempt


def _parts(engine: Engine, plan_id: int) -> list[PlanPartRow]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(PlanPartRow)
                .where(PlanPartRow.plan_id == plan_id)
                .order_by(col(PlanPartRow.id))
            )
        )


def _finishes(engine: Engine, plan_id: int) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(AuditEntryRow)
            .where(AuditEntryRow.action == "plan.finish")
            .where(AuditEntryRow.entity_id == str(plan_id))
        ).one()


def _solved_whole(engine: Engine, plan_id: int) -> int:
    """Requests a whole solve of the plan's problem schedules (the split's yardstick)."""
    job = begin_plan(engine, plan_id)
    options = SolveOptions(time_limit_s=5, pinned=tuple(job.pinned), open_pins=True, workers=1)
    solution = solve(job.problem, options)
    return sum(len(r.requests) for r in solution.rounds)


def test_a_city_plan_is_solved_in_its_districts_and_merged(
    engine: Engine, world: RegionWorld, caplog: pytest.LogCaptureFixture
) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 1, DAY, capacity=5, demand=(4, 6))
    plan_id, attempt = _city_plan(engine)
    jobs = Recorder()
    assert split_plan(engine, plan_id, attempt, jobs) is None
    parts = _parts(engine, plan_id)
    assert [p.status for p in parts] == [PartStatus.QUEUED] * 2
    assert [p.region_id for p in parts][::-1] == sorted(p.region_id for p in parts)
    assert parts[0].requests > parts[1].requests  # the larger second district's first
    assert jobs.parts == [p.id for p in parts]
    assert [p.job_id for p in parts] == [10_000 + p.id for p in parts if p.id is not None]
    assert [p.shared_units for p in parts] == [[unit], [unit]]
    assert all(p.relaxed is not None for p in parts)

    run_parts(engine, jobs)
    assert jobs.merges == [plan_id]  # deferred once, by the part that ended last
    parts = _parts(engine, plan_id)
    assert [p.status for p in parts] == [PartStatus.FINISHED] * 2
    with Session(engine) as session:
        running = session.get(PlanRow, plan_id)
        assert running is not None
        assert running.status == PlanStatus.RUNNING
        assert running.progress is not None
        assert running.progress["parts"] == 2

    public = merge_plan(engine, plan_id)
    assert public.status == PlanStatus.FINISHED
    assert rounds_of(engine, plan_id, unit) == {DAY: 5}  # its shares, 2 and 3, used whole
    job = begin_plan(engine, plan_id)
    with Session(engine) as session:
        stored = stored_solution(session, plan_id)
    assert check(job.problem, stored).ok
    # the five of SJ left out: its day is full (shared out), not a day off
    assert {u.code for u in stored.unscheduled} == {"UNIT_CAPACITY_FULL"}
    scheduled = sum(len(r.requests) for r in stored.rounds)
    assert scheduled == _solved_whole(engine, plan_id)
    stats = public.statistics
    assert stats is not None
    assert stats.scheduled_requests == scheduled
    assert stats.priority_upper_bound >= stats.scheduled_priority
    assert _finishes(engine, plan_id) == 1
    assert caplog.records == []


def test_every_job_run_twice_stores_one_result(engine: Engine, world: RegionWorld) -> None:
    with Session(engine) as session:
        add_city_unit(session, 2, DAY, capacity=3, demand=(2, 2))
    plan_id, attempt = _city_plan(engine)
    jobs = Recorder()
    split_plan(engine, plan_id, attempt, jobs)
    assert split_plan(engine, plan_id, attempt, jobs) is None  # a retried split: nothing new
    assert len(_parts(engine, plan_id)) == 2
    assert len(jobs.parts) == 2
    first, second = jobs.parts
    stale = claim_part(engine, first)
    assert stale == 1
    current = claim_part(engine, first)  # the job retried after its worker died
    assert current == 2
    run_part(engine, first, stale, jobs)  # the dead run's store: refused
    assert _parts(engine, plan_id)[0].status == PartStatus.RUNNING
    run_part(engine, first, current, jobs)
    assert jobs.merges == []  # the second part has not ended
    again = claim_part(engine, second)
    assert again is not None
    run_part(engine, second, again, jobs)
    assert claim_part(engine, second) is None  # ended: a duplicate job has nothing to do
    assert jobs.merges == [plan_id]
    # the split retried after the parts ended asks for the merge again (the queue keeps one)
    assert split_plan(engine, plan_id, attempt, jobs) is None
    assert jobs.merges == [plan_id, plan_id]
    assert merge_plan(engine, plan_id).status == PlanStatus.FINISHED
    assert merge_plan(engine, plan_id).status == PlanStatus.FINISHED
    assert _finishes(engine, plan_id) == 1


def test_a_failed_part_fails_the_plan_and_ends_its_other_parts(
    engine: Engine, world: RegionWorld
) -> None:
    plan_id, attempt = _city_plan(engine)
    jobs = Recorder()
    split_plan(engine, plan_id, attempt, jobs)
    first, second = jobs.parts
    claimed = claim_part(engine, first)
    fail_part(engine, first, "求解进程异常退出（代码 -9）", claimed)
    with Session(engine) as session:
        plan = session.get(PlanRow, plan_id)
        assert plan is not None
        assert plan.status == PlanStatus.FAILED
        assert plan.error == "区县部分求解失败：求解进程异常退出（代码 -9）"
    assert claim_part(engine, second) is None  # the plan has ended: nothing to solve
    assert merge_plan(engine, plan_id).status == PlanStatus.FAILED
    assert jobs.merges == []


def test_a_part_out_of_attempts_fails_the_plan(engine: Engine, world: RegionWorld) -> None:
    plan_id, attempt = _city_plan(engine)
    jobs = Recorder()
    split_plan(engine, plan_id, attempt, jobs)
    part = jobs.parts[0]
    assert claim_part(engine, part, max_attempts=2) == 1
    assert claim_part(engine, part, max_attempts=2) == 2
    assert claim_part(engine, part, max_attempts=2) is None
    assert _parts(engine, plan_id)[0].status == PartStatus.FAILED
    with Session(engine) as session:
        plan = session.get(PlanRow, plan_id)
        assert plan is not None
        assert plan.status == PlanStatus.FAILED


def test_a_stopped_plan_stores_what_its_parts_found(engine: Engine, world: RegionWorld) -> None:
    plan_id, attempt = _city_plan(engine, time_limit_s=60)
    jobs = Recorder()
    split_plan(engine, plan_id, attempt, jobs)
    with Session(engine) as session:
        request_stop(session, COORDINATOR, plan_id)
    run_parts(engine, jobs)
    assert [p.status for p in _parts(engine, plan_id)] == [PartStatus.STOPPED] * 2
    public = merge_plan(engine, plan_id)
    assert public.status == PlanStatus.STOPPED
    job = begin_plan(engine, plan_id)
    with Session(engine) as session:
        assert check(job.problem, stored_solution(session, plan_id)).ok


def test_a_re_plan_after_publication_keeps_the_announced_rounds_in_their_district(
    engine: Engine, world: RegionWorld, caplog: pytest.LogCaptureFixture
) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 3, DAY, capacity=4, demand=(3, 3))
    plan_id, attempt = _city_plan(engine)
    jobs = Recorder()
    split_plan(engine, plan_id, attempt, jobs)
    run_parts(engine, jobs)
    merge_plan(engine, plan_id)
    publish(engine, plan_id)
    with Session(engine) as session:  # late requests of the shared unit in both districts
        add_city_unit(session, 4, DAY, capacity=2, demand=(1, 1))
    again, attempt = _city_plan(engine)
    later = Recorder()
    assert split_plan(engine, again, attempt, later) is None
    run_parts(engine, later)
    assert merge_plan(engine, again).status == PlanStatus.FINISHED
    job = begin_plan(engine, again)
    assert job.pinned  # the first plan's rounds are announced
    with Session(engine) as session:
        stored = stored_solution(session, again)
    assert check(job.problem, stored, job.pinned, open_pins=True).ok
    assert rounds_of(engine, again, unit)[DAY] == rounds_of(engine, plan_id, unit)[DAY]
    assert caplog.records == []


def test_a_district_plan_is_solved_whole(engine: Engine, world: RegionWorld) -> None:
    with Session(engine) as session:
        asked = PlanCreate(start=WEEK[0], end=WEEK[1], time_limit_s=1, region=DISTRICTS[0])
        plan_id = create_plan(session, COORDINATOR, asked).id
    attempt = claim_plan(engine, plan_id)
    assert attempt is not None
    jobs = Recorder()
    job = split_plan(engine, plan_id, attempt, jobs)
    assert job is not None
    assert job.problem.requests
    assert jobs.parts == []
    assert _parts(engine, plan_id) == []


@pytest.mark.parametrize(
    ("limit", "size", "total", "expected"),
    [
        (600, 50, 100, 300),  # half the requests: half the time
        (600, 1, 1000, MIN_PART_S),  # a small part still gets its minimum
        (0.5, 1, 100, 0.5),  # never more than the plan's own limit
    ],
)
def test_a_part_s_time_is_its_share_of_the_plan_s(
    limit: float, size: int, total: int, expected: float
) -> None:
    assert part_time_limit(limit, size, total) == expected


@pytest.mark.parametrize(
    ("limit", "split", "expected"),
    [
        (600, 50, 600 - 50 - 60 - 50),  # the split's time, the seams' 10 %, the merge's read
        (600, 0, 540),  # nothing read yet: all but the seams'
        (600, 400, MIN_PART_S),  # a split slower than the plan: the parts still get their least
        (0.5, 10, 0.5),  # ... never more than the plan's own limit
    ],
)
def test_the_parts_share_what_the_split_and_the_merge_leave(
    limit: float, split: float, expected: float
) -> None:
    assert parts_budget(limit, split) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("limit", "elapsed", "split", "expected"),
    [
        (600, 300, 50, 60),  # on time: the seams' share
        (600, 520, 50, 30),  # the parts overran: what is left less the store's estimate
        (600, 900, 50, 1),  # far over: still one second
    ],
)
def test_the_seams_get_their_share_less_what_the_parts_overran(
    limit: float, elapsed: float, split: float, expected: float
) -> None:
    assert seam_time_limit(limit, elapsed, split) == pytest.approx(expected)


@given(
    shares=st.lists(st.integers(0, 5), min_size=2, max_size=4),
    pinned=st.lists(st.integers(0, 5), min_size=4, max_size=4),
)
def test_a_part_keeps_its_pinned_rounds_and_the_sum_stays_the_share_s(
    shares: list[int], pinned: list[int]
) -> None:
    parts = list(range(1, len(shares) + 1))
    need = dict(zip(parts, pinned, strict=False))
    assume(sum(need.values()) <= sum(shares))  # the announced rounds fit the unit's day
    drafts = [
        ShareDraft("SJ", p, DAY, sum(shares), 1, n, ()) for p, n in zip(parts, shares, strict=True)
    ]
    counts = {(p, "SJ", DAY): need[p] for p in parts}
    found = part_capacities({"SJ"}, parts, [DAY], drafts, counts)
    caps = {p: found[p][("SJ", DAY)] for p in parts}
    assert all(caps[p] >= need[p] for p in parts)
    assert sum(caps.values()) == sum(shares)
    if all(shares[p - 1] >= need[p] for p in parts):
        assert caps == dict(zip(parts, shares, strict=True))  # nothing to move
