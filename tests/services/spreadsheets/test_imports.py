"""Importing the same checklist file twice: the same content is a no-op said as such, a changed
one is refused unless asked to amend, and nothing of it can inflate the visits saved."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db import repository
from inspection.services.figures.stats import visit_stats
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS
from inspection.services.spreadsheets.imports import (
    ImportMode,
    import_checklists,
    import_enterprises,
    import_units,
)
from inspection.services.spreadsheets.io import read_table, table_csv
from inspection.services.trust.audit import list_entries, verify_chain
from tests.support.data import ACTOR, UPLOAD_LIMIT
from tests.support.paths import SAMPLES
from tests.support.sheets import import_errors

SAMPLE_WEEK = PlanCreate.model_validate(
    {"start": "2024-04-08", "end": "2024-04-14", "time_limit_s": 10}
)


def _load_reference(session: Session) -> None:
    for name, load in (("units.csv", import_units), ("enterprises.csv", import_enterprises)):
        load(session, ACTOR, (SAMPLES / name).read_bytes(), name, UPLOAD_LIMIT)


def _checklists() -> bytes:
    return (SAMPLES / "checklists.xlsx").read_bytes()


def _changed_checklists(row_changes: dict[str, str]) -> bytes:
    """The sample checklists as CSV, with cells of the file's first row changed."""
    rows = read_table(_checklists(), "checklists.xlsx", UPLOAD_LIMIT)
    headers = list(rows[0][1])
    first = {**rows[0][1], **row_changes}
    body = [[first[h] for h in headers]] + [[cells[h] for h in headers] for _, cells in rows[1:]]
    return table_csv(headers, body)


def test_the_same_file_twice_stores_nothing_twice_and_says_so(engine: Engine) -> None:
    with Session(engine) as session:
        _load_reference(session)
        first = import_checklists(session, ACTOR, _checklists(), "c.xlsx", UPLOAD_LIMIT)
        assert (len(first.created), len(first.unchanged), len(first.amended)) == (109, 0, 0)
        again = import_checklists(session, ACTOR, _checklists(), "c.xlsx", UPLOAD_LIMIT)
        assert (len(again.created), len(again.unchanged), len(again.amended)) == (0, 109, 0)
        assert {c.id for c in again.unchanged} == {c.id for c in first.created}
        assert len(repository.list_checklists(session)) == 109
        # each checklist stored once, each with its audit entry, the chain intact
        trail = verify_chain(session)
        assert trail.ok
        submitted = list_entries(session, action="checklist.submit", limit=1000)
        assert sorted(int(e.entity_id) for e in submitted) == sorted(c.id for c in first.created)
        assert [e.after for e in submitted] == [
            c.model_dump(mode="json") for c in sorted(first.created, key=lambda c: c.id)
        ]


def test_a_changed_file_is_refused_naming_the_row_unless_asked_to_amend(engine: Engine) -> None:
    with Session(engine) as session:
        _load_reference(session)
        first = import_checklists(session, ACTOR, _checklists(), "c.xlsx", UPLOAD_LIMIT)
        reference = first.created[0].reference
        changed = _changed_checklists({"清单名称": "食品安全日常检查（修订）"})
        errors = import_errors(
            lambda: import_checklists(session, ACTOR, changed, "c.csv", UPLOAD_LIMIT)
        )
        assert [(e.row, e.column) for e in errors] == [(2, "清单编号")]
        assert reference is not None
        assert reference in errors[0].problem
        assert "按修改导入" in errors[0].problem
        stored = repository.get_checklist(session, first.created[0].id)
        assert stored is not None
        assert stored.version == 1  # nothing changed
        amended = import_checklists(
            session, ACTOR, changed, "c.csv", UPLOAD_LIMIT, on_change=ImportMode.AMEND
        )
        assert (len(amended.created), len(amended.unchanged), len(amended.amended)) == (0, 108, 1)
        assert amended.amended[0].id == first.created[0].id
        assert amended.amended[0].title == "食品安全日常检查（修订）"
        assert amended.amended[0].version == 2
        assert len(repository.list_checklists(session)) == 109


def _one_checklist(unit: str, title: str) -> bytes:
    row = {
        "清单编号": "QC-2024-1",
        "执法单位编号": unit,
        "清单名称": title,
        "检查类型": "日常",
        "最早日期": "2024-06-03",
        "最晚日期": "2024-06-07",
        "优先级": "1",
        "检查事项": "安全生产责任制落实",
        "法律依据": "《中华人民共和国安全生产法》第二十二条",
        "检查对象": "91441802MA5NNX0371",
    }
    return table_csv(list(CHECKLIST_HEADERS), [[row.get(h, "") for h in CHECKLIST_HEADERS]])


def test_a_reference_is_its_unit_s_own(engine: Engine) -> None:
    """Another unit may use the same 清单编号: it is a checklist of its own."""
    with Session(engine) as session:
        _load_reference(session)
        ours = import_checklists(
            session, ACTOR, _one_checklist("SCJG", "甲"), "a.csv", UPLOAD_LIMIT
        )
        theirs = import_checklists(
            session, ACTOR, _one_checklist("YJGL", "乙"), "b.csv", UPLOAD_LIMIT
        )
        assert len(ours.created) == len(theirs.created) == 1
        assert ours.created[0].reference == theirs.created[0].reference == "QC-2024-1"
        assert ours.created[0].id != theirs.created[0].id


def _visits_saved(engine: Engine) -> int:
    with Session(engine) as session:
        plan_id = create_plan(session, ACTOR, SAMPLE_WEEK).id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
        end = SAMPLE_WEEK.start + timedelta(days=6)
        return visit_stats(session, SAMPLE_WEEK.start, end).total.visits_saved


def test_a_second_import_of_the_same_file_cannot_inflate_the_visits_saved(engine: Engine) -> None:
    with Session(engine) as session:
        _load_reference(session)
        import_checklists(session, ACTOR, _checklists(), "c.xlsx", UPLOAD_LIMIT)
    before = _visits_saved(engine)
    with Session(engine) as session:
        import_checklists(session, ACTOR, _checklists(), "c.xlsx", UPLOAD_LIMIT)
    assert _visits_saved(engine) == before
