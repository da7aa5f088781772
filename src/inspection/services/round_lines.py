"""Rounds as lines for people: names instead of ids, for exports and calendar feeds."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from inspection.db.tables import EnterpriseRow, PlanRoundRow, UnitRow
from inspection.services.exports import RoundLine
from inspection.services.reference import get_unit
from inspection.services.round_details import plan_rounds_in_context
from inspection.services.rounds import published_rounds

__all__ = ["plan_lines", "unit_lines"]


def _unit_names(session: Session) -> dict[str, str]:
    return {unit_id: name for unit_id, name in session.exec(select(UnitRow.id, UnitRow.name))}  # noqa: C416


def _line(
    row: PlanRoundRow, enterprise: EnterpriseRow, requests: int, names: dict[str, str]
) -> RoundLine:
    return RoundLine(
        day=row.day,
        credit_code=row.credit_code,
        enterprise_name=enterprise.name,
        town=enterprise.town,
        lead_unit=names.get(row.lead_unit_id, row.lead_unit_id),
        units=tuple(names.get(u, u) for u in row.units),
        items=tuple(row.items),
        requests=requests,
    )


def plan_lines(session: Session, plan_id: int) -> list[RoundLine]:
    """A plan's rounds (draft or published), by day then enterprise.

    Raises:
        NotFoundError: no plan has this id.
    """
    names = _unit_names(session)
    return [_line(r, e, len(q), names) for r, e, q in plan_rounds_in_context(session, plan_id)]


def unit_lines(
    session: Session, unit_id: str, date_from: date | None = None, date_to: date | None = None
) -> tuple[str, list[RoundLine]]:
    """A unit's name and the published rounds it takes part in.

    Raises:
        NotFoundError: no unit has this id.
    """
    unit = get_unit(session, unit_id)
    names = _unit_names(session)
    rounds = published_rounds(session, date_from, date_to, unit=unit_id)
    return unit.name, [_line(r, e, len(q), names) for r, e, q in rounds]
