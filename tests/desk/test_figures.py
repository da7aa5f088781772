"""The figures view in Chromium: the year's visits saved, three charts and the annual
paragraph, each checked against what the API itself answers for the same year."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
    start_desk_server,
)

YEAR = SAMPLE_WEEK[:4]
GROUPINGS = ("month", "unit", "town")


def _get(server: DeskServer, path: str, **params: str) -> Any:
    response = httpx.get(
        f"{server.base}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {server.keys['coordinator']}"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def _stats(server: DeskServer, group_by: str) -> Any:
    return _get(
        server,
        "/stats/visits",
        **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"},
        group_by=group_by,
    )


@pytest.fixture(scope="module")
def published(desk_server: DeskServer) -> DeskServer:
    """The module's server with the sample week published."""
    publish_sample_week(desk_server)
    return desk_server


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskServer]:
    """A second served sample database on which nothing is ever published."""
    with start_desk_server(tmp_path_factory.mktemp("desk-fresh")) as server:
        yield server


def _bars(page: Page, group_by: str) -> dict[str, int]:
    chart = page.locator(f'svg.chart[data-group-by="{group_by}"] .bar')
    found: dict[str, int] = chart.evaluate_all(
        "bars => Object.fromEntries(bars.map(b => [b.dataset.key, Number(b.dataset.saved)]))"
    )
    return found


def _open_figures(browser: Browser, server: DeskServer, role: str, width: int = 1366) -> Any:
    page, errors = open_desk(browser, width=width, height=900 if width > 640 else 844)
    sign_in(page, server, role, "#figures")
    expect(page.locator("#view-figures")).to_be_visible()
    return page, errors


@pytest.mark.parametrize("role", ["coordinator", "auditor"])
def test_the_figures_are_the_apis_figures(
    browser: Browser, published: DeskServer, role: str
) -> None:
    by = {group_by: _stats(published, group_by) for group_by in GROUPINGS}
    total = by["month"]["total"]
    assert total["visits_saved"] > 0  # the sample week does merge visits
    annual = _get(published, "/reports/annual", year=YEAR)

    page, errors = _open_figures(browser, published, role)
    saved = page.locator("#figures-total-saved")
    expect(saved).to_have_attribute("data-value", str(total["visits_saved"]))
    expect(saved).to_have_text(f"{total['visits_saved']:,}")
    expect(page.locator("#figures-requests")).to_have_attribute(
        "data-value", str(total["requests"])
    )
    expect(page.locator("#figures-rounds")).to_have_attribute("data-value", str(total["rounds"]))
    expect(page.locator("#figures-share")).to_have_text(f"{total['merged_share'] * 100:.1f}%")
    expect(page.locator("#figures-empty")).to_be_hidden()

    for group_by, stats in by.items():
        wanted = {g["key"]: g["announced_visits_saved"] for g in stats["groups"]}
        assert wanted, group_by
        chart = page.locator(f'svg.chart[data-group-by="{group_by}"]')
        expect(chart.locator(".bar")).to_have_count(len(wanted))
        expect(chart).to_have_attribute("role", "img")
        assert _bars(page, group_by) == wanted
        assert chart.locator(".bar title").first.text_content()
        # the accessible table beside the chart says the same, group by group
        table = page.locator(f'.figure-block[data-group-by="{group_by}"] table')
        expect(table.locator("tbody tr")).to_have_count(len(wanted))
        cells = table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [r.dataset.key, Number(r.cells[3].textContent)])"
        )
        assert dict(cells) == wanted

    # unit keys are shown by their names, months as "4月"
    unit = by["unit"]["groups"][0]
    expect(
        page.locator(f'.figure-block[data-group-by="unit"] tr[data-key="{unit["key"]}"] th')
    ).to_have_text(unit["label"])
    month = by["month"]["groups"][0]
    expect(
        page.locator(f'.figure-block[data-group-by="month"] tr[data-key="{month["key"]}"] th')
    ).to_have_text(f"{int(month['key'][5:])}月")

    expect(page.locator("#figures-annual")).to_have_text(annual["paragraph"])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#figures-copy")
    expect(page.locator("#toast")).to_have_text("已复制到剪贴板")
    assert page.evaluate("navigator.clipboard.readText()") == annual["paragraph"]
    if role == "coordinator":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "figures.png"), full_page=True)
    assert errors.found == []
    page.context.close()


def test_a_unit_filter_shows_that_units_share(browser: Browser, published: DeskServer) -> None:
    unit = next(g for g in _stats(published, "unit")["groups"] if g["visits_saved"] > 0)
    wanted = _get(
        published,
        "/stats/visits",
        **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"},
        unit=unit["key"],
        group_by="town",
    )
    page, errors = _open_figures(browser, published, "coordinator")
    expect(page.locator("#figures-total-saved")).not_to_have_text("—")
    page.select_option("#figures-unit", unit["key"])
    expect(page.locator("#figures-total-saved")).to_have_attribute(
        "data-value", str(wanted["total"]["visits_saved"])
    )
    expect(page.locator('svg.chart[data-group-by="town"] .bar')).to_have_count(
        len(wanted["groups"])
    )
    assert _bars(page, "town") == {g["key"]: g["announced_visits_saved"] for g in wanted["groups"]}
    assert errors.found == []
    page.context.close()


def test_the_charts_fit_a_phone(browser: Browser, published: DeskServer) -> None:
    page, errors = _open_figures(browser, published, "auditor", width=390)
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(len(GROUPINGS))
    widths = charts.evaluate_all("charts => charts.map(c => c.getBoundingClientRect().right)")
    inner = page.evaluate("window.innerWidth")
    assert all(0 < right <= inner for right in widths), (widths, inner)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors.found == []
    page.context.close()


def test_before_anything_is_published_the_figures_are_zero_and_say_why(
    browser: Browser, fresh_server: DeskServer
) -> None:
    assert _stats(fresh_server, "month")["total"]["requests"] == 0
    page, errors = _open_figures(browser, fresh_server, "coordinator")
    expect(page.locator("#figures-total-saved")).to_have_attribute("data-value", "0")
    expect(page.locator("#figures-total-saved")).to_have_text("0")
    expect(page.locator("#figures-requests")).to_have_text("0")
    empty = page.locator("#figures-empty")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("还没有已发布排期")
    expect(page.locator("svg.chart")).to_have_count(0)
    expect(page.locator(".figure-chart .empty")).to_have_count(len(GROUPINGS))
    paragraph = _get(fresh_server, "/reports/annual", year=YEAR)["paragraph"]
    expect(page.locator("#figures-annual")).to_have_text(paragraph)

    # once a plan is published the view reloads on the desk's "published" event
    publish_sample_week(fresh_server)
    total = _stats(fresh_server, "month")["total"]
    page.evaluate("import('/static/js/state.js').then(m => m.emit('published', {}))")
    expect(page.locator("#figures-total-saved")).to_have_attribute(
        "data-value", str(total["visits_saved"])
    )
    expect(empty).to_be_hidden()
    expect(page.locator("svg.chart")).to_have_count(len(GROUPINGS))
    assert errors.found == []
    page.context.close()
