"""The week view and the load view in Chromium, checked against the API they read.

The module's server gets the sample week planned and published once (and a second,
unpublished plan of the same week as a draft); every test then compares what the page
shows with what GET /api/v1/rounds (or the plan's rounds) answers for the same key.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from inspection.services.planning.models import ACTIVE_STATUSES
from inspection.services.reference.kinds import TYPE_NAMES
from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_UNIT,
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    sign_in,
)

WEEK_END = (date.fromisoformat(SAMPLE_WEEK) + timedelta(days=6)).isoformat()
DAYS = [(date.fromisoformat(SAMPLE_WEEK) + timedelta(days=i)).isoformat() for i in range(7)]
# the dialog names a checklist's kind as the spreadsheets do, as a kind of 检查
DIALOG_TYPE_NAMES = {str(kind): f"{name}检查" for kind, name in TYPE_NAMES.items()}

Json = Any  # what the API answers, as parsed JSON

# what each card says about itself, read in one round trip
_CARDS = """cards => cards.map(c => ({
    id: Number(c.dataset.roundId),
    units: c.dataset.units.split(' '),
    date: c.dataset.date,
    leads: [...c.querySelectorAll('.chip.lead')].map(x => x.dataset.unit),
    row: c.closest('[data-row]') ? c.closest('[data-row]').dataset.row : null,
}))"""


@dataclass
class Plans:
    """The published plan of the sample week and a later draft of the same week."""

    published: int
    draft: int


def _get(server: DeskServer, role: str, path: str, **params: str) -> Json:
    response = httpx.get(
        f"{server.base}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {server.keys[role]}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _plan(server: DeskServer) -> int:
    headers = {"Authorization": f"Bearer {server.keys['coordinator']}"}
    started = httpx.post(
        f"{server.base}/api/v1/plans",
        json={"start": SAMPLE_WEEK, "end": WEEK_END, "time_limit_s": 10},
        headers=headers,
        timeout=30,
    )
    assert started.status_code == 202, started.text
    plan_id: int = started.json()["id"]
    deadline = time.monotonic() + 120
    while True:
        plan = _get(server, "coordinator", f"/plans/{plan_id}")
        if plan["status"] not in ACTIVE_STATUSES:
            break
        assert time.monotonic() < deadline, f"plan {plan_id} still {plan['status']}"
        time.sleep(0.2)
    assert plan["status"] == "finished", plan
    return plan_id


@pytest.fixture(scope="module")
def plans(desk_server: DeskServer) -> Plans:
    """Plan the sample week and publish it, then plan it again as a draft."""
    published = _plan(desk_server)
    answer = httpx.post(
        f"{desk_server.base}/api/v1/plans/{published}/publish",
        headers={"Authorization": f"Bearer {desk_server.keys['coordinator']}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return Plans(published=published, draft=_plan(desk_server))


def _week_rounds(server: DeskServer, role: str = "coordinator", **params: str) -> list[Json]:
    rounds: list[Json] = _get(
        server, role, "/rounds", **{"from": SAMPLE_WEEK, "to": WEEK_END}, **params
    )
    return rounds


def _ids(rounds: list[Json]) -> set[int]:
    return {r["id"] for r in rounds}


def _loaded(page: Page, week: str = SAMPLE_WEEK, source: str = "published") -> None:
    """Wait until the week view shows this week from this source."""
    body = page.locator("#week-body")
    expect(body).to_have_attribute("data-week", week)
    expect(body).to_have_attribute("data-source", source)
    expect(body).to_have_attribute("data-status", "ready")


def _open_week(page: Page, server: DeskServer, role: str) -> None:
    sign_in(page, server, role)
    _loaded(page)


def _cards(page: Page) -> list[Json]:
    cards: list[Json] = page.eval_on_selector_all(".round-card", _CARDS)
    return cards


def _shows_exactly(page: Page, rounds: list[Json]) -> None:
    """The cards on the page are these rounds, once each."""
    expect(page.locator(".round-card")).to_have_count(len(rounds))
    assert sorted(c["id"] for c in _cards(page)) == sorted(_ids(rounds))


def _emit(page: Page, event: str, detail: Json) -> None:
    """Emit a desk event as another view would (the module is the page's own instance)."""
    page.evaluate(
        "async ([event, detail]) => (await import('/static/js/state.js')).emit(event, detail)",
        [event, detail],
    )


def _no_page_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def test_the_coordinator_sees_exactly_the_published_rounds_with_their_lead_units(
    browser: Browser, desk_server: DeskServer, plans: Plans
) -> None:
    expected = _week_rounds(desk_server)
    assert expected, "the published sample week has rounds"
    page, errors = open_desk(browser)
    _open_week(page, desk_server, "coordinator")
    _shows_exactly(page, expected)
    by_id = {r["id"]: r for r in expected}
    for card in _cards(page):
        round_ = by_id[card["id"]]
        assert card["leads"] == [round_["lead_unit"]], card
        assert sorted(card["units"]) == sorted(round_["units"])
        assert card["date"] == round_["date"]
        assert card["row"] == round_["town"]  # rows are towns by default
    summary = page.locator("#week-summary")
    expect(summary).to_have_attribute("data-rounds", str(len(expected)))
    requests = sum(len(r["requests"]) for r in expected)
    expect(summary).to_have_attribute("data-requests", str(requests))
    expect(summary).to_have_attribute("data-saved", str(requests - len(expected)))
    per_day = Counter(r["date"] for r in expected)
    for day in DAYS:
        expect(page.locator(f'thead th[data-day="{day}"] .day-count')).to_have_text(
            f"{per_day[day]} 轮"
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "week-view.png"), full_page=True)
    assert errors.found == []
    page.context.close()


