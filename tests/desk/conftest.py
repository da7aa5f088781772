"""The desk's fixtures: a served sample database per module and one Chromium per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.desk import (
    CHROMIUM,
    VISIT_DAY,
    DeskServer,
    launch_chromium,
    start_desk_server,
)


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskServer]:
    """`inspection serve` on a fresh sample database (one per test module)."""
    with start_desk_server(tmp_path_factory.mktemp("desk")) as server:
        yield server


@pytest.fixture(scope="module")
def desk_server_on_visit_day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskServer]:
    """`inspection serve` on a fresh sample database, taking the sample week's Tuesday,
    2024-04-09, as today (so that its visits' outcomes may be recorded and back-filled)."""
    folder = tmp_path_factory.mktemp("desk-on-visit-day")
    with start_desk_server(folder, {"TODAY": VISIT_DAY}) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`)"
        )
    with sync_playwright() as playwright:
        yield launch_chromium(playwright)
