"""How long `GET /api/v1/checklists` takes on a large data set.

    .venv/bin/python bench/checklist_list.py [--checklists 4000] [--backends sqlite postgresql]

A fresh database gets the sample district's units and enterprises and N imported
checklists (5 items and 5 targets each, as `many_checklists` writes them); then a
coordinator asks for the list (the default page, the largest page, a page far in)
through the app in process. Median of 3 asks each, seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.db.engine import make_engine, upgrade
from inspection.services.access import Actor, Role
from inspection.services.spreadsheets.imports import (
    import_checklists,
    import_enterprises,
    import_units,
)
from inspection.services.trust.keys import create_key
from inspection.settings import Settings
from service_common import fresh_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' sample builders
from tests.support.sheets import many_checklists

SAMPLES = Path(__file__).resolve().parents[1] / "sample_checklists"
LIMIT = Settings().max_upload_bytes
ASKS = {
    "default page": "/api/v1/checklists",
    "limit=1000": "/api/v1/checklists?limit=1000",
    "limit=100&offset=3000": "/api/v1/checklists?limit=100&offset=3000",
}


def run(backend: str, checklists: int) -> dict[str, tuple[float, int, str]]:
    """Per ask: median seconds, checklists answered, the total header."""
    with tempfile.TemporaryDirectory() as folder:
        database = fresh_database(backend, Path(folder), pg_name="bench_edges_list")
        engine = make_engine(database.url)
        upgrade(engine)
        admin = Actor("bench", Role.ADMIN)
        with Session(engine) as session:
            for name, load in (
                ("units.csv", import_units),
                ("enterprises.csv", import_enterprises),
            ):
                load(session, admin, (SAMPLES / name).read_bytes(), name, LIMIT)
            data = many_checklists(checklists)
            import_checklists(session, Actor("bench", Role.COORDINATOR), data, "b.csv", LIMIT)
            key = create_key(session, admin, Role.COORDINATOR).key
        found: dict[str, tuple[float, int, str]] = {}
        with TestClient(create_app(engine=engine)) as client:
            headers = {"Authorization": f"Bearer {key}"}
            for label, path in ASKS.items():
                times, answer = [], None
                for _ in range(3):
                    began = time.perf_counter()
                    answer = client.get(path, headers=headers)
                    times.append(time.perf_counter() - began)
                    assert answer.status_code == 200, answer.text
                assert answer is not None
                total = answer.headers.get("x-total-count", "-")
                found[label] = (statistics.median(times), len(answer.json()), total)
        engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checklists", type=int, default=4000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    for backend in args.backends:
        for label, (seconds, count, total) in run(backend, args.checklists).items():
            print(f"{backend:10} {label:24} {seconds:7.3f} s  {count:5} checklists  total {total}")


if __name__ == "__main__":
    main()