def test_filters_narrow_the_cards_to_what_the_api_returns(
    browser: Browser, desk_server: DeskServer, plans: Plans
) -> None:
    everything = _week_rounds(desk_server)
    page, errors = open_desk(browser)
    _open_week(page, desk_server, "coordinator")
    _shows_exactly(page, everything)

    towns = Counter(r["town"] for r in everything)
    town = next(t for t, n in towns.most_common() if n < len(everything))
    page.select_option("#week-town", town)
    _shows_exactly(page, _week_rounds(desk_server, town=town))
    page.select_option("#week-town", "")

    page.select_option("#week-unit", SAMPLE_UNIT)
    _shows_exactly(page, _week_rounds(desk_server, unit=SAMPLE_UNIT))
    page.select_option("#week-unit", "")

    code = everything[len(everything) // 2]["enterprise"]
    page.fill("#week-enterprise", code)
    _shows_exactly(page, _week_rounds(desk_server, enterprise=code))

    # part of a name: the API filters by code only, so the expectation is derived from its rounds
    part = everything[0]["enterprise_name"][3:7]
    page.fill("#week-enterprise", part)
    named = [r for r in everything if part in r["enterprise_name"]]
    assert 0 < len(named) < len(everything)
    _shows_exactly(page, named)

    page.fill("#week-enterprise", "没有这样的企业")
    expect(page.locator(".round-card")).to_have_count(0)
    expect(page.locator(".week-empty")).to_contain_text("没有符合筛选条件的轮次")
    page.get_by_role("button", name="清除筛选").click()
    _shows_exactly(page, everything)
    assert errors.found == []
    page.context.close()


def test_rows_by_unit_show_a_round_in_the_row_of_every_unit_taking_part(
    browser: Browser, desk_server: DeskServer, plans: Plans
) -> None:
    expected = {r["id"]: r for r in _week_rounds(desk_server)}
    page, errors = open_desk(browser)
    _open_week(page, desk_server, "coordinator")
    page.click('#week-rows [data-rows="unit"]')
    expect(page.locator('#week-rows [data-rows="unit"]')).to_have_attribute("aria-pressed", "true")
    places = sum(len(r["units"]) for r in expected.values())
    expect(page.locator(".round-card")).to_have_count(places)
    rows: dict[int, list[str]] = {}
    for card in _cards(page):
        rows.setdefault(card["id"], []).append(card["row"])
    assert {i: sorted(r) for i, r in rows.items()} == {
        i: sorted(r["units"]) for i, r in expected.items()
    }
    assert errors.found == []
    page.context.close()


def test_a_card_opens_the_round_with_each_items_legal_basis(
    browser: Browser, desk_server: DeskServer, plans: Plans
) -> None:
    rounds = _week_rounds(desk_server)
    chosen = max(rounds, key=lambda r: (len(r["requests"]), -r["id"]))
    detail = _get(desk_server, "coordinator", f"/rounds/{chosen['id']}")
    page, errors = open_desk(browser)
    _open_week(page, desk_server, "coordinator")
    page.click(f'.round-card[data-round-id="{chosen["id"]}"]')
    dialog = page.locator("#round-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#round-dialog-body")).to_have_attribute("data-status", "ready")
    expect(page.locator("#round-dialog-title")).to_have_text(detail["enterprise_name"])
    facts = page.locator(".round-facts")
    for value in (detail["enterprise"], detail["town"], detail["address"]):
        expect(facts).to_contain_text(value)
    expect(facts.locator(".chip.lead")).to_have_attribute("data-unit", detail["lead_unit"])
    sections = page.locator(".round-checklist")
    expect(sections).to_have_count(len(detail["checklists"]))
    for index, checklist in enumerate(detail["checklists"]):
        section = sections.nth(index)
        expect(section.locator(".checklist-title")).to_have_text(checklist["title"])
        expect(section.locator(".checklist-unit")).to_have_text(checklist["unit_name"])
        expect(section.locator(".badge")).to_have_text(
            DIALOG_TYPE_NAMES[checklist["inspection_type"]]
        )
        expect(section.locator(".item-name")).to_have_text([i["name"] for i in checklist["items"]])
        expect(section.locator(".item-basis")).to_have_text(
            [i["legal_basis"] or "未注明" for i in checklist["items"]]
        )
    assert any(i["legal_basis"] for c in detail["checklists"] for i in c["items"])
    dialog.get_by_role("button", name="关闭").click()
    expect(dialog).to_be_hidden()
    assert errors.found == []
    page.context.close()


