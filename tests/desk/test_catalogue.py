"""The item catalogue view in Chromium: a unit adds a draft, is told its code is taken, publishes
the first edition, sees the rule hold for its checklists, retires the item, and has a bad file
refused row by row; a coordinator picks the unit."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Browser, FilePayload, Page, expect

from inspection.services.spreadsheets.catalogue_files import CATALOGUE_HEADERS
from inspection.services.spreadsheets.io import table_csv
from tests.support.desk import SAMPLE_UNIT, DeskServer, open_desk, sign_in

SHOTS = Path("/work/shots/catalogue")
BASIS = "《中华人民共和国食品安全法》第三十五条"


def _api(server: DeskServer, role: str = "unit") -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.keys[role]}"}
    return httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30)


def _add(page: Page, code: str, name: str, offsite: bool = False) -> None:
    page.click("#catalogue-new")
    form = page.locator("#catalogue-form")
    form.locator("[name=code]").fill(code)
    form.locator("[name=name]").fill(name)
    form.locator("[name=legal_basis]").fill(BASIS)
    form.locator("[name=level]").select_option("national")
    form.locator("[name=industries]").fill("餐饮服务、食品销售")
    if offsite:
        form.locator("[name=offsite]").check()
    form.locator("#catalogue-save").click()


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_unit_keeps_its_catalogue_on_the_page(browser: Browser, desk_server: DeskServer) -> None:
    page, errors = open_desk(browser, width=1440)
    errors.allow(r"/catalogue/")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, desk_server, "unit", "#catalogue")
    view = page.locator("#view-catalogue")
    expect(view).to_be_visible()
    expect(page.locator("#catalogue-editions")).to_contain_text("尚未公布事项清单")
    _add(page, "SP-001", "食品经营许可情况", offsite=True)
    row = page.locator("#catalogue-table tr[data-code='SP-001']")
    expect(row).to_have_attribute("data-state", "draft")
    expect(row).to_contain_text("草稿")
    expect(row).to_contain_text("国家级")
    # the same code again: the server's problem next to the code field, nothing stored
    _add(page, "SP-001", "另一个事项")
    expect(page.locator("#catalogue-form [data-field=code] .field-error")).to_contain_text("SP-001")
    page.locator("#catalogue-form button", has_text="取消").click()
    expect(page.locator("#catalogue-table tbody tr")).to_have_count(1)

    page.fill("#catalogue-effective", "2024-01-01")
    page.click("#catalogue-publish")
    expect(row).to_have_attribute("data-state", "published")
    expect(page.locator("#catalogue-editions tr[data-edition='1']")).to_contain_text("2024-01-01")
    _shoot(page, "catalogue-1440.png")

    # the rule holds for the unit's checklists now
    with _api(desk_server) as api:
        target = api.get("/enterprises", params={"limit": 1}).json()[0]["credit_code"]
        body = {
            "unit_id": SAMPLE_UNIT,
            "title": "食品经营许可检查",
            "items": [{"name": "无此事项", "legal_basis": "某法"}],
            "targets": [target],
            "earliest": "2024-07-01",
            "latest": "2024-07-05",
        }
        refused = api.post("/checklists", json=body)
        assert (refused.status_code, refused.json()["field"]) == (422, "items[0].name")
        body["items"] = [{"name": "食品经营许可情况", "legal_basis": BASIS}]
        assert api.post("/checklists", json=body).json()["field"] == "onsite_reason"
        body["onsite_reason"] = "需现场核对许可证原件"
        assert api.post("/checklists", json=body).status_code == 201

    # retire it: gone from the list until retired items are shown
    row.locator(".item-retire").click()
    page.fill("#catalogue-retire-date", "2024-12-31")
    page.click("#catalogue-retire-submit")
    expect(page.locator("#catalogue-form-card")).to_be_hidden()
    expect(page.locator("#catalogue-table tr[data-code='SP-001']")).to_have_count(0)
    page.check("#catalogue-retired")
    expect(page.locator("#catalogue-table tr[data-code='SP-001']")).to_have_attribute(
        "data-state", "retired"
    )

    # a bad file: every bad row listed, nothing stored
    bad = table_csv(
        CATALOGUE_HEADERS,
        [
            ["SP-002", "从业人员健康管理", "《食品安全法》第四十五条", "乡级", "日常", "否", ""],
            ["SP-003", "", "某法", "县级", "日常", "也许", ""],
        ],
    )
    page.set_input_files(
        "#catalogue-file", FilePayload(name="bad.csv", mimeType="text/csv", buffer=bad)
    )
    page.click("#catalogue-import-submit")
    errors_table = page.locator("#catalogue-import-error-table tbody tr")
    expect(errors_table).to_have_count(3)
    expect(
        page.locator("#catalogue-import-error-table tr[data-row='2'][data-column='层级']")
    ).to_be_visible()
    good = table_csv(
        CATALOGUE_HEADERS,
        [["SP-002", "从业人员健康管理", "《食品安全法》第四十五条", "县级", "日常", "否", ""]],
    )
    page.set_input_files(
        "#catalogue-file", FilePayload(name="good.csv", mimeType="text/csv", buffer=good)
    )
    page.click("#catalogue-import-submit")
    expect(page.locator("#catalogue-table tr[data-code='SP-002']")).to_have_attribute(
        "data-state", "draft"
    )
    expect(page.locator("#catalogue-import-errors")).to_be_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    _shoot(page, "catalogue-390.png")
    assert errors.found == []
    page.context.close()


def test_a_coordinator_picks_the_unit(browser: Browser, desk_server: DeskServer) -> None:
    with _api(desk_server, "coordinator") as api:
        added = api.post(
            "/units/XFJY/catalogue/items",
            json={
                "code": "XF-1",
                "name": "消防设施器材",
                "legal_basis": "《中华人民共和国消防法》第十六条",
            },
        )
        assert added.status_code == 201, added.text
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "coordinator", "#catalogue")
    expect(page.locator("#catalogue-unit")).to_be_visible()
    page.select_option("#catalogue-unit", "XFJY")
    expect(page.locator("#catalogue-table tr[data-code='XF-1']")).to_contain_text("消防设施器材")
    page.select_option("#catalogue-unit", SAMPLE_UNIT)
    expect(page.locator("#catalogue-table tr[data-code='XF-1']")).to_have_count(0)
    assert errors.found == []
    page.context.close()


def test_the_checklist_form_offers_the_published_items(
    browser: Browser, desk_server: DeskServer
) -> None:
    """The unit's draft 从业人员健康管理 (imported by the first test) published: the checklist
    form offers it, and choosing it brings the catalogue's legal basis."""
    with _api(desk_server) as api:
        published = api.post(
            f"/units/{SAMPLE_UNIT}/catalogue/publish", json={"effective_from": "2024-02-01"}
        )
        assert published.status_code == 201, published.text
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "unit", "#checklists/new")
    form = page.locator("#checklist-form")
    expect(page.locator("#cl-catalogue-items option[value='从业人员健康管理']")).to_have_count(1)
    expect(page.locator("#cl-catalogue-hint")).to_be_visible()
    name = form.locator("[name=item-name]").first
    name.fill("从业人员健康管理")
    name.dispatch_event("change")
    expect(form.locator("[name=item-basis]").first).to_have_value("《食品安全法》第四十五条")
    expect(form.locator("#cl-onsite-reason")).to_be_visible()
    assert errors.found == []
    page.context.close()
