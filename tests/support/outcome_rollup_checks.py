"""Checks that the stored outcome rollup is what the carried-out rule gives on the fly."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, union
from sqlmodel import Session, col

from inspection.db.tables import LiveVisitRow, OutcomeRollupRow
from inspection.services.figures.carried_out import outcome_sums
from inspection.services.figures.grouping import OUTCOME_MEASURES, GroupBy, VisitFilters
from inspection.services.figures.outcome_rollup import (
    rebuild_outcome_rollup,
    rolled_up_outcome_sums,
)

__all__ = ["assert_rollup_is_the_rule", "rollup_rows"]

SPLITS: tuple[GroupBy | None, ...] = (None, "unit", "town", "month")


def rollup_rows(session: Session) -> dict[tuple[date, str, str], tuple[int, ...]]:
    """The stored rollup, (day, unit, town) to its measures."""
    return {
        (row.day, row.unit_id, row.town): tuple(getattr(row, m) for m in OUTCOME_MEASURES)
        for row in session.exec(select(OutcomeRollupRow)).scalars()  # type: ignore[call-overload]
    }


def _nonzero(sums: dict[str, list[int]]) -> dict[str, list[int]]:
    return {key: values for key, values in sums.items() if any(values)}


def assert_rollup_is_the_rule(session: Session, filters: list[VisitFilters]) -> None:
    """Every split of every filter read from the rollup equals the rule on the fly, and the
    stored rows equal the ones a rebuild of every day from scratch stores."""
    for one in [VisitFilters(), *filters]:
        for group_by in SPLITS:
            rolled = rolled_up_outcome_sums(session, one, group_by)
            assert rolled == _nonzero(outcome_sums(session, one, group_by)), (one, group_by)
    stored = rollup_rows(session)
    days = session.execute(
        union(select(col(LiveVisitRow.day)), select(col(OutcomeRollupRow.day)))
    ).scalars()
    session.execute(delete(OutcomeRollupRow))
    rebuild_outcome_rollup(session, set(days))
    assert rollup_rows(session) == stored
