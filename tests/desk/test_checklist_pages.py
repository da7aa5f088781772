"""A checklist's own pages in Chromium, at a phone's width: a unit creates one through the form
(the server's 422 shown next to the field), reads it, amends it under its ETag, meets the 412 of
a change made meanwhile and reloads, meets a 409, and withdraws it after confirming. Every
message names the checklist by its title and 清单编号, never by the id the page never shows."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_UNIT,
    DeskServer,
    PageErrors,
    open_desk,
    publish_sample_week,
    sign_in,
)

PHONE = 390
TITLE = "2024年6月燃气安全专项检查"
REFERENCE = "SCJG-2024-06-GAS"
NAMED = f"“{TITLE}”（清单编号 {REFERENCE}）"
YONGTIAN = "91441802MA5NNX0371"  # 清远市永天商贸有限公司, a sample enterprise
ZHENGHONG = "91441802MA243WXT5U"  # 清远市正宏酒店有限公司
CHECKLIST_URL = r"/api/v1/checklists(/\d+(/withdraw)?)?$"


def _api(server: DeskServer, role: str = "unit") -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.keys[role]}"}
    return httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30)


def _by_reference(server: DeskServer, reference: str) -> list[dict[str, Any]]:
    with _api(server) as api:
        found: list[dict[str, Any]] = [
            c for c in api.get("/checklists").json() if c["reference"] == reference
        ]
    return found


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _no_id_shown(page: Page, checklist_id: int) -> None:
    text = page.locator("body").inner_text()
    assert not re.search(rf"(清单|#)\s*{checklist_id}\b", text), text


def _open(browser: Browser, server: DeskServer, role: str, hash_: str) -> tuple[Page, PageErrors]:
    page, errors = open_desk(browser, width=PHONE, height=844)
    errors.allow(CHECKLIST_URL)
    sign_in(page, server, role, hash_)
    return page, errors


def test_a_unit_creates_reads_amends_and_withdraws_a_checklist(
    browser: Browser, desk_server: DeskServer
) -> None:
    page, errors = _open(browser, desk_server, "unit", "#checklists")
    page.click("#checklist-new")
    expect(page.locator("#checklist-form")).to_be_visible()
    assert page.evaluate("location.hash") == "#checklists/new"
    page.fill("#cl-title", TITLE)
    page.fill("#cl-reference", REFERENCE)
    page.select_option("#cl-type", "special")
    page.select_option("#cl-priority", "3")
    rows = page.locator(".item-row")
    rows.nth(0).locator("[name=item-name]").fill("燃气安全管理制度")
    rows.nth(0).locator("[name=item-basis]").fill("《城镇燃气管理条例》第十八条")
    page.click("#cl-add-item")
    rows.nth(1).locator("[name=item-name]").fill("燃气报警装置")
    rows.nth(1).locator("[name=item-basis]").fill("《城镇燃气管理条例》第二十八条")
    page.fill("#cl-target-search", "永天")
    page.click(f'.target-add[data-code="{YONGTIAN}"]')
    page.fill("#cl-target-search", "正宏")
    page.click(f'.target-add[data-code="{ZHENGHONG}"]')
    expect(page.locator("#cl-target-list li")).to_have_count(2)
    expect(page.locator("#cl-target-list")).to_contain_text("清远市永天商贸有限公司")
    # the window the wrong way round: the server's 422, next to the window, nothing stored
    page.fill("#cl-earliest", "2024-06-14")
    page.fill("#cl-latest", "2024-06-03")
    page.click("#cl-submit")
    window_error = page.locator('.field-error[data-error-for="window"]')
    expect(window_error).to_be_visible()
    expect(window_error).to_contain_text("晚于结束日期")
    assert _by_reference(desk_server, REFERENCE) == []
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "checklist-form-phone.png"), full_page=True)

    page.fill("#cl-earliest", "2024-06-03")
    page.fill("#cl-latest", "2024-06-14")
    page.click("#cl-submit")
    expect(page.locator("#checklist-detail")).to_be_visible()
    expect(page.locator("#toast")).to_contain_text(f"已提交检查清单{NAMED}")
    [stored] = _by_reference(desk_server, REFERENCE)
    assert stored["unit_id"] == SAMPLE_UNIT
    assert stored["targets"] == [YONGTIAN, ZHENGHONG]
    assert (stored["inspection_type"], stored["priority"]) == ("special", 3)
    checklist_id = stored["id"]
    assert page.evaluate("location.hash") == f"#checklists/{checklist_id}"
    expect(page.locator("#checklist-title")).to_have_text(TITLE)
    expect(page.locator("#checklist-detail .facts")).to_contain_text(REFERENCE)
    expect(page.locator("#checklist-items tbody tr")).to_have_count(2)
    expect(page.locator("#checklist-items")).to_contain_text("《城镇燃气管理条例》第二十八条")
    expect(page.locator("#checklist-targets")).to_contain_text("清远市正宏酒店有限公司")
    # the unit's staff submitted it: a draft until the unit's head approves it
    expect(page.locator("#checklist-status")).to_have_text("待审批")
    expect(page.locator("#checklist-approval")).to_contain_text("待单位负责人批准")
    _fits(page)
    _no_id_shown(page, checklist_id)
    page.screenshot(path=str(ARTIFACTS / "checklist-page-phone.png"), full_page=True)

    # the list names it and leads to its page; the browser's back button leads back
    page.click("#checklist-back")
    row = page.locator(f'#checklists-table tr[data-id="{checklist_id}"]')
    expect(row.locator("td.reference")).to_have_text(REFERENCE)
    _fits(page)
    row.locator("td.title a").click()
    expect(page.locator("#checklist-title")).to_have_text(TITLE)
    page.go_back()
    expect(page.locator("#checklists-table")).to_be_visible()
    expect(page.locator("#checklist-detail")).to_have_count(0)
    page.go_forward()
    expect(page.locator("#checklist-title")).to_have_text(TITLE)

    # amend with the ETag read
    page.click("#checklist-edit")
    expect(page.locator("#checklist-form[data-mode=amend]")).to_be_visible()
    expect(page.locator("#cl-title")).to_have_value(TITLE)
    expect(page.locator("#cl-target-list li")).to_have_count(2)
    page.select_option("#cl-priority", "4")
    page.click("#cl-submit")
    expect(page.locator("#checklist-detail[data-version='2']")).to_be_visible()
    expect(page.locator("#toast")).to_contain_text(f"已保存检查清单{NAMED}的修改（第 2 版）")
    assert _by_reference(desk_server, REFERENCE)[0]["priority"] == 4

    # someone else changes it while the form is open: the 412, named, and a reload
    page.click("#checklist-edit")
    expect(page.locator("#checklist-form[data-mode=amend]")).to_be_visible()
    with _api(desk_server) as api:
        read = api.get(f"/checklists/{checklist_id}")
        theirs = {**read.json(), "latest": "2024-06-21"}
        for key in ("id", "status", "version", "approved_at", "approved_by", "approved_afterwards"):
            theirs.pop(key)
        changed = api.put(
            f"/checklists/{checklist_id}", json=theirs, headers={"If-Match": read.headers["etag"]}
        )
        assert changed.status_code == 200, changed.text
    page.fill("#cl-latest", "2024-06-12")
    page.click("#cl-submit")
    conflict = page.locator("#cl-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(f"检查清单{NAMED}已被他人修改")
    _no_id_shown(page, checklist_id)
    _fits(page)
    page.click("#cl-reload")
    expect(page.locator("#cl-latest")).to_have_value("2024-06-21")
    expect(page.locator("#checklist-form")).to_contain_text("第 3 版")
    page.fill("#cl-latest", "2024-06-12")
    page.click("#cl-submit")
    expect(page.locator("#checklist-detail[data-version='4']")).to_be_visible()
    assert _by_reference(desk_server, REFERENCE)[0]["latest"] == "2024-06-12"

    # withdraw, after saying no once, then yes
    page.click("#checklist-withdraw")
    dialog = page.locator("#checklist-withdraw-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"撤回检查清单{NAMED}？")
    page.click("#checklist-withdraw-cancel")
    expect(dialog).to_have_count(0)
    assert _by_reference(desk_server, REFERENCE)[0]["status"] == "draft"
    page.click("#checklist-withdraw")
    page.click("#checklist-withdraw-confirm")
    expect(page.locator("#checklist-status")).to_have_text("已撤回")
    expect(page.locator("#toast")).to_contain_text(f"已撤回检查清单{NAMED}")
    expect(page.locator("#checklist-locked")).to_be_visible()
    expect(page.locator("#checklist-edit")).to_have_count(0)
    assert _by_reference(desk_server, REFERENCE)[0]["status"] == "withdrawn"
    _no_id_shown(page, checklist_id)
    assert errors.found == []
    page.context.close()


def _submitted(server: DeskServer, reference: str, title: str) -> dict[str, Any]:
    body = {
        "unit_id": SAMPLE_UNIT,
        "reference": reference,
        "title": title,
        "items": [{"name": "消防设施", "legal_basis": "《中华人民共和国消防法》第十六条"}],
        "targets": [YONGTIAN],
        "earliest": "2024-07-01",
        "latest": "2024-07-05",
    }
    with _api(server) as api:
        created = api.post("/checklists", json=body)
    assert created.status_code == 201, created.text
    found: dict[str, Any] = created.json()
    return found


def test_saving_a_checklist_withdrawn_meanwhile_says_why_by_its_title(
    browser: Browser, desk_server: DeskServer
) -> None:
    checklist = _submitted(desk_server, "SCJG-2024-07-FIRE", "2024年7月消防安全检查")
    page, errors = _open(browser, desk_server, "unit", f"#checklists/{checklist['id']}/edit")
    expect(page.locator("#checklist-form[data-mode=amend]")).to_be_visible()
    with _api(desk_server) as api:
        assert api.post(f"/checklists/{checklist['id']}/withdraw").status_code == 200
    page.fill("#cl-title", "2024年7月消防安全检查（修订）")
    page.click("#cl-submit")
    conflict = page.locator("#cl-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(
        "检查清单“2024年7月消防安全检查”（清单编号 SCJG-2024-07-FIRE）已撤回，不能修改"
    )
    _no_id_shown(page, checklist["id"])
    assert errors.found == []
    page.context.close()


def test_a_coordinator_opens_a_units_checklist_and_may_change_it(
    browser: Browser, desk_server: DeskServer
) -> None:
    # docs/security.md: coordinators submit, amend and withdraw any unit's checklists
    checklist = _submitted(desk_server, "SCJG-2024-07-SIGN", "2024年7月户外广告招牌检查")
    page, errors = _open(browser, desk_server, "coordinator", f"#checklists/{checklist['id']}")
    expect(page.locator("#checklist-title")).to_have_text("2024年7月户外广告招牌检查")
    expect(page.locator("#checklist-detail .facts")).to_contain_text("清城区市场监督管理局")
    expect(page.locator("#checklist-targets")).to_contain_text("清远市永天商贸有限公司")
    expect(page.locator("#checklist-edit")).to_be_visible()
    expect(page.locator("#checklist-withdraw")).to_be_visible()
    page.click("#checklist-back")
    page.click("#checklist-new")
    expect(page.locator("#cl-unit")).to_be_visible()  # a coordinator says which unit's
    _fits(page)
    assert errors.found == []
    page.context.close()


def test_a_unit_cannot_open_another_units_checklist(
    browser: Browser, desk_server: DeskServer
) -> None:
    with _api(desk_server, "coordinator") as api:
        other = next(c for c in api.get("/checklists").json() if c["unit_id"] != SAMPLE_UNIT)
    page, errors = _open(browser, desk_server, "unit", f"#checklists/{other['id']}")
    expect(page.locator("#checklist-missing")).to_be_visible()
    expect(page.locator("#checklist-missing")).not_to_contain_text(other["title"])
    assert errors.found == []
    page.context.close()


def test_an_announced_checklist_is_shown_but_not_offered_for_change(
    browser: Browser, desk_server: DeskServer
) -> None:
    publish_sample_week(desk_server)
    with _api(desk_server) as api:
        placed = {q["checklist_id"] for r in api.get("/rounds").json() for q in r["requests"]}
        mine = [c for c in api.get("/checklists").json() if c["id"] in placed]
    assert mine, "the published sample week places some of the unit's checklists"
    checklist = mine[0]
    page, errors = _open(browser, desk_server, "unit", f"#checklists/{checklist['id']}")
    expect(page.locator("#checklist-title")).to_have_text(checklist["title"])
    expect(page.locator("#checklist-locked")).to_contain_text("已有检查排入已发布的排期")
    expect(page.locator("#checklist-detail .facts")).to_contain_text("排入已发布的排期")
    expect(page.locator("#checklist-edit")).to_have_count(0)
    expect(page.locator("#checklist-withdraw")).to_have_count(0)
    # its amendment page, opened by address, is refused by the server in words naming it
    page.goto(f"{desk_server.base}/#checklists/{checklist['id']}/edit")
    page.click("#cl-submit")
    conflict = page.locator("#cl-conflict")
    expect(conflict).to_contain_text(f"检查清单“{checklist['title']}”")
    expect(conflict).to_contain_text("已有检查排入已发布的计划，不能修改")
    _no_id_shown(page, checklist["id"])
    assert errors.found == []
    page.context.close()
