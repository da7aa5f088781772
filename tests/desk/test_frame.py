"""The desk's frame in Chromium: the key is asked once per browser session, and each role
sees the views it may use."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.support.desk import SAMPLE_WEEK, DeskServer, open_desk, publish_sample_week, sign_in


def test_the_page_is_served_with_a_strict_content_security_policy(
    desk_server: DeskServer,
) -> None:
    page = httpx.get(f"{desk_server.base}/")
    assert page.status_code == 200
    assert "协调工作台" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    script = httpx.get(f"{desk_server.base}/static/js/app.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert httpx.get(f"{desk_server.base}/static/../pages.py").status_code == 404


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        (
            "coordinator",
            [
                *("周视图", "排期", "负荷", "统计", "检查清单", "审批", "事项清单"),
                *("执法人员", "频次上限", "随机抽查", "规则", "企业评价", "导出"),
            ],
        ),
        (
            "unit",
            [
                *("周视图", "待填报", "负荷", "检查清单", "审批", "事项清单"),
                *("执法人员", "频次上限", "随机抽查", "企业评价", "导出"),
            ],
        ),
        ("auditor", ["周视图", "负荷", "统计", "频次上限", "随机抽查", "规则", "企业评价"]),
    ],
)
def test_each_role_sees_its_own_views(
    browser: Browser, desk_server: DeskServer, role: str, tabs: list[str]
) -> None:
    page, errors = open_desk(browser)
    sign_in(page, desk_server, role)
    expect(page.locator("#tabs button")).to_have_text(tabs)
    if role == "unit":
        expect(page.locator("#who-name")).to_contain_text("清城区市场监督管理局")
    assert errors.found == []
    page.context.close()


def test_a_wrong_key_is_refused_and_the_key_lasts_the_browser_session(
    browser: Browser, desk_server: DeskServer
) -> None:
    page, errors = open_desk(browser)
    errors.allow(r"/api/v1/me$")
    page.goto(desk_server.base)
    page.fill("#api-key", "coo_not-a-key")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#login-error")).to_contain_text("API 密钥无效")
    expect(page.locator("#tabs")).to_be_hidden()

    page.fill("#api-key", desk_server.keys["coordinator"])
    page.click("#login-form button[type=submit]")
    expect(page.locator("#tabs button").first).to_be_visible()
    page.reload()  # same tab: the key is remembered
    expect(page.locator("#tabs button").first).to_be_visible()
    expect(page.locator("#login")).to_be_hidden()

    other = page.context.browser
    assert other is not None
    fresh, _ = open_desk(other)  # another browser session: asked again
    fresh.goto(desk_server.base)
    expect(fresh.locator("#api-key")).to_be_visible()
    fresh.context.close()

    page.click("#logout")
    expect(page.locator("#api-key")).to_be_visible()
    assert errors.found == []
    page.context.close()


def test_without_a_week_in_the_address_coordinators_land_on_the_newest_plan_s_week(
    browser: Browser, desk_server: DeskServer
) -> None:
    publish_sample_week(desk_server)
    page, errors = open_desk(browser)
    page.goto(desk_server.base)
    page.fill("#api-key", desk_server.keys["coordinator"])
    page.click("#login-form button[type=submit]")
    expect(page.locator("#week-date")).to_have_value(SAMPLE_WEEK)
    expect(page.locator("#week-body .round-card").first).to_be_visible()
    assert errors.found == []
    page.context.close()
