"""Benchmark: a whole year of the sample district, 52 weekly plans published in turn.

Run by hand (not part of the tests)::

    .venv/bin/python bench/year_simulation.py --backend sqlite
    .venv/bin/python bench/year_simulation.py --backend postgresql

A fresh database gets the packaged samples (units, enterprises, each unit's
published item catalogue, the cap rules, the enterprises' classes and
no-disturb list, the quiet-day rule and the rosters) and a year of checklists:
the sample quarter's 109 checklists in each of the four quarters of 2024 (the
same enterprises every quarter, so the yearly caps bite in the later quarters),
approved by the units' heads. Then the real server (`inspection serve`) plans
each week of 2024 through the API (`POST /plans`, polled until done, then
`POST /plans/{id}/publish`), Monday to Sunday, in turn.

Per week: `API s` (the POST to the answer saying it is done), `solver s` (the
solver's own wall time, which the plan records) and `overhead s` = their
difference; the goal is at most 5 s. After the year, every live published
round is checked again from the tables alone (`year_checks.violations`: approval,
quiet days, no-disturb, caps, officers, catalogue), and the caps' count made
there from the rounds (`year_checks.cap_counts`) is compared with the service's
(`services.rules.caps.year_use`, what the planner and the desk read) and with
what `GET /caps` shows.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from service_common import bench_client, fresh_database, machine, server
from year_checks import cap_counts, violations

__all__ = ["main"]

YEAR_START = date(2024, 1, 1)  # a Monday
WEEKS = 52
SAMPLE_QUARTER_START = date(2024, 4, 1)  # the packaged checklists' quarter
QUARTER_SHIFTS = {"Q1": -91, "Q2": 0, "Q3": 91, "Q4": 182}  # days, whole weeks
MAX_BYTES = 20_000_000


def _year_checklists(sample: bytes, shift_days: int, suffix: str) -> bytes:
    """The sample checklists file moved by `shift_days`, each 清单编号 suffixed."""
    from inspection.services.spreadsheets.io import read_table, table_xlsx

    rows = [row for _, row in read_table(sample, "checklists.xlsx", MAX_BYTES)]
    headers = list(rows[0])
    moved = []
    for row in rows:
        row = dict(row)
        for column in ("最早日期", "最晚日期"):
            if row.get(column):
                row[column] = (date.fromisoformat(row[column]) + timedelta(shift_days)).isoformat()
        if row.get("清单编号"):
            row["清单编号"] = f"{row['清单编号']}-{suffix}"
        moved.append([row.get(h, "") for h in headers])
    return table_xlsx("检查清单", headers, moved)


def setup(url: str) -> dict[str, int]:
    """Load the samples and a year of approved checklists; what was loaded."""
    from sqlmodel import Session

    from inspection.db.engine import make_engine, upgrade
    from inspection.services.access import Actor, Role
    from inspection.services.checklists.approval import approve_drafts
    from inspection.services.demo import load_samples, packaged_samples
    from inspection.services.reference.service import list_units
    from inspection.services.spreadsheets.imports import import_checklists

    folder = packaged_samples()
    actor = Actor("bench", Role.COORDINATOR)
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        counts = load_samples(session, actor, folder, MAX_BYTES)
        sample = (folder / "checklists.xlsx").read_bytes()
        for suffix, shift in QUARTER_SHIFTS.items():
            if shift:
                content = _year_checklists(sample, shift, suffix)
                import_checklists(session, actor, content, f"{suffix}.xlsx", MAX_BYTES)
        approved = 0
        for unit in list_units(session):
            head = Actor(f"head-{unit.id}", Role.UNIT, unit_id=unit.id, unit_head=True)
            approved += len(approve_drafts(session, head, unit.id))
    engine.dispose()
    return {
        "units": counts.units,
        "enterprises": counts.enterprises,
        "catalogue items": counts.catalogue_items,
        "cap rules": counts.cap_rules,
        "quiet-day rules": counts.quiet_day_rules,
        "classified enterprises": counts.classified,
        "officers": counts.officers,
        "checklists approved": approved,
    }


def _solver_seconds(url: str, plan_id: int) -> float:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as connection:
        raw = connection.execute(
            text("SELECT statistics FROM plans WHERE id = :id"), {"id": plan_id}
        ).scalar_one()
    engine.dispose()
    stats = json.loads(raw) if isinstance(raw, str) else raw
    return float(stats["wall_time_s"])


def plan_week(client: httpx.Client, url: str, start: date, limit_s: float) -> dict[str, Any]:
    """Plan one week through the API and publish it; its figures."""
    body = {"start": start.isoformat(), "end": (start + timedelta(6)).isoformat()}
    posted = time.monotonic()
    answer = client.post("/api/v1/plans", json={**body, "time_limit_s": limit_s})
    answer.raise_for_status()
    plan = answer.json()
    while plan["status"] in ("queued", "running"):
        time.sleep(0.05)
        plan = client.get(f"/api/v1/plans/{plan['id']}").json()
    api_s = time.monotonic() - posted
    if plan["status"] != "finished":
        raise RuntimeError(f"week {start}: plan ended {plan['status']}: {plan.get('error')}")
    published = client.post(f"/api/v1/plans/{plan['id']}/publish")
    published.raise_for_status()
    left = client.get(f"/api/v1/plans/{plan['id']}/unscheduled").json()
    stats = plan["statistics"]
    solver_s = _solver_seconds(url, plan["id"])
    return {
        "week": start.isoformat(),
        "requests": stats["requests"],
        "scheduled": stats["scheduled_requests"],
        "rounds": stats["rounds"],
        "optimal": stats["priority_optimal"] and stats["rounds_optimal"],
        "API_s": api_s,
        "solver_s": solver_s,
        "overhead_s": api_s - solver_s,
        "left_out": Counter(item["code"] for item in _items(left)),
    }


def _items(answer: Any) -> list[dict[str, Any]]:
    return answer["items"] if isinstance(answer, dict) and "items" in answer else list(answer)


def compare_caps(url: str, client: httpx.Client) -> tuple[int, int, int]:
    """The caps' count from the rounds against the service's: (keys compared, differing
    in the planner's count, differing in what GET /caps shows)."""
    from sqlmodel import Session

    from inspection.db.engine import make_engine
    from inspection.services.rules.caps import exempt_and_rules, year_use

    engine = make_engine(url)
    independent = {(c.year, c.unit_id, c.credit_code): c.counted for c in cap_counts(engine)}
    with Session(engine) as session:
        use = year_use(session, 2024, exempt_and_rules(session)[0])
    engine.dispose()
    service: dict[tuple[int, str | None, str], int] = {
        (2024, unit, code): n for (unit, code), n in use.pairs.items()
    }
    service.update({(2024, None, code): n for code, n in use.enterprises.items()})
    planner_differs = sum(
        independent.get(key, 0) != service.get(key, 0) for key in set(independent) | set(service)
    )
    shown_differs = 0
    for enterprise in client.get("/api/v1/caps", params={"year": 2024}).json():
        for cap in enterprise["caps"]:
            key = (2024, cap["unit_id"], cap["credit_code"])
            shown_differs += cap["used"] != independent.get(key, 0)
    return len(set(independent) | set(service)), planner_differs, shown_differs


def run(backend: str, limit_s: float) -> None:
    """The year on one backend, printed as a table and a summary."""
    folder = Path(tempfile.mkdtemp(prefix="bench-year-"))
    try:
        database = fresh_database(backend, folder, pg_name="bench_year")
        loaded = setup(database.url)
        print("loaded: " + ", ".join(f"{v} {k}" for k, v in loaded.items()), flush=True)
        weeks: list[dict[str, Any]] = []
        with server(database) as (base, _pid), bench_client(base, 120) as client:
            print(
                "| week | requests | scheduled | rounds | proven | API s | solver s | "
                "overhead s | left out by code |"
            )
            print("|---|---|---|---|---|---|---|---|---|")
            for n in range(WEEKS):
                week = plan_week(client, database.url, YEAR_START + timedelta(7 * n), limit_s)
                weeks.append(week)
                codes = ", ".join(f"{k} {v}" for k, v in sorted(week["left_out"].items()))
                print(
                    f"| {week['week']} | {week['requests']} | {week['scheduled']} | "
                    f"{week['rounds']} | {'yes' if week['optimal'] else 'no'} | "
                    f"{week['API_s']:.2f} | {week['solver_s']:.2f} | "
                    f"{week['overhead_s']:.2f} | {codes or '-'} |",
                    flush=True,
                )
            keys, planner_differs, shown_differs = compare_caps(database.url, client)
        from inspection.db.engine import make_engine

        engine = make_engine(database.url)
        found = violations(engine)
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    overheads = [w["overhead_s"] for w in weeks]
    left: Counter[str] = sum((w["left_out"] for w in weeks), Counter())
    print(f"\n{backend}: {machine()}")
    print(f"weeks planned and published: {len(weeks)}")
    print(
        f"overhead s: median {statistics.median(overheads):.2f}, max {max(overheads):.2f} "
        f"(goal: each at most 5 s); solver s median "
        f"{statistics.median(w['solver_s'] for w in weeks):.2f}"
    )
    print(f"requests left out by code over the year: {dict(sorted(left.items()))}")
    print(f"live rounds checked: {found.checked_rounds}; rules broken: {found.total}")
    for rule, what in sorted(found.by_rule.items()):
        print(f"  {rule}: {len(what)} (first: {what[:3]})")
    print(
        f"caps counted: {keys} (year, unit or all, enterprise) keys; differing from the "
        f"planner's count: {planner_differs}; differing from GET /caps: {shown_differs}"
    )


def main() -> None:
    """Parse the arguments and run the year."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--time-limit", type=float, default=10.0, help="per weekly plan, s")
    args = parser.parse_args()
    run(args.backend, args.time_limit)


if __name__ == "__main__":
    main()
