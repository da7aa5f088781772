"""The demo's use cases: load the sample files, plan a week, publish it, summarise it.

The same service code the API uses: imports go through
:mod:`inspection.services.spreadsheets.imports`, the plan through a worker process
like any other plan, the figures through :mod:`inspection.services.figures.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from sqlmodel import Session

from inspection.errors import InvalidInputError
from inspection.services.access import Actor
from inspection.services.catalogue.models import PublishRequest
from inspection.services.catalogue.service import publish_catalogue
from inspection.services.reference.service import list_units
from inspection.services.rounds.store import published_rounds
from inspection.services.spreadsheets import imports
from inspection.services.spreadsheets.catalogue_files import CATALOGUE_HEADERS, import_catalogue
from inspection.services.spreadsheets.io import read_table, table_csv

__all__ = [
    "CATALOGUE_FROM",
    "SAMPLE_FILES",
    "DayOfRounds",
    "SampleCounts",
    "load_catalogues",
    "load_samples",
    "packaged_samples",
    "rounds_per_day",
]

SAMPLE_FILES = ("units.csv", "enterprises.csv", "catalogue.csv", "checklists.xlsx")
"""What `load_samples` reads from the samples folder, in this order."""
CATALOGUE_FROM = date(2024, 1, 1)
"""When the sample units' catalogues take effect (before every sample checklist)."""


def packaged_samples() -> Path:
    """The folder of sample files shipped inside the installed package.

    The checkout's top-level `sample_checklists` links to the same folder, so the
    demo reads the same files from a checkout and from an installed wheel.
    """
    return Path(str(files("inspection").joinpath("samples")))


@dataclass(frozen=True)
class SampleCounts:
    """How many records the samples added."""

    units: int
    enterprises: int
    checklists: int
    catalogue_items: int = 0


@dataclass(frozen=True)
class DayOfRounds:
    """The published rounds of one day, as the demo prints them."""

    day: date
    rounds: int
    requests: int
    joint: int
    lines: tuple[str, ...]


def load_catalogues(session: Session, actor: Actor, content: bytes, max_bytes: int) -> int:
    """Import the sample catalogue file (a 执法单位编号 column, then a unit's catalogue
    columns) unit by unit through the catalogue import, and publish each unit's first
    edition from :data:`CATALOGUE_FROM`; how many items were published."""
    by_unit: dict[str, list[dict[str, str]]] = {}
    for _, row in read_table(content, "catalogue.csv", max_bytes):
        by_unit.setdefault(row.get("执法单位编号", ""), []).append(row)
    published = 0
    for unit_id, rows in sorted(by_unit.items()):
        data = table_csv(
            CATALOGUE_HEADERS, [[r.get(h, "") for h in CATALOGUE_HEADERS] for r in rows]
        )
        import_catalogue(session, actor, unit_id, data, "catalogue.csv", max_bytes)
        edition = publish_catalogue(
            session, actor, unit_id, PublishRequest(effective_from=CATALOGUE_FROM)
        )
        published += len(edition.published)
    return published


def load_samples(
    session: Session, actor: Actor, folder: Path, max_bytes: int, catalogue: bool = True
) -> SampleCounts:
    """Import the units, enterprises, catalogue and checklists files of `folder`, each all or
    nothing (the catalogue of each unit is published before its checklists, which must
    use its items).

    Each file is read like an upload, within `max_bytes` (the upload limit). Without
    `catalogue`, the catalogue file is not loaded: no unit has a catalogue, so none is held
    to one (as before the catalogue; the desk's browser tests submit free-form items).

    Raises:
        InvalidInputError: a file is missing or cannot be read.
        TableImportError: a file has invalid rows (every row's problem).
    """
    contents: list[bytes] = []
    for name in SAMPLE_FILES:
        path = folder / name
        if not path.is_file():
            raise InvalidInputError(f"示例文件 {path} 不存在", "samples")
        contents.append(path.read_bytes())
    units = imports.import_units(session, actor, contents[0], SAMPLE_FILES[0], max_bytes)
    enterprises = imports.import_enterprises(
        session, actor, contents[1], SAMPLE_FILES[1], max_bytes
    )
    items = load_catalogues(session, actor, contents[2], max_bytes) if catalogue else 0
    checklists = imports.import_checklists(session, actor, contents[3], SAMPLE_FILES[3], max_bytes)
    return SampleCounts(len(units), len(enterprises), len(checklists.created), items)


def rounds_per_day(session: Session, start: date, end: date) -> list[DayOfRounds]:
    """The published rounds of [start, end], grouped by day, one line per round."""
    names = {u.id: u.name for u in list_units(session)}
    days: dict[date, list[tuple[int, bool, str]]] = {}
    for round_, enterprise, requests in published_rounds(session, start, end):
        units = [names.get(u, u) for u in round_.units]
        lead = names.get(round_.lead_unit_id, round_.lead_unit_id)
        others = [u for u in units if u != lead]
        line = f"{enterprise.town} {enterprise.name}：{lead}牵头" + (
            f"，{'、'.join(others)}参加" if others else ""
        )
        days.setdefault(round_.day, []).append((len(requests), len(units) >= 2, line))
    return [
        DayOfRounds(
            day=day,
            rounds=len(entries),
            requests=sum(n for n, _, _ in entries),
            joint=sum(joint for _, joint, _ in entries),
            lines=tuple(line for _, _, line in entries),
        )
        for day, entries in sorted(days.items())
    ]
