"""The header's region picker (工作区域) in Chromium: a coordinator of the whole platform over a
city and its two districts (imported as `inspection regions import` does, the sample district
taking over the default region) picks a district, and the planning view's schedule, drafts and
new plan are that district's; a district's coordinator gets no picker. Screenshots at 1440 and
390 wide (shots/picker/)."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from inspection.db.engine import make_engine
from inspection.services.access import Actor, Role
from inspection.services.planning.models import ACTIVE_STATUSES
from inspection.services.regions.service import import_regions
from inspection.services.trust.keys import create_key
from tests.support.desk import DeskServer, open_desk, sign_in
from tests.support.paths import ROOT
from tests.support.regions import CITY, DISTRICTS

SHOTS = ROOT.parent / "shots" / "picker"
OWN, OTHER = DISTRICTS  # 清城区 (the sample district), 清新区
CSV = (
    "code,name,level,parent\n"
    f"{CITY},清远市,city,\n{OWN},清城区,district,{CITY}\n{OTHER},清新区,district,{CITY}\n"
)


@pytest.fixture(scope="module")
def regions(desk_server: DeskServer) -> DeskServer:
    """The city and its districts; a key of 清城区's coordinator ("district")."""
    engine = make_engine(f"sqlite:///{(desk_server.folder / 'inspection.db').resolve()}")
    admin = Actor(name="desk tests", role=Role.ADMIN)
    try:
        with Session(engine) as session:
            import_regions(session, admin, CSV, default_code=OWN)
            desk_server.keys["district"] = create_key(
                session, admin, Role.COORDINATOR, name="清城区协调人", region=OWN
            ).key
    finally:
        engine.dispose()
    return desk_server


def _api(server: DeskServer) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.base}/api/v1",
        headers={"Authorization": f"Bearer {server.keys['coordinator']}"},
        timeout=30,
    )


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=SHOTS / f"{name}-1440.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / f"{name}-390.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    page.set_viewport_size({"width": 1440, "height": 900})


def test_a_platform_coordinator_picks_the_district_it_plans(
    browser: Browser, regions: DeskServer
) -> None:
    page, errors = open_desk(browser, width=1440)
    sign_in(page, regions, "coordinator", "#plan")
    picker = page.locator("#region-select")
    expect(page.locator("#region-pick")).to_contain_text("工作区域")
    expect(picker.locator("option")).to_have_count(3)
    expect(picker).to_have_value(OWN)  # where the key's plans go when none is named
    expect(page.locator("#plan-run")).to_be_hidden()  # nothing planned in the sample district yet
    _shoot(page, "platform")

    picker.select_option(OTHER)
    expect(page.locator("#schedule-status")).to_contain_text("尚未设置")
    page.select_option("#schedule-weekday", "2")
    page.click("#schedule-save")
    expect(page.locator("#schedule-status")).to_contain_text("下次生成")
    page.fill("#plan-from", "2024-04-15")
    page.fill("#plan-to", "2024-04-16")
    page.fill("#plan-limit", "1")
    page.click("#plan-start")
    expect(page.locator("#plan-title")).to_contain_text("2024-04-15")
    with _api(regions) as api:
        assert api.get("/planning-schedule", params={"region": OTHER}).json()["weekday"] == 2
        assert api.get("/planning-schedule", params={"region": OWN}).json() is None
        planned = api.get("/plans", params={"region": OTHER}).json()
        assert [p["start"] for p in planned] == ["2024-04-15"]
        deadline = time.monotonic() + 120
        while api.get(f"/plans/{planned[0]['id']}").json()["status"] in ACTIVE_STATUSES:
            assert time.monotonic() < deadline
            time.sleep(0.3)

    page.reload()  # the pick is kept
    page.wait_for_selector("#tabs button", state="visible")
    expect(page.locator("#region-select")).to_have_value(OTHER)
    expect(page.locator("#plan-title")).to_contain_text(f"排期 #{planned[0]['id']}")
    page.locator("#region-select").select_option(CITY)  # the city holds its districts' plans
    expect(page.locator("#plan-title")).to_contain_text(f"排期 #{planned[0]['id']}")
    expect(page.locator("#schedule-weekday")).to_have_value("0")  # the city's: none set
    page.locator("#region-select").select_option(OWN)  # nothing planned there: no plan shown
    expect(page.locator("#plan-run")).to_be_hidden()
    expect(page.locator("#schedule-status")).to_contain_text("尚未设置")
    assert errors.found == []
    page.context.close()


def test_a_district_coordinator_has_no_picker(browser: Browser, regions: DeskServer) -> None:
    page, errors = open_desk(browser, width=1440)
    sign_in(page, regions, "district", "#plan")
    expect(page.locator("#who-name")).to_contain_text("清城区")
    expect(page.locator("#plan-schedule h2")).to_have_text("每周自动排期")
    expect(page.locator("#region-pick")).to_be_hidden()
    _shoot(page, "district")
    assert errors.found == []
    page.context.close()
