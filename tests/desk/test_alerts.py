"""The figures view's 重复检查预警 card in Chromium, against what GET /alerts answers."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from inspection.services.planning.models import ACTIVE_STATUSES, DONE_STATUSES
from tests.support.desk import (
    ARTIFACTS,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
)
from tests.support.paths import ROOT

SHOTS = ROOT.parent / "shots" / "alerts"


def _client(server: DeskServer, key: str = "coordinator") -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.base}/api/v1",
        headers={"Authorization": f"Bearer {server.keys[key]}"},
        timeout=60,
    )


def _publish(api: httpx.Client, start: str, end: str) -> None:
    plan = api.post("/plans", json={"start": start, "end": end, "time_limit_s": 5})
    assert plan.status_code == 202, plan.text
    plan_id = plan.json()["id"]
    deadline = time.monotonic() + 180
    while (state := api.get(f"/plans/{plan_id}").json())["status"] in ACTIVE_STATUSES:
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert state["status"] in DONE_STATUSES, state
    assert api.post(f"/plans/{plan_id}/publish").status_code == 200


@pytest.fixture(scope="module")
def visited_twice(desk_server: DeskServer) -> dict[str, Any]:
    """The sample week published, then another unit's check at one of its enterprises,
    submitted afterwards with a window holding that round's day, published the week after."""
    publish_sample_week(desk_server)
    with _client(desk_server) as api:
        rounds = api.get("/rounds", params={"from": "2024-04-08", "to": "2024-04-14"}).json()
        units = [u["id"] for u in api.get("/units").json()]
        first = rounds[0]
        other = next(u for u in units if u not in first["units"])
        checklist = {
            "unit_id": other,
            "title": "复查企业日常检查",
            "inspection_type": "routine",
            "items": [{"name": "日常检查事项", "legal_basis": "相关法律法规"}],
            "targets": [first["enterprise"]],
            "earliest": first["date"],
            "latest": "2024-04-19",
        }
    with _client(desk_server, f"head-{other}") as head:
        submitted = head.post("/checklists", json=checklist)
        assert submitted.status_code == 201, submitted.text
    with _client(desk_server) as api:
        _publish(api, "2024-04-15", "2024-04-21")
        found: dict[str, Any] = api.get(
            "/alerts", params={"from": "2024-01-01", "to": "2024-12-31"}
        ).json()
    return {"first": first, "unit": other, "alerts": found}


@pytest.mark.parametrize("width", [1440, 390])
def test_the_card_lists_the_api_s_alerts(
    browser: Browser, desk_server: DeskServer, visited_twice: dict[str, Any], width: int
) -> None:
    found = visited_twice["alerts"]
    enterprise = visited_twice["first"]["enterprise"]
    assert enterprise in {a["enterprise"]["credit_code"] for a in found["repeats"]}
    assert enterprise in {a["enterprise"]["credit_code"] for a in found["missed_joins"]}
    page, errors = open_desk(browser, width=width)
    sign_in(page, desk_server, "coordinator", "#figures")
    card = page.locator("#figures-alerts")
    expect(card.locator("h3")).to_have_text("重复检查预警")
    expect(card.locator("#alerts-window")).to_have_value("60")
    expect(card.locator("#alerts-repeats tbody tr")).to_have_count(len(found["repeats"]))
    expect(card.locator("#alerts-missed tbody tr")).to_have_count(len(found["missed_joins"]))
    # the new check's own round could have joined the sample week's round
    mine = next(a for a in found["missed_joins"] if a["requests"][0]["title"] == "复查企业日常检查")
    assert mine["other"]["round_id"] == visited_twice["first"]["id"]
    row = card.locator(
        f'#alerts-missed tbody tr[data-round="{mine["round"]["round_id"]}"]'
        f'[data-other="{mine["other"]["round_id"]}"]'
    )
    expect(row).to_contain_text(visited_twice["first"]["enterprise_name"])
    expect(row).to_contain_text("复查企业日常检查")
    expect(row).to_contain_text(visited_twice["first"]["date"])
    card.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for folder in (SHOTS, ARTIFACTS):
        card.screenshot(path=str(folder / f"alerts-card-{width}.png"))
        row.screenshot(path=str(folder / f"alerts-missed-row-{width}.png"))
    # a one-day window: the week-apart visits are no longer repeats, as the API says
    with _client(desk_server) as api:
        narrow = api.get(
            "/alerts", params={"from": "2024-01-01", "to": "2024-12-31", "window_days": 1}
        ).json()
    assert len(narrow["repeats"]) < len(found["repeats"])
    page.fill("#alerts-window", "1")
    page.locator("#alerts-window").dispatch_event("change")
    expect(card.locator("#alerts-repeats-count")).to_have_text(f"（{len(narrow['repeats'])}）")
    assert errors.found == []
    page.context.close()
