"""The random draws view (随机抽查) in Chromium: a unit's head chooses a town and a quota, sees
the commitment before the draw, draws, sees the drawn enterprises and the checklist made of
them, and 复核 replays the public record in the page (WebCrypto) as the CLI does; a tampered
record is 不一致; at a phone's width it fits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Route, expect

from tests.support.desk import ARTIFACTS, DeskServer, open_desk, sign_in

SHOTS = Path("/work/shots/draws")


def _shoot(page: Any, name: str) -> None:
    for folder in (ARTIFACTS, SHOTS):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), full_page=True)


def _commit_in_the_page(page: Any, title: str) -> None:
    form = page.locator("#draw-form")
    form.locator("#draw-title").fill(title)
    form.locator("#draw-earliest").fill("2024-06-03")
    form.locator("#draw-latest").fill("2024-06-28")
    form.locator('[data-filter="towns"] label', has_text="凤城街道").locator("input").check()
    quota = form.locator('.draw-quota[data-grade="未分级"]')
    quota.locator("select").select_option("count")
    quota.locator("input").fill("3")
    form.locator(".item-name").first.fill("食品经营许可情况")
    form.locator(".item-basis").first.fill("《食品安全法》第三十五条")
    form.locator("#draw-commit").click()


def test_a_head_draws_and_replays_in_the_page(browser: Browser, desk_server: DeskServer) -> None:
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "head", "#draws")
    expect(page.locator("#draws-new h2")).to_have_text("新建随机抽查")
    _shoot(page, "draws-new-1440.png")
    # a count over the class: the server's problem, naming its field, under the form
    errors.allow(r"/api/v1/draws$")
    form = page.locator("#draw-form")
    form.locator('.draw-quota[data-grade="C"] select').select_option("count")
    form.locator('.draw-quota[data-grade="C"] input').fill("99")
    _commit_in_the_page(page, "2024年6月凤城街道双随机抽查")
    expect(page.locator("#draw-error")).to_contain_text("quotas[")
    form.locator('.draw-quota[data-grade="C"] select').select_option("")
    form.locator("#draw-commit").click()

    detail = page.locator("#draw-detail")
    expect(detail.locator("h2")).to_have_text("2024年6月凤城街道双随机抽查")
    expect(detail).to_contain_text("已公布承诺值，待抽取")
    commitment = detail.locator(".draw-hash code").first.inner_text()
    assert len(commitment) == 64
    expect(detail.locator('#draw-classes tr[data-grade="未分级"] td.drawn')).to_have_text("待抽取")
    page.locator("#draw-replay").click()
    expect(page.locator("#draw-verdict")).to_contain_text("一致")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#draw-reveal").click()
    expect(detail).to_contain_text("已抽取")
    drawn = detail.locator('#draw-classes tr[data-grade="未分级"] td.drawn div')
    expect(drawn).to_have_count(3)
    expect(page.locator("#draw-reveal")).to_have_count(0)  # drawn once
    page.locator("#draw-replay").click()
    expect(page.locator("#draw-verdict")).to_have_text(
        "一致：承诺值、对象名录哈希和抽取结果均与记录相符"
    )
    _shoot(page, "draws-revealed-1440.png")

    # the page replays what it reads: a record altered on the way is 不一致
    def tampered(route: Route) -> None:
        record = httpx.get(route.request.url).json()
        record["seed"] = "0" * 64
        route.fulfill(json=record)

    page.route("**/api/v1/draws/*/record", tampered)
    page.locator("#draw-replay").click()
    expect(page.locator("#draw-verdict")).to_contain_text("不一致：种子的 SHA-256")
    page.unroute("**/api/v1/draws/*/record")

    # the checklist made of the drawn enterprises, approved (its head drew)
    page.locator("#draw-checklists a").first.click()
    expect(page.locator("#checklist-status")).to_have_text("已批准")
    assert errors.found == []
    page.context.close()


def test_a_coordinator_draws_for_two_units(browser: Browser, desk_server: DeskServer) -> None:
    page, errors = open_desk(browser, width=1440)
    sign_in(page, desk_server, "coordinator", "#draws")
    form = page.locator("#draw-form")
    form.locator("#draw-title").fill("联合双随机抽查：石角镇")
    form.locator("#draw-earliest").fill("2024-06-03")
    form.locator("#draw-latest").fill("2024-06-14")
    form.locator('[data-filter="towns"] label', has_text="石角镇").locator("input").check()
    quota = form.locator('.draw-quota[data-grade="未分级"]')
    quota.locator("select").select_option("ratio")
    quota.locator("input").fill("12.5")
    picker = form.locator('[data-filter="units"]')
    for unit in ("SCJG", "YJGL"):
        picker.locator(f'input[value="{unit}"]').check()
    expect(form.locator(".draw-unit")).to_have_count(2)
    for index, (name, basis) in enumerate(
        [
            ("食品经营许可情况", "《食品安全法》第三十五条"),
            ("安全生产责任制", "《安全生产法》第二十二条"),
        ]
    ):
        block = form.locator(".draw-unit").nth(index)
        block.locator(".item-name").fill(name)
        block.locator(".item-basis").fill(basis)
    form.locator("#draw-commit").click()
    detail = page.locator("#draw-detail")
    expect(detail).to_contain_text("联合抽查")
    expect(detail.locator('#draw-classes tr[data-grade="未分级"]')).to_contain_text("12.5%")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#draw-reveal").click()
    expect(page.locator("#draw-checklists a")).to_have_count(2)
    page.locator("#draw-replay").click()
    expect(page.locator("#draw-verdict")).to_contain_text("一致：承诺值")
    # a joint draw makes a draft for each unit, for its head to approve
    headers = {"Authorization": f"Bearer {desk_server.keys['coordinator']}"}
    with httpx.Client(base_url=f"{desk_server.base}/api/v1", headers=headers) as api:
        (draw,) = [d for d in api.get("/draws").json() if d["title"] == "联合双随机抽查：石角镇"]
        states = [api.get(f"/checklists/{i}").json()["status"] for i in draw["checklist_ids"]]
    assert states == ["draft", "draft"]
    assert errors.found == []
    page.context.close()


def test_the_view_fits_a_phone(browser: Browser, desk_server: DeskServer) -> None:
    body = {
        "title": "联合双随机抽查（手机）",
        "earliest": "2024-06-03",
        "latest": "2024-06-28",
        "towns": ["东城街道"],
        "quotas": [{"risk_class": "未分级", "ratio_percent": "10"}],
        "units": [
            {
                "unit_id": "SCJG",
                "items": [{"name": "食品经营许可", "legal_basis": "《食品安全法》"}],
            }
        ],
    }
    headers = {"Authorization": f"Bearer {desk_server.keys['coordinator']}"}
    with httpx.Client(base_url=f"{desk_server.base}/api/v1", headers=headers) as api:
        created = api.post("/draws", json=body)
        assert created.status_code == 201, created.text
        draw_id = created.json()["draw_id"]
        assert api.post(f"/draws/{draw_id}/reveal").status_code == 200
    page, errors = open_desk(browser, width=390, height=844)
    sign_in(page, desk_server, "coordinator", "#draws")
    expect(page.locator("#draws-list")).to_be_visible()
    _shoot(page, "draws-390.png")
    page.locator(f'#draws-table tr[data-id="{draw_id}"] a').click()
    expect(page.locator("#draw-detail")).to_contain_text("联合抽查")
    expect(page.locator("#draw-checklists a")).to_have_count(1)
    _shoot(page, "draw-detail-390.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert errors.found == []
    page.context.close()
