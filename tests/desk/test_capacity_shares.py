"""The planning view's 跨区单位能力分配 card in Chromium, against GET /plans/{id}/capacity-shares.

A city plan over a day when the city's 市市场监管局 (5 rounds) is asked for by 6 enterprises
of 清城区 and 4 of 清新区: the card says how its day is shared (3 and 2); a plan with no
unit working in several districts shows no card.
"""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from inspection.db.engine import make_engine
from inspection.services.access import Actor, Role
from inspection.services.planning.models import ACTIVE_STATUSES
from inspection.services.regions.models import RegionCreate, RegionLevel
from inspection.services.regions.service import create_region
from tests.support.desk import ARTIFACTS, DeskServer, open_desk, sign_in
from tests.support.paths import ROOT
from tests.support.regions import CITY, DISTRICTS
from tests.support.shares import add_city_unit

SHOTS = ROOT.parent / "shots" / "shares"
DAY = date(2024, 4, 17)  # a Wednesday after the sample week: nothing else is planned on it


def _plan(server: DeskServer, region: str | None) -> dict[str, object]:
    with httpx.Client(
        base_url=f"{server.base}/api/v1",
        headers={"Authorization": f"Bearer {server.keys['coordinator']}"},
        timeout=60,
    ) as api:
        asked = {"start": DAY.isoformat(), "end": DAY.isoformat(), "time_limit_s": 5}
        if region is not None:
            asked["region"] = region
        started = api.post("/plans", json=asked)
        assert started.status_code == 202, started.text
        plan_id = started.json()["id"]
        deadline = time.monotonic() + 120
        plan: dict[str, object]
        while (plan := api.get(f"/plans/{plan_id}").json())["status"] in ACTIVE_STATUSES:
            assert time.monotonic() < deadline
            time.sleep(0.3)
        assert plan["status"] == "finished", plan
        shares: list[dict[str, object]] = api.get(f"/plans/{plan_id}/capacity-shares").json()
        return {**plan, "shares": shares}


@pytest.fixture(scope="module")
def city_plan(desk_server: DeskServer) -> dict[str, object]:
    """The city, its districts and its unit stored beside the sample data; the city's plan."""
    engine = make_engine(f"sqlite:///{(desk_server.folder / 'inspection.db').resolve()}")
    admin = Actor(name="desk tests", role=Role.ADMIN)
    try:
        with Session(engine) as session:
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
    finally:
        engine.dispose()
    return _plan(desk_server, CITY)


def test_a_plan_without_shared_units_shows_no_card(
    desk_server: DeskServer, browser: Browser
) -> None:
    plan = _plan(desk_server, None)  # the sample district's own units only
    assert plan["shares"] == []
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#plan")
    expect(page.locator("#plan-run")).to_have_attribute("data-plan-id", str(plan["id"]))
    expect(page.locator("#plan-stats")).to_be_visible()
    expect(page.locator("#plan-shares")).to_have_count(0)
    assert errors.found == []


@pytest.mark.parametrize("width", [1440, 390])
def test_the_card_says_how_the_unit_s_day_is_shared(
    desk_server: DeskServer, browser: Browser, city_plan: dict[str, object], width: int
) -> None:
    shares = city_plan["shares"]
    assert isinstance(shares, list)
    assert [(s["region_name"], s["capacity"], s["demand"]) for s in shares] == [
        ("清城区", 3, 6),
        ("清新区", 2, 4),
    ]
    page, errors = open_desk(browser, width=width)
    sign_in(page, desk_server, "coordinator", "#plan")
    # The platform's coordinator plans the sample district unless the picker names the city.
    page.locator("#region-select").select_option(CITY)
    expect(page.locator("#plan-run")).to_have_attribute("data-plan-id", str(city_plan["id"]))
    card = page.locator("#plan-shares")
    expect(card.locator("h3")).to_have_text("跨区单位能力分配")
    line = card.locator(f'li.plan-share[data-unit="SJ1"][data-day="{DAY.isoformat()}"]')
    expect(line).to_contain_text("市市场监管局 4 月 17 日：清城区 3、清新区 2（按需求 6:4）")
    expect(line).to_contain_text("当日可用 5 轮")
    card.scroll_into_view_if_needed()
    for folder in (SHOTS, ARTIFACTS):
        folder.mkdir(parents=True, exist_ok=True)
        card.screenshot(path=str(folder / f"capacity-shares-{width}.png"))
    assert errors.found == []
