"""The demo's use cases: load the sample files, plan a week, publish it, summarise it.

The same service code the API uses: imports go through
:mod:`inspection.services.spreadsheets.imports`, the plan through a worker process
like any other plan, the figures through :mod:`inspection.services.figures.stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from sqlmodel import Session

from inspection.errors import InvalidInputError
from inspection.services.access import Actor
from inspection.services.checklists.approval import approve_drafts
from inspection.services.reference.service import list_units
from inspection.services.rounds.store import published_rounds
from inspection.services.spreadsheets import imports

__all__ = [
    "SAMPLE_FILES",
    "DayOfRounds",
    "SampleCounts",
    "approve_as_heads",
    "load_samples",
    "packaged_samples",
    "rounds_per_day",
]

SAMPLE_FILES = ("units.csv", "enterprises.csv", "checklists.xlsx")
"""What `load_samples` reads from the samples folder, in this order."""


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


@dataclass(frozen=True)
class DayOfRounds:
    """The published rounds of one day, as the demo prints them."""

    day: date
    rounds: int
    requests: int
    joint: int
    lines: tuple[str, ...]


def load_samples(session: Session, actor: Actor, folder: Path, max_bytes: int) -> SampleCounts:
    """Import the units, enterprises and checklists files of `folder`, each all or nothing.

    Each file is read like an upload, within `max_bytes` (the upload limit).

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
    checklists = imports.import_checklists(session, actor, contents[2], SAMPLE_FILES[2], max_bytes)
    return SampleCounts(len(units), len(enterprises), len(checklists.created))


def approve_as_heads(session: Session, heads: Sequence[Actor]) -> int:
    """Approve every draft checklist as its unit's head (each actor a unit head's); how many.

    The sample checklists are imported as drafts, like any unit's; the demo has each
    unit's head approve them so that the week can be planned.

    Raises:
        ForbiddenError: an actor that is not a unit head.
    """
    approved = 0
    for head in heads:
        assert head.unit_id is not None, "a unit head acts for a unit"
        approved += len(approve_drafts(session, head, head.unit_id))
    return approved


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