def test_the_coordinator_can_look_at_a_draft_and_at_another_week(
    browser: Browser, desk_server: DeskServer, plans: Plans
) -> None:
    draft = [
        r
        for r in _get(desk_server, "coordinator", f"/plans/{plans.draft}/rounds")
        if SAMPLE_WEEK <= r["date"] <= WEEK_END
    ]
    page, errors = open_desk(browser)
    _open_week(page, desk_server, "coordinator")
    source = page.locator("#week-source")
    expect(source.locator(f'option[value="{plans.published}"]')).to_have_text(
        f"排期 #{plans.published}（已发布）"
    )
    expect(source.locator(f'option[value="{plans.draft}"]')).to_have_text(
        f"草案 #{plans.draft}（已完成）"
    )
    source.select_option(str(plans.draft))
    _loaded(page, source=str(plans.draft))
    _shows_exactly(page, draft)
    assert not _ids(draft) & _ids(_week_rounds(desk_server))  # really the draft's own rounds
    source.select_option("published")
    _loaded(page)
    _shows_exactly(page, _week_rounds(desk_server))

    # the desk's events: the planning view announces a finished run, then a publication
    plan = _get(desk_server, "coordinator", f"/plans/{plans.draft}")
    _emit(page, "plan-done", plan)
    _loaded(page, source=str(plans.draft))
    expect(source).to_have_value(str(plans.draft))
    _shows_exactly(page, draft)
    _emit(page, "published", plan)
    _loaded(page)
    expect(source).to_have_value("published")

    # any day of the next week shows that week, from its Monday
    monday = (date.fromisoformat(SAMPLE_WEEK) + timedelta(days=7)).isoformat()
    sunday = (date.fromisoformat(monday) + timedelta(days=6)).isoformat()
    page.fill("#week-date", (date.fromisoformat(monday) + timedelta(days=2)).isoformat())
    expect(page.locator("#week-date")).to_have_value(monday)
    _loaded(page, week=monday)
    later = _get(desk_server, "coordinator", "/rounds", **{"from": monday, "to": sunday})
    _shows_exactly(page, later)
    if not later:
        expect(page.locator(".week-empty")).to_contain_text("本周没有已发布的检查轮次")
        expect(page.get_by_role("button", name="去排期")).to_be_visible()
    page.click("#week-prev")
    expect(page.locator("#week-date")).to_have_value(SAMPLE_WEEK)
    _loaded(page)
    _shows_exactly(page, _week_rounds(desk_server))
    assert errors.found == []
    page.context.close()


