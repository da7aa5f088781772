"""Recording a visit's outcome in the browser: the 待填报 list, the round dialog's form (the
server's problems next to their fields), the lead unit's 确认已实施, and a back-fill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_WEEK,
    VISIT_DAY,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
)

SHOTS = ARTIFACTS / "outcomes"
DAY_BEFORE = "2024-04-08"


def _api(server: DeskServer, method: str, path: str, key: str, **kw: Any) -> Any:
    answer = httpx.request(
        method,
        f"{server.base}/api/v1{path}",
        headers={"Authorization": f"Bearer {server.keys[key]}"},
        timeout=30,
        **kw,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _joint_rounds(server: DeskServer, day: str) -> list[dict[str, Any]]:
    rounds = _api(server, "GET", "/rounds", "coordinator", params={"from": day, "to": day})
    return [_api(server, "GET", f"/rounds/{r['id']}", "coordinator") for r in rounds]


def _open_pending(page: Page, server: DeskServer, unit: str) -> None:
    sign_in(page, server, f"head-{unit}", "#pending")
    expect(page.locator("#pending-count")).to_contain_text("项待办")


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_a_unit_records_its_part_and_the_lead_confirms(
    browser: Browser, desk_server_on_visit_day: DeskServer
) -> None:
    server = desk_server_on_visit_day
    publish_sample_week(server)
    today = [r for r in _joint_rounds(server, VISIT_DAY) if len(r["units"]) >= 2]
    assert today, "the sample week has a joint round on its Tuesday"
    visit = today[0]
    lead = visit["lead_unit"]
    others = [u for u in visit["units"] if u != lead]
    other = others[0]
    code = visit["code"]

    page, errors = open_desk(browser, width=1440)
    _open_pending(page, server, lead)
    row = page.locator(f'#pending-table tr[data-code="{code}"]')
    expect(row).to_contain_text("填报本单位结果")
    expect(row).to_contain_text("剩 10 天")
    _shoot(page, "pending-1440.png")
    row.locator("button.open-round").click()
    section = page.locator("#round-outcomes")
    expect(section).to_have_attribute("data-status", "ready")
    expect(section.locator(".outcome-window")).to_have_text("当日填报")
    form = page.locator("#outcome-form")
    expect(form).to_be_visible()
    expect(form.locator("#outcome-backfill")).to_have_count(0)  # on the day: no back-fill
    # problems found without a note: the server's problem appears next to the note
    form.locator('input[name="problems_found"][value="yes"]').check()
    errors.allow(r"/api/v1/visits/")
    form.locator("#outcome-save").click()
    note_error = form.locator('.field-error[data-error-for="problem_note"]')
    expect(note_error).to_have_text("发现问题须简要说明问题")
    form.locator("#outcome-note").fill("消防通道堵塞，已责令整改")
    form.locator("#outcome-case").check()
    form.locator("#outcome-save").click()
    mine = section.locator(f'.outcome-unit[data-unit="{lead}"]')
    expect(mine.locator(".outcome-status")).to_have_text("已实施")
    expect(mine).to_contain_text("消防通道堵塞")
    expect(mine).to_contain_text("已立案")
    expect(section.locator(f'.outcome-unit[data-unit="{other}"] .outcome-status')).to_have_text(
        "未填报"
    )
    expect(page.locator("#outcome-confirm")).to_have_count(0)  # the other unit first
    _shoot(page, "dialog-recorded-1440.png")

    postponed = {"status": "postponed", "reason": "企业临时停产"}
    for unit in others:
        _api(server, "PUT", f"/visits/{code}/outcomes/{unit}", f"head-{unit}", json=postponed)
    page.locator("#round-dialog form[method=dialog] button").click()
    page.reload()
    expect(page.locator("#pending-count")).to_contain_text("项待办")
    expect(row).to_contain_text("确认已实施")
    row.locator("button.open-round").click()
    expect(section).to_have_attribute("data-status", "ready")
    expect(section.locator(f'.outcome-unit[data-unit="{other}"]')).to_contain_text("企业临时停产")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#outcome-confirm").click()
    expect(section.locator(".outcome-confirmed")).to_contain_text("牵头单位已确认实施")
    expect(page.locator("#outcome-form")).to_have_count(0)  # final once confirmed
    _shoot(page, "dialog-confirmed-1440.png")
    page.locator("#round-dialog form[method=dialog] button").click()
    expect(page.locator(f'#pending-table tr[data-code="{code}"]')).to_have_count(0)
    assert errors.found == []


def test_a_late_record_asks_for_its_back_fill_reason_on_a_phone(
    browser: Browser, desk_server_on_visit_day: DeskServer
) -> None:
    server = desk_server_on_visit_day
    rounds = _joint_rounds(server, DAY_BEFORE)
    if not rounds:  # the module's first test publishes; alone, this one does
        publish_sample_week(server)
        rounds = _joint_rounds(server, DAY_BEFORE)
    visit = max(rounds, key=lambda r: len(r["units"]))
    unit = visit["units"][-1]
    page, errors = open_desk(browser, width=390, height=844)
    _open_pending(page, server, unit)
    row = page.locator(f'#pending-table tr[data-code="{visit["code"]}"]')
    expect(row).to_contain_text("剩 9 天")
    _shoot(page, "pending-390.png")
    row.locator("button.open-round").click()
    section = page.locator("#round-outcomes")
    expect(section.locator(".outcome-window")).to_have_text("补录期")
    form = page.locator("#outcome-form")
    errors.allow(r"/api/v1/visits/")
    form.locator("#outcome-save").click()
    expect(form.locator('.field-error[data-error-for="backfill_reason"]')).to_have_text(
        "检查日期之后补录须说明补录原因"
    )
    form.locator('input[name="status"][value="not_carried_out"]').check()
    expect(form.locator(".outcome-problems")).to_be_hidden()
    form.locator("#outcome-reason").fill("企业当日未营业")
    form.locator("#outcome-backfill").fill("当日网络故障，未能扫码")
    form.locator("#outcome-save").click()
    mine = section.locator(f'.outcome-unit[data-unit="{unit}"]')
    expect(mine.locator(".outcome-status")).to_have_text("未实施")
    expect(mine).to_contain_text("补录：当日网络故障")
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page is {wide}px wider than the screen"
    _shoot(page, "dialog-backfill-390.png")
    assert errors.found == []
    assert SAMPLE_WEEK <= DAY_BEFORE
