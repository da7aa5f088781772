"""The desk at a phone's width (390 × 844) in Chromium: tables become label/value cards whose
cells are wide enough to read and clip nothing, and the header keeps the sign-out button whole."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from inspection.services.planning.models import ACTIVE_STATUSES
from tests.support.desk import ARTIFACTS, DeskServer, open_desk, sign_in

# two days with too few slots for the requests due: the draft leaves some out
SHORT_START, SHORT_END = "2024-04-15", "2024-04-16"
MIN_CELL_PX = 120  # a cell narrower than this squeezes a unit's name to a letter a line

# every cell of the tables in `root`: its width and whether its content overflows it
CELLS = """root => [...root.querySelectorAll("td, th")]
  .filter(c => c.offsetParent !== null).map(c => ({
  width: c.getBoundingClientRect().width,
  clipped: c.scrollWidth > c.clientWidth + 1,
  label: c.dataset.label || "",
  text: c.textContent.trim().slice(0, 40),
}))"""


@pytest.fixture(scope="module")
def draft(desk_server: DeskServer) -> dict[str, Any]:
    """A finished draft of two busy days (not published) that leaves requests out."""
    headers = {"Authorization": f"Bearer {desk_server.keys['coordinator']}"}
    with httpx.Client(base_url=f"{desk_server.base}/api/v1", headers=headers, timeout=30) as api:
        body = {"start": SHORT_START, "end": SHORT_END, "time_limit_s": 5}
        plan_id = api.post("/plans", json=body).json()["id"]
        deadline = time.monotonic() + 120
        while (plan := api.get(f"/plans/{plan_id}").json())["status"] in ACTIVE_STATUSES:
            assert time.monotonic() < deadline, plan
            time.sleep(0.5)
        left_out = api.get(f"/plans/{plan_id}/unscheduled").json()
        assert left_out, "chosen to leave some out"
        titles = {
            c["id"]: c["title"] for c in api.get("/checklists", params={"limit": 1000}).json()
        }
        return {"plan": plan, "left_out": left_out, "titles": titles}


def _cells_readable(page: Page, selector: str) -> None:
    root = page.locator(selector)
    cells = root.evaluate(CELLS)
    assert cells, selector
    narrow = [c for c in cells if c["width"] < MIN_CELL_PX]
    assert narrow == [], f"{selector}: cells narrower than {MIN_CELL_PX} px: {narrow[:5]}"
    clipped = [c for c in cells if c["clipped"]]
    assert clipped == [], f"{selector}: cells that clip their text: {clipped[:5]}"
    # no column hidden past the edge of its box
    assert root.evaluate("r => r.scrollWidth <= r.clientWidth"), f"{selector} scrolls sideways"
    # every value says what it is
    assert all(c["label"] for c in cells if c["text"]), f"{selector}: a cell without its label"


def test_the_draft_and_its_left_out_requests_are_cards_on_a_phone(
    browser: Browser, desk_server: DeskServer, draft: dict[str, Any]
) -> None:
    page, errors = open_desk(browser, 390, 844)
    sign_in(page, desk_server, "coordinator", "#plan")
    rows = page.locator("#plan-unscheduled tr.plan-unscheduled")
    expect(rows).to_have_count(len(draft["left_out"]))
    expect(page.locator("#plan-rounds tbody tr").first).to_be_visible()
    _cells_readable(page, "#plan-unscheduled")
    _cells_readable(page, "#plan-rounds")
    # the left-out request names its checklist by title, not by a number
    first = draft["left_out"][0]
    expect(rows.first).to_contain_text(draft["titles"][first["checklist_id"]])
    expect(rows.first).not_to_contain_text(f"清单 {first['checklist_id']}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    rows.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "planning-phone-cards.png"))
    assert errors.found == []
    page.context.close()


def _long_named_unit_key(server: DeskServer) -> str:
    """A key of the unit with the longest name, itself named at length (as people do)."""
    headers = {"Authorization": f"Bearer {server.keys['admin']}"}
    with httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30) as api:
        unit = max(api.get("/units").json(), key=lambda u: len(u["name"]))
        body = {"role": "unit", "unit_id": unit["id"], "name": "执法办公室值班人员张三丰"}
        answer = api.post("/keys", json=body)
        assert answer.status_code == 201, answer.text
        key: str = answer.json()["key"]
        return key


@pytest.mark.parametrize("role", ["unit", "coordinator", "auditor"])
def test_the_header_keeps_the_sign_out_button_whole_on_a_phone(
    browser: Browser, desk_server: DeskServer, role: str
) -> None:
    page, errors = open_desk(browser, 390, 844)
    if role == "unit":
        desk_server = replace(desk_server, keys={"unit": _long_named_unit_key(desk_server)})
    sign_in(page, desk_server, role)
    logout = page.locator("#logout")
    expect(logout).to_be_in_viewport(ratio=1)
    box = logout.bounding_box()
    assert box is not None
    inner = page.evaluate("window.innerWidth")
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= inner, (box, inner)
    # one line of text, not squeezed: the label is as wide as it needs
    assert logout.evaluate("b => b.scrollWidth <= b.clientWidth")
    lines = logout.evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b);"
        " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
    )
    assert lines == 1, f"the sign-out label breaks over {lines} lines"
    name = page.locator("#who-name")
    assert name.evaluate("n => n.scrollWidth <= n.clientWidth"), "the key's name is clipped"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if role == "unit":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "header-phone-unit.png"))
    assert errors.found == []
    page.context.close()


def test_a_table_that_scrolls_sideways_says_so(browser: Browser, desk_server: DeskServer) -> None:
    page, errors = open_desk(browser, 390, 844)
    sign_in(page, desk_server, "coordinator", "#load")
    expect(page.locator("#load-body")).to_have_attribute("data-status", "ready")
    wrap = page.locator("#load-body .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the week is wider than a phone
    expect(wrap).to_have_class(re.compile(r"\bscrolls\b"))
    cue = "w => getComputedStyle(w, '::before').content"
    assert "左右滑动" in wrap.evaluate(cue)
    cue_box = wrap.evaluate(
        "w => { const s = getComputedStyle(w, '::before'); return [s.display, s.position]; }"
    )
    assert cue_box == ["block", "sticky"]  # stays in view while the table scrolls under it
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    expect(wrap).to_have_class(re.compile(r"\bat-end\b"))
    assert "向左滑动" in wrap.evaluate(cue)

    # where a table fits, nothing is said
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(wrap).not_to_have_class(re.compile(r"\bscrolls\b"))
    assert wrap.evaluate(cue) == "none"
    assert errors.found == []
    page.context.close()
