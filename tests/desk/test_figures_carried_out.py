"""The figures view once outcomes are recorded: the carried-out figures, the detection rate by
unit, town and month, and what the headline counts (按已实施 / 按已公布), all the API's."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from inspection.db.engine import make_engine
from inspection.services.figures.names import BASIS_NAMES, METRICS
from inspection.services.reference.outcomes import OutcomeStatus
from tests.support.desk import (
    ARTIFACTS,
    SAMPLE_WEEK,
    DeskServer,
    open_desk,
    publish_sample_week,
    sign_in,
)
from tests.support.outcome_rows import confirm, live_rounds, record_outcome

YEAR = SAMPLE_WEEK[:4]


def _get(server: DeskServer, path: str, **params: Any) -> Any:
    response = httpx.get(
        f"{server.base}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {server.keys['auditor']}"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def with_outcomes(desk_server: DeskServer) -> DeskServer:
    """The sample week published; a third of its rounds with outcomes written in the tables."""
    publish_sample_week(desk_server)
    engine = make_engine(f"sqlite:///{(desk_server.folder / 'inspection.db').resolve()}")
    with Session(engine) as session:
        for index, round_ in enumerate(live_rounds(session)[::3]):
            units = sorted(round_.units)
            for position, unit in enumerate(units):
                status = OutcomeStatus.NOT_CARRIED_OUT if index % 5 == 4 else (
                    OutcomeStatus.CARRIED_OUT
                )  # fmt: skip
                record_outcome(session, round_, unit, status, problems_found=position == 0)
            if index % 4 != 3:  # a quarter left awaiting the lead unit's confirmation
                confirm(session, round_)
        session.commit()
    engine.dispose()
    return desk_server


@pytest.mark.parametrize("width", [1440, 390])
def test_the_figures_view_shows_what_was_carried_out_and_on_which_basis(
    browser: Browser, with_outcomes: DeskServer, width: int
) -> None:
    server = with_outcomes
    year = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
    total = _get(server, "/stats/visits", **year)["total"]
    assert total["basis"] == "mixed"
    assert 0 < total["rounds_carried_out"] < total["rounds"]
    assert total["visits_saved"] != total["announced_visits_saved"]
    page, errors = open_desk(browser, width=width)
    sign_in(page, server, "auditor", "#figures")
    basis = page.locator("#figures-basis")
    expect(basis).to_have_attribute("data-basis", "mixed")
    expect(basis).to_contain_text(BASIS_NAMES["mixed"])
    expect(page.locator("#figures-total-saved")).to_have_attribute(
        "data-value", str(total["visits_saved"])
    )
    carried = page.locator("#figures-carried")
    for field in ("rounds_carried_out", "requests_carried_out", "problem_rate", "cases_opened"):
        expect(carried).to_contain_text(METRICS[field][0])
    expect(page.locator("#figures-problem-rate")).to_have_text(
        f"{total['problem_rate'] * 100:.1f}%"
    )
    expect(page.locator("#figures-rounds-carried")).to_have_attribute(
        "data-value", str(total["rounds_carried_out"])
    )
    for split in ("unit", "town", "month"):
        groups = _get(server, "/stats/visits", **year, group_by=split)["groups"]
        table = page.locator(f'.figure-block[data-group-by="{split}"] table')
        expect(table.locator("thead")).to_contain_text(METRICS["problem_rate"][0])
        for group in groups:
            rate = group["problem_rate"]
            cell = table.locator(f'tr[data-key="{group["key"]}"] td[data-figure="problem_rate"]')
            expect(cell).to_have_text("—" if rate is None else f"{rate * 100:.1f}%")
    annual = _get(server, "/reports/annual", year=YEAR)
    assert "发现问题率" in annual["paragraph"]
    expect(page.locator("#figures-annual")).to_have_text(annual["paragraph"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"figures-carried-out-{width}.png"), full_page=True)
    for index, section in enumerate(page.locator("#view-figures .figures-basis").all()):
        section.screenshot(path=str(ARTIFACTS / f"figures-basis-{index}-{width}.png"))
    page.locator('.figure-block[data-group-by="unit"] .figure-table').screenshot(
        path=str(ARTIFACTS / f"figures-unit-table-{width}.png")
    )
    assert errors.found == []
    page.context.close()
