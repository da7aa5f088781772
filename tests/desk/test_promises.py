"""The desk promises only what exists: the texts around publishing, calendar links and
signing in describe what the service does, and unit codes on the cards are explained
on screens without hover (phones, tablets)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.support.desk import SAMPLE_UNIT, DeskServer, open_desk, publish_sample_week, sign_in


def test_the_login_hint_shows_the_prefix_the_keys_have(
    browser: Browser, desk_server: DeskServer
) -> None:
    page, errors = open_desk(browser)
    page.goto(desk_server.base)
    placeholder = page.locator("#api-key").get_attribute("placeholder") or ""
    shown = re.search(r"([a-z]+_)…", placeholder)
    assert shown is not None, placeholder
    assert desk_server.keys["coordinator"].startswith(shown.group(1)), placeholder
    assert errors.found == []
    page.context.close()


def test_the_publish_confirmation_promises_no_notification(
    browser: Browser, desk_server: DeskServer
) -> None:
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#plan")
    page.fill("#plan-limit", "2")
    page.click("#plan-start")
    expect(page.locator("#plan-status")).to_have_text("已完成", timeout=90_000)
    page.click("#plan-publish")
    confirm = page.locator("#plan-publish-confirm")
    expect(confirm).to_be_visible()
    text = confirm.inner_text()
    # nothing is sent to enterprises or units: publishing changes what the desk and the
    # units' calendar feeds show
    assert "通知到" not in text, text
    assert "日历" in text, text
    assert "不会通知企业" in text, text
    page.click("#plan-publish-cancel")
    assert errors.found == []
    page.context.close()


def test_the_feed_warning_names_how_an_admin_revokes_a_link(
    browser: Browser, desk_server: DeskServer
) -> None:
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "unit", "#exports")
    page.locator(f'tr.calendar-unit[data-unit-id="{SAMPLE_UNIT}"] button.feed-token').click()
    warning = page.locator("p.feed-warning")
    expect(warning).to_be_visible()
    text = warning.inner_text()
    # the desk has no key page: admins revoke with the command line (or POST /keys/{id}/revoke)
    assert "密钥管理" not in text, text
    assert "inspection keys revoke" in text, text
    assert errors.found == []
    page.context.close()


def test_on_a_touch_screen_the_unit_codes_have_a_legend(
    browser: Browser, desk_server: DeskServer
) -> None:
    publish_sample_week(desk_server, time_limit_s=2)
    page, errors = open_desk(browser, 390, 844)
    sign_in(page, desk_server, "coordinator")
    expect(page.locator("#week-body")).to_have_attribute("data-status", "ready")
    codes = set(page.locator(".round-card .chip").evaluate_all("cs => cs.map(c => c.dataset.unit)"))
    assert codes, "no unit chips on the sample week"
    legend = page.locator("#week-legend")
    expect(legend).to_be_visible()
    entries = dict(
        zip(
            legend.locator("dt").all_inner_texts(),
            legend.locator("dd").all_inner_texts(),
            strict=True,
        )
    )
    assert set(entries) == codes
    assert entries[SAMPLE_UNIT] == "清城区市场监督管理局"
    expect(legend).to_contain_text("牵头")
    assert errors.found == []
    page.context.close()
