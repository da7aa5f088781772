"""Where the desk opens for readers (units, auditors) in Chromium: on the newest published week
and year when the current ones have nothing, saying so, and plainly when there is nothing at all.

The first test runs before this module's server publishes anything (it checks that it does).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import SAMPLE_WEEK, DeskServer, open_desk, publish_sample_week

YEAR = SAMPLE_WEEK[:4]
LANDING_NOTE = "显示最近已发布的一周：4月8日 周一 – 4月14日 周日"


def _get(server: DeskServer, role: str, path: str, **params: str) -> Any:
    headers = {"Authorization": f"Bearer {server.keys[role]}"}
    answer = httpx.get(f"{server.base}/api/v1{path}", params=params, headers=headers, timeout=30)
    answer.raise_for_status()
    return answer.json()


def _enter(page: Page, server: DeskServer, role: str, hash_: str = "") -> None:
    """Sign in with no week in the address, as someone opening the desk's link would."""
    page.goto(f"{server.base}/{hash_}")
    page.fill("#api-key", server.keys[role])
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#tabs button", state="visible")


@pytest.fixture(scope="module")
def published(desk_server: DeskServer) -> DeskServer:
    """The module's server once the sample week is published."""
    publish_sample_week(desk_server)
    return desk_server


@pytest.mark.parametrize("role", ["unit", "auditor"])
def test_before_anything_is_published_the_week_says_there_is_nothing_yet(
    browser: Browser, desk_server: DeskServer, role: str
) -> None:
    assert _get(desk_server, role, "/me")["latest_published_day"] is None
    page, errors = open_desk(browser)
    _enter(page, desk_server, role)
    expect(page.locator("#week-body")).to_have_attribute("data-status", "ready")
    expect(page.locator("#week-nothing-published")).to_contain_text("目前还没有任何已发布的排期")
    expect(page.locator("#week-landing")).to_be_hidden()
    assert errors.found == []
    page.context.close()


@pytest.mark.parametrize("role", ["unit", "auditor"])
def test_readers_land_on_the_newest_published_week_and_are_told_so(
    browser: Browser, published: DeskServer, role: str
) -> None:
    latest = _get(published, role, "/me")["latest_published_day"]
    assert SAMPLE_WEEK <= latest <= "2024-04-14"
    page, errors = open_desk(browser)
    _enter(page, published, role)
    expect(page.locator("#week-date")).to_have_value(SAMPLE_WEEK)
    expect(page.locator("#week-body")).to_have_attribute("data-status", "ready")
    expect(page.locator("#week-body .round-card").first).to_be_visible()
    note = page.locator("#week-landing")
    expect(note).to_be_visible()
    expect(note).to_contain_text(LANDING_NOTE)

    # another week: the note goes, and an empty week points back to the data
    page.click("#week-next")
    expect(page.locator("#week-body")).to_have_attribute("data-week", "2024-04-15")
    expect(note).to_be_hidden()
    back = page.locator("#week-to-latest")
    expect(back).to_contain_text("4月8日 周一 – 4月14日 周日")
    back.click()
    expect(page.locator("#week-date")).to_have_value(SAMPLE_WEEK)
    expect(page.locator("#week-body .round-card").first).to_be_visible()
    assert errors.found == []
    page.context.close()


def test_the_annual_view_opens_on_the_newest_year_with_data_and_an_empty_year_says_so(
    browser: Browser, published: DeskServer
) -> None:
    page, errors = open_desk(browser)
    _enter(page, published, "auditor", "#figures")
    expect(page.locator("#figures-year")).to_have_value(YEAR)
    expect(page.locator("#figures-landing")).to_contain_text(
        f"显示有已发布排期的最近一年：{YEAR}年"
    )
    annual = _get(published, "auditor", "/reports/annual", year=YEAR)
    expect(page.locator("#figures-annual")).to_have_text(annual["paragraph"])
    expect(page.locator("#figures-annual-figures")).to_be_visible()

    empty_year = str(int(YEAR) - 1)
    page.select_option("#figures-year", empty_year)
    sentence = f"{empty_year}年，清城区尚无已发布的涉企“综合查一次”检查，没有可报告的数字。"
    expect(page.locator("#figures-annual")).to_have_text(sentence)
    expect(page.locator("#figures-annual-figures")).to_be_hidden()
    expect(page.locator("#figures-empty")).to_contain_text(f"可选择{YEAR}年查看")
    expect(page.locator("#figures-landing")).to_be_hidden()
    assert errors.found == []
    page.context.close()
