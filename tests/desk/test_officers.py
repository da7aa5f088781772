"""The officers view in Chromium: a unit's roster with certificates that expired or expire
soon marked, an officer added through the form, and a roster file refused row by row."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, FilePayload, expect

from inspection.services.spreadsheets.io import table_csv
from inspection.services.spreadsheets.officers import OFFICER_HEADERS
from tests.support.desk import ARTIFACTS, SAMPLE_UNIT, DeskServer, open_desk, sign_in

# the page's own today (its local date), which the view marks certificates against
LOCAL_TODAY = """(() => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
})()"""
SHOTS = Path(os.environ.get("INSPECTION_TEST_SHOTS", ARTIFACTS))


def _roster(server: DeskServer) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {server.keys['unit']}"}
    with httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30) as api:
        answer = api.get("/officers")
    answer.raise_for_status()
    found: list[dict[str, Any]] = answer.json()
    return found


def _state(expires: str, today: date) -> str:
    day = date.fromisoformat(expires)
    if day < today:
        return "bad"
    return "warn" if day <= today + timedelta(days=30) else "good"


def test_a_unit_s_roster_marks_certificates_adds_an_officer_and_refuses_bad_rows(
    browser: Browser, desk_server: DeskServer
) -> None:
    roster = _roster(desk_server)
    assert roster
    assert {o["unit_id"] for o in roster} == {SAMPLE_UNIT}
    page, errors = open_desk(browser, width=1440)
    errors.allow(r"/api/v1/officers(/import)?$")
    sign_in(page, desk_server, "unit", "#officers")
    rows = page.locator("#officers-table tbody tr[data-id]")
    expect(rows).to_have_count(len(roster))
    today = date.fromisoformat(page.evaluate(LOCAL_TODAY))
    for officer in roster:
        row = page.locator(f'#officers-table tr[data-badge="{officer["badge_number"]}"]')
        expect(row.locator("td.expiry")).to_have_attribute(
            "data-state", _state(officer["certificate_expires"], today)
        )
        for recusal in officer["recusals"]:
            expect(row.locator("td.recusals")).to_contain_text(recusal["enterprise_name"])
        if officer["days_off"]:
            expect(row.locator("td.days-off")).to_have_text("、".join(officer["days_off"]))
    assert any(_state(o["certificate_expires"], today) == "bad" for o in roster)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "officers-1440.png"), full_page=True)

    # a new officer through the form; a badge number already taken is named at its field
    page.click("#officer-new")
    form = page.locator("#officer-form")
    form.locator("input[name=name]").fill("测试新人")
    form.locator("input[name=badge_number]").fill(roster[0]["badge_number"])
    form.locator("input[name=certificate_expires]").fill("2030-06-30")
    form.locator("input[name=days_off]").fill("2024-04-10、2024-04-11")
    form.locator("#officer-save").click()
    expect(form.locator('[data-field="badge_number"] .field-problem')).to_contain_text("已登记")
    form.locator("input[name=badge_number]").fill("GD-TEST-0001")
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/officers") and r.request.method == "POST"
    ) as answer:
        form.locator("#officer-save").click()
    assert answer.value.status == 201
    expect(rows).to_have_count(len(roster) + 1)
    added = page.locator('#officers-table tr[data-badge="GD-TEST-0001"]')
    expect(added.locator("td.days-off")).to_have_text("2024-04-10、2024-04-11")
    expect(page.locator(".officer-editor h2")).to_contain_text("测试新人")
    stored = {o["badge_number"]: o for o in _roster(desk_server)}
    assert stored["GD-TEST-0001"]["days_off"] == ["2024-04-10", "2024-04-11"]
    # the officer's own calendar link: it reads that officer's feed
    page.click("#officer-feed")
    link = page.locator("#officer-feed-url code")
    expect(link).to_contain_text(f"/api/v1/officers/{stored['GD-TEST-0001']['id']}/calendar.ics")
    feed = httpx.get(link.inner_text(), timeout=30)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")

    # a roster file with a bad row: each problem named, nobody stored
    bad = table_csv(
        OFFICER_HEADERS,
        [
            [SAMPLE_UNIT, "甲", "GD-TEST-0002", "2030-01-01", "", ""],
            [SAMPLE_UNIT, "", "GD TEST", "2030-13-01", "", ""],
        ],
    )
    payload: FilePayload = {"name": "roster.csv", "mimeType": "text/csv", "buffer": bad}
    page.set_input_files("#roster-file", files=[payload])
    page.click("#roster-submit")
    box = page.locator("#roster-errors")
    expect(box).to_be_visible()
    for column in ("姓名", "执法证号", "证件有效期至"):
        expect(box.locator(f'tr[data-row="3"][data-column="{column}"]')).to_have_count(1)
    expect(box).to_contain_text("未导入任何人员")
    assert "GD-TEST-0002" not in {o["badge_number"] for o in _roster(desk_server)}
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "officers-390.png"), full_page=True)
    assert errors.found == []
