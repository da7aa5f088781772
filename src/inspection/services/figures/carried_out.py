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
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

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
    group_key,
)
from inspection.services.reference.outcomes import OutcomeStatus

__all__ = [
    "RoundOutcome",
    "RoundState",
    "outcome_rounds",
    "outcome_sums",
    "round_state",
]


class RoundState(StrEnum):
    """Where a live round stands (names: `figures/names.py` ROUND_STATE_NAMES)."""

    ANNOUNCED = "announced"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    CARRIED_OUT = "carried_out"
    NOT_CARRIED_OUT = "not_carried_out"


FINAL_STATES = frozenset({RoundState.CARRIED_OUT, RoundState.NOT_CARRIED_OUT})


def round_state(units: set[str], statuses: dict[str, str], confirmed: bool) -> RoundState:
    """The state of a round of `units`, given each unit's recorded outcome and the confirmation.

    Outcomes of units no longer in the round (a re-plan changed it) are not read.
    """
    recorded = {unit: status for unit, status in statuses.items() if unit in units}
    if not recorded:
        return RoundState.ANNOUNCED
    carried = any(s == OutcomeStatus.CARRIED_OUT for s in recorded.values())
    if confirmed and carried:
        return RoundState.CARRIED_OUT
    if not carried and set(recorded) == units:
        return RoundState.NOT_CARRIED_OUT
    return RoundState.AWAITING_CONFIRMATION


@dataclass
class _Part:
    status: str
    problems_found: bool
    case_opened: bool


@dataclass
class RoundOutcome:
    """A live round with outcomes: its state and what each request and unit counts for."""

    round_id: int
    code: str
    state: RoundState
    confirmed: bool
    parts: dict[str, _Part] = field(default_factory=dict)
    requests_carried_out: set[int] = field(default_factory=set)
    counted_carried_out: int | None = None  # the request its carried-out round is counted at
    part_carriers: dict[int, str] = field(default_factory=dict)  # request -> unit part it carries

    def unit_carried_out(self, unit_id: str) -> bool:
        """Whether this unit's part counts as carried out (the round carried out, the unit too)."""
        part = self.parts.get(unit_id)
        return (
            self.state == RoundState.CARRIED_OUT
            and part is not None
            and part.status == OutcomeStatus.CARRIED_OUT
        )


def _day_filtered(query: Any, day_column: Any, filters: VisitFilters) -> Any:
    if filters.date_from is not None:
        query = query.where(day_column >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(day_column <= filters.date_to)
    return query


_Visit = tuple[int, int, date, str, str, bool]


def outcome_rounds(
    session: Session, filters: VisitFilters
) -> tuple[dict[int, RoundOutcome], list[_Visit]]:
    """The live rounds of the period (and town) that have outcomes, and their live visits.

    The unit filter is not applied here: a round's state depends on all its units.
    Visits are (request_id, round_id, day, unit_id, town, counts_round).
    """
    outcomes_query = _day_filtered(
        sa_select(
            col(VisitOutcomeRow.code),
            col(VisitOutcomeRow.unit_id),
            col(VisitOutcomeRow.status),
            col(VisitOutcomeRow.problems_found),
            col(VisitOutcomeRow.case_opened),
            col(InspectionCodeRow.round_id),
            col(VisitConfirmationRow.code).is_not(None),
        )
        .join(InspectionCodeRow, col(InspectionCodeRow.code) == col(VisitOutcomeRow.code))
        .outerjoin(
            VisitConfirmationRow, col(VisitConfirmationRow.code) == col(VisitOutcomeRow.code)
        )
        .where(col(InspectionCodeRow.cancelled_at).is_(None)),
        col(VisitOutcomeRow.day),
        filters,
    )
    by_round: dict[int, tuple[str, bool, dict[str, _Part]]] = {}
    for code, unit_id, status, problems, case, round_id, confirmed in session.execute(
        outcomes_query
    ):
        recorded = by_round.setdefault(round_id, (code, bool(confirmed), {}))
        recorded[2][unit_id] = _Part(status, bool(problems), bool(case))
    if not by_round:
        return {}, []
    codes_with_outcomes = _day_filtered(
        sa_select(col(VisitOutcomeRow.code)), col(VisitOutcomeRow.day), filters
    )
    visits_query = _day_filtered(
        sa_select(
            col(LiveVisitRow.request_id),
            col(LiveVisitRow.round_id),
            col(LiveVisitRow.day),
            col(LiveVisitRow.unit_id),
            col(LiveVisitRow.town),
            col(LiveVisitRow.counts_round),
        )
        .join(InspectionCodeRow, col(InspectionCodeRow.round_id) == col(LiveVisitRow.round_id))
        .where(col(InspectionCodeRow.cancelled_at).is_(None))
        .where(col(InspectionCodeRow.code).in_(codes_with_outcomes))
        .order_by(col(LiveVisitRow.round_id), col(LiveVisitRow.request_id)),
        col(LiveVisitRow.day),
        filters,
    )
    if filters.town is not None:
        visits_query = visits_query.where(col(LiveVisitRow.town) == filters.town)
    visits: list[_Visit] = [
        (row[0], row[1], row[2], row[3], row[4], bool(row[5]))
        for row in session.execute(visits_query)
    ]
    members: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for request_id, round_id, _day, unit_id, _town, counts in visits:
        members[round_id].append((request_id, unit_id, bool(counts)))
    rounds: dict[int, RoundOutcome] = {}
    for round_id, requests in members.items():
        if round_id not in by_round:
            continue
        code, confirmed, parts = by_round[round_id]
        units = {unit for _, unit, _ in requests}
        state = round_state(units, {u: p.status for u, p in parts.items()}, confirmed)
        entry = RoundOutcome(round_id, code, state, confirmed, parts)
        for request_id, unit_id, counts in requests:  # in request order
            if unit_id in parts and unit_id not in entry.part_carriers.values():
                entry.part_carriers[request_id] = unit_id
            if entry.unit_carried_out(unit_id):
                entry.requests_carried_out.add(request_id)
                if counts:
                    entry.counted_carried_out = request_id
        if entry.counted_carried_out is None and entry.requests_carried_out:
            entry.counted_carried_out = min(entry.requests_carried_out)
        rounds[round_id] = entry
    kept = [v for v in visits if v[1] in rounds]
    return rounds, kept


def outcome_sums(
    session: Session, filters: VisitFilters, group_by: GroupBy | None
) -> dict[str, list[int]]:
    """Group key to the sums of :data:`OUTCOME_MEASURES` over the live rounds with outcomes."""
    rounds, visits = outcome_rounds(session, filters)
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * len(OUTCOME_MEASURES))
    for request_id, round_id, day, unit_id, town, counts in visits:
        if filters.unit is not None and unit_id != filters.unit:
            continue
        entry = rounds[round_id]
        group = sums[group_key(group_by, day, unit_id, town)]
        final = entry.state in FINAL_STATES
        with_outcome = entry.state != RoundState.ANNOUNCED
        group[0] += with_outcome
        group[1] += with_outcome and counts
        group[2] += final
        group[3] += final and counts
        group[4] += entry.counted_carried_out == request_id
        group[5] += request_id in entry.requests_carried_out
        group[6] += counts and entry.state == RoundState.AWAITING_CONFIRMATION
        group[7] += counts and entry.state == RoundState.NOT_CARRIED_OUT
        carried_part = entry.part_carriers.get(request_id)
        if carried_part is not None and entry.unit_carried_out(carried_part):
            part = entry.parts[carried_part]
            group[8] += 1
            group[9] += part.problems_found
            group[10] += part.case_opened
    return sums
