"""Rounds as lines for people (names instead of ids), for exports and a unit's calendar feed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from inspection.db.regions import unit_in_region
from inspection.db.tables import EnterpriseRow, OfficerRow, PlanRoundRow, PlanRow
from inspection.errors import NotFoundError
from inspection.services.access import (
    Actor,
    check_may_read_calendar,
    check_may_read_officer_calendar,
)
from inspection.services.officers.drawn import officer_label, round_officer_ids, round_officers
from inspection.services.reference.service import get_unit, unit_names
from inspection.services.rounds.store import (
    RoundInContext,
    plan_rounds_in_context,
    published_rounds,
)
from inspection.services.spreadsheets.exports import RoundLine, unit_calendar_ics

__all__ = [
    "officer_calendar_feed",
    "plan_file_name",
    "plan_lines",
    "unit_calendar_feed",
    "unit_lines",
]


def _line(
    row: PlanRoundRow,
    enterprise: EnterpriseRow,
    requests: int,
    names: dict[str, str],
    published: dict[int, datetime] | None = None,
    officers: tuple[str, ...] = (),
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
        officers=officers,
    )


def _lines(
    session: Session, rounds: list[RoundInContext], published: dict[int, datetime] | None = None
) -> list[RoundLine]:
    names = unit_names(session)
    drawn = round_officers(session, [r.id for r, _, _ in rounds if r.id is not None])
    return [
        _line(
            r,
            e,
            len(q),
            names,
            published,
            tuple(officer_label(o.name, o.badge_number) for o in drawn.get(r.id or -1, [])),
        )
        for r, e, q in rounds
    ]


def _published_at(session: Session, rows: list[PlanRoundRow]) -> dict[int, datetime]:
    """When the plans that gave these rounds their content were published."""
    ids = {row.revised_in or row.plan_id for row in rows}
    query = select(PlanRow.id, PlanRow.published_at).where(col(PlanRow.id).in_(ids))
    return {i: at for i, at in session.exec(query) if i is not None and at is not None}


def plan_lines(session: Session, plan_id: int, region_path: str | None = None) -> list[RoundLine]:
    """A plan's rounds (draft or published), by day then enterprise.

    Raises:
        NotFoundError: no plan has this id (or it plans a region outside `region_path`).
    """
    return _lines(session, plan_rounds_in_context(session, plan_id, region_path))


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
    rounds = published_rounds(session, date_from, date_to, unit=unit_id)
    published = _published_at(session, [r for r, _, _ in rounds])
    return unit.name, _lines(session, rounds, published)


def unit_calendar_feed(
    session: Session,
    actor: Actor,
    unit_id: str,
    date_from: date | None = None,
    date_to: date | None = None,
) -> bytes:
    """A unit's published rounds as an iCalendar feed (``text/calendar``).

    A unit (key or feed token) reads its own feed only; coordinators any unit's of their
    region or one under it.

    Raises:
        NotFoundError: no unit has this id, or it is another unit's feed.
        ForbiddenError: a role that reads no calendar.
    """
    check_may_read_calendar(actor, unit_id)
    if not unit_in_region(session, unit_id, actor.region_path):
        raise NotFoundError(f"执法单位 {unit_id} 不存在", "unit_id")
    name, lines = unit_lines(session, unit_id, date_from, date_to)
    return unit_calendar_ics(unit_id, name, lines, generated=datetime.now(UTC))


def officer_calendar_feed(
    session: Session,
    actor: Actor,
    officer_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
) -> bytes:
    """The live published rounds an officer is drawn for, as an iCalendar feed.

    The officer's feed token reads this feed only; the officer's unit (its key) and
    coordinators read any of its officers' feeds.

    Raises:
        NotFoundError: no such officer, or one the actor may not read (another
            officer's, another unit's).
        ForbiddenError: a role that reads no calendar.
    """
    officer = session.get(OfficerRow, officer_id)
    if officer is None:
        raise NotFoundError(f"执法人员 {officer_id} 不存在", "officer_id")
    check_may_read_officer_calendar(actor, officer_id, officer.unit_id)
    if not unit_in_region(session, officer.unit_id, actor.region_path):
        raise NotFoundError(f"执法人员 {officer_id} 不存在", "officer_id")
    rounds = published_rounds(session, date_from, date_to, unit=officer.unit_id)
    drawn = round_officer_ids(session, [r.id for r, _, _ in rounds if r.id is not None])
    mine = [(r, e, q) for r, e, q in rounds if officer_id in drawn.get(r.id or -1, [])]
    published = _published_at(session, [r for r, _, _ in mine])
    label = officer_label(officer.name, officer.badge_number)
    return unit_calendar_ics(
        f"{officer.unit_id}-officer{officer_id}",
        officer.name,
        _lines(session, mine, published),
        generated=datetime.now(UTC),
        calendar_name=f"{label}联合检查",
    )
