"""Benchmark: `GET /api/v1/stats/visits` over three years and a million published rounds.

Run by hand (not part of the tests)::

    .venv/bin/python bench/stats_scale.py --backend sqlite
    .venv/bin/python bench/stats_scale.py --backend postgresql

Builds a fresh database through the migrations (`make_engine` + `upgrade`),
then bulk-loads a history directly (executemany on SQLite, COPY on
PostgreSQL): 25 units, 8 towns, 3,000 enterprises, every statutory working
day of 2023-2025, one published plan per month, `--rounds` rounds with 1-4
requests each (mostly of different units; a tenth of the shared rounds bring
a second checklist of the lead unit), the checklists and requests they need
(a checklist per unit and month, up to 30 targets; items are left out, the
figures never read them), one `live_visits` row per placed request with its
flags as `services/ledger.py` sets them, and `visit_rollup` summed from it in
SQL. Thirty days of the rollup are then rebuilt by `ledger._rebuild_rollup`
and must come out identical.

Then it starts the real server (`inspection serve`) on that database and
times each query over HTTP (`--repeats` times after one warm-up), printing a
Markdown row with the median and the slowest, and checks the totals against
direct counts over `live_visits`. SQLite is not ANALYZEd (the service never
does); PostgreSQL is, as autovacuum would after such a load.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, text
from sqlmodel import Session

from service_common import bench_client, copy_rows, fresh_database, machine, server

__all__ = ["main"]

TOWNS = ("凤城街道", "东城街道", "洲心街道", "横荷街道", "源潭镇", "龙塘镇", "石角镇", "飞来峡镇")
TOWN_WEIGHTS = (18, 7, 13, 19, 20, 17, 22, 20)
SIZES = (1, 2, 3, 4)
SIZE_WEIGHTS = (45, 30, 15, 10)
FIRST, LAST = date(2023, 1, 1), date(2025, 12, 31)
DEFAULT_REGION = 1  # migration 0018's one district, which holds every row here
COLUMNS = {
    "units": ("id", "name", "weekday_capacity", "region_id"),
    "enterprises": ("credit_code", "name", "town", "industry", "address", "region_id"),
    "plans": [
        "id",
        "region_id",
        "horizon_start",
        "horizon_end",
        "time_limit_s",
        "status",
        "stop_requested",
        "published_at",
        "created_at",
        "started_at",
        "finished_at",
    ],
    "checklists": [
        "id",
        "unit_id",
        "title",
        "inspection_type",
        "earliest",
        "latest",
        "priority",
        "status",
        "version",
        "created_at",
        "updated_at",
    ],
    "requests": ("id", "checklist_id", "credit_code", "position", "active"),
    "plan_rounds": ("id", "plan_id", "credit_code", "day", "lead_unit_id", "units", "items"),
    "plan_round_requests": ("round_id", "request_id"),
    "live_visits": [
        "request_id",
        "round_id",
        "plan_id",
        "day",
        "unit_id",
        "town",
        "credit_code",
        "checklist_id",
        "counts_round",
        "merged",
        "joint",
        "first_of_checklist",
    ],
}
ROLLUP_SQL = """
INSERT INTO visit_rollup (day, unit_id, town, requests, rounds, merged, joint_rounds, checklists)
SELECT day, unit_id, town, count(*),
       sum(CASE WHEN counts_round THEN 1 ELSE 0 END),
       sum(CASE WHEN merged THEN 1 ELSE 0 END),
       sum(CASE WHEN joint AND counts_round THEN 1 ELSE 0 END),
       sum(CASE WHEN first_of_checklist THEN 1 ELSE 0 END)
FROM live_visits GROUP BY day, unit_id, town
"""

# --outcomes: a year of recorded outcomes (2024), as the outcomes routes would leave them:
# a code per round, one outcome per unit of it (1 in 20 not carried out, 1 in 3 found a
# problem, 1 in 12 of those a case), confirmed by the lead unit for 9 rounds in 10
OUTCOME_SQL = (
    """
