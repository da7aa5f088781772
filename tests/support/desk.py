"""The desk in a real browser: a served sample database and Debian's Chromium under Playwright.

The fixtures are registered once, in tests/desk/conftest.py (a session-scoped
browser imported into several modules would start Playwright once per module).
Each test module gets its own server (`inspection serve`, a subprocess) on a fresh
SQLite file holding the sample units, enterprises and checklists, and keys for
every role. Chromium is Debian's (`/usr/bin/chromium`): `.ci/run` installs it,
and a machine without it fails these tests rather than skipping them.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright
from sqlmodel import Session

from inspection.db.engine import make_engine, upgrade
from inspection.services.access import Actor, Role
from inspection.services.demo import approve_as_heads, load_samples
from inspection.services.planning.models import ACTIVE_STATUSES, DONE_STATUSES
from inspection.services.reference.service import list_units
from inspection.services.trust.keys import create_key
from inspection.settings import Settings
from tests.support.data import head_of
from tests.support.paths import ROOT, SAMPLES

__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "SAMPLE_UNIT",
    "SAMPLE_WEEK",
    "VISIT_DAY",
    "DeskServer",
    "PageErrors",
    "launch_chromium",
    "open_desk",
    "publish_sample_week",
    "sign_in",
    "start_desk_server",
]

CHROMIUM = os.environ.get("INSPECTION_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("INSPECTION_TEST_ARTIFACTS", ROOT / "test-artifacts"))
SAMPLE_WEEK = "2024-04-08"
SAMPLE_UNIT = "SCJG"  # 清城区市场监督管理局, a unit of the sample files
VISIT_DAY = "2024-04-09"  # the sample week's Tuesday: "today" where outcomes are recorded
_BIN = Path(sys.executable).parent
# as root on a machine with a closed network: no sandbox, no background connections
_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class DeskServer:
    """A served sample database and a key per role."""

    base: str
    keys: dict[str, str]
    folder: Path
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _prepare(folder: Path) -> dict[str, str]:
    engine = make_engine(f"sqlite:///{(folder / 'inspection.db').resolve()}")
    try:
        upgrade(engine)
        issuer = Actor(name="desk tests", role=Role.ADMIN)
        with Session(engine) as session:
            # without the units' catalogues: the desk's tests submit free-form items, which
            # a unit with a published catalogue would refuse (tests/desk/test_catalogue.py
            # publishes one through the page)
            load_samples(session, issuer, SAMPLES, Settings().max_upload_bytes, catalogue=False)
            session.commit()
            # imported as drafts: each unit's head approves them, as the demo does
            approve_as_heads(session, [head_of(unit.id) for unit in list_units(session)])
            keys: dict[str, str] = {
                str(role): create_key(session, issuer, role, name=f"测试{role}").key
                for role in (Role.COORDINATOR, Role.AUDITOR, Role.ADMIN)
            }
            keys["unit"] = create_key(session, issuer, Role.UNIT, SAMPLE_UNIT, name="测试单位").key
            keys["head"] = create_key(
                session, issuer, Role.UNIT, SAMPLE_UNIT, name="测试单位负责人", unit_head=True
            ).key
            for unit in list_units(session):  # "head-<unit>": each unit's head
                keys[f"head-{unit.id}"] = create_key(
                    session, issuer, Role.UNIT, unit.id, name=f"{unit.id}负责人", unit_head=True
                ).key
        return keys
    finally:
        engine.dispose()


@contextmanager
def start_desk_server(folder: Path, settings: dict[str, str] | None = None) -> Iterator[DeskServer]:
    """`inspection serve` on a fresh sample database in `folder`, stopped on exit.

    Args:
        settings: More of the server's settings, by name without the prefix
            (``{"TODAY": "2024-04-09"}``).
    """
    keys = _prepare(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env["INSPECTION_DATA_DIR"] = str(folder)
    env.update({f"INSPECTION_{name}": value for name, value in (settings or {}).items()})
    port = _free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [str(_BIN / "inspection"), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            assert process.poll() is None, (folder / "server.log").read_text()
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.1)
        yield DeskServer(base=base, keys=keys, folder=folder, process=process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def publish_sample_week(server: DeskServer, time_limit_s: float = 5) -> int:
    """Plan and publish the sample week through the API, as a coordinator would; the plan id."""
    headers = {"Authorization": f"Bearer {server.keys['coordinator']}"}
    with httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=30) as api:
        body = {"start": SAMPLE_WEEK, "end": "2024-04-14", "time_limit_s": time_limit_s}
        start = api.post("/plans", json=body)
        assert start.status_code == 202, start.text
        plan_id: int = start.json()["id"]
        deadline = time.monotonic() + 180
        while (plan := api.get(f"/plans/{plan_id}").json())["status"] in ACTIVE_STATUSES:
            assert time.monotonic() < deadline, f"plan {plan_id} still {plan['status']}"
            time.sleep(0.5)
        assert plan["status"] in DONE_STATUSES, plan
        publish = api.post(f"/plans/{plan_id}/publish")
        assert publish.status_code == 200, publish.text
        return plan_id


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with no connection of its own to the closed network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=_CHROMIUM_ARGS)


@dataclass
class PageErrors:
    """Script errors and console errors the page raised (expected HTTP errors aside)."""

    found: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        # the browser logs every 4xx fetch; tests that expect one allow it by pattern
        if text.startswith("Failed to load resource") and any(
            p.search(message.location.get("url", "")) for p in self.allowed
        ):
            return
        self.found.append(f"{text} ({message.location.get('url', '')})")

    def allow(self, url_pattern: str) -> None:
        """Let the page fetch URLs matching this pattern with an error status."""
        self.allowed.append(re.compile(url_pattern))


def open_desk(browser: Browser, width: int = 1366, height: int = 900) -> tuple[Page, PageErrors]:
    """A new browser context (its own sessionStorage) and page, collecting errors."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors = PageErrors()
    page.on("console", errors.console)
    page.on("pageerror", lambda error: errors.found.append(f"{error.name}: {error.message}"))
    return page, errors


def sign_in(page: Page, server: DeskServer, role: str, hash_: str = "") -> None:
    """Open the desk on the sample week and enter the role's key."""
    page.goto(f"{server.base}/?week={SAMPLE_WEEK}{hash_}")
    page.fill("#api-key", server.keys[role])
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#tabs button", state="visible")
