"""The planning and exports views in Chromium.

A coordinator starts a run on the sample week and follows it to its end, reviews
what it made (rounds, requests left out, the change against what is announced)
and publishes it; stops a long run early; sees the server's refusals; and takes
a plan away as a spreadsheet and a unit's rounds as a calendar feed. Everything
shown is compared with what the API returns for the same plan.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from inspection.services.planning.models import ACTIVE_STATUSES, MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S
from inspection.solver import Problem
from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_UNIT,
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    sign_in,
)

WEEK_END = "2024-04-14"
# the service's problems keep the format's default
MAX_UNITS_PER_ROUND = Problem.model_fields["max_units_per_round"].default
# a horizon the sample data makes hard: the solver would use most of a long limit on it
LONG_START, LONG_END = "2024-04-15", "2024-06-30"
# two days, nothing published on them, too few for the requests due: some are left out
SHORT_START, SHORT_END = "2024-04-15", "2024-04-16"

# records every value the progress bar takes, in order, once it is installed
RECORD_PROGRESS = """() => {
  const bar = document.getElementById("plan-progress");
  window.__progress = [];
  new MutationObserver(() => window.__progress.push(bar.getAttribute("value"))).observe(
    bar, { attributes: true, attributeFilter: ["value"] });
}"""


@pytest.fixture
def coordinator(desk_server: DeskServer) -> Iterator[httpx.Client]:
    """The API as the coordinator; stops any run a failed test left going (it would eat the CPU)."""
    with httpx.Client(
        base_url=f"{desk_server.base}/api/v1",
        headers={"Authorization": f"Bearer {desk_server.keys['coordinator']}"},
        timeout=30,
    ) as client:
        yield client
        for plan in client.get("/plans").json():
            if plan["status"] in ACTIVE_STATUSES:
                client.post(f"/plans/{plan['id']}/stop")


def _start(page: Page, api: httpx.Client) -> int:
    """Click start; the id of the plan it made, once the page follows it (not one shown before)."""
    before = [p["id"] for p in api.get("/plans", params={"limit": 1}).json()]
    page.click("#plan-start")
    deadline = time.monotonic() + 30
    while True:
        newest = api.get("/plans", params={"limit": 1}).json()
        if newest and [newest[0]["id"]] != before:
            break
        assert time.monotonic() < deadline, "no plan was created"
        time.sleep(0.1)
    plan_id = int(newest[0]["id"])
    expect(page.locator("#plan-run")).to_have_attribute("data-plan-id", str(plan_id))
    return plan_id


def _start_over(page: Page, api: httpx.Client, start: str, end: str, limit: int) -> int:
    """Fill the form with this horizon and time limit, then start: the new plan's id."""
    page.fill("#plan-from", start)
    page.fill("#plan-to", end)
    page.fill("#plan-limit", str(limit))
    return _start(page, api)


def _plan(api: httpx.Client, plan_id: int) -> dict[str, Any]:
    plan: dict[str, Any] = api.get(f"/plans/{plan_id}").json()
    return plan


def _published_plan(api: httpx.Client) -> int:
    """The newest published plan, planning and publishing the sample week when there is none."""
    published = api.get("/plans", params={"published": "true", "limit": 1}).json()
    if published:
        return int(published[0]["id"])
    body = {"start": SAMPLE_WEEK, "end": WEEK_END, "time_limit_s": 10}
    plan_id = int(api.post("/plans", json=body).json()["id"])
    deadline = time.monotonic() + 120
    while api.get(f"/plans/{plan_id}").json()["status"] in ACTIVE_STATUSES:
        assert time.monotonic() < deadline, "the plan did not finish"
        time.sleep(0.3)
    assert api.post(f"/plans/{plan_id}/publish").status_code == 200
    return plan_id


