"""The issue's story, in one go, as a newcomer would click it: a coordinator opens the desk
on the sample data, sees no figures yet, plans the week and watches the progress bar move
and the rounds appear, publishes, and finds the figures and the week view updated.

An enterprise whose registered name carries markup is in the plan: the desk shows the
name as text and runs nothing of it.
"""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from tests.support.data import FOOD_SHOP
from tests.support.desk import ARTIFACTS, SAMPLE_UNIT, DeskServer, open_desk, sign_in

MARKUP_NAME = '<img src=x onerror="window.__injected=1">清城区标记小吃店'

RECORD_PROGRESS = """() => {
  const bar = document.getElementById("plan-progress");
  window.__progress = [];
  new MutationObserver(() => window.__progress.push(Number(bar.value))).observe(
    bar, { attributes: true, attributeFilter: ["value"] });
}"""


def _api(server: DeskServer, role: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.base}/api/v1",
        headers={"Authorization": f"Bearer {server.keys[role]}"},
        timeout=30,
    )


def _register_markup_enterprise(server: DeskServer) -> None:
    with _api(server, "admin") as admin:
        body = {"credit_code": FOOD_SHOP, "name": MARKUP_NAME, "town": "凤城街道"}
        created = admin.post("/enterprises", json=body)
        assert created.status_code == 201, created.text
    checklist = {
        "unit_id": SAMPLE_UNIT,
        "title": "食品经营许可复查",
        "items": [
            {"name": "许可证有效期", "legal_basis": "《食品经营许可和备案管理办法》第二十九条"}
        ],
        "targets": [FOOD_SHOP],
        "earliest": "2024-04-08",
        "latest": "2024-04-12",
    }
    # the unit's head submits it: approved at once, so the week's plan takes it
    with _api(server, "head") as unit:
        submitted = unit.post("/checklists", json=checklist)
        assert submitted.status_code == 201, submitted.text


def test_a_coordinator_plans_reviews_and_publishes_the_week(
    browser: Browser, desk_server: DeskServer
) -> None:
    _register_markup_enterprise(desk_server)
    page, errors = open_desk(browser)
    sign_in(page, desk_server, "coordinator", "#figures")
    expect(page.locator("#figures-total-saved")).to_have_attribute("data-value", "0")

    page.click('#tabs [data-view="plan"]')
    expect(page.locator("#plan-from")).to_have_value("2024-04-08")
    expect(page.locator("#plan-to")).to_have_value("2024-04-14")
    page.fill("#plan-limit", "10")
    page.evaluate(RECORD_PROGRESS)
    page.click("#plan-start")
    expect(page.locator("#plan-status")).to_have_text("已完成", timeout=120_000)
    plan_id = int(page.locator("#plan-run").get_attribute("data-plan-id") or "0")
    progress: list[float] = page.evaluate("window.__progress")
    assert len(set(progress)) >= 2, progress
    assert progress[-1] == 100
    assert progress == sorted(progress)

    with _api(desk_server, "coordinator") as api:
        rounds = api.get(f"/plans/{plan_id}/rounds").json()
        expect(page.locator("#plan-rounds tr.plan-round")).to_have_count(len(rounds))
        assert any(r["enterprise"] == FOOD_SHOP for r in rounds)
        expect(page.locator("#plan-rounds")).to_contain_text(MARKUP_NAME)

        page.click("#plan-publish")
        page.click("#plan-publish-yes")
        expect(page.locator("#toast")).to_contain_text("已发布")
        assert api.get(f"/plans/{plan_id}").json()["published"] is True
        total = api.get("/stats/visits", params={"from": "2024-01-01", "to": "2024-12-31"})
        saved = total.json()["total"]["visits_saved"]
        published = api.get("/rounds", params={"from": "2024-04-08", "to": "2024-04-14"}).json()
    assert saved > 0

    page.click('#tabs [data-view="figures"]')
    expect(page.locator("#figures-total-saved")).to_have_attribute("data-value", str(saved))

    page.click('#tabs [data-view="week"]')
    cards = page.locator("#week-body .round-card")
    expect(cards).to_have_count(len(published))
    shown = sorted(cards.evaluate_all("cs => cs.map(c => Number(c.dataset.roundId))"))
    assert shown == sorted(r["id"] for r in published)
    marked = page.locator(f'.round-card[data-enterprise="{FOOD_SHOP}"]')
    expect(marked).to_contain_text(MARKUP_NAME)
    assert page.locator("#week-body img").count() == 0
    assert page.evaluate("window.__injected") is None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "story-week-published.png"), full_page=True)
    assert errors.found == []
    page.context.close()
