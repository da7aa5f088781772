"""Every figure every view shows is the API's, under one name: the week view (coordinator,
with a unit filter, a unit's own, a draft), the figures view and its annual figures, the
planning view of the published plan. A view that counts on its own, or names a figure its
own way, fails here."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from inspection.services.figures.names import METRICS, REPORT_FIGURES
from tests.support.desk import (
    SAMPLE_UNIT,
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
)

WEEK_END = "2024-04-14"
YEAR = SAMPLE_WEEK[:4]
WEEK_FIGURES = {"rounds": "rounds", "requests": "requests", "saved": "visits_saved"}


def _get(server: DeskServer, path: str, **params: Any) -> Any:
    response = httpx.get(
        f"{server.base}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {server.keys['coordinator']}"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def published(desk_server: DeskServer) -> tuple[DeskServer, int]:
    """The module's server with the sample week published, and the plan's id."""
    return desk_server, publish_sample_week(desk_server)


def _week_summary_matches(summary: Locator, total: dict[str, Any]) -> None:
    for attribute, field in WEEK_FIGURES.items():
        expect(summary).to_have_attribute(f"data-{attribute}", str(total[field]))
    expect(summary).to_have_attribute("data-joint", str(total["joint_rounds"]))
    for field in ("rounds", "joint_rounds", "requests", "visits_saved"):
        expect(summary.locator(f'[data-figure="{field}"]')).to_have_text(str(total[field]))
        expect(summary).to_contain_text(METRICS[field][0])


def _open(browser: Browser, server: DeskServer, role: str, view: str = "") -> tuple[Page, Any]:
    page, errors = open_desk(browser)
    sign_in(page, server, role, view)
    return page, errors


def test_the_week_view_shows_the_api_s_figures_for_every_reader(
    browser: Browser, published: tuple[DeskServer, int]
) -> None:
    server, _ = published
    week = {"from": SAMPLE_WEEK, "to": WEEK_END}
    everything = _get(server, "/stats/visits", **week)["total"]
    one_unit = _get(server, "/stats/visits", **week, unit=SAMPLE_UNIT)["total"]
    assert one_unit["rounds"] < everything["rounds"]  # a unit's share, not the whole week
    assert 0 < everything["joint_rounds"] < everything["rounds"]

    page, errors = _open(browser, server, "coordinator")
    summary = page.locator("#week-summary")
    _week_summary_matches(summary, everything)
    page.select_option("#week-unit", SAMPLE_UNIT)
    _week_summary_matches(summary, one_unit)
    assert errors.found == []
    page.context.close()

    page, errors = _open(browser, server, "unit")
    _week_summary_matches(page.locator("#week-summary"), one_unit)
    assert errors.found == []
    page.context.close()


def test_a_draft_s_week_is_counted_as_its_publication_would_be(
    browser: Browser, published: tuple[DeskServer, int]
) -> None:
    server, plan_id = published
    page, errors = _open(browser, server, "coordinator")
    page.select_option("#week-source", str(plan_id))
    expect(page.locator("#week-body")).to_have_attribute("data-source", str(plan_id))
    as_plan = _get(server, "/stats/visits", **{"from": SAMPLE_WEEK, "to": WEEK_END}, plan=plan_id)
    _week_summary_matches(page.locator("#week-summary"), as_plan["total"])
    published_total = _get(server, "/stats/visits", **{"from": SAMPLE_WEEK, "to": WEEK_END})
    assert as_plan["total"] == published_total["total"]  # the only plan published there
    assert errors.found == []
    page.context.close()


@pytest.mark.parametrize("role", ["coordinator", "auditor"])
def test_the_figures_view_and_its_annual_figures_are_the_api_s(
    browser: Browser, published: tuple[DeskServer, int], role: str
) -> None:
    server, _ = published
    total = _get(server, "/stats/visits", **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"})
    annual = _get(server, "/reports/annual", year=YEAR)
    page, errors = _open(browser, server, role, "#figures")
    cards = page.locator(
        "#figures-headline .stat, #figures-announced .stat, #figures-carried .stat"
    )
    expect(cards).to_have_count(len(METRICS))
    expect(cards.locator(".stat-value[data-value='']")).to_have_count(0)  # all loaded
    shown = cards.evaluate_all(
        "cards => cards.map(c => [c.querySelector('.stat-label').textContent,"
        " c.querySelector('.stat-value').dataset.value, c.querySelector('.hint').textContent])"
    )
    by_name = {name: (value, meaning) for name, value, meaning in shown}
    for field, (name, meaning) in METRICS.items():
        value = total["total"][field]
        expected = "null" if value is None else str(value)
        assert by_name.get(name) == (expected, meaning), (field, by_name)
    figures = page.locator("#figures-annual-figures")
    for field, (name, _meaning) in REPORT_FIGURES.items():
        value = figures.locator(f'dd[data-figure="{field}"]')
        figure = annual[field]
        expect(value).to_have_attribute("data-value", "null" if figure is None else str(figure))
        expect(figures).to_contain_text(name)
    expect(page.locator("#figures-annual")).to_have_text(annual["paragraph"])
    assert errors.found == []
    page.context.close()


def test_the_planning_view_of_the_published_plan_shows_the_week_s_figures(
    browser: Browser, published: tuple[DeskServer, int]
) -> None:
    server, plan_id = published
    plan = _get(server, f"/plans/{plan_id}")
    week = _get(server, "/stats/visits", **{"from": SAMPLE_WEEK, "to": WEEK_END})["total"]
    assert plan["statistics"]["visits_saved"] == week["visits_saved"]
    page, errors = _open(browser, server, "coordinator", "#plan")
    stats = page.locator("#plan-stats")
    expect(stats).to_be_visible(timeout=60_000)
    saved = stats.locator('[data-stat="saved"]')
    expect(saved.locator("dt")).to_have_text(METRICS["visits_saved"][0])
    expect(saved.locator("dd")).to_have_text(str(week["visits_saved"]))
    expect(stats.locator('[data-stat="rounds"] dd')).to_have_text(str(week["rounds"]))
    expect(stats.locator('[data-stat="joint"] dt')).to_have_text(METRICS["joint_rounds"][0])
    expect(stats.locator('[data-stat="joint"] dd')).to_have_text(str(week["joint_rounds"]))
    assert errors.found == []
    page.context.close()