def _check_results(page: Page, api: httpx.Client, plan: dict[str, Any]) -> None:
    """The rounds, figures and left-out requests on screen are the plan's, as the API has them."""
    rounds = api.get(f"/plans/{plan['id']}/rounds").json()
    rows = page.locator("#plan-rounds tr.plan-round")
    expect(rows).to_have_count(len(rounds))
    shown = rows.evaluate_all("rows => rows.map(r => Number(r.dataset.roundId))")
    assert shown == [r["id"] for r in rounds]
    expect(page.locator("#plan-rounds .chip.lead")).to_have_count(len(rounds))
    figures = plan["statistics"]
    expect(page.locator("#plan-rounds-found")).to_have_text(str(figures["rounds"]))
    saved = page.locator('#plan-stats [data-stat="saved"] dd')
    expect(saved).to_have_text(str(figures["visits_saved"]))

    left_out = api.get(f"/plans/{plan['id']}/unscheduled").json()
    listed = page.locator("#plan-unscheduled tr.plan-unscheduled")
    expect(listed).to_have_count(len(left_out))
    ids = listed.evaluate_all("rows => rows.map(r => Number(r.dataset.requestId))")
    assert ids == [u["request_id"] for u in left_out]
    if left_out:
        expect(listed.first).to_contain_text(left_out[0]["reason"])
        names = page.locator("#plan-unscheduled .plan-unscheduled-enterprise")
        expect(names).to_have_text([u["enterprise_name"] for u in left_out])
    else:
        expect(page.locator("#plan-unscheduled")).to_contain_text("全部请求均已排入")


def test_a_run_is_followed_to_its_end_reviewed_and_published(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#plan")
    expect(page.locator("#plan-from")).to_have_value(SAMPLE_WEEK)
    expect(page.locator("#plan-to")).to_have_value(WEEK_END)
    page.fill("#plan-limit", "10")
    page.evaluate(RECORD_PROGRESS)
    plan_id = _start(page, coordinator)

    expect(page.locator("#plan-status")).to_have_text("已完成", timeout=90_000)
    expect(page.locator("#plan-rounds tr.plan-round").first).to_be_visible()
    values = [float(v) for v in page.evaluate("window.__progress")]
    assert len(set(values)) >= 2, values
    assert values == sorted(values), values  # the bar only moves forward
    assert values[-1] == 100
    expect(page.locator("#plan-rounds-found")).to_have_text(re.compile(r"^\d+$"))

    plan = _plan(coordinator, plan_id)
    assert plan["status"] == "finished"
    _check_results(page, coordinator, plan)
    diff = coordinator.get(f"/plans/{plan['id']}/diff").json()
    expect(page.locator("#plan-diff")).to_contain_text("本周尚无已发布的排期")
    added = page.locator('#plan-diff .plan-diff-count[data-diff="added"] strong')
    expect(added).to_have_text(str(len(diff["added"])))

    page.click("#plan-publish")  # the first click only asks
    expect(page.locator("#plan-publish-confirm")).to_be_visible()
    assert coordinator.get(f"/plans/{plan['id']}").json()["published"] is False
    page.click("#plan-publish-yes")
    expect(page.locator("#toast")).to_contain_text("已发布")
    expect(page.locator("#plan-publish")).to_be_disabled()
    expect(page.locator("#plan-publish-confirm")).to_be_hidden()
    assert coordinator.get(f"/plans/{plan['id']}").json()["published"] is True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "planning.png", full_page=True)
    assert errors.found == []
    page.context.close()