INSERT INTO inspection_codes (code, credit_code, day, round_id, plan_id, created_at)
SELECT 'B' || id, credit_code, day, id, plan_id, day FROM plan_rounds
WHERE day BETWEEN '2024-01-01' AND '2024-12-31'
""",
    """
INSERT INTO visit_outcomes (code, unit_id, day, status, reason, problems_found, problem_note,
    case_opened, backfilled, backfill_reason, recorded_by, recorded_at, version)
SELECT 'B' || round_id, unit_id, day,
       CASE WHEN (round_id + length(unit_id)) % 20 = 0 THEN 'not_carried_out'
            ELSE 'carried_out' END,
       '', (round_id + length(unit_id)) % 3 = 0, '', (round_id + length(unit_id)) % 36 = 0,
       false, '', 'bench', day, 1
FROM (SELECT DISTINCT round_id, unit_id, day FROM live_visits
      WHERE day BETWEEN '2024-01-01' AND '2024-12-31') AS parts
""",
    """
INSERT INTO visit_confirmations (code, lead_unit_id, confirmed_by, confirmed_at)
SELECT 'B' || id, lead_unit_id, 'bench', day FROM plan_rounds
WHERE day BETWEEN '2024-01-01' AND '2024-12-31' AND id % 10 <> 0
""",
)

Rows = dict[str, list[tuple[Any, ...]]]


def _working_days() -> list[date]:
    from inspection.solver.calendar import is_statutory_working_day

    days, day = [], FIRST
    while day <= LAST:
        if is_statutory_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _reference(rng: random.Random) -> tuple[Rows, list[str], dict[str, str]]:
    """Units, enterprises and monthly plans; the unit ids and each enterprise's town."""
    from inspection.generator import generate

    units = generate("S", 1).units[:25]
    codes = [f"914418020{n:08d}X" for n in range(3000)]
    towns = {c: rng.choices(TOWNS, TOWN_WEIGHTS)[0] for c in codes}
    plans: list[tuple[Any, ...]] = []
    month = FIRST
    while month <= LAST:
        end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        moment = datetime(month.year, month.month, 1) - timedelta(days=7)  # naive UTC, as stored
        plans.append(
            (
                len(plans) + 1,
                DEFAULT_REGION,
                month,
                end,
                30.0,
                "finished",
                False,
                moment,
                moment,
                moment,
                moment,
            )
        )
        month = end + timedelta(days=1)
    rows: Rows = {
        "units": [
            (u.id, u.name, json.dumps([u.daily_capacity] * 5 + [0, 0]), DEFAULT_REGION)
            for u in units
        ],
        "enterprises": [
            (c, f"清城区企业{c[-9:-1]}", towns[c], "", "", DEFAULT_REGION) for c in codes
        ],
        "plans": plans,
    }
    return rows, [u.id for u in units], towns


class _Checklists:
    """The open checklists of a month: one per unit and slot, a new one when full."""

    def __init__(self, rows: Rows, first: date, last: date, counter: list[int]) -> None:
        self.rows, self.first, self.last, self.counter = rows, first, last, counter
        self.open: dict[tuple[str, int], tuple[int, set[str]]] = {}
        stamp = datetime(first.year, first.month, 1) - timedelta(days=10)
        self.defaults = (1, "submitted", 1, stamp, stamp)  # priority, status, version, times

    def of(self, unit: str, slot: int, code: str) -> int:
        current = self.open.get((unit, slot))
        if current is None or len(current[1]) >= 30 or code in current[1]:
            self.counter[0] += 1
            current = self.open[(unit, slot)] = (self.counter[0], set())
            title = f"{unit} {self.first:%Y年%m月}检查"
            self.rows["checklists"].append(
                (current[0], unit, title, "routine", self.first, self.last, *self.defaults)
            )
        current[1].add(code)
        return current[0]


