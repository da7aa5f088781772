"""Migration 0015 fills the outcome rollup from the stored outcomes exactly as the figures
wing builds it (the migration's SQL is the rule frozen at that revision)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from sqlalchemy import Engine, delete, text
from sqlmodel import Session

from inspection.db.tables import OutcomeRollupRow
from inspection.services.reference.outcomes import OutcomeStatus
from tests.support import outcome_rows
from tests.support.outcome_rollup_checks import assert_rollup_is_the_rule, rollup_rows
from tests.support.paths import PACKAGE
from tests.support.world import run_published_week

MIGRATION = PACKAGE / "db" / "migrations" / "versions" / "0015_outcome_rollup.py"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0015", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fill_is_the_rollup_the_figures_build(engine: Engine) -> None:
    run_published_week(engine)
    statuses = list(OutcomeStatus)
    with Session(engine) as session:
        for index, round_ in enumerate(outcome_rows.live_rounds(session)):
            for position, unit in enumerate(sorted(round_.units)):
                status = statuses[(index + position) % len(statuses)]
                found = index % 3 == 0
                outcome_rows.record_outcome(
                    session, round_, unit, status, problems_found=found, case_opened=found
                )
            if index % 2 == 0:
                outcome_rows.confirm(session, round_)
        session.commit()
        built = rollup_rows(session)
        assert any(values[4] for values in built.values())  # rounds carried out
        assert any(values[7] for values in built.values())  # rounds not carried out
        session.execute(delete(OutcomeRollupRow))
        session.execute(text(_migration().fill_statement()))
        assert rollup_rows(session) == built
        assert_rollup_is_the_rule(session, [])


def test_the_fill_of_no_outcome_is_empty(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(text(_migration().fill_statement()))
        assert rollup_rows(session) == {}
