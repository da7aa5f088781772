"""Bulk loader: a generated province problem (XL) stored in PostgreSQL as the service stores it.

Run by hand (not part of the tests)::

    .venv/bin/inspection generate --preset XL --seed 1 -o /tmp/XL.json
    .venv/bin/python bench/xl_loader.py /tmp/XL.json --pg-database xlload_db

Drops and creates the database, migrates it (`upgrade`), then writes with COPY:

* regions: migration 0018's default district becomes the province (``44``, as an import
  naming it would), under it one city per unit-id prefix and one district per unit-id
  district (``QY-QC-SCJG`` → city ``QY``, district ``QY-QC``), with the real codes of
  :mod:`inspection.generator.places` (4418, 441802, …);
* units, in their district, `weekday_capacity` the unit's daily capacity every weekday (the
  statutory calendar, which the solver applies when a problem names no non-working days,
  closes weekends and holidays and opens make-up working days: the file's own list);
* enterprises, in the district of the units asking for them (in a generated problem an
  enterprise is asked for by one district's units only: checked), and their blackout days;
* checklists, APPROVED, one per unit × window × priority × joinable × items (a checklist's
  items are its requests' items, so they are grouped by items too), ``complaint`` when not
  joinable (a complaint-driven checklist gives non-joinable requests), else ``routine``;
  their items; one request per target, numbered in the file's order, so that the problem
  read back lists its requests in that order.

Units have no days off (the generator gives none). Then ANALYZE, and the check that
:func:`inspection.services.translation.problem_for_horizon` over the province gives the
file's problem: the same counts, the same requests (unit, enterprise, window, priority,
joinable, items), capacities, towns and blackout days. Prints the counts and the seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from service_common import PG_BENCH_URL, copy_rows, fresh_database, machine

__all__ = ["PROVINCE_CODE", "LoadReport", "load_problem", "main", "verify"]

PROVINCE_CODE = "44"
PROVINCE_NAME = "广东省"
COLUMNS: dict[str, tuple[str, ...]] = {
    "regions": ("id", "code", "name", "level", "parent_id", "path"),
    "units": ("id", "name", "weekday_capacity", "contact", "region_id"),
    "enterprises": ("credit_code", "name", "town", "industry", "address", "region_id"),
    "enterprise_blackouts": ("credit_code", "day"),
    "checklists": (
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
        "approved_at",
        "approved_by",
    ),
    "checklist_items": ("id", "checklist_id", "position", "name", "legal_basis"),
    "requests": ("id", "checklist_id", "credit_code", "position", "active"),
}
_SEQUENCES = ("regions", "checklists", "checklist_items", "requests")
_LEGAL_BASIS = "《中华人民共和国行政处罚法》及本单位执法事项清单"


@dataclass(frozen=True)
class LoadReport:
    """What was loaded: rows per table and the seconds it took."""

    rows: dict[str, int]
    load_s: float
    analyze_s: float


def _district(unit_id: str) -> str:
    return "-".join(unit_id.split("-")[:2])


def _region_names() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """The generator's cities and districts by abbreviation: (code, name) each."""
    from inspection.generator.places import CITIES

    cities: dict[str, tuple[str, str]] = {}
    districts: dict[str, tuple[str, str]] = {}
    for city in CITIES:
        codes = {d.code[:4] for d in city.districts}
        cities[city.abbr] = (min(codes), city.name)
        for district in city.districts:
            districts[f"{city.abbr}-{district.abbr}"] = (district.code, district.name)
    return cities, districts


def _regions(unit_ids: Iterable[str]) -> tuple[list[tuple[Any, ...]], dict[str, int]]:
    """Rows of the cities and districts (ids from 2: 1 is the province), and each
    district's id by its unit-id prefix."""
    known_cities, known_districts = _region_names()
    district_keys = sorted({_district(u) for u in unit_ids})
    rows: list[tuple[Any, ...]] = []
    city_ids: dict[str, tuple[int, str]] = {}
    district_ids: dict[str, int] = {}
    for key in district_keys:
        city = key.split("-")[0]
        if city not in city_ids:
            code, name = known_cities.get(city, (f"{PROVINCE_CODE}{len(city_ids) + 90:02d}", city))
            city_ids[city] = (len(rows) + 2, code)
            path = f"{PROVINCE_CODE}/{code}"
            rows.append((len(rows) + 2, code, name, "city", 1, path))
        parent_id, parent_code = city_ids[city]
        code, name = known_districts.get(key, (f"{parent_code}{len(rows) + 10:02d}", key))
        district_ids[key] = len(rows) + 2
        path = f"{PROVINCE_CODE}/{parent_code}/{code}"
        rows.append((len(rows) + 2, code, name, "district", parent_id, path))
    return rows, district_ids


