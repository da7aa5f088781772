"""Rounds as lines for people (names instead of ids), for exports and a unit's calendar feed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from inspection.db.tables import EnterpriseRow, PlanRoundRow, PlanRow, UnitRow
from inspection.errors import NotFoundError
from inspection.services.access import Actor, check_may_read_calendar
from inspection.services.reference.service import get_unit
from inspection.services.rounds.store import plan_rounds_in_context, published_rounds
from inspection.services.spreadsheets.exports import RoundLine, unit_calendar_ics

__all__ = ["plan_file_name", "plan_lines", "unit_calendar_feed", "unit_lines"]


def _unit_names(session: Session) -> dict[str, str]:
    return {unit_id: name for unit_id, name in session.exec(select(UnitRow.id, UnitRow.name))}  # noqa: C416


def _line(
    row: PlanRoundRow,
    enterprise: EnterpriseRow,
    requests: int,
    names: dict[str, str],
    published: dict[int, datetime] | None = None,
) -> RoundLine:
    return RoundLine(
        day=row.day,
        credit_code=row.credit_code,
        enterprise_name=enterprise.name,
        town=enterprise.town,
        address=enterprise.address,
        lead_unit=names.get(row.lead_unit_id, row.lead_unit_id),
        units=tuple(names.get(u, u) for u in row.units),
        items=tuple(row.items),
        requests=requests,
        revision=row.revision,
        modified=(published or {}).get(row.revised_in or row.plan_id),
    )


def _published_at(session: Session, rows: list[PlanRoundRow]) -> dict[int, datetime]:
    """When the plans that gave these rounds their content were published."""
    ids = {row.revised_in or row.plan_id for row in rows}
    query = select(PlanRow.id, PlanRow.published_at).where(col(PlanRow.id).in_(ids))
    return {i: at for i, at in session.exec(query) if i is not None and at is not None}


def plan_lines(session: Session, plan_id: int) -> list[RoundLine]:
    """A plan's rounds (draft or published), by day then enterprise.

    Raises:
        NotFoundError: no plan has this id.
    """
    names = _unit_names(session)
    return [_line(r, e, len(q), names) for r, e, q in plan_rounds_in_context(session, plan_id)]


def plan_file_name(session: Session, plan_id: int, extension: str) -> str:
    """The name of a plan's export: its id and the days it covers, e.g.
    ``排期12_2024-04-08至2024-04-14.xlsx``, so that downloaded weeks tell themselves apart.

    Raises:
        NotFoundError: no plan has this id.
    """
    plan = session.get(PlanRow, plan_id)
    if plan is None:
        raise NotFoundError(f"排期 {plan_id} 不存在", "id")
    return f"排期{plan_id}_{plan.horizon_start}至{plan.horizon_end}.{extension}"


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
    published = _published_at(session, [r for r, _, _ in rounds])
    return unit.name, [_line(r, e, len(q), names, published) for r, e, q in rounds]


def unit_calendar_feed(
    session: Session,
    actor: Actor,
    unit_id: str,
    date_from: date | None = None,
    date_to: date | None = None,
) -> bytes:
    """A unit's published rounds as an iCalendar feed (``text/calendar``).

    A unit (key or feed token) reads its own feed only; coordinators any unit's.

    Raises:
        NotFoundError: no unit has this id, or it is another unit's feed.
        ForbiddenError: a role that reads no calendar.
    """
    check_may_read_calendar(actor, unit_id)
    name, lines = unit_lines(session, unit_id, date_from, date_to)
    return unit_calendar_ics(unit_id, name, lines, generated=datetime.now(UTC))
