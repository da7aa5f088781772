"""The 频次上限 view in Chromium: a coordinator adds, changes and deactivates cap rules (a twin
refused with the server's sentence), the caps used and left per enterprise after the sample
week is published (used up highlighted), what units and auditors may do, and the caps on a
checklist's targets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import (
    SAMPLE_UNIT,
    DeskServer,
    PageErrors,
    open_desk,
    publish_sample_week,
    sign_in,
)

MAX_ROWS = 300  # caps.js shows this many lines at most
SHOTS = Path(os.environ.get("INSPECTION_TEST_SHOTS", "/work/shots/caps"))


def _api(server: DeskServer, role: str = "coordinator") -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.keys[role]}"}
    return httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30)


def _get(server: DeskServer, path: str, role: str = "coordinator", **params: str) -> Any:
    with _api(server, role) as api:
        answer = api.get(path, params=params)
    answer.raise_for_status()
    return answer.json()


@pytest.fixture(scope="module")
def published(desk_server: DeskServer) -> DeskServer:
    publish_sample_week(desk_server)
    return desk_server


def _open(
    browser: Browser, server: DeskServer, role: str, width: int = 1440
) -> tuple[Page, PageErrors]:
    page, errors = open_desk(browser, width=width)
    sign_in(page, server, role, "#caps")
    expect(page.locator("#view-caps")).to_be_visible()
    expect(page.locator("#caps-rules-body")).to_have_attribute("data-status", "ready")
    expect(page.locator("#caps-standings-body")).to_have_attribute("data-status", "ready")
    return page, errors


def _shoot(page: Page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def test_a_coordinator_adds_changes_and_deactivates_rules(
    browser: Browser, published: DeskServer
) -> None:
    page, errors = _open(browser, published, "coordinator")
    rules = _get(published, "/rules/caps")
    rows = page.locator("#caps-rules tbody tr")
    expect(rows).to_have_count(len(rules))
    _shoot(page, "caps-coordinator-1440")
    # a new rule for 消防 at every enterprise
    page.select_option("#cap-unit", "XFJY")
    page.fill("#cap-limit", "3")
    page.fill("#cap-basis", "消防监督检查频次（测试）")
    page.click("#cap-save")
    expect(rows).to_have_count(len(rules) + 1)
    added = next(r for r in _get(published, "/rules/caps") if r["unit_id"] == "XFJY")
    assert (added["yearly_limit"], added["basis"], added["active"]) == (
        3,
        "消防监督检查频次（测试）",
        True,
    )
    row = page.locator(f'#caps-rules tr[data-rule="{added["id"]}"]')
    expect(row).to_contain_text("清城区消防救援大队")
    # the same again is the server's 409, shown next to the form
    errors.allow(r"/api/v1/rules/caps$")
    page.select_option("#cap-unit", "XFJY")
    page.fill("#cap-limit", "5")
    page.click("#cap-save")
    expect(page.locator("#cap-form-error")).to_contain_text(f"频次规则 {added['id']}")
    # change it, then deactivate it
    row.locator("[data-edit]").click()
    expect(page.locator("#cap-unit")).to_be_disabled()
    page.fill("#cap-limit", "2")
    page.click("#cap-save")
    expect(row).to_contain_text("2 次")
    row.locator("[data-toggle]").click()
    expect(row).to_have_attribute("data-active", "false")
    after = next(r for r in _get(published, "/rules/caps") if r["id"] == added["id"])
    assert (after["yearly_limit"], after["active"]) == (2, False)
    assert errors.found == [], errors.found
    page.context.close()


def test_the_caps_per_enterprise_show_the_ledger_s_count_and_used_up_ones(
    browser: Browser, published: DeskServer
) -> None:
    scjg = next(r for r in _get(published, "/rules/caps") if r["unit_id"] == SAMPLE_UNIT)
    with _api(published) as api:
        assert api.patch(f"/rules/caps/{scjg['id']}", json={"yearly_limit": 1}).is_success
    try:
        expected = _get(published, "/caps", year="2024", unit=SAMPLE_UNIT)
        used_up = {
            e["credit_code"]
            for e in expected
            for c in e["caps"]
            if c["scope"] == "unit" and c["left"] == 0
        }
        assert used_up, "the published sample week uses up SCJG's cap of 1 somewhere"
        page, errors = _open(browser, published, "coordinator")
        expect(page.locator("#caps-year")).to_have_value("2024")
        page.select_option("#caps-unit", SAMPLE_UNIT)
        shown = page.locator("#caps-standings tbody tr")
        lines = sum(len(e["caps"]) for e in expected)
        expect(shown).to_have_count(min(lines, MAX_ROWS))
        if lines > MAX_ROWS:
            expect(page.locator("#caps-standings-more")).to_contain_text(
                f"另有 {lines - MAX_ROWS} 行"
            )
        page.check("#caps-used-up")
        expect(page.locator("#caps-standings tbody tr:not(.used-up)")).to_have_count(0)
        highlighted = page.locator('#caps-standings tr.used-up[data-scope="unit"]')
        expect(highlighted).to_have_count(len(used_up))
        codes = set(highlighted.evaluate_all("rows => rows.map(r => r.dataset.code)"))
        assert codes == used_up
        _shoot(page, "caps-used-up-1440")
        # by part of a name
        some = next(e for e in expected if e["credit_code"] in used_up)
        page.uncheck("#caps-used-up")
        page.fill("#caps-name", some["name"])
        page.locator("#caps-name").dispatch_event("change")
        expect(
            page.locator(f'#caps-standings tr[data-code="{some["credit_code"]}"]')
        ).to_have_count(len(some["caps"]))
        assert errors.found == [], errors.found
        page.context.close()
    finally:
        with _api(published) as api:
            api.patch(f"/rules/caps/{scjg['id']}", json={"yearly_limit": scjg["yearly_limit"]})


def test_units_and_auditors_read_the_rules_and_a_unit_its_own_caps(
    browser: Browser, published: DeskServer
) -> None:
    for role, width in (("auditor", 1440), ("unit", 390)):
        page, errors = _open(browser, published, role, width=width)
        expect(page.locator("#cap-form")).to_have_count(0)
        expect(page.locator("#caps-rules [data-edit]")).to_have_count(0)
        expect(page.locator("#caps-rules tbody tr")).to_have_count(
            len(_get(published, "/rules/caps"))
        )
        if role == "unit":
            expect(page.locator("#caps-unit")).to_be_disabled()
            units = set(
                page.locator("#caps-standings tbody tr").evaluate_all(
                    "rows => rows.map(r => r.dataset.unit)"
                )
            )
            assert units <= {"", SAMPLE_UNIT}
        _shoot(page, f"caps-{role}-{width}")
        assert errors.found == [], errors.found
        page.context.close()


def test_a_checklist_s_page_says_what_its_unit_may_still_inspect(
    browser: Browser, published: DeskServer
) -> None:
    [checklist] = _get(published, "/checklists", role="unit", limit="1")
    caps = _get(published, f"/checklists/{checklist['id']}/caps", role="unit")
    page, errors = open_desk(browser, width=1440)
    sign_in(page, published, "unit", f"#checklists/{checklist['id']}")
    cells = page.locator("#checklist-targets .cap-notes")
    expect(cells).to_have_count(sum(1 for t in caps if t["caps"]))
    first = next(t for t in caps if t["caps"])
    expect(
        page.locator(f'#checklist-targets tr[data-code="{first["credit_code"]}"]')
    ).to_contain_text(first["sentences"][0])
    assert "本单位" in first["sentences"][0]
    _shoot(page, "checklist-targets-caps-1440", full_page=True)
    assert errors.found == [], errors.found
    page.context.close()


def _fill_checklist(page: Page, title: str, code: str, name: str) -> None:
    page.fill("#cl-title", title)
    row = page.locator(".item-row").nth(0)
    row.locator("[name=item-name]").fill("食品经营许可情况")
    row.locator("[name=item-basis]").fill("《食品安全法》第三十五条")
    page.fill("#cl-target-search", name)
    page.click(f'.target-add[data-code="{code}"]')
    page.fill("#cl-earliest", "2024-07-01")
    page.fill("#cl-latest", "2024-07-05")


def test_saving_a_checklist_shows_the_caps_warning_or_the_refusal(
    browser: Browser, published: DeskServer
) -> None:
    standings = _get(published, "/caps", year="2024", unit=SAMPLE_UNIT)
    one_left = next(
        e
        for e in standings
        for c in e["caps"]
        if c["scope"] == "unit" and c["used"] == 1 and c["left"] == 1
    )
    page, errors = open_desk(browser, width=1440)
    sign_in(page, published, "unit", "#checklists/new")
    expect(page.locator("#checklist-form")).to_be_visible()
    _fill_checklist(page, "七月复查（频次测试）", one_left["credit_code"], one_left["name"])
    page.click("#cl-submit")
    warnings = page.locator("#checklist-cap-warnings li")
    expect(warnings).to_have_count(1)
    expect(warnings).to_contain_text(one_left["credit_code"])
    expect(warnings).to_contain_text("剩余 1 次")
    expect(page.locator("#toast")).to_contain_text("频次上限提醒 1 条")
    _shoot(page, "checklist-saved-with-warning-1440")
    # once the cap is 1, another checklist there is refused with the rule and the count
    scjg = next(r for r in _get(published, "/rules/caps") if r["unit_id"] == SAMPLE_UNIT)
    with _api(published) as api:
        assert api.patch(f"/rules/caps/{scjg['id']}", json={"yearly_limit": 1}).is_success
    try:
        errors.allow(r"/api/v1/checklists$")
        page.goto(f"{published.base}/?week=2024-04-08#checklists/new")
        expect(page.locator("#checklist-form")).to_be_visible()
        _fill_checklist(page, "七月再查（频次测试）", one_left["credit_code"], one_left["name"])
        page.click("#cl-submit")
        conflict = page.locator("#cl-conflict")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("上限为 1 次")
        expect(conflict).to_contain_text(scjg["basis"])
        titles = [c["title"] for c in _get(published, "/checklists", role="unit", limit="1000")]
        assert "七月再查（频次测试）" not in titles
        assert errors.found == [], errors.found
        page.context.close()
    finally:
        with _api(published) as api:
            api.patch(f"/rules/caps/{scjg['id']}", json={"yearly_limit": scjg["yearly_limit"]})