def _tables(problem: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row to copy, by table."""
    units = problem.units
    regions, district_ids = _regions(u.id for u in units)
    owners: dict[str, set[str]] = defaultdict(set)
    for request in problem.requests:
        owners[request.enterprise].add(_district(request.unit))
    shared = [e for e, ds in owners.items() if len(ds) > 1]
    if shared:
        sys.exit(f"{len(shared)} enterprises asked for by two districts' units: not loadable")
    stamp = datetime(problem.horizon.start.year, 1, 1, tzinfo=UTC)
    tables: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
    tables["regions"] = regions
    tables["units"] = [
        (u.id, u.name, json.dumps([u.daily_capacity] * 7), "", district_ids[_district(u.id)])
        for u in units
    ]
    for enterprise in problem.enterprises:
        districts = owners.get(enterprise.id)
        if not districts:
            sys.exit(f"enterprise {enterprise.id} is asked for by nobody: not loadable")
        region = district_ids[next(iter(districts))]
        row = (enterprise.id, enterprise.name, enterprise.town, "", "", region)
        tables["enterprises"].append(row)
        for day in sorted(set(enterprise.blackout_days)):
            tables["enterprise_blackouts"].append((enterprise.id, day))
    checklists: dict[tuple[Any, ...], int] = {}
    targets: Counter[int] = Counter()
    for number, request in enumerate(problem.requests, start=1):
        key = (
            request.unit,
            request.earliest,
            request.latest,
            request.priority,
            request.joinable,
            tuple(request.items),
        )
        checklist = checklists.get(key)
        if checklist is None:
            checklist = checklists[key] = len(checklists) + 1
            kind = "routine" if request.joinable else "complaint"
            title = f"{request.unit} {request.earliest:%m月%d日}至{request.latest:%m月%d日}检查"
            tables["checklists"].append(
                (
                    checklist,
                    request.unit,
                    title,
                    kind,
                    request.earliest,
                    request.latest,
                    request.priority,
                    "approved",
                    1,
                    stamp,
                    stamp,
                    stamp,
                    "bench",
                )
            )
            for position, item in enumerate(request.items):
                item_id = len(tables["checklist_items"]) + 1
                tables["checklist_items"].append((item_id, checklist, position, item, _LEGAL_BASIS))
        tables["requests"].append((number, checklist, request.enterprise, targets[checklist], True))
        targets[checklist] += 1
    return tables


def load_problem(engine: Engine, problem: Any) -> LoadReport:
    """Migrate the (empty) database and store the problem's rows; the figures."""
    from inspection.db.engine import upgrade

    began = time.monotonic()
    upgrade(engine)
    tables = _tables(problem)
    with engine.begin() as connection:
        # the default district (migration 0018, nothing in it yet) becomes the province
        connection.execute(
            text(
                "UPDATE regions SET code = :code, name = :name, level = 'province',"
                " parent_id = NULL, path = :code WHERE id = 1"
            ),
            {"code": PROVINCE_CODE, "name": PROVINCE_NAME},
        )
    for table in COLUMNS:
        copy_rows(engine, table, COLUMNS[table], tables[table])
    with engine.begin() as connection:
        for table in _SEQUENCES:
            connection.exec_driver_sql(f"SELECT setval('{table}_id_seq', max(id)) FROM {table}")
    load_s = time.monotonic() - began
    began = time.monotonic()
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    rows = {table: len(tables[table]) for table in COLUMNS}
    return LoadReport(rows=rows, load_s=load_s, analyze_s=time.monotonic() - began)


def _signature(problem: Any) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """The problem's requests and enterprises, without their ids (the rows renumber them)."""
    requests = Counter(
        (r.unit, r.enterprise, r.earliest, r.latest, r.priority, r.joinable, tuple(r.items))
        for r in problem.requests
    )
    enterprises = Counter(
        (e.id, e.name, e.town, tuple(sorted(set(e.blackout_days)))) for e in problem.enterprises
    )
    return requests, enterprises


def _capacity(problem: Any) -> dict[tuple[str, date], int]:
    """Each unit's rounds on each working day of the horizon (the calendar applied)."""
    from inspection.solver.calendar import working_days

    days = working_days(problem)
    return {(u.id, day): u.capacity_on(day) for u in problem.units for day in days}


def verify(engine: Engine, problem: Any) -> tuple[Any, list[str]]:
    """Read the province's problem back as the planner does; it and what differs (empty:
    nothing)."""
    from sqlmodel import Session

    from inspection.services.translation import problem_for_horizon

    start, end = problem.horizon.start, problem.horizon.end
    began = time.monotonic()
    with Session(engine) as session:
        read = problem_for_horizon(session, start, end, region_path=PROVINCE_CODE)
    print(f"problem_for_horizon over the province: {time.monotonic() - began:.1f} s")
    problems: list[str] = []
    for name in ("requests", "units", "enterprises"):
        mine, theirs = len(getattr(read, name)), len(getattr(problem, name))
        print(f"  {name}: database {mine:,}, file {theirs:,}")
        if mine != theirs:
            problems.append(f"{name}: {mine} != {theirs}")
    if _signature(read) != _signature(problem):
        problems.append("the requests or enterprises differ (beyond their ids)")
    if _capacity(read) != _capacity(problem):
        problems.append("the units' capacities by day differ")
    if read.format != problem.format:
        problems.append(f"format {read.format} != {problem.format}")
    return read, problems


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, load the file and check what reads back."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("--pg-database", default="xlload_db")
    parser.add_argument(
        "--verify-only", action="store_true", help="check a database loaded before, load nothing"
    )
    args = parser.parse_args(argv)
    from inspection.db.engine import make_engine
    from inspection.solver import Problem

    began = time.monotonic()
    problem = Problem.model_validate_json(args.problem.read_text(encoding="utf-8"))
    print(f"{machine()}; {args.problem} read in {time.monotonic() - began:.0f} s")
    if args.verify_only:
        engine = make_engine(PG_BENCH_URL.rsplit("/", 1)[0] + f"/{args.pg_database}")
    else:
        database = fresh_database("postgresql", Path(tempfile.mkdtemp()), args.pg_database)
        engine = make_engine(database.url)
        report = load_problem(engine, problem)
        print(
            f"loaded in {report.load_s:.0f} s (+ ANALYZE {report.analyze_s:.0f} s) into "
            f"{database.url}: {report.rows}"
        )
    _read, problems = verify(engine, problem)
    engine.dispose()
    if problems:
        sys.exit("the problem read back differs: " + "; ".join(problems))
    print("the problem read back is the file's (counts, requests, capacities, blackouts)")


if __name__ == "__main__":
    main()