def test_a_unit_sees_all_its_rounds_and_no_others(
    browser: Browser, desk_server: DeskServer, plans: Plans
) -> None:
    own = _week_rounds(desk_server, "unit")
    assert own
    assert all(SAMPLE_UNIT in r["units"] for r in own)
    assert _ids(own) == _ids(_week_rounds(desk_server, unit=SAMPLE_UNIT))
    page, errors = open_desk(browser)
    _open_week(page, desk_server, "unit")
    _shows_exactly(page, own)
    assert all(SAMPLE_UNIT in c["units"] for c in _cards(page))
    expect(page.locator("#week-unit")).to_have_count(0)  # a unit key reads its own rounds only
    expect(page.locator("#week-source")).to_have_count(0)
    assert errors.found == []
    page.context.close()


def _expected_load(units: list[Json], rounds: list[Json]) -> dict[str, Json]:
    expected = {}
    for unit in units:
        for index, day in enumerate(DAYS):
            used = sum(1 for r in rounds if r["date"] == day and unit["id"] in r["units"])
            capacity = 0 if day in unit["days_off"] else unit["weekday_capacity"][index]
            expected[f"{unit['id']} {day}"] = {"used": used, "capacity": capacity}
    return expected


def _shown_load(page: Page) -> dict[str, Json]:
    bars: list[Json] = page.eval_on_selector_all(
        ".load-bar",
        """bars => bars.map(b => ({
            key: b.dataset.unit + ' ' + b.dataset.day,
            used: Number(b.dataset.used),
            capacity: Number(b.dataset.capacity),
            label: b.querySelector('.load-label').textContent,
            over: b.classList.contains('over'),
        }))""",
    )
    for bar in bars:
        used, capacity = bar["used"], bar["capacity"]
        label = "休" if capacity == used == 0 else f"{used}/{capacity}"
        assert bar["label"] == label, bar
        assert bar["over"] == (used > capacity), bar
    return {b["key"]: {"used": b["used"], "capacity": b["capacity"]} for b in bars}


@pytest.mark.parametrize("role", ["coordinator", "unit"])
def test_the_load_view_counts_each_units_rounds_against_its_capacity(
    browser: Browser, desk_server: DeskServer, plans: Plans, role: str
) -> None:
    units = _get(desk_server, role, "/units")
    if role == "unit":
        units = [u for u in units if u["id"] == SAMPLE_UNIT]
    expected = _expected_load(units, _week_rounds(desk_server, role))
    assert any(v["used"] for v in expected.values())
    page, errors = open_desk(browser)
    sign_in(page, desk_server, role, "#load")
    expect(page.locator("#load-body")).to_have_attribute("data-week", SAMPLE_WEEK)
    expect(page.locator("#load-body")).to_have_attribute("data-status", "ready")
    expect(page.locator(".load-bar")).to_have_count(len(expected))
    assert _shown_load(page) == expected
    assert errors.found == []
    page.context.close()


@pytest.mark.parametrize("role", ["coordinator", "unit"])
def test_at_a_phones_width_the_week_is_a_list_by_day(
    browser: Browser, desk_server: DeskServer, plans: Plans, role: str
) -> None:
    expected = _week_rounds(desk_server, role)
    page, errors = open_desk(browser, 390, 844)
    _open_week(page, desk_server, role)
    expect(page.locator("#week-body")).to_have_attribute("data-layout", "days")
    expect(page.locator(".week-day")).to_have_count(7)
    _shows_exactly(page, expected)
    expect(page.locator(".round-card").first).to_be_visible()
    _no_page_scroll(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = "week-view-phone.png" if role == "coordinator" else "week-view-phone-unit.png"
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    page.get_by_role("tab", name="负荷").click()
    expect(page.locator("#load-body")).to_have_attribute("data-week", SAMPLE_WEEK)
    expect(page.locator("#load-body")).to_have_attribute("data-status", "ready")
    expect(page.locator(".load-bar").first).to_be_visible()
    _no_page_scroll(page)
    wrap = page.locator("#load-body .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the table scrolls in its box
    assert errors.found == []
    page.context.close()
