"""Benchmark: how fast the desk (the web UI at `/`) draws, sample week against a large district.

Run by hand (not part of the tests)::

    .venv/bin/python bench/desk_render.py --repeats 7 --scales 4 8

Each data set gets a fresh SQLite database and the real server (`inspection
serve`), and its week is planned and published through the API as a
coordinator would (`POST /api/v1/plans`, then `/publish`):

- `sample`: the sample files (`sample_checklists/`, as `inspection demo` and
  the desk tests load them), the week of 2024-04-08;
- `S×k`: `generate("S", seed, scale=k)`, a district's week with k times the
  requests, stored over HTTP the way `plan_overhead.py` stores it.

Then, in Debian's headless Chromium under Playwright (`/usr/bin/chromium`,
1366×900, zh-CN), once to warm up and `--repeats` times, each in a fresh
browser context (empty cache and session storage), signed in as a
coordinator on `/?week=MONDAY`:

- `sign-in → week`: from the click on the sign-in button to the week view's
  `#week-body[data-status="ready"]` holding every round's `.round-card`;
- `round dialog`: a click on the first card to `#round-dialog-body[data-status="ready"]`;
- `→ figures`: the figures tab to its three charts (`svg.chart` by month,
  unit and town) drawn and the view no longer busy;
- `→ load`: the load tab to `#load-body[data-status="ready"]`.

Each time is measured in the page (`performance.now()`): the click, a
MutationObserver until the condition holds, then one frame more
(`requestAnimationFrame` + `setTimeout`) so that style, layout and paint of
what was drawn are included. The sign-in is split in three: `last answer`
(click → the last API answer fully received, from the page's resource timing:
`/me`, then `/units`, then `/rounds` and `/plans` together), `script` (→ the
condition holds: parsing the answers, building the cards) and `render` (→ the
frame after: style, layout, paint). Alongside it: the style and layout time of
the renderer's main thread (the Chrome DevTools Protocol's
`Performance.getMetrics`, before and after), the JS heap after a forced
garbage collection (`JSHeapUsedSize`; DOM nodes live outside it), the page's
elements, and the KB of the sign-in's API answers (bodies and headers, as
Playwright's `Request.sizes()` reports them).

Prints a Markdown table of the medians per data set (each column its own
median, so the parts need not add up to the whole), the ratio of each large
district to the sample, and the bytes of the page and its static files: on
first load, on a reload in the same context (revalidated: the server sends
`Cache-Control: no-cache` and ETags), and what gzip would make of them.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Browser, Page, Request, sync_playwright

from plan_overhead import store
from service_common import KEYS, bench_client, fresh_database, machine, median, server

__all__ = ["main"]

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_checklists"
SAMPLE_WEEK = ("2024-04-08", "2024-04-14")
# as the desk tests start it: as root on a closed network, no sandbox, no background traffic
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Click `click`, wait until every [selector, at least] holds, then one frame more.
_TIMED_CLICK = """async ([click, conditions]) => {
  const holds = () => conditions.every(([s, n]) => document.querySelectorAll(s).length >= n);
  const t0 = performance.now();
  document.querySelector(click).click();
  await new Promise((resolve) => {
    if (holds()) return resolve();
    const watch = new MutationObserver(() => {
      if (holds()) { watch.disconnect(); resolve(); }
    });
    watch.observe(document, { subtree: true, childList: true, attributes: true });
  });
  const ready = performance.now() - t0;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const painted = performance.now() - t0;
  const answered = performance
    .getEntriesByType("resource")
    .filter((e) => e.startTime >= t0)
    .reduce((last, e) => Math.max(last, e.responseEnd - t0), 0);
  return [answered, ready, painted];
}"""
_COUNTS = """() => ({
  elements: document.getElementsByTagName('*').length,
  cards: document.querySelectorAll('#week-body .round-card').length,
})"""
# (key of measure()'s figures, column heading)
COLUMNS = (
    ("rounds", "rounds"),
    ("week", "sign-in → week ms"),
    ("answered", "last answer ms"),
    ("script", "script ms"),
    ("paint", "render ms"),
    ("style", "(style ms)"),
    ("layout", "(layout ms)"),
    ("heap", "JS heap MB"),
    ("elements", "elements"),
    ("api_kb", "API KB"),
    ("dialog", "round dialog ms"),
    ("figures", "→ figures ms"),
    ("load", "→ load ms"),
)


@dataclass(frozen=True)
class Desk:
    """A served database with its week published."""

    name: str
    base: str
    week: tuple[str, str]
    rounds: int


def _publish(client: httpx.Client, start: str, end: str, time_limit_s: float) -> int:
    """Plan the week, wait for it, publish it; the published rounds of the week."""
    body = {"start": start, "end": end, "time_limit_s": time_limit_s}
    answer = client.post("/api/v1/plans", json=body)
    answer.raise_for_status()
    plan = answer.json()
    deadline = time.monotonic() + time_limit_s + 300
    while plan["status"] in ("queued", "running", "storing"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"plan {plan['id']} still {plan['status']}")
        time.sleep(0.3)
        plan = client.get(f"/api/v1/plans/{plan['id']}").json()
    if plan["status"] not in ("finished", "stopped"):
        raise RuntimeError(f"plan ended {plan['status']}: {plan['error']}")
    client.post(f"/api/v1/plans/{plan['id']}/publish").raise_for_status()
    rounds = client.get("/api/v1/rounds", params={"from": start, "to": end})
    rounds.raise_for_status()
    return len(rounds.json())


def _load_samples(url: str) -> None:
    """Upgrade the database and import the sample files, as `inspection demo` does."""
    from sqlmodel import Session

    from inspection.db.engine import make_engine, upgrade
    from inspection.services.access import Actor, Role
    from inspection.services.demo import approve_as_heads, load_samples
    from inspection.services.reference.service import list_units
    from inspection.settings import Settings

    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        load_samples(session, Actor("bench", Role.ADMIN), SAMPLES, Settings().max_upload_bytes)
        session.commit()
        # imported as drafts: each unit's head approves them, as the demo does
        heads = [
            Actor(f"bench-{u.id}-head", Role.UNIT, unit_id=u.id, unit_head=True)
            for u in list_units(session)
        ]
        approve_as_heads(session, heads)
    engine.dispose()


@contextmanager
def desk(name: str, scale: float, seed: int, time_limit_s: float) -> Iterator[Desk]:
    """A served database with its week published: the sample (scale 0) or `S` at `scale`."""
    from inspection.generator import generate

    folder = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    try:
        database = fresh_database("sqlite", folder)
        problem = None
        if scale:
            problem = generate("S", seed, scale=scale)
            week = (problem.horizon.start.isoformat(), problem.horizon.end.isoformat())
        else:
            _load_samples(database.url)
            week = SAMPLE_WEEK
        with server(database) as (base, _pid), bench_client(base, 120) as client:
            started = time.monotonic()
            if problem is not None:
                store(client, problem)
            stored = time.monotonic()
            rounds = _publish(client, *week, time_limit_s)
            print(
                f"{name}: {rounds} rounds in the week of {week[0]} "
                f"(stored {stored - started:.0f} s, planned and published "
                f"{time.monotonic() - stored:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
            yield Desk(name=name, base=base, week=week, rounds=rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _timed(page: Page, click: str, *conditions: tuple[str, int]) -> tuple[float, float, float]:
    """From clicking `click`: ms to the last answer fetched, to every condition, to the paint."""
    times = page.evaluate(_TIMED_CLICK, [click, [list(c) for c in conditions]])
    answered, ready, painted = (float(t) for t in times)
    return answered, ready, painted


def _metrics(cdp: Any) -> dict[str, float]:
    answer = cdp.send("Performance.getMetrics")
    return {m["name"]: float(m["value"]) for m in answer["metrics"]}


def _size(request: Request) -> int:
    sizes = request.sizes()
    return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])


def measure(browser: Browser, target: Desk) -> dict[str, float]:
    """One run in a fresh browser context: every time, the heap, the elements, the bytes."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(120_000)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        finished: list[Request] = []
        page.on("requestfinished", lambda request: finished.append(request))
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(f"{target.base}/?week={target.week[0]}")
        page.wait_for_selector("#login-form", state="visible")
        first_load = list(finished)
        page.fill("#api-key", KEYS["coordinator"])
        before = _metrics(cdp)
        answered, ready, week = _timed(
            page,
            "#login-form button[type=submit]",
            ('#week-body[data-status="ready"]', 1),
            ("#week-body .round-card", target.rounds),
        )
        after = _metrics(cdp)
        sign_in = finished[len(first_load) :]
        cdp.send("HeapProfiler.collectGarbage")
        heap = _metrics(cdp)["JSHeapUsedSize"]
        counts = page.evaluate(_COUNTS)
        *_, dialog = _timed(
            page, "#week-body .round-card", ('#round-dialog-body[data-status="ready"]', 1)
        )
        page.evaluate("() => document.getElementById('round-dialog').close()")
        *_, figures = _timed(
            page,
            '#tabs [data-view="figures"]',
            *((f'svg.chart[data-group-by="{g}"]', 1) for g in ("month", "unit", "town")),
            ("#view-figures:not([aria-busy])", 1),
        )
        *_, load = _timed(page, '#tabs [data-view="load"]', ('#load-body[data-status="ready"]', 1))
        seen = len(finished)
        page.reload()  # the same context: its cache revalidated (`Cache-Control: no-cache`)
        page.wait_for_selector('#load-body[data-status="ready"]')
        if errors:
            raise RuntimeError(f"the page raised: {errors}")
        # the favicon may come after the login form (and again on each view): each file once
        first = {r.url: r for r in reversed(finished[:seen]) if "/api/" not in r.url}
        static = list(first.values())
        again = [r for r in finished[seen:] if "/api/" not in r.url]
        return {
            "rounds": counts["cards"],
            "week": week,
            "answered": answered,
            "script": ready - answered,
            "paint": week - ready,
            "style": (after["RecalcStyleDuration"] - before["RecalcStyleDuration"]) * 1000,
            "layout": (after["LayoutDuration"] - before["LayoutDuration"]) * 1000,
            "heap": heap / 2**20,
            "elements": counts["elements"],
            "api_kb": sum(_size(r) for r in sign_in if "/api/" in r.url) / 1024,
            "dialog": dialog,
            "figures": figures,
            "load": load,
            **_by_kind("first", static),
            **_by_kind("again", again),
        }
    finally:
        context.close()


