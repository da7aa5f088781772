"""What was carried out: the one rule that turns recorded outcomes into figures.

A live round is one visit (an inspection code). Its state, from the outcome rows of
its units and the lead unit's confirmation (`visit_outcomes`, `visit_confirmations`):

- *announced*: no unit recorded an outcome yet;
- *carried out*: the lead unit confirmed the visit and at least one unit carried out
  its part; its requests count as carried out only for the units that carried out;
- *not carried out*: every unit of the round recorded not carried out or postponed;
- *awaiting confirmation*: anything else with an outcome (no confirmation yet, or
  confirmed while no unit recorded carrying out).

The headline visits saved (减少入企次数) counts a carried-out round by what was carried
out (its carried-out requests minus one), a round not carried out as 0, and every
other round as announced (its requests minus one): once outcomes exist, a figure
never counts a visit that did not happen. A unit part (one unit's inspection of one
visit) is counted once per (code, unit), however many requests the unit had there.

Attribution keeps every split adding up to its total, as the ledger's does: a round's
state is counted at its counted visit (the lead unit's first request); a carried-out
round at that visit when its unit carried out, else at the first carried-out request;
a unit part at that unit's first request in the round.

The rule is applied in SQL (:func:`unit_parts`, one row per unit part, summed by
:func:`outcome_measures`); the per-day rollup the figures read
(:mod:`~inspection.services.figures.outcome_rollup`) is built from the same two
functions, and the rounds behind a figure read the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from inspection.db.regions import enterprises_in
from inspection.db.tables import (
    InspectionCodeRow,
    LiveVisitRow,
    VisitConfirmationRow,
    VisitOutcomeRow,
)
from inspection.services.figures.grouping import (
    OUTCOME_MEASURES,
    GroupBy,
    VisitFilters,
)
from inspection.services.reference.outcomes import OutcomeStatus

__all__ = [
    "RoundOutcome",
    "RoundState",
    "outcome_measures",
    "outcome_rounds",
    "outcome_sums",
    "unit_parts",
]


class RoundState(StrEnum):
    """Where a live round stands (names: `figures/names.py` ROUND_STATE_NAMES)."""

    ANNOUNCED = "announced"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    CARRIED_OUT = "carried_out"
    NOT_CARRIED_OUT = "not_carried_out"


FINAL_STATES = (RoundState.CARRIED_OUT, RoundState.NOT_CARRIED_OUT)


def _day_filtered(query: Any, day_column: Any, filters: VisitFilters) -> Any:
    if filters.date_from is not None:
        query = query.where(day_column >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(day_column <= filters.date_to)
    return query


def _flag(condition: Any) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def unit_parts(filters: VisitFilters) -> Any:
    """One row per unit part (a live round's unit) of the rounds with outcomes, with the
    rule applied: the round's state and what the part counts for. The one definition.

    The unit filter is not applied here: a round's state depends on all its units.
    """
    with_outcomes = _day_filtered(
        sa_select(col(VisitOutcomeRow.code)), col(VisitOutcomeRow.day), filters
    )
    grouped: Any = (
        sa_select(
            col(LiveVisitRow.round_id).label("round_id"),
            col(LiveVisitRow.unit_id).label("unit_id"),
            col(InspectionCodeRow.code).label("code"),
            func.min(LiveVisitRow.day).label("day"),
            func.min(LiveVisitRow.town).label("town"),
            func.count().label("requests"),
            func.min(LiveVisitRow.request_id).label("first_request"),
            func.max(_flag(col(LiveVisitRow.counts_round))).label("has_counted"),
        )
        .join(InspectionCodeRow, col(InspectionCodeRow.round_id) == col(LiveVisitRow.round_id))
        .where(col(InspectionCodeRow.cancelled_at).is_(None))
        .where(col(InspectionCodeRow.code).in_(with_outcomes))
        .group_by(
            col(LiveVisitRow.round_id), col(LiveVisitRow.unit_id), col(InspectionCodeRow.code)
        )
    )
    grouped = _day_filtered(grouped, col(LiveVisitRow.day), filters)
    if filters.town is not None:
        grouped = grouped.where(col(LiveVisitRow.town) == filters.town)
    if filters.region_path is not None:  # a round is at one enterprise: all its parts go
        grouped = grouped.where(
            col(LiveVisitRow.credit_code).in_(enterprises_in(filters.region_path))
        )
    parts_query = grouped.subquery("grouped")
    outcome = VisitOutcomeRow.__table__.alias("outcome")  # type: ignore[attr-defined]
    parts = (
        sa_select(
            parts_query,
            _flag(outcome.c.status.is_not(None)).label("recorded"),
            _flag(outcome.c.status == OutcomeStatus.CARRIED_OUT).label("carried"),
            _flag(outcome.c.problems_found).label("problems"),
            _flag(outcome.c.case_opened).label("case_opened"),
        )
        .outerjoin(
            outcome,
            (outcome.c.code == parts_query.c.code) & (outcome.c.unit_id == parts_query.c.unit_id),
        )
        .cte("parts")
    )
    rounds = (
        sa_select(
            parts.c.round_id,
            func.count().label("units"),
            func.sum(parts.c.recorded).label("recorded"),
            func.sum(parts.c.carried).label("carried"),
            # the unit holding the round's counted visit carried out its part
            func.max(parts.c.has_counted * parts.c.carried).label("lead_carried"),
            func.min(case((parts.c.carried == 1, parts.c.first_request))).label("first_carried"),
        )
        .group_by(parts.c.round_id)
        .subquery("rounds")
    )
    confirmation = VisitConfirmationRow.__table__.alias("confirmation")  # type: ignore[attr-defined]
    state = case(
        (rounds.c.recorded == 0, RoundState.ANNOUNCED.value),
        (
            and_(confirmation.c.code.is_not(None), rounds.c.carried > 0),
            RoundState.CARRIED_OUT.value,
        ),
        (
            and_(rounds.c.carried == 0, rounds.c.recorded == rounds.c.units),
            RoundState.NOT_CARRIED_OUT.value,
        ),
        else_=RoundState.AWAITING_CONFIRMATION.value,
    ).label("state")
    carried_part = and_(state == RoundState.CARRIED_OUT.value, parts.c.carried == 1)
    # a carried-out round is counted at its counted visit when that unit carried out,
    # else at its first carried-out request
    counted_here = and_(
        carried_part,
        or_(
            and_(rounds.c.lead_carried == 1, parts.c.has_counted == 1),
            and_(rounds.c.lead_carried == 0, parts.c.first_request == rounds.c.first_carried),
        ),
    )
    return (
        sa_select(
            parts.c.round_id,
            parts.c.unit_id,
            parts.c.code,
            parts.c.day,
            parts.c.town,
            parts.c.requests,
            parts.c.first_request,
            parts.c.has_counted,
            parts.c.problems,
            parts.c.case_opened,
            state,
            _flag(carried_part).label("carried_part"),
            _flag(counted_here).label("counted_carried"),
            _flag(confirmation.c.code.is_not(None)).label("confirmed"),
        )
        .join(rounds, rounds.c.round_id == parts.c.round_id)
        .outerjoin(confirmation, confirmation.c.code == parts.c.code)
        .subquery("unit_parts")
    )


def _any_outcome(session: Session, filters: VisitFilters) -> bool:
    """Whether any outcome is recorded for a visit of the period (most periods have none yet)."""
    query = _day_filtered(sa_select(col(VisitOutcomeRow.code)), col(VisitOutcomeRow.day), filters)
    return session.execute(query.limit(1)).first() is not None


def outcome_measures(parts: Any) -> tuple[ColumnElement[int], ...]:
    """The sums of :data:`OUTCOME_MEASURES`, in order, over rows of :func:`unit_parts`."""
    with_outcome = parts.c.state != RoundState.ANNOUNCED.value
    final = parts.c.state.in_([s.value for s in FINAL_STATES])
    carried = parts.c.carried_part == 1

    def total(value: Any, condition: Any) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    measures = (
        total(parts.c.requests, with_outcome),
        total(parts.c.has_counted, with_outcome),
        total(parts.c.requests, final),
        total(parts.c.has_counted, final),
        func.coalesce(func.sum(parts.c.counted_carried), 0),
        total(parts.c.requests, carried),
        total(parts.c.has_counted, parts.c.state == RoundState.AWAITING_CONFIRMATION.value),
        total(parts.c.has_counted, parts.c.state == RoundState.NOT_CARRIED_OUT.value),
        total(1, carried),
        total(parts.c.problems, carried),
        total(parts.c.case_opened, carried),
    )
    assert len(measures) == len(OUTCOME_MEASURES)
    return measures


def outcome_sums(
    session: Session, filters: VisitFilters, group_by: GroupBy | None
) -> dict[str, list[int]]:
    """Group key to the sums of :data:`OUTCOME_MEASURES` over the live rounds with outcomes,
    computed from the outcome rows on the fly (the figures read the per-day rollup,
    :mod:`~inspection.services.figures.outcome_rollup`, which this must always equal)."""
    if not _any_outcome(session, filters):
        return {}
    parts = unit_parts(filters)
    column = {
        "unit": parts.c.unit_id,
        "town": parts.c.town,
        "month": parts.c.day,  # summed per day here, per month below
        None: None,
    }[group_by]
    measures = outcome_measures(parts)
    query = sa_select(*measures) if column is None else sa_select(column, *measures)
    if filters.unit is not None:
        query = query.where(parts.c.unit_id == filters.unit)
    if column is not None:
        query = query.group_by(column)
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * len(OUTCOME_MEASURES))
    for row in session.execute(query):
        values = list(row)
        key = "total" if column is None else values.pop(0)
        if group_by == "month":
            key = f"{key:%Y-%m}" if isinstance(key, date) else str(key)[:7]
        for index, value in enumerate(values):
            sums[key][index] += int(value or 0)
    return sums


@dataclass
class RoundOutcome:
    """A live round with outcomes, as the figures count it: for the rounds behind a figure."""

    round_id: int
    code: str
    state: RoundState
    units_carried_out: set[str] = field(default_factory=set)
    units_with_problems: set[str] = field(default_factory=set)
    counted_carried_out_unit: str | None = None  # the unit part its carried-out round is at

    def unit_carried_out(self, unit_id: str) -> bool:
        """Whether this unit's part counts as carried out."""
        return unit_id in self.units_carried_out


def outcome_rounds(session: Session, filters: VisitFilters) -> dict[int, RoundOutcome]:
    """The live rounds of the period (and town) with outcomes, by round id."""
    rounds: dict[int, RoundOutcome] = {}
    if not _any_outcome(session, filters):
        return rounds
    parts = unit_parts(filters)
    query = sa_select(
        parts.c.round_id,
        parts.c.code,
        parts.c.unit_id,
        parts.c.state,
        parts.c.carried_part,
        parts.c.problems,
        parts.c.counted_carried,
    )
    for round_id, code, unit_id, state, carried, problems, counted in session.execute(query):
        entry = rounds.setdefault(round_id, RoundOutcome(round_id, code, RoundState(state)))
        if carried:
            entry.units_carried_out.add(unit_id)
            if problems:
                entry.units_with_problems.add(unit_id)
        if counted:
            entry.counted_carried_out_unit = unit_id
    return rounds
