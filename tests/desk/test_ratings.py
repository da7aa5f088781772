"""Ratings in the browser: the enterprise rates its visit on a phone with the page's plain
form; the supervisors' 企业评价 view lists it (complaints first) with the units' aggregates;
a unit's view shows its own aggregate only, 不足5条 until five ratings."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_UNIT,
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
)


def _get(server: DeskServer, path: str, role: str = "coordinator", **params: str) -> Any:
    answer = httpx.get(
        f"{server.base}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {server.keys[role]}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _unit_codes(server: DeskServer) -> list[str]:
    rounds = _get(server, "/rounds", **{"from": SAMPLE_WEEK, "to": "2024-04-14"})
    mine = [r for r in rounds if SAMPLE_UNIT in r["units"]]
    return [_get(server, f"/rounds/{r['id']}")["code"] for r in mine]


def _no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page is {wide}px wider than the screen"


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ratings-{name}.png"), full_page=True)


def test_an_enterprise_rates_on_its_phone_and_the_supervisors_read_it(
    browser: Browser, desk_server: DeskServer
) -> None:
    publish_sample_week(desk_server)
    codes = _unit_codes(desk_server)
    assert len(codes) >= 5, codes

    # a desk's width: the same form, in the page's one column
    page, errors = open_desk(browser, width=1440, height=900)
    page.goto(f"{desk_server.base}/v/{codes[5 if len(codes) > 5 else 4]}")
    expect(page.locator("form.rating-form")).to_be_visible()
    _shot(page, "form-1440")
    assert errors.found == []
    page.context.close()

    # the enterprise's phone: no key, the page's form, no script needed
    page, errors = open_desk(browser, width=390, height=844)
    page.goto(f"{desk_server.base}/v/{codes[0]}")
    form = page.locator("form.rating-form")
    expect(form).to_be_visible()
    _no_sideways_scroll(page)
    _shot(page, "form-390")
    page.click("label.star:has(input[value='2'])")
    page.fill("textarea[name=complaint]", "检查人员未出示执法证件")
    page.click("form.rating-form button[type=submit]")
    expect(page.locator(".status.rated")).to_have_text("已评价，感谢您的反馈。")
    expect(page.locator("form.rating-form")).to_have_count(0)
    assert "检查人员未出示执法证件" not in page.content()
    _shot(page, "rated-390")
    assert errors.found == []
    page.context.close()

    # three more by the API: four in all, too few for the unit to see anything
    for code, score in zip(codes[1:4], (5, 4, 5), strict=True):
        answer = httpx.post(
            f"{desk_server.base}/api/v1/verify/{code}/rating", json={"score": score}, timeout=30
        )
        assert answer.status_code == 201, answer.text
    page, errors = open_desk(browser, width=390, height=844)
    sign_in(page, desk_server, "unit", "#ratings")
    row = page.locator(f'#ratings-summary-table tr[data-unit="{SAMPLE_UNIT}"]')
    expect(row.locator(".count")).to_have_text("不足5条")
    expect(row.locator(".mean")).to_have_count(0)  # 不足5条 and nothing else
    expect(page.locator("#ratings-list")).to_have_count(0)  # no rows for a unit
    _shot(page, "unit-too-few-390")
    page.context.close()

    answer = httpx.post(
        f"{desk_server.base}/api/v1/verify/{codes[4]}/rating", json={"score": 4}, timeout=30
    )
    assert answer.status_code == 201, answer.text
    page, errors = open_desk(browser, width=1440, height=900)
    sign_in(page, desk_server, "unit", "#ratings")
    row = page.locator(f'#ratings-summary-table tr[data-unit="{SAMPLE_UNIT}"]')
    expect(row.locator(".count")).to_have_text("5条")
    expect(row.locator(".mean")).to_have_text("4.00")
    assert errors.found == []
    page.context.close()

    # the supervisors: every rating, the complaint first, and the district's line
    for width, role in ((1440, "coordinator"), (390, "auditor")):
        page, errors = open_desk(browser, width=width, height=900 if width > 400 else 844)
        sign_in(page, desk_server, role, "#ratings")
        rows = page.locator("#ratings-table tbody tr")
        expect(rows).to_have_count(5)
        expect(rows.first).to_have_attribute("data-code", codes[0])
        expect(rows.first).to_have_class("has-complaint")
        expect(rows.first.locator(".complaint")).to_contain_text("检查人员未出示执法证件")
        expect(page.locator("#ratings-summary-table tr.district .count")).to_have_text("5条")
        page.check("#ratings-complaints")
        expect(rows).to_have_count(1)
        _no_sideways_scroll(page)
        _shot(page, f"{role}-{width}")
        assert errors.found == []
        page.context.close()