def _history(
    rng: random.Random, days: list[date], rounds: int, units: list[str], towns: dict[str, str]
) -> Iterator[Rows]:
    """The rows of each month in turn: checklists, requests, rounds and live visits."""
    codes = list(towns)
    per_day, extra = divmod(rounds, len(days))
    checklist_ids, request_id, round_id = [0], 0, 0
    items = json.dumps(["日常检查"])
    months: dict[tuple[int, int], list[tuple[int, date]]] = {}
    for index, day in enumerate(days):
        months.setdefault((day.year, day.month), []).append((index, day))
    for plan_id, month_days in enumerate((months[k] for k in sorted(months)), start=1):
        rows: Rows = {name: [] for name in list(COLUMNS)[3:]}
        lists = _Checklists(rows, month_days[0][1], month_days[-1][1], checklist_ids)
        seen: set[int] = set()
        for index, day in month_days:
            for _ in range(per_day + (index < extra)):
                code = rng.choice(codes)
                size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
                members, slots = rng.sample(units, size), [0] * size
                if size >= 2 and rng.random() < 0.1:
                    members[1], slots[1] = members[0], 1  # a second checklist of the lead unit
                round_id += 1
                distinct = sorted(set(members), key=members.index)
                rows["plan_rounds"].append(
                    (round_id, plan_id, code, day, members[0], json.dumps(distinct), items)
                )
                for position, (unit, slot) in enumerate(zip(members, slots, strict=True)):
                    list_id = lists.of(unit, slot, code)
                    request_id += 1
                    rows["requests"].append((request_id, list_id, code, 0, True))
                    rows["plan_round_requests"].append((round_id, request_id))
                    place = (day, unit, towns[code], code, list_id)
                    flags = (position == 0, size >= 2, len(distinct) >= 2, list_id not in seen)
                    rows["live_visits"].append((request_id, round_id, plan_id, *place, *flags))
                    seen.add(list_id)
        yield rows


def _load(engine: Engine, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
    columns = COLUMNS[table]
    if not rows:
        return
    if engine.dialect.name == "postgresql":
        copy_rows(engine, table, columns, rows)
        return
    marks = ", ".join("?" for _ in columns)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(rows)
        )


