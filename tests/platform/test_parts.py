"""A city's plan on the job queue: split into its two districts' parts, solved by the two
workers side by side, merged once; a worker killed mid-part has its part solved again; a stop
reaches the parts (docs/province-platform.md §8)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from inspection.db.regions import region_by_code
from inspection.db.tables import PlanPartRow
from inspection.services.access import Actor, Role
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.models import PlanStatus
from inspection.services.planning.parts import PartStatus
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from inspection.services.translation import problem_for_horizon
from inspection.solver import check
from tests.support.backends import postgres_url
from tests.support.data import head_of
from tests.support.draws import credit_code
from tests.support.platform import Platform, platform, solve_children, stored_solution
from tests.support.regions import CITY, DISTRICTS, fill_regions
from tests.support.world import week_checklist

WEEK = (date(2024, 6, 3), date(2024, 6, 7))
_ADMIN = Actor(name="tests", role=Role.ADMIN)
_ENTERPRISES = 80  # per district


def _load_city(live: Platform) -> None:
    """Per district three units asking for half its enterprises twice; a city unit asking for
    a third of both districts' (the seam): a week each part takes seconds over."""
    fill_regions(live.engine)
    rng = random.Random(11)
    with Session(live.engine) as session:
        create_unit(
            session,
            _ADMIN,
            UnitCreate(id="SJ", name="市市场监管局", weekday_capacity=[6] * 7, region=CITY),
        )
        city_targets: list[str] = []
        for number, district in enumerate(DISTRICTS):
            codes = [credit_code(20_000 + 1_000 * number + i) for i in range(_ENTERPRISES)]
            for i, code in enumerate(codes):
                create_enterprise(
                    session,
                    _ADMIN,
                    EnterpriseCreate(
                        credit_code=code, name=f"负载企业{number}-{i}", town="某镇", region=district
                    ),
                )
            for u in range(3):
                unit = f"L{number}{u}"
                create_unit(
                    session,
                    _ADMIN,
                    UnitCreate(
                        id=unit,
                        name=f"负载单位{number}{u}",
                        weekday_capacity=[4] * 7,
                        region=district,
                    ),
                )
                for _ in range(2):
                    targets = rng.sample(codes, _ENTERPRISES // 2)
                    submit_checklist(session, head_of(unit), week_checklist(unit, targets))
            city_targets += rng.sample(codes, _ENTERPRISES // 3)
        submit_checklist(session, head_of("SJ"), week_checklist("SJ", city_targets))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    shared = postgres_url()
    assert shared is not None
    with platform(shared, tmp_path_factory.mktemp("parts")) as running:
        _load_city(running)
        yield running


def _start(live: Platform, time_limit_s: float) -> int:
    with live.client() as coordinator:
        body = {
            "start": WEEK[0].isoformat(),
            "end": WEEK[1].isoformat(),
            "time_limit_s": time_limit_s,
            "region": CITY,
        }
        answer = coordinator.post("/api/v1/plans", json=body)
        assert answer.status_code == 202, answer.text
        plan_id: int = answer.json()["id"]
        return plan_id


def _parts(live: Platform, plan_id: int) -> list[PlanPartRow]:
    with Session(live.engine) as session:
        return list(
            session.exec(
                select(PlanPartRow)
                .where(PlanPartRow.plan_id == plan_id)
                .order_by(col(PlanPartRow.id))
            )
        )


def _workers_of(live: Platform, job_ids: list[int]) -> list[int | None]:
    with live.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, worker_id FROM procrastinate_jobs WHERE id = ANY(:ids)"),
            {"ids": job_ids},
        ).all()
    by_id: dict[int, int | None] = {job: worker for job, worker in rows}  # noqa: C416
    return [by_id[job] for job in job_ids]


def _valid(live: Platform, plan_id: int) -> int:
    """The stored plan checked against the city's problem; its scheduled requests."""
    with Session(live.engine) as session:
        region = region_by_code(session, CITY)
        assert region is not None
        problem = problem_for_horizon(session, *WEEK, region_path=region.path)
        solution = stored_solution(session, plan_id)
    report = check(problem, solution)
    assert report.ok, report.violations[:5]
    return sum(len(r.requests) for r in solution.rounds)


def test_the_two_districts_are_solved_side_by_side_and_merged_once(city: Platform) -> None:
    city.keep_two_workers()
    plan_id = _start(city, time_limit_s=4)
    row = city.wait_ended(plan_id, limit_s=120)
    assert row["status"] == PlanStatus.FINISHED, row
    assert row["attempt"] == 1
    parts = _parts(city, plan_id)
    assert [p.status for p in parts] == [PartStatus.FINISHED] * 2
    assert [p.shared_units for p in parts] == [["SJ"], ["SJ"]]
    job_ids = [p.job_id for p in parts if p.job_id is not None]
    assert [city.job(j)[0] for j in job_ids] == ["succeeded", "succeeded"]
    first, second = _workers_of(city, job_ids)
    assert first is not None
    assert second is not None
    assert first != second  # one part on each worker
    assert city.audit_count("plan.finish", plan_id) == 1
    assert city.audit_count("plan.fail", plan_id) == 0
    assert _valid(city, plan_id) > 0
    with city.client() as coordinator:
        shares = coordinator.get(f"/api/v1/plans/{plan_id}/capacity-shares").json()
    assert {s["unit_id"] for s in shares} == {"SJ"}


def test_a_part_of_a_killed_worker_is_solved_again_and_the_plan_ends_once(
    city: Platform,
) -> None:
    city.keep_two_workers()
    plan_id = _start(city, time_limit_s=8)
    deadline = time.monotonic() + 60
    while not any(p.status == PartStatus.RUNNING for p in _parts(city, plan_id)):
        assert time.monotonic() < deadline, _parts(city, plan_id)
        time.sleep(0.05)
    time.sleep(1)  # well inside its solve
    victim = next(w for w in city.workers if solve_children(w.process.pid))
    victim.kill()
    row = city.wait_ended(plan_id, limit_s=120)
    assert row["status"] == PlanStatus.FINISHED, row
    parts = _parts(city, plan_id)
    assert [p.status for p in parts] == [PartStatus.FINISHED] * 2
    assert max(p.attempt for p in parts) == 2  # the dead worker's part, claimed again
    assert city.audit_count("plan.finish", plan_id) == 1
    assert city.audit_count("plan.fail", plan_id) == 0
    assert _valid(city, plan_id) > 0


def test_a_stop_reaches_the_parts_and_the_plan_ends_stopped(city: Platform) -> None:
    city.keep_two_workers()
    plan_id = _start(city, time_limit_s=60)
    deadline = time.monotonic() + 60
    while sum(p.status == PartStatus.RUNNING for p in _parts(city, plan_id)) < 2:
        assert time.monotonic() < deadline, _parts(city, plan_id)
        time.sleep(0.05)
    asked = time.monotonic()
    with city.client() as coordinator:
        answer = coordinator.post(f"/api/v1/plans/{plan_id}/stop")
        assert answer.status_code == 200, answer.text
    row = city.wait_ended(plan_id, limit_s=30)
    print(f"stopped {time.monotonic() - asked:.1f} s after the request")
    assert time.monotonic() - asked < 15  # not the 60 s of its time limit
    assert row["status"] == PlanStatus.STOPPED, row
    assert [p.status for p in _parts(city, plan_id)] == [PartStatus.STOPPED] * 2
    assert _valid(city, plan_id) > 0
