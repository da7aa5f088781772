"""The weekly schedule on the planning view in Chromium: the coordinator sets 每周自动排期,
a scheduled draft that finished is listed under 待审核的草案, and 审核 opens it in the plan
view (rounds, diff, publish). Screenshots at 1440 and 390 wide."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from inspection.db.engine import make_engine
from inspection.db.tables import PlanningScheduleRow
from inspection.services.access import Actor, Role
from inspection.services.planning.models import PlanCreate, PlanOrigin
from inspection.services.planning.use_cases import create_plan
from inspection.services.planning.worker import run_plan
from tests.support.desk import ARTIFACTS, DeskServer, open_desk, sign_in


@pytest.fixture
def coordinator(desk_server: DeskServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{desk_server.base}/api/v1",
        headers={"Authorization": f"Bearer {desk_server.keys['coordinator']}"},
        timeout=30,
    ) as client:
        yield client


def _finished_draft(server: DeskServer) -> int:
    """A draft of the sample week as the schedule makes it, solved here (as its worker would)."""
    engine = make_engine(f"sqlite:///{(server.folder / 'inspection.db').resolve()}")
    try:
        with Session(engine) as session:
            data = PlanCreate(start=date(2024, 4, 8), end=date(2024, 4, 14), time_limit_s=3)
            plan = create_plan(
                session,
                Actor(name="weekly-schedule", role=Role.SYSTEM),
                data,
                origin=PlanOrigin.SCHEDULE,
                scheduled_for=date(2024, 4, 4),
            )
        finished = run_plan(engine, plan.id)
        assert finished.status == "finished"
        return plan.id
    finally:
        engine.dispose()


def _failed_firing(server: DeskServer) -> None:
    """The region's schedule as a moment that made no draft leaves it (a clash)."""
    engine = make_engine(f"sqlite:///{(server.folder / 'inspection.db').resolve()}")
    try:
        with Session(engine) as session:
            (row,) = session.exec(select(PlanningScheduleRow)).all()
            row.last_error = "与运行中的排期冲突"
            row.last_error_at = datetime(2024, 4, 4, 1, 0, tzinfo=UTC)  # 09:00 in UTC+8
            session.add(row)
            session.commit()
    finally:
        engine.dispose()


def test_the_schedule_is_set_and_a_draft_reviewed(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "coordinator", "#plan")
    expect(page.locator("#plan-schedule h2")).to_have_text("每周自动排期")
    expect(page.locator("#schedule-status")).to_contain_text("尚未设置")
    expect(page.locator("#plan-drafts")).to_contain_text("暂无待审核的草案")
    page.click("#tabs button[data-view=week]")
    expect(page.locator("#week-title")).not_to_be_empty()
    expect(page.locator("#week-drafts")).to_be_hidden()  # none waiting: no note
    page.click("#tabs button[data-view=plan]")
    page.select_option("#schedule-weekday", "3")
    page.fill("#schedule-time", "08:30")
    page.fill("#schedule-horizon", "5")
    page.click("#schedule-save")
    expect(page.locator("#schedule-status")).to_contain_text("下次生成")
    stored = coordinator.get("/planning-schedule").json()
    assert (stored["weekday"], stored["time"], stored["horizon_days"]) == (3, "08:30", 5)
    assert stored["enabled"] is True

    errors.allow(r"/api/v1/planning-schedule$")
    page.fill("#schedule-horizon", "93")  # beyond MAX_HORIZON_DAYS: the server's 422
    page.click("#schedule-save")
    expect(page.locator("#schedule-error")).to_contain_text("计划天数")

    plan_id = _finished_draft(desk_server)
    _failed_firing(desk_server)
    page.reload()
    page.wait_for_selector("#tabs button", state="visible")
    expect(page.locator("#schedule-last-error")).to_have_text(
        "上次自动排期未成功：与运行中的排期冲突（2024-04-04 09:00）"
    )
    review = page.locator("#draft-list li.draft")
    expect(review).to_have_count(1)
    # the week view, where a coordinator lands, counts the drafts and links to them
    page.click("#tabs button[data-view=week]")
    expect(page.locator("#week-drafts")).to_have_text("待审核的草案：1 份，前往审核。")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "week-drafts-1440.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "week-drafts-390.png")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("#week-drafts-link")
    expect(review).to_have_count(1)
    expect(review).to_contain_text(f"草案 #{plan_id}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "planning-schedule-1440.png", full_page=True)
    review.locator("button.draft-review").click()
    expect(page.locator("#plan-title")).to_contain_text(f"排期 #{plan_id}")
    expect(page.locator("#plan-status")).to_have_text("已完成")
    expect(page.locator("#plan-publish")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#plan-schedule").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "planning-schedule-390.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    assert errors.found == []
    page.context.close()