def _outcome_fill() -> str:
    """Migration 0015's fill of `outcome_rollup` (the carried-out rule in SQL, all days)."""
    import importlib.util

    import inspection.db

    path = (
        Path(inspection.db.__file__).parent / "migrations" / "versions" / "0015_outcome_rollup.py"
    )
    spec = importlib.util.spec_from_file_location("migration_0015", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    statement: str = module.fill_statement()
    return statement


def record_outcomes(engine: Engine) -> float:
    """Write a year of outcomes and confirmations (:data:`OUTCOME_SQL`) and fill the outcome
    rollup from them in SQL (as migration 0015 does); the seconds it took."""
    started = time.monotonic()
    with engine.begin() as connection:
        for statement in OUTCOME_SQL:
            if engine.dialect.name == "postgresql":  # psycopg reads a lone % as a placeholder
                statement = statement.replace("%", "%%")
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("DELETE FROM outcome_rollup")
        connection.exec_driver_sql(_outcome_fill())
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return time.monotonic() - started


def build(engine: Engine, rounds: int, seed: int) -> dict[str, float]:
    """Load the history; the seconds each step took."""
    from inspection.db.engine import upgrade

    timings: dict[str, float] = {}
    started = time.monotonic()
    upgrade(engine)
    rng = random.Random(seed)
    reference, units, towns = _reference(rng)
    for table, rows in reference.items():
        _load(engine, table, rows)
    for month_rows in _history(rng, _working_days(), rounds, units, towns):
        for table in ("checklists", "requests", "plan_rounds", "plan_round_requests"):
            _load(engine, table, month_rows[table])
        _load(engine, "live_visits", month_rows["live_visits"])
    timings["rows"] = time.monotonic() - started
    started = time.monotonic()
    with engine.begin() as connection:
        connection.exec_driver_sql(ROLLUP_SQL)
        if engine.dialect.name == "postgresql":
            for table in ("plans", "plan_rounds", "requests", "checklists"):
                connection.exec_driver_sql(f"SELECT setval('{table}_id_seq', max(id)) FROM {table}")
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    timings["rollup"] = time.monotonic() - started
    return timings


def check_rollup(engine: Engine, days: int = 30) -> str:
    """Rebuild some days with the service's own code; they must match the SQL sums."""
    from inspection.services.ledger import _rebuild_rollup

    query = text("SELECT * FROM visit_rollup WHERE day IN :days ORDER BY day, unit_id, town")
    with Session(engine) as session:
        days_sql = text("SELECT DISTINCT day FROM visit_rollup ORDER BY day")
        all_days = list(session.execute(days_sql).scalars())
        sample = sorted(random.Random(7).sample(all_days, days))
        params = {"days": sample}
        bound = query.bindparams(bindparam("days", expanding=True))
        before = [tuple(r) for r in session.execute(bound, params)]
        started = time.monotonic()
        _rebuild_rollup(session, sample)
        elapsed = time.monotonic() - started
        after = [tuple(r) for r in session.execute(bound, params)]
        session.rollback()
    verdict = "identical" if before == after and before else "DIFFERENT"
    return (
        f"rollup of {days} days rebuilt by ledger._rebuild_rollup: {verdict} "
        f"({len(before)} rows, {elapsed * 1000 / days:.0f} ms a day)"
    )


def check_outcome_rollup(engine: Engine, days: int = 30) -> str:
    """Rebuild some days of 2024 with the service's own code; they must match the SQL fill."""
    from inspection.services.figures.outcome_rollup import rebuild_outcome_rollup

    query = text("SELECT * FROM outcome_rollup WHERE day IN :days ORDER BY day, unit_id, town")
    with Session(engine) as session:
        days_sql = text("SELECT DISTINCT day FROM outcome_rollup ORDER BY day")
        all_days = list(session.execute(days_sql).scalars())
        if not all_days:
            return "outcome rollup: empty (no outcomes)"
        sample = sorted(random.Random(7).sample(all_days, min(days, len(all_days))))
        params = {"days": sample}
        bound = query.bindparams(bindparam("days", expanding=True))
        before = [tuple(r) for r in session.execute(bound, params)]
        started = time.monotonic()
        rebuild_outcome_rollup(session, sample)
        elapsed = time.monotonic() - started
        after = [tuple(r) for r in session.execute(bound, params)]
        session.rollback()
    verdict = "identical" if before == after and before else "DIFFERENT"
    return (
        f"outcome rollup of {len(sample)} days rebuilt by rebuild_outcome_rollup: {verdict} "
        f"({len(before)} rows, {elapsed * 1000 / len(sample):.0f} ms a day)"
    )


def _queries(unit: str, town: str) -> list[tuple[str, dict[str, str]]]:
    year = {"from": "2024-01-01", "to": "2024-12-31"}
    return [
        ("no filter", {}),
        ("group_by=unit", {"group_by": "unit"}),
        ("group_by=town", {"group_by": "town"}),
        ("group_by=month", {"group_by": "month"}),
        ("2024, group_by=month", {**year, "group_by": "month"}),
        (f"unit={unit}, 2024", {**year, "unit": unit}),
        (f"town={town}", {"town": town}),
        ("detail=rounds, one week", {"from": "2024-06-03", "to": "2024-06-07", "detail": "rounds"}),
    ]


def _direct(engine: Engine, where: str, params: dict[str, Any]) -> tuple[int, int, int]:
    sql = (
        "SELECT count(*), sum(CASE WHEN counts_round THEN 1 ELSE 0 END), "
        f"count(DISTINCT checklist_id) FROM live_visits WHERE {where}"
    )
    with engine.connect() as connection:
        requests, rounds, checklists = connection.execute(text(sql), params).one()
    return int(requests), int(rounds or 0), int(checklists)


def measure(base: str, engine: Engine, repeats: int, backend: str) -> None:
    """Time each query over HTTP and check the figures against direct counts."""
    print("| backend | query | groups | median ms | max ms | body KB |")
    print("|---|---|---|---|---|---|")
    answers: dict[str, Any] = {}
    with bench_client(base, 120) as client:
        for name, params in _queries("SCJG", "石角镇"):
            times = []
            for attempt in range(repeats + 1):
                started = time.perf_counter()
                answer = client.get("/api/v1/stats/visits", params=params)
                elapsed = (time.perf_counter() - started) * 1000
                answer.raise_for_status()
                if attempt:  # the first is the warm-up
                    times.append(elapsed)
            answers[name] = answer.json()
            print(
                f"| {backend} | {name} | {len(answers[name]['groups'])} "
                f"| {statistics.median(times):.0f} | {max(times):.0f} "
                f"| {len(answer.content) / 1024:.0f} |"
            )
        for year in (2024,):
            times = []
            for _ in range(3):
                started = time.perf_counter()
                client.get("/api/v1/reports/annual", params={"year": year}).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"| {backend} | (reports/annual {year}) | - | {statistics.median(times):.0f} "
                f"| {max(times):.0f} | - |"
            )
    checks: list[tuple[str, str, dict[str, Any]]] = [
        ("no filter", "1 = 1", {}),
        (
            "unit=SCJG, 2024",
            "unit_id = 'SCJG' AND day BETWEEN :a AND :b",
            {"a": date(2024, 1, 1), "b": date(2024, 12, 31)},
        ),
        ("town=石角镇", "town = '石角镇'", {}),
    ]
    for name, where, params in checks:
        requests, rounds, _ = _direct(engine, where, params)
        total = answers[name]["total"]
        ok = (total["requests"], total["rounds"]) == (requests, rounds)
        print(
            f"{backend}: {name}: API requests {total['requests']}, rounds {total['rounds']}, "
            f"checklists {total['checklists']}; live_visits {requests}, {rounds}: "
            f"{'ok' if ok else 'MISMATCH'}"
        )
    carried_sql = (
        "SELECT count(*) FROM visit_confirmations c WHERE EXISTS (SELECT 1 FROM visit_outcomes o"
        " WHERE o.code = c.code AND o.status = 'carried_out')"
    )
    with engine.connect() as connection:
        carried = connection.exec_driver_sql(carried_sql).scalar_one()
    year_total = answers["2024, group_by=month"]["total"]
    print(
        f"{backend}: 2024 basis {year_total['basis']}, rounds carried out "
        f"{year_total['rounds_carried_out']} (confirmed with a unit carrying out: {carried}: "
        f"{'ok' if year_total['rounds_carried_out'] == carried else 'MISMATCH'}), "
        f"problem rate {year_total['problem_rate']}, visits saved {year_total['visits_saved']} "
        f"(announced {year_total['announced_visits_saved']})"
    )
    requests, rounds, checklists = _direct(engine, "1 = 1", {})
    total = answers["no filter"]["total"]
    ok = total["checklists"] == checklists
    print(
        f"{backend}: checklists counted {total['checklists']}, distinct in live_visits "
        f"{checklists}: {'ok' if ok else 'MISMATCH'}"
    )


