"""The carried-out sums per day, unit and town (`outcome_rollup`), kept in step with outcomes.

The figures read the carried-out measures from this table as they read the announced
ones from the ledger's `visit_rollup`, so a year of outcomes is summed over a few
thousand rows instead of re-applying the rule to every unit part. A day's rows are
the rule itself (:func:`~inspection.services.figures.carried_out.unit_parts`, summed
by :func:`~inspection.services.figures.carried_out.outcome_measures`) restricted to
that day: the rule stays written once, and every split still adds up to its total.

A day is rebuilt, in the caller's transaction, whenever what the rule reads of it
changes: an outcome or a confirmation of one of its visits (the outcomes wing), and a
publication over it (live rounds replaced, codes moved or cancelled; the planning wing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import delete, func, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from inspection.db.locks import take_outcome_day_turns
from inspection.db.tables import OutcomeRollupRow, VisitOutcomeRow
from inspection.services.figures.carried_out import outcome_measures, outcome_sums, unit_parts
from inspection.services.figures.grouping import OUTCOME_MEASURES, GroupBy, VisitFilters

__all__ = ["rebuild_outcome_rollup", "rebuild_outcome_rollup_between", "rolled_up_outcome_sums"]

_CHUNK_DAYS = 100


def rebuild_outcome_rollup(session: Session, days: Iterable[date]) -> None:
    """Recompute the rollup rows of these days from the outcome rule (flushes, never commits).

    Waits for each day's turn first (:func:`inspection.db.locks.take_outcome_day_turns`),
    so that two recordings of one day committed side by side both end up in its sums.
    """
    wanted = sorted(set(days))
    if not wanted:
        return
    session.flush()  # the caller's outcome, confirmation or live visits are read below
    take_outcome_day_turns(session, wanted)
    for start in range(0, len(wanted), _CHUNK_DAYS):
        chunk = wanted[start : start + _CHUNK_DAYS]
        session.execute(delete(OutcomeRollupRow).where(col(OutcomeRollupRow.day).in_(chunk)))
        parts = unit_parts(VisitFilters(date_from=chunk[0], date_to=chunk[-1]))
        query = (
            sa_select(parts.c.day, parts.c.unit_id, parts.c.town, *outcome_measures(parts))
            .where(parts.c.day.in_(chunk))
            .group_by(parts.c.day, parts.c.unit_id, parts.c.town)
        )
        for day, unit_id, town, *sums in session.execute(query):
            values = [int(value or 0) for value in sums]
            if any(values):  # a round whose only outcomes are of units no longer in it
                session.add(
                    OutcomeRollupRow(
                        day=day,
                        unit_id=unit_id,
                        town=town,
                        **dict(zip(OUTCOME_MEASURES, values, strict=True)),
                    )
                )
    session.flush()


def rebuild_outcome_rollup_between(session: Session, start: date, end: date) -> None:
    """Rebuild the days of [start, end] that have outcomes or rollup rows (a publication's
    horizon: its live rounds and their codes changed; days without outcomes sum nothing)."""
    outcome_days = (
        sa_select(col(VisitOutcomeRow.day))
        .where(col(VisitOutcomeRow.day) >= start)
        .where(col(VisitOutcomeRow.day) <= end)
    )
    rollup_days = (
        sa_select(col(OutcomeRollupRow.day))
        .where(col(OutcomeRollupRow.day) >= start)
        .where(col(OutcomeRollupRow.day) <= end)
    )
    days = set(session.execute(union(outcome_days, rollup_days)).scalars())
    rebuild_outcome_rollup(session, days)


def rolled_up_outcome_sums(
    session: Session, filters: VisitFilters, group_by: GroupBy | None
) -> dict[str, list[int]]:
    """Group key to the sums of :data:`OUTCOME_MEASURES`, read from the rollup (equal to
    :func:`~inspection.services.figures.carried_out.outcome_sums`); no key without outcomes.

    A region's are the rule's own sums over its enterprises' visits: the rollup's key
    (day, unit, town) cannot tell regions apart.
    """
    if filters.region_path is not None:
        return dict(outcome_sums(session, filters, group_by))
    table: Any = OutcomeRollupRow
    column = {
        "unit": col(OutcomeRollupRow.unit_id),
        "town": col(OutcomeRollupRow.town),
        "month": col(OutcomeRollupRow.day),  # summed per day here, per month below
        None: None,
    }[group_by]
    measures = [func.sum(getattr(table, name)) for name in OUTCOME_MEASURES]
    query = sa_select(*measures) if column is None else sa_select(column, *measures)
    if filters.date_from is not None:
        query = query.where(col(OutcomeRollupRow.day) >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(col(OutcomeRollupRow.day) <= filters.date_to)
    if filters.unit is not None:
        query = query.where(col(OutcomeRollupRow.unit_id) == filters.unit)
    if filters.town is not None:
        query = query.where(col(OutcomeRollupRow.town) == filters.town)
    if column is not None:
        query = query.group_by(column)
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * len(OUTCOME_MEASURES))
    for row in session.execute(query):
        values = list(row)
        key = "total" if column is None else values.pop(0)
        if values[0] is None:  # the total of no row at all
            continue
        if group_by == "month":
            key = f"{key:%Y-%m}"
        for index, value in enumerate(values):
            sums[key][index] += int(value)
    return dict(sums)