def test_a_long_run_stopped_early_keeps_its_best_plan(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#plan")
    plan_id = _start_over(page, coordinator, LONG_START, LONG_END, 120)
    # mid-solve: once the first plan found is on screen (this horizon's search runs to the
    # limit, one long exact solve that the stop must interrupt)
    expect(page.locator("#plan-status")).to_have_text("求解中", timeout=60_000)
    expect(page.locator("#plan-rounds-found")).to_have_text(re.compile(r"^\d+$"), timeout=60_000)
    stopped = time.monotonic()
    page.click("#plan-stop")
    expect(page.locator("#plan-stop")).to_have_text("正在结束…")

    expect(page.locator("#plan-status")).to_have_text("已停止", timeout=30_000)
    assert time.monotonic() - stopped < 15  # the 120 s limit is far off
    expect(page.locator("#plan-progress")).to_have_attribute("value", "100")
    expect(page.locator("#plan-stop")).to_be_hidden()
    plan = _plan(coordinator, plan_id)
    assert (plan["start"], plan["end"]) == (LONG_START, LONG_END)
    assert plan["status"] == "stopped"
    assert plan["statistics"]["rounds"] > 0
    _check_results(page, coordinator, plan)
    assert errors.found == []
    page.context.close()


def test_refusals_are_shown_in_chinese(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    page, errors = open_desk(browser)
    errors.allow(r"/api/v1/plans$")
    sign_in(page, desk_server, "coordinator", "#plan")
    before = len(coordinator.get("/plans").json())
    message = page.locator("#plan-form-error")

    page.fill("#plan-from", WEEK_END)
    page.fill("#plan-to", SAMPLE_WEEK)
    page.click("#plan-start")
    expect(message).to_contain_text("不能早于开始日期")
    expect(page.locator("#plan-to")).to_have_attribute("aria-invalid", "true")

    page.fill("#plan-from", SAMPLE_WEEK)
    page.fill("#plan-to", WEEK_END)
    page.fill("#plan-limit", "0")
    page.click("#plan-start")
    expect(message).to_contain_text(
        f"求解时限应为 {MIN_TIME_LIMIT_S:g} 到 {MAX_TIME_LIMIT_S:g} 之间的整数秒"
    )
    assert len(coordinator.get("/plans").json()) == before  # the page asked nothing

    # only the server knows the longest horizon: its sentence is shown, with the field named
    first, last = "2024-04-01", "2024-07-31"  # 122 days
    refused = coordinator.post("/plans", json={"start": first, "end": last, "time_limit_s": 5})
    assert refused.status_code == 422
    page.fill("#plan-from", first)
    page.fill("#plan-to", last)
    page.fill("#plan-limit", "5")
    page.click("#plan-start")
    expect(message).to_contain_text(refused.json()["detail"])
    expect(message).to_contain_text("结束日期")
    expect(page.locator("#plan-start")).to_be_enabled()
    assert len(coordinator.get("/plans").json()) == before
    assert errors.found == []
    page.context.close()


def test_a_plan_downloads_as_excel_and_a_calendar_link_works_without_a_key(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    plan_id = _published_plan(coordinator)
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#exports")
    expect(page.locator("#export-plan")).to_have_value(str(plan_id))
    with page.expect_download() as started:
        page.click("#export-xlsx")
    download = started.value
    plan = coordinator.get(f"/plans/{plan_id}").json()
    assert download.suggested_filename == f"排期{plan_id}_{plan['start']}至{plan['end']}.xlsx"
    # Playwright keeps downloads under a name without an extension, which openpyxl refuses
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet is not None
    rounds = coordinator.get(f"/plans/{plan_id}/rounds").json()
    assert sheet.max_row - 1 == len(rounds)

    units = coordinator.get("/units").json()
    expect(page.locator("#calendar-units tr.calendar-unit")).to_have_count(len(units))
    row = page.locator(f'#calendar-units tr.calendar-unit[data-unit-id="{SAMPLE_UNIT}"]')
    row.locator("button.feed-token").click()
    link = page.locator(f'#calendar-units tr.calendar-link[data-unit-id="{SAMPLE_UNIT}"]')
    expect(link.locator("input.feed-url")).to_have_value(re.compile(r"token="))
    expect(link).to_contain_text("无需密钥")
    feed = httpx.get(link.locator("input.feed-url").input_value(), timeout=30)
    assert feed.status_code == 200
    assert feed.text.startswith("BEGIN:VCALENDAR")
    unit_rounds = coordinator.get("/rounds", params={"unit": SAMPLE_UNIT}).json()
    assert feed.text.count("BEGIN:VEVENT") == len(unit_rounds) > 0

    with page.expect_download() as started:
        row.locator("button.ics-download").click()
    assert started.value.suggested_filename == f"{SAMPLE_UNIT}_联合检查_{date.today()}.ics"
    assert errors.found == []
    page.context.close()


def test_a_unit_gets_only_its_own_calendar(browser: Browser, desk_server: DeskServer) -> None:
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "unit", "#exports")
    expect(page.locator("#calendar-units tr.calendar-unit")).to_have_count(1)
    row = page.locator("#calendar-units tr.calendar-unit")
    expect(row).to_have_attribute("data-unit-id", SAMPLE_UNIT)
    expect(page.locator("#export-plans")).to_have_count(0)
    row.locator("button.feed-token").click()
    url = page.locator("input.feed-url")
    expect(url).to_have_value(re.compile(rf"/units/{SAMPLE_UNIT}/calendar\.ics\?token="))
    assert errors.found == []
    page.context.close()


def _no_sideways_scroll(page: Page) -> None:
    wide, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide <= viewport, f"the page scrolls sideways: {wide} > {viewport}"


def test_at_phone_width_the_form_stacks_and_nothing_scrolls_sideways(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    page, errors = open_desk(browser, 390, 844)
    sign_in(page, desk_server, "coordinator", "#plan")
    start, end, button = (page.locator(s) for s in ("#plan-from", "#plan-to", "#plan-start"))
    expect(button).to_be_in_viewport()
    top, below = start.bounding_box(), end.bounding_box()
    assert top is not None
    assert below is not None
    assert below["y"] > top["y"] + top["height"] / 2  # stacked, not side by side
    plan_id = _start_over(page, coordinator, SHORT_START, SHORT_END, 5)
    expect(page.locator("#plan-status")).to_have_text("已完成", timeout=90_000)
    assert coordinator.get(f"/plans/{plan_id}/unscheduled").json(), "chosen to leave some out"
    _check_results(page, coordinator, _plan(coordinator, plan_id))
    expect(page.locator("#plan-diff")).to_contain_text("计划期内尚无已发布的排期")
    _no_sideways_scroll(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "planning-phone.png", full_page=True)

    page.click('#tabs [data-view="exports"]')
    page.locator("#calendar-units button.feed-token").first.click()
    expect(page.locator("#calendar-units input.feed-url").first).to_have_value(re.compile("token="))
    _no_sideways_scroll(page)
    assert errors.found == []
    page.context.close()


def _late_joiner(api: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """An announced round of one unit, and another unit with room on its day: (round, unit)."""
    units = {u["id"]: u for u in api.get("/units").json()}
    for announced in api.get("/rounds", params={"from": SAMPLE_WEEK, "to": WEEK_END}).json():
        if len(announced["units"]) >= MAX_UNITS_PER_ROUND:
            continue  # full: a late check could only be left out
        day = announced["date"]
        weekday = date.fromisoformat(day).weekday()
        for unit in units.values():
            if unit["id"] in announced["units"] or day in unit["days_off"]:
                continue
            busy = api.get("/rounds", params={"from": day, "to": day, "unit": unit["id"]}).json()
            if len(busy) < unit["weekday_capacity"][weekday]:
                return announced, unit
    raise AssertionError("no announced round has a unit with room to join it")


def test_a_re_plan_shows_the_rounds_late_checks_joined(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    _published_plan(coordinator)
    announced, unit = _late_joiner(coordinator)
    day = announced["date"]
    late = {
        "unit_id": unit["id"],
        "title": "补充检查",
        "items": [{"name": "补充检查事项", "legal_basis": "相关法律法规"}],
        "targets": [announced["enterprise"]],
        "earliest": day,
        "latest": day,  # the announced round's day or nothing: it can only join
    }
    # submitted by the unit's head: approved at once, so the re-plan takes it
    head = {"Authorization": f"Bearer {desk_server.keys['head-' + unit['id']]}"}
    assert coordinator.post("/checklists", json=late, headers=head).status_code == 201
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#plan")
    plan_id = _start_over(page, coordinator, SAMPLE_WEEK, WEEK_END, 10)
    expect(page.locator("#plan-status")).to_have_text("已完成", timeout=90_000)

    diff = coordinator.get(f"/plans/{plan_id}/diff").json()
    assert (announced["enterprise"], day) in {(j["enterprise"], j["date"]) for j in diff["joined"]}
    count = page.locator('#plan-diff .plan-diff-count[data-diff="joined"] strong')
    expect(count).to_have_text(str(len(diff["joined"])))
    item = page.locator(
        f'#plan-diff li.plan-diff-joined[data-enterprise="{announced["enterprise"]}"]'
        f'[data-date="{day}"]'
    )
    expect(item).to_contain_text(f"新加入 {unit['name']}")
    expect(item).to_contain_text(announced["enterprise_name"])
    second = page.locator("#plan-diff-second li")
    expect(second).to_have_count(len(diff["second_rounds"]))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "planning-joined.png", full_page=True)
    assert errors.found == []
    page.context.close()
