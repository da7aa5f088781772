"""The planning view's 分区县求解 card in Chromium, against GET /plans/{id}/parts.

The desk's server solves every plan whole (SQLite, no queue), so the city's plan is split
and its parts run here, on the server's database file, as the queue's jobs would run them
(a recorder in place of the queue): the card shows a running plan's parts, follows them as
they end, and stays once the plan is merged; a plan solved whole shows no card.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db.engine import make_engine
from inspection.services.access import Actor, Role
from inspection.services.planning.models import PlanCreate, PlanStatus
from inspection.services.planning.part_merge import merge_plan
from inspection.services.planning.part_runs import claim_part, run_part
from inspection.services.planning.part_view import PlanPartPublic, plan_parts
from inspection.services.planning.parts import ENDED_PARTS, PartStatus, split_plan
from inspection.services.planning.use_cases import create_plan
from inspection.services.planning.worker import claim_plan
from inspection.services.regions.models import RegionCreate, RegionLevel
from inspection.services.regions.service import create_region
from tests.support.desk import ARTIFACTS, DeskServer, open_desk, sign_in
from tests.support.part_jobs import Recorder, run_parts
from tests.support.paths import ROOT
from tests.support.regions import CITY, DISTRICTS
from tests.support.shares import COORDINATOR, add_city_unit

SHOTS = ROOT.parent / "shots" / "parts"
DAY = date(2024, 4, 17)  # a Wednesday after the sample week: nothing else is planned on it
STATUS = {
    PartStatus.QUEUED: "排队中",
    PartStatus.RUNNING: "求解中",
    PartStatus.FINISHED: "已完成",
    PartStatus.STOPPED: "已停止",
    PartStatus.FAILED: "失败",
}  # as the desk names them (labels.js PART_STATUS, tests/desk/test_labels.py)
TIME = re.compile(r"^(\d+(\.\d)? 秒 / )?时限 \d+(\.\d)? 秒$")


@pytest.fixture(scope="module")
def desk_db(desk_server: DeskServer) -> Iterator[Engine]:
    """The desk server's database, with the city, its districts and a unit of the city asked
    for by 6 enterprises of 清城区 and 4 of 清新区 on the day."""
    created = make_engine(f"sqlite:///{(desk_server.folder / 'inspection.db').resolve()}")
    admin = Actor(name="desk tests", role=Role.ADMIN)
    with Session(created) as session:
        create_region(
            session, admin, RegionCreate(code=CITY, name="清远市", level=RegionLevel.CITY)
        )
        for code, name in zip(DISTRICTS, ("清城区", "清新区"), strict=True):
            create_region(
                session,
                admin,
                RegionCreate(code=code, name=name, level=RegionLevel.DISTRICT, parent=CITY),
            )
        add_city_unit(session, 1, DAY, capacity=5, demand=(6, 4))
    yield created
    created.dispose()


def _parts(desk_db: Engine, plan_id: int) -> list[PlanPartPublic]:
    with Session(desk_db) as session:
        return plan_parts(session, plan_id, COORDINATOR)


def _row(page: Page, part: PlanPartPublic) -> Locator:
    return page.locator(f'#plan-parts tr.plan-part[data-region="{part.region}"]')


def _expect_rows(page: Page, parts: list[PlanPartPublic]) -> None:
    """One row per part, in the API's order, each with its figures as the card words them."""
    expect(page.locator("#plan-parts tr.plan-part")).to_have_count(len(parts))
    regions = page.locator("#plan-parts tr.plan-part").evaluate_all(
        "rows => rows.map(r => r.dataset.region)"
    )
    assert regions == [p.region for p in parts]
    for part in parts:
        row = _row(page, part)
        expect(row).to_have_attribute("data-status", str(part.status))
        expect(row.locator(".plan-part-region")).to_contain_text(part.region_name)
        expect(row.locator(".plan-part-requests")).to_have_text(str(part.requests))
        if part.progress is not None:
            p = part.progress
            bound = f"下界 {p.rounds_bound}" if p.rounds_bound > 0 else "下界尚未求得"
            # an ended part's bound is its relaxed model's when it has shared units: said so
            relaxed = "（放宽）" if part.relaxed and part.status in ENDED_PARTS else ""
            cell = row.locator(".plan-part-progress")
            expect(cell).to_have_text(f"{p.rounds} 轮 / {bound}{relaxed}")
            if relaxed:
                expect(cell).to_have_attribute("title", re.compile("全部剩余能力"))
        hint = f"第 {part.attempt} 次求解" if part.attempt > 1 else ""
        status = row.locator(".plan-part-status")
        expect(status).to_have_text(f"{STATUS[part.status]}{' ' + hint if hint else ''}")
        expect(row.locator(".plan-part-time")).to_have_text(TIME)


