"""The planning view when the key's progress streams are all taken (other tabs: 429): it
follows the run by reading the plan every second instead, and can still stop it."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, expect

from tests.support.desk import DeskServer, open_desk, sign_in

# a horizon the sample data makes hard: the solver would use most of a long limit on it
LONG_START, LONG_END = "2024-04-15", "2024-06-30"


def _coordinator(server: DeskServer) -> httpx.Client:
    """A fresh client as the coordinator (no pooled connection left idle past keep-alive)."""
    return httpx.Client(
        base_url=server.base,
        headers={"Authorization": f"Bearer {server.keys['coordinator']}"},
        timeout=30,
    )


def _hold_streams(
    base: str, key: str, path: str, count: int
) -> list[tuple[httpx.Client, httpx.Response]]:
    """Open `count` event streams as `key` (as other tabs would), each kept open."""
    held = []
    for _ in range(count):
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        response = client.send(client.build_request("GET", path), stream=True)
        held.append((client, response))
        assert response.status_code == 200, response.read()
    return held


def test_with_every_stream_of_the_key_taken_the_view_follows_the_run_by_reading_it(
    browser: Browser, desk_server: DeskServer
) -> None:
    with _coordinator(desk_server) as api:
        long_run = api.post(
            "/api/v1/plans", json={"start": LONG_START, "end": LONG_END, "time_limit_s": 120}
        )
    assert long_run.status_code == 202, long_run.text
    plan_id = int(long_run.json()["id"])
    events = f"/api/v1/plans/{plan_id}/events"
    # other tabs of the same key hold every stream it may open
    held = _hold_streams(desk_server.base, desk_server.keys["coordinator"], events, 4)
    try:
        page, errors = open_desk(browser)
        errors.allow(r"/api/v1/plans/\d+/events$")  # the refused stream (429)
        sign_in(page, desk_server, "coordinator", "#plan")
        expect(page.locator("#plan-run")).to_have_attribute("data-plan-id", str(plan_id))
        # the progress still arrives (read every second), and the run can be stopped
        expect(page.locator("#plan-status")).to_have_text("求解中", timeout=60_000)
        expect(page.locator("#plan-rounds-found")).to_have_text(
            re.compile(r"^\d+$"), timeout=60_000
        )
        page.click("#plan-stop")
        expect(page.locator("#plan-status")).to_have_text("已停止", timeout=30_000)
        with _coordinator(desk_server) as api:
            read = api.get(f"/api/v1/plans/{plan_id}")
        assert read.json()["status"] == "stopped", read.text
        expect(page.locator("#toast.error")).to_have_count(0)
        assert errors.found == []
        page.context.close()
    finally:
        for client, response in held:
            response.close()
            client.close()
        with _coordinator(desk_server) as api:
            api.post(f"/api/v1/plans/{plan_id}/stop")  # if a check failed, the run goes on