KINDS = ("page", "js", "css", "svg")


def _kind(url: str) -> str:
    path = urlsplit(url).path
    kind = "page" if path == "/" else path.rsplit(".", 1)[-1]
    if kind not in KINDS:
        raise RuntimeError(f"unexpected file {url}")
    return kind


def _by_kind(load: str, requests: list[Request]) -> dict[str, float]:
    """Responses and KB of a load, in all and by kind (page, js, css, svg)."""
    figures = {f"{load} files": float(len(requests)), f"{load} KB": 0.0}
    for kind in KINDS:
        figures[f"{load} {kind} files"] = figures[f"{load} {kind} KB"] = 0.0
    for request in requests:
        kind, size = _kind(request.url), _size(request) / 1024
        figures[f"{load} KB"] += size
        figures[f"{load} {kind} files"] += 1
        figures[f"{load} {kind} KB"] += size
    return figures


def _gzip_kb() -> float:
    """KB of the page and its static files compressed by gzip -6 (the server sends them plain)."""
    from inspection.web.pages import STATIC_DIR

    files = [f for f in STATIC_DIR.rglob("*") if f.is_file()]
    return sum(len(gzip.compress(f.read_bytes(), 6)) for f in files) / 1024


def _row(name: str, figures: dict[str, float]) -> str:
    cells = [f"{figures[k]:.1f}" if k == "heap" else f"{figures[k]:,.0f}" for k, _ in COLUMNS]
    return f"| {name} | " + " | ".join(cells) + " |"