def _shoot(page: Page, name: str) -> None:
    card = page.locator("#plan-parts")
    card.scroll_into_view_if_needed()
    for folder in (SHOTS, ARTIFACTS):
        folder.mkdir(parents=True, exist_ok=True)
        card.screenshot(path=str(folder / f"{name}.png"))
        page.screenshot(path=str(folder / f"{name}-page.png"), full_page=True)


def test_a_plan_solved_whole_shows_no_card(
    desk_server: DeskServer, browser: Browser, desk_db: Engine
) -> None:
    with httpx.Client(
        base_url=f"{desk_server.base}/api/v1",
        headers={"Authorization": f"Bearer {desk_server.keys['coordinator']}"},
        timeout=60,
    ) as api:
        asked = {"start": DAY.isoformat(), "end": DAY.isoformat(), "time_limit_s": 5}
        started = api.post("/plans", json=asked)  # the sample district's plan
        assert started.status_code == 202, started.text
        plan_id = started.json()["id"]
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#plan")
    expect(page.locator("#plan-run")).to_have_attribute("data-plan-id", str(plan_id))
    expect(page.locator("#plan-stats")).to_be_visible(timeout=60_000)
    assert _parts(desk_db, plan_id) == []
    expect(page.locator("#plan-parts")).to_be_hidden()
    expect(page.locator("#plan-parts tr")).to_have_count(0)
    assert errors.found == []


@pytest.mark.parametrize("width", [1440, 390])
def test_the_card_follows_the_city_plan_s_parts_until_merged(
    desk_server: DeskServer, browser: Browser, desk_db: Engine, width: int
) -> None:
    with Session(desk_db) as session:
        asked = PlanCreate(start=DAY, end=DAY, time_limit_s=2, region=CITY)
        plan_id = create_plan(session, COORDINATOR, asked).id
    attempt = claim_plan(desk_db, plan_id)  # taken here at once: the server's runner never runs it
    assert attempt is not None
    jobs = Recorder()
    assert split_plan(desk_db, plan_id, attempt, jobs) is None
    first, second = jobs.parts  # the larger district (清城区) first
    run_parts(desk_db, jobs, [first])
    claimed = claim_part(desk_db, second)  # its run has begun; no figures yet
    assert claimed == 1
    running = _parts(desk_db, plan_id)
    assert [p.region for p in running] == list(DISTRICTS)
    assert [p.status for p in running] == [PartStatus.FINISHED, PartStatus.RUNNING]

    page, errors = open_desk(browser, width=width)
    sign_in(page, desk_server, "coordinator", "#plan")
    # The platform's coordinator plans the sample district unless the picker names the city.
    page.locator("#region-select").select_option(CITY)
    expect(page.locator("#plan-run")).to_have_attribute("data-plan-id", str(plan_id))
    expect(page.locator("#plan-status")).to_have_text("求解中")
    card = page.locator("#plan-parts")
    expect(card.locator("h3")).to_contain_text("分区县求解")
    expect(card.locator("#plan-parts-ended")).to_have_text("1 / 2 个区县已完成")
    _expect_rows(page, running)
    waiting = _row(page, running[1])
    expect(waiting.locator(".plan-part-progress")).to_have_text("尚无结果")
    expect(waiting.locator(".plan-part-region")).to_contain_text("含跨区单位 1 个")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(page, f"parts-running-{width}")

    run_part(desk_db, second, claimed, jobs)  # its figures move the plan's: read again
    ended = _parts(desk_db, plan_id)
    assert [p.status for p in ended] == [PartStatus.FINISHED] * 2
    expect(card.locator("#plan-parts-ended")).to_have_text("2 / 2 个区县已完成")
    _expect_rows(page, ended)
    assert jobs.merges == [plan_id]

    assert merge_plan(desk_db, plan_id).status == PlanStatus.FINISHED
    expect(page.locator("#plan-status")).to_have_text("已完成")
    expect(page.locator("#plan-stats")).to_be_visible()
    expect(card).to_be_visible()  # the parts stay beside the merged plan's results
    _expect_rows(page, _parts(desk_db, plan_id))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(page, f"parts-merged-{width}")
    assert errors.found == []