def main() -> None:
    """Parse the arguments, build the history and measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pg-database",
        default="bench",
        help="the PostgreSQL database to drop and create again (own one per session)",
    )
    parser.add_argument(
        "--outcomes", action="store_true", help="record outcomes for every round of 2024"
    )
    args = parser.parse_args()
    from inspection.db.engine import make_engine

    folder = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    try:
        database = fresh_database(args.backend, folder, args.pg_database)
        engine = make_engine(database.url)
        timings = build(engine, args.rounds, args.seed)
        if args.outcomes:
            print(f"{args.backend}: outcomes of 2024 recorded in {record_outcomes(engine):.0f} s")
        with engine.connect() as connection:
            counts = {
                table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
                for table in (
                    "plan_rounds",
                    "live_visits",
                    "checklists",
                    "visit_rollup",
                    "visit_outcomes",
                    "visit_confirmations",
                    "outcome_rollup",
                )
            }
        size = sum(f.stat().st_size for f in folder.glob("inspection.db*"))
        print(
            f"{args.backend}: {machine()}; built in {timings['rows']:.0f} s + rollup "
            f"{timings['rollup']:.0f} s: {counts}"
            + (f", {size / 2**20:.0f} MB" if args.backend == "sqlite" else "")
        )
        print(f"{args.backend}: {check_rollup(engine)}")
        print(f"{args.backend}: {check_outcome_rollup(engine)}")
        with server(database) as (base, _pid):
            measure(base, engine, args.repeats, args.backend)
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
