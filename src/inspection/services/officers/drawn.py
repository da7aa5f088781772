"""Officers for the planner, and the officers drawn for stored rounds.

:func:`problem_officers` gives the planning core the officers it may draw from
(format 1.1 ``officers``); :func:`round_officers` reads back whom the draw sent
to each stored round, with names and badge numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from sqlmodel import Session, col, select

from inspection.db.tables import (
    OfficerDayOffRow,
    OfficerRecusalRow,
    OfficerRow,
    PlanRoundOfficerRow,
)
from inspection.services.officers.models import RoundOfficer
from inspection.solver.schema_rules import Officer

__all__ = [
    "officer_label",
    "pinned_officers",
    "problem_officers",
    "round_officer_ids",
    "round_officers",
]

_CHUNK = 1000  # ids per IN (...) list


def problem_officers(
    session: Session,
    unit_ids: Sequence[str],
    days: Sequence[date],
    *,
    enterprises: Collection[str] | None = None,
) -> tuple[Officer, ...]:
    """The active officers of these units, as the planning core reads them, by unit then id.

    Officer ids are the rows' ids as text. `days_off` are the officer's days off among
    `days`, plus every day of `days` after the certificate's expiry: a certificate is
    valid through its expiry date, and an officer is never drawn after it. A unit
    with no active officer gets none (its capacity alone limits it).

    Args:
        session: The database session.
        unit_ids: The units of the problem.
        days: The days of the horizon.
        enterprises: The problem's enterprises, when given: recusals of other
            enterprises are left out (the format refuses a recusal that names an
            enterprise the problem does not hold).
    """
    if not unit_ids:
        return ()
    horizon = sorted(set(days))
    rows = list(
        session.exec(
            select(OfficerRow)
            .where(col(OfficerRow.unit_id).in_(list(unit_ids)))
            .where(col(OfficerRow.active))
            .order_by(col(OfficerRow.unit_id), col(OfficerRow.id))
        )
    )
    ids = [r.id for r in rows if r.id is not None]
    off: dict[int, set[date]] = defaultdict(set)
    recused: dict[int, set[str]] = defaultdict(set)
    if ids and horizon:
        for day_off in session.exec(
            select(OfficerDayOffRow)
            .where(col(OfficerDayOffRow.officer_id).in_(ids))
            .where(col(OfficerDayOffRow.day) >= horizon[0])
            .where(col(OfficerDayOffRow.day) <= horizon[-1])
        ):
            off[day_off.officer_id].add(day_off.day)
    if ids:
        for recusal in session.exec(
            select(OfficerRecusalRow).where(col(OfficerRecusalRow.officer_id).in_(ids))
        ):
            if enterprises is None or recusal.credit_code in enterprises:
                recused[recusal.officer_id].add(recusal.credit_code)
    officers = []
    for row in rows:
        assert row.id is not None
        expired = {day for day in horizon if day > row.certificate_expires}
        officers.append(
            Officer(
                id=str(row.id),
                unit=row.unit_id,
                days_off=tuple(sorted((off[row.id] & set(horizon)) | expired)),
                recusals=tuple(sorted(recused[row.id])),
            )
        )
    return tuple(officers)


def officer_label(name: str, badge_number: str) -> str:
    """How a person reads an officer: ``姓名（执法证号）``."""
    return f"{name}（{badge_number}）"


def round_officer_ids(session: Session, round_ids: Sequence[int]) -> dict[int, list[int]]:
    """Round id to the ids of the officers drawn for it."""
    found: dict[int, list[int]] = defaultdict(list)
    ids = list(round_ids)
    for start in range(0, len(ids), _CHUNK):
        for link in session.exec(
            select(PlanRoundOfficerRow).where(
                col(PlanRoundOfficerRow.round_id).in_(ids[start : start + _CHUNK])
            )
        ):
            found[link.round_id].append(link.officer_id)
    return found


def pinned_officers(
    session: Session, round_ids: Sequence[int]
) -> dict[int, dict[str, tuple[str, ...]]]:
    """Round id to its draw as format 1.1 states it (`Round.officers`: unit to officer ids as
    text, by id), for stored rounds handed back to the solver as pinned ones."""
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    ids = list(round_ids)
    for start in range(0, len(ids), _CHUNK):
        for link in session.exec(
            select(PlanRoundOfficerRow)
            .where(col(PlanRoundOfficerRow.round_id).in_(ids[start : start + _CHUNK]))
            .order_by(col(PlanRoundOfficerRow.officer_id))
        ):
            found[link.round_id][link.unit_id].append(str(link.officer_id))
    return {r: {u: tuple(o) for u, o in units.items()} for r, units in found.items()}


def round_officers(session: Session, round_ids: Sequence[int]) -> dict[int, list[RoundOfficer]]:
    """Round id to the officers drawn for it (unit, name, badge number), by unit then name."""
    found: dict[int, list[RoundOfficer]] = defaultdict(list)
    ids = list(round_ids)
    for start in range(0, len(ids), _CHUNK):
        query = (
            select(PlanRoundOfficerRow.round_id, PlanRoundOfficerRow.unit_id, OfficerRow)
            .join(OfficerRow, col(OfficerRow.id) == col(PlanRoundOfficerRow.officer_id))
            .where(col(PlanRoundOfficerRow.round_id).in_(ids[start : start + _CHUNK]))
            .order_by(
                col(PlanRoundOfficerRow.round_id),
                col(PlanRoundOfficerRow.unit_id),
                col(OfficerRow.name),
                col(OfficerRow.id),
            )
        )
        for round_id, unit_id, officer in session.exec(query):
            found[round_id].append(
                RoundOfficer(unit=unit_id, name=officer.name, badge_number=officer.badge_number)
            )
    return found
