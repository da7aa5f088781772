"""The rules view (规则) in Chromium, and the rules' effect on the planning view.

A coordinator changes the settings with the category checkboxes, adds a quiet-day
rule (a day past 31 refused next to its field), deactivates it, filters the
enterprises on the no-disturb list, edits one's classes and imports a file with a
bad row; an auditor reads the same view without a control to change it. What the
page shows is compared with what the API returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from inspection.services.spreadsheets.classes import CLASS_HEADERS
from inspection.services.spreadsheets.io import table_csv
from tests.support.desk import ARTIFACTS, DeskServer, open_desk, publish_sample_week, sign_in

SHOTS = Path("/work/shots/rulesconfig")


@pytest.fixture
def coordinator(desk_server: DeskServer) -> Iterator[httpx.Client]:
    """The API as the coordinator."""
    with httpx.Client(
        base_url=f"{desk_server.base}/api/v1",
        headers={"Authorization": f"Bearer {desk_server.keys['coordinator']}"},
        timeout=30,
    ) as client:
        yield client


def _shoot(page: Page, name: str) -> None:
    for folder in (ARTIFACTS, SHOTS):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue  # the shots folder is a convenience outside the repository
        page.screenshot(path=folder / name, full_page=True)


def test_a_coordinator_sets_the_rules_and_the_classes(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client, tmp_path: Path
) -> None:
    page, errors = open_desk(browser, width=1440)
    errors.allow(r"/api/v1/(rules/quiet-days|enterprises/classes/import|enterprises/\w+/classes)")
    sign_in(page, desk_server, "coordinator", "#rules")
    # the settings: checkboxes named in Chinese, saved as the API's codes
    safety = page.locator('#rules-cap-exempt label.check:has-text("安全生产") input')
    expect(safety).not_to_be_checked()
    safety.check()
    page.fill("#rules-officers", "3")
    page.click("#rules-settings-save")
    expect(page.locator("#toast")).to_contain_text("规则设置已保存")
    settings = coordinator.get("/rules/settings").json()
    assert "safety" in settings["cap_exempt_categories"]
    assert settings["officers_per_unit"] == 3

    # the sample's quiet-day rule, and a new one refused, then added, then deactivated
    sample = coordinator.get("/rules/quiet-days").json()
    expect(page.locator("#rules-quiet-table tr.rules-quiet-rule")).to_have_count(len(sample))
    expect(page.locator("#rules-quiet-table")).to_contain_text("每月 1–7 日")
    page.fill("#rq-name", "节后宁静日")
    page.fill("#rq-month-days", "20-22, 32")
    page.click("#rq-save")
    problem = page.locator('.field-error[data-error-for="month_days"]')
    expect(problem).to_contain_text("32 不是月份中的日期")
    page.fill("#rq-month-days", "20-22")
    page.locator('#rq-exempt label.check:has-text("投诉") input').check()
    page.click("#rq-save")
    expect(page.locator("#rules-quiet-table tr.rules-quiet-rule")).to_have_count(len(sample) + 1)
    added = coordinator.get("/rules/quiet-days").json()[-1]
    assert (added["name"], added["month_days"], added["exempt_categories"]) == (
        "节后宁静日",
        [20, 21, 22],
        ["complaint"],
    )
    row = page.locator(f'#rules-quiet-table tr[data-rule-id="{added["id"]}"]')
    expect(row).to_contain_text("每月 20–22 日")
    row.locator(".rules-toggle").click()
    expect(page.locator(f'#rules-quiet-table tr[data-rule-id="{added["id"]}"]')).to_contain_text(
        "已停用"
    )
    assert coordinator.get(f"/rules/quiet-days/{added['id']}").json()["active"] is False

    # the enterprises on the no-disturb list, one edited
    page.select_option("#classes-no-disturb", "true")
    page.click("#classes-filter-go")
    listed = coordinator.get("/enterprises?no_disturb=true").json()
    expect(page.locator("#classes-table tr.classes-row")).to_have_count(len(listed))
    _shoot(page, "rules-1440.png")
    first = listed[0]
    page.locator(f'tr.classes-row[data-code="{first["credit_code"]}"] .classes-edit').click()
    page.fill("#ce-risk", "c")
    page.click("#ce-save")
    expect(page.locator('.field-error[data-error-for="risk_source"]')).to_contain_text("来源")
    page.fill("#ce-risk-source", "区市场监管局风险分级")
    page.fill("#ce-risk-date", "2024-04-01")
    page.click("#ce-save")
    expect(page.locator("#toast")).to_contain_text("已保存")
    stored = coordinator.get(f"/enterprises/{first['credit_code']}").json()
    assert (stored["risk_class"], stored["risk_as_of"], stored["no_disturb"]) == (
        "C",
        "2024-04-01",
        True,
    )
    cell = page.locator(f'tr.classes-row[data-code="{first["credit_code"]}"] .classes-risk')
    expect(cell).to_contain_text("C 级")

    # an import with a bad row stores nothing and names the row
    bad = tmp_path / "分级.csv"
    bad.write_bytes(
        table_csv(
            CLASS_HEADERS,
            [[first["credit_code"], "D", "", "2024-04-02", "", "", "", "", "", ""]],
        )
    )
    page.set_input_files("#classes-file", str(bad))
    page.click("#classes-import-go")
    expect(page.locator("#classes-import-error-table tr[data-row='2']")).to_contain_text(
        "风险等级来源"
    )
    assert coordinator.get(f"/enterprises/{first['credit_code']}").json()["risk_class"] == "C"
    assert errors.found == []
    page.context.close()


def test_an_auditor_reads_the_rules_without_controls(
    browser: Browser, desk_server: DeskServer
) -> None:
    page, errors = open_desk(browser, width=390, height=844)
    sign_in(page, desk_server, "auditor", "#rules")
    expect(page.locator("#rules-cap-exempt input").first).to_be_disabled()
    expect(page.locator("#rules-settings-save")).to_have_count(0)
    expect(page.locator("#rules-quiet-form")).to_have_count(0)
    expect(page.locator("#rules-quiet-table tr.rules-quiet-rule").first).to_be_visible()
    expect(page.locator("#classes-import")).to_have_count(0)
    expect(page.locator("#classes-table .classes-edit")).to_have_count(0)
    # nothing wider than the phone's screen; the list comes a page at a time
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    expect(page.locator("#classes-table tr.classes-row")).to_have_count(50)
    page.click("#classes-more")
    expect(page.locator("#classes-table tr.classes-row")).to_have_count(100)
    expect(page.locator("#rules-upcoming li").first).to_contain_text("企业宁静日")
    _shoot(page, "rules-390.png")
    assert errors.found == []
    page.context.close()


def test_the_planning_view_counts_what_each_rule_kept_out(
    browser: Browser, desk_server: DeskServer, coordinator: httpx.Client
) -> None:
    plan_id = publish_sample_week(desk_server)
    unscheduled = coordinator.get(f"/plans/{plan_id}/unscheduled").json()
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "coordinator", "#plan")
    lines = page.locator("#plan-rules li.plan-rule")
    expect(lines).to_have_count(4)
    for code, label in (
        ("QUIET_DAY", "宁静日"),
        ("NO_DISTURB", "无事不扰"),
        ("CAP_REACHED", "检查次数已达上限"),
        ("NO_OFFICER", "无可派执法人员"),
    ):
        count = sum(1 for u in unscheduled if u["code"] == code)
        line = page.locator(f'#plan-rules li[data-code="{code}"]')
        expect(line).to_have_attribute("data-count", str(count))
        expect(line).to_contain_text(f"{label}{count} 项")
    # the sample's quiet days (1st to 7th) miss the sample week
    expect(page.locator('#plan-rules li[data-code="QUIET_DAY"]')).to_contain_text(
        "计划期内没有宁静日"
    )
    _shoot(page, "plan-rules-1440.png")
    assert errors.found == []
    page.context.close()
