"""The inspection code in the browser: the round dialog shows it with its QR code and a link,
and the public page opens without a key on a phone's width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import (
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
)

SHOTS = Path("/work/shots/codes")


def _get(server: DeskServer, path: str, **params: str) -> Any:
    answer = httpx.get(
        f"{server.base}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {server.keys['coordinator']}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page is {wide}px wider than the screen"


def _image_loaded(page: Page, selector: str) -> None:
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i?.complete && i.naturalWidth > 0 }",
        arg=selector,
    )


def test_the_dialog_shows_the_code_and_the_page_opens_without_a_key(
    browser: Browser, desk_server: DeskServer
) -> None:
    publish_sample_week(desk_server)
    rounds = _get(desk_server, "/rounds", **{"from": SAMPLE_WEEK, "to": "2024-04-14"})
    details = [_get(desk_server, f"/rounds/{r['id']}") for r in rounds]
    assert all(d["code"] for d in details)  # every published round has its code
    assert len({d["code"] for d in details}) == len(details)
    chosen = max(details, key=lambda d: (len(d["units"]), len(d["officers"]), -d["id"]))
    code = chosen["code"]

    for width in (1440, 390):
        page, errors = open_desk(browser, width=width, height=900 if width > 400 else 844)
        sign_in(page, desk_server, "coordinator")
        expect(page.locator("#week-body")).to_have_attribute("data-status", "ready")
        page.click(f'.round-card[data-round-id="{chosen["id"]}"]')
        expect(page.locator("#round-dialog-body")).to_have_attribute("data-status", "ready")
        expect(page.locator(".inspection-code")).to_have_text(code)
        link = page.locator(".inspection-code-link")
        expect(link).to_have_attribute("href", f"/v/{code}")
        _image_loaded(page, ".inspection-code-qr")
        page.locator(".round-inspection-code").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"dialog-{width}.png"))
        assert errors.found == []
        page.context.close()

    # the enterprise's phone: no key, no desk, the visit alone
    page, errors = open_desk(browser, width=390, height=844)
    page.goto(f"{desk_server.base}/v/{code}")
    expect(page.locator("h1")).to_have_text(chosen["enterprise_name"])
    expect(page.locator(".status.valid")).to_be_visible()
    expect(page.locator(".code")).to_have_text(code)
    expect(page.locator(".unit.lead")).to_contain_text(
        _get(desk_server, f"/units/{chosen['lead_unit']}")["name"]
    )
    expect(page.locator(".officer")).to_have_count(len(chosen["officers"]))
    for officer in chosen["officers"]:
        expect(page.locator(".officers")).to_contain_text(officer["badge_number"])
    basis = {i["legal_basis"] for c in chosen["checklists"] for i in c["items"]} - {""}
    for law in basis:
        expect(page.locator(".items")).to_contain_text(law)
    assert chosen["enterprise"] not in page.content()  # no credit code on the public page
    _image_loaded(page, ".qr img")
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "verify-390.png"), full_page=True)
    errors.allow(r"/v/")
    page.goto(f"{desk_server.base}/v/0000-0000-0000")
    expect(page.locator("h1")).to_have_text("未找到该检查码")
    page.screenshot(path=str(SHOTS / "not-found-390.png"))
    assert errors.found == []
    page.context.close()
