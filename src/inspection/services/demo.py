"""The demo's use cases: load the sample files, plan a week, publish it, summarise it.

The same service code the API uses: imports go through
:mod:`inspection.services.spreadsheets.imports`, the plan through a worker process
like any other plan, the figures through :mod:`inspection.services.figures.stats`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session

from inspection.errors import InvalidInputError
from inspection.services.access import Actor
from inspection.services.catalogue.models import PublishRequest
from inspection.services.catalogue.service import publish_catalogue
from inspection.services.checklists.approval import approve_drafts
from inspection.services.codes.issue import round_codes
from inspection.services.reference.service import list_units
from inspection.services.rounds.store import published_rounds
from inspection.services.rules.cap_rule_models import CapRuleCreate
from inspection.services.rules.cap_rules import add_cap_rule
from inspection.services.rules.models import QuietDayRuleCreate
from inspection.services.rules.quiet_days import create_quiet_day_rule
from inspection.services.spreadsheets import imports
from inspection.services.spreadsheets.catalogue_files import CATALOGUE_HEADERS, import_catalogue
from inspection.services.spreadsheets.classes import import_classes
from inspection.services.spreadsheets.io import read_table, table_csv
from inspection.services.spreadsheets.officers import import_officers

__all__ = [
    "CAP_RULES_FILE",
    "CATALOGUE_FROM",
    "OPTIONAL_SAMPLE_FILES",
    "ROSTER_FILE",
    "SAMPLE_FILES",
    "DayOfRounds",
    "SampleCounts",
    "approve_as_heads",
    "load_cap_rules",
    "load_catalogues",
    "load_samples",
    "packaged_samples",
    "rounds_per_day",
]

SAMPLE_FILES = ("units.csv", "enterprises.csv", "catalogue.csv", "checklists.xlsx")
"""What `load_samples` reads from the samples folder, in this order."""
OPTIONAL_SAMPLE_FILES = ("enterprise-classes.csv", "quiet-days.json")
"""The district's rules, read after them when the folder has them: enterprises' classes
(the import's columns) and quiet-day rules (a JSON list of the API's bodies)."""
ROSTER_FILE = "officers.csv"
"""The officers' roster, read after the others when the samples folder has it."""
CATALOGUE_FROM = date(2024, 1, 1)
"""When the sample units' catalogues take effect (before every sample checklist)."""
CAP_RULES_FILE = "cap_rules.csv"
"""The sample district's yearly caps (read after the checklists, when the folder has it)."""
_CAP_COLUMNS = {
    "执法单位编号": "unit_id",
    "行业": "industry",
    "风险等级": "risk_class",
    "每年上限": "yearly_limit",
    "依据": "basis",
}


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
    classified: int = 0  # enterprises given classes (风险/信用等级, 无事不扰)
    quiet_day_rules: int = 0
    officers: int = 0
    cap_rules: int = 0


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
    use its items), then the district's rules when the folder has them
    (`OPTIONAL_SAMPLE_FILES`) and its roster of officers (`officers.csv`) when it has one.

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
    caps = folder / CAP_RULES_FILE
    rules = load_cap_rules(session, actor, caps.read_bytes()) if caps.is_file() else 0
    classes_file, quiet_file = (folder / name for name in OPTIONAL_SAMPLE_FILES)
    classified = (
        import_classes(session, actor, classes_file.read_bytes(), classes_file.name, max_bytes)
        if classes_file.is_file()
        else []
    )
    try:
        quiet_rules = (
            TypeAdapter(list[QuietDayRuleCreate]).validate_json(quiet_file.read_bytes())
            if quiet_file.is_file()
            else []
        )
    except ValidationError as exc:
        raise InvalidInputError(
            f"示例文件 {quiet_file} 无效：{exc.errors()[0]['msg']}", "samples"
        ) from None
    for rule in quiet_rules:
        create_quiet_day_rule(session, actor, rule)
    officers = 0
    roster = folder / ROSTER_FILE
    if roster.is_file():
        done = import_officers(session, actor, roster.read_bytes(), ROSTER_FILE, max_bytes)
        officers = len(done.created) + len(done.updated)
    return SampleCounts(
        units=len(units),
        enterprises=len(enterprises),
        checklists=len(checklists.created),
        catalogue_items=items,
        classified=len(classified),
        quiet_day_rules=len(quiet_rules),
        officers=officers,
        cap_rules=rules,
    )


def load_cap_rules(session: Session, actor: Actor, data: bytes) -> int:
    """Store the cap rules of a CSV file (执法单位编号 empty: the enterprise-wide cap); how many.

    Raises:
        InvalidInputError: a row is not a valid rule (its row named).
        ConflictError: a row repeats an active rule.
    """
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    for number, row in enumerate(rows, 2):
        values = {field: (row.get(column) or "").strip() for column, field in _CAP_COLUMNS.items()}
        try:
            rule = CapRuleCreate.model_validate({**values, "unit_id": values["unit_id"] or None})
        except ValidationError as exc:
            raise InvalidInputError(
                f"频次规则第 {number} 行无效：{exc.errors()[0]['msg']}"
            ) from None
        add_cap_rule(session, actor, rule)
    return len(rows)


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
    found = published_rounds(session, start, end)
    codes = round_codes(session, [r.id for r, _, _ in found if r.id is not None])
    for round_, enterprise, requests in found:
        units = [names.get(u, u) for u in round_.units]
        lead = names.get(round_.lead_unit_id, round_.lead_unit_id)
        others = [u for u in units if u != lead]
        line = f"{enterprise.town} {enterprise.name}：{lead}牵头" + (
            f"，{'、'.join(others)}参加" if others else ""
        )
        if round_.id in codes:  # what the enterprise opens at /v/{code}
            line += f"（检查码 {codes[round_.id]}）"
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