def run(repeats: int, scales: list[float], seed: int, time_limit_s: float) -> None:
    """Measure the sample and each scale; print the tables."""
    print(f"{machine()}; {CHROMIUM} headless, {repeats} runs after 1 warm-up")
    results: dict[str, dict[str, float]] = {}
    loads: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"Chromium {browser.version}", flush=True)
        datasets = [("sample", 0.0)] + [(f"S×{s:g}", s) for s in scales]
        for name, scale in datasets:
            with desk(name, scale, seed, time_limit_s) as target:
                measure(browser, target)  # warm-up
                runs = [measure(browser, target) for _ in range(repeats)]
            for r in runs:
                if r["rounds"] != target.rounds:
                    raise RuntimeError(f"{name}: {r['rounds']} cards for {target.rounds} rounds")
            results[name] = {k: median([r[k] for r in runs]) for k in runs[0]}
            spread = [r["week"] for r in runs]
            print(
                f"{name}: sign-in → week {min(spread):.0f}–{max(spread):.0f} ms over the runs",
                flush=True,
            )
            loads = {k: v for k, v in results[name].items() if k.startswith(("first", "again"))}
        browser.close()
    print("| data set | " + " | ".join(heading for _, heading in COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for name, figures in results.items():
        print(_row(name, figures))
    sample = results["sample"]
    for name, figures in list(results.items())[1:]:
        ratios = [figures[k] / sample[k] if sample[k] else 0.0 for k, _ in COLUMNS]
        print(f"| {name} / sample | " + " | ".join(f"{r:.1f}×" for r in ratios) + " |")
    for load, what in (("first", "first load"), ("again", "reload, same context")):
        parts = ", ".join(
            f"{kind} {loads[f'{load} {kind} files']:.0f} × {loads[f'{load} {kind} KB']:.1f} KB"
            for kind in KINDS
        )
        print(
            f"{what} (`/` and its static files): {loads[f'{load} files']:.0f} responses, "
            f"{loads[f'{load} KB']:.1f} KB ({parts})"
        )
    print(f"the same files gzip -6 compressed: {_gzip_kb():.1f} KB")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7, help="measured runs per data set")
    parser.add_argument(
        "--scales", type=float, nargs="*", default=[4.0, 8.0], help="scales of the S district"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated district")
    parser.add_argument("--time-limit", type=float, default=10.0, help="solver seconds per plan")
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        parser.error(f"{CHROMIUM} is missing (apt-get install chromium)")
    run(args.repeats, args.scales, args.seed, args.time_limit)


if __name__ == "__main__":
    main()
