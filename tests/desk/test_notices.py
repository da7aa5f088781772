"""The notices of joint inspection in the browser: 打印当日通知书 in the week opens a day's
notices, one per A4 page (the PDF Chromium prints has as many pages as notices), and the
round dialog's 打印通知书 opens the round's own."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
)

SHOTS = ARTIFACTS / "notices"
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _get(server: DeskServer, path: str, role: str = "coordinator", **params: str) -> Any:
    answer = httpx.get(
        f"{server.base}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {server.keys[role]}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _pdf_pages(page: Page) -> int:
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return len(_PAGE.findall(pdf))


def _look_at_print(popup: Page, name: str) -> None:
    """Screenshots of the notices as paper shows them (print media, an A4 sheet's width)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.emulate_media(media="print")
    popup.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    popup.screenshot(path=str(SHOTS / f"{name}-print.png"), full_page=True)


def test_a_day_s_notices_print_one_per_a4_page(browser: Browser, desk_server: DeskServer) -> None:
    publish_sample_week(desk_server)
    days = [f"2024-04-{d:02d}" for d in range(8, 13)]
    counts = {day: len(_get(desk_server, "/notices", day=day)) for day in days}
    day = max(days, key=lambda d: counts[d])
    expected = counts[day]
    assert expected >= 5

    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "coordinator")
    expect(page.locator("#week-body")).to_have_attribute("data-status", "ready")
    button = page.locator(f'.week-grid thead .print-day[data-day="{day}"]')
    expect(button).to_have_text("打印当日通知书")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "week-1440.png"))
    with page.expect_popup() as opened:
        button.click()
    popup = opened.value
    expect(popup.locator("article.notice")).to_have_count(expected)
    expect(popup.locator(".print-bar")).to_contain_text(f"共 {expected} 份")
    expect(popup.locator("article.notice").first.locator("h1")).to_have_text("联合检查通知书")
    # every notice has its QR code inline and its verification address
    expect(popup.locator("article.notice .qr svg")).to_have_count(expected)
    popup.screenshot(path=str(SHOTS / "day-screen-1440.png"))
    assert _pdf_pages(popup) == expected  # before any media emulation: as the browser prints
    _look_at_print(popup, "day")
    assert errors.found == []
    page.context.close()


def test_the_round_dialog_prints_the_round_s_notice(
    browser: Browser, desk_server: DeskServer
) -> None:
    rounds = _get(desk_server, "/rounds", **{"from": SAMPLE_WEEK, "to": "2024-04-14"})
    if not rounds:  # the module's first test published the week; alone, this one does
        publish_sample_week(desk_server)
        rounds = _get(desk_server, "/rounds", **{"from": SAMPLE_WEEK, "to": "2024-04-14"})
    chosen = max(rounds, key=lambda r: (len(r["units"]), -r["id"]))
    code = _get(desk_server, f"/rounds/{chosen['id']}")["code"]
    for width in (1440, 390):
        page, errors = open_desk(browser, width=width, height=900 if width > 400 else 844)
        sign_in(page, desk_server, "coordinator")
        expect(page.locator("#week-body")).to_have_attribute("data-status", "ready")
        if width < 400:  # a phone lists the days, each with its own button
            expect(page.locator(".week-day h3 .print-day").first).to_be_visible()
            page.screenshot(path=str(SHOTS / "week-390.png"))
        page.click(f'.round-card[data-round-id="{chosen["id"]}"]')
        expect(page.locator("#round-dialog-body")).to_have_attribute("data-status", "ready")
        button = page.locator(".print-notice")
        expect(button).to_have_text("打印通知书")
        button.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"dialog-{width}.png"))
        with page.expect_popup() as opened:
            button.click()
        popup = opened.value
        notice = popup.locator("article.notice")
        expect(notice).to_have_count(1)
        expect(notice).to_have_attribute("data-code", code)
        expect(notice.locator(".enterprise")).to_have_text(chosen["enterprise_name"])
        expect(notice.locator("tr.notice-unit")).to_have_count(len(chosen["units"]))
        popup.screenshot(path=str(SHOTS / f"notice-screen-{width}.png"), full_page=True)
        if width > 400:
            assert _pdf_pages(popup) == 1
            _look_at_print(popup, "notice")
        assert errors.found == []
        page.context.close()


def test_a_unit_prints_only_the_notices_of_its_own_visits(
    browser: Browser, desk_server: DeskServer
) -> None:
    if not _get(desk_server, "/rounds", **{"from": SAMPLE_WEEK, "to": "2024-04-14"}):
        publish_sample_week(desk_server)
    days = [f"2024-04-{d:02d}" for d in range(8, 13)]
    own = {day: _get(desk_server, "/notices", role="unit", day=day) for day in days}
    day = max(days, key=lambda d: len(own[d]))
    assert 0 < len(own[day]) < len(_get(desk_server, "/notices", day=day))
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "unit")
    expect(page.locator("#week-body")).to_have_attribute("data-status", "ready")
    with page.expect_popup() as opened:
        page.click(f'.week-grid thead .print-day[data-day="{day}"]')
    popup = opened.value
    expect(popup.locator("article.notice")).to_have_count(len(own[day]))
    shown = popup.locator("article.notice").evaluate_all("a => a.map(n => n.dataset.code)")
    assert sorted(shown) == sorted(n["number"] for n in own[day])
    assert errors.found == []
    page.context.close()
