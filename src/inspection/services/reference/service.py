"""Reference data: enforcement units and enterprises."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.regions import in_region, region_by_code, region_in
from inspection.db.tables import EnterpriseBlackoutRow, EnterpriseRow, UnitDayOffRow, UnitRow
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.access import Actor
from inspection.services.reference.models import (
    EnterpriseCreate,
    EnterprisePublic,
    UnitCreate,
    UnitPublic,
)
from inspection.services.trust.audit import record, snapshot

__all__ = [
    "add_enterprise",
    "add_unit",
    "create_enterprise",
    "create_unit",
    "get_enterprise",
    "get_unit",
    "list_enterprises",
    "list_units",
    "unit_names",
]


def unit_names(session: Session, unit_ids: Sequence[str] | None = None) -> dict[str, str]:
    """Unit id to name: of the units given, or of every unit."""
    query = select(UnitRow.id, UnitRow.name)
    if unit_ids is not None:
        query = query.where(col(UnitRow.id).in_(list(unit_ids)))
    # not dict(result): a Result has keys(), so dict() would read it as a mapping
    return {unit_id: name for unit_id, name in session.exec(query)}  # noqa: C416


def _region_id(session: Session, code: str | None) -> int | None:
    """The id of the region named by `code` (None: the default region, filled on insert).

    Raises:
        InvalidInputError: no region has this code.
    """
    if code is None:
        return None
    found = region_by_code(session, code.strip())
    if found is None:
        raise InvalidInputError(f"行政区划 {code} 不存在", "region")
    return found.id


def add_unit(session: Session, actor: Actor, data: UnitCreate) -> None:
    """Add a new unit with its days off to the caller's transaction (no commit).

    Raises:
        ConflictError: a unit with this id exists.
        InvalidInputError: no region has the code it names.
    """
    if repository.get_unit(session, data.id) is not None:
        raise ConflictError(f"执法单位 {data.id} 已存在", "id")
    repository.add_unit(
        session,
        UnitRow(
            id=data.id,
            name=data.name,
            weekday_capacity=list(data.weekday_capacity),
            contact=data.contact,
            region_id=_region_id(session, data.region),
        ),
    )
    for day in sorted(set(data.days_off)):
        session.add(UnitDayOffRow(unit_id=data.id, day=day))
    session.flush()
    record(session, actor, "unit.create", "unit", data.id, None, snapshot(data))


def create_unit(session: Session, actor: Actor, data: UnitCreate) -> UnitPublic:
    """Store a new unit with its days off, in one transaction.

    Raises:
        ConflictError: a unit with this id exists.
    """
    add_unit(session, actor, data)
    session.commit()
    return get_unit(session, data.id)


def add_enterprise(session: Session, actor: Actor, data: EnterpriseCreate) -> None:
    """Add a new enterprise with its blackout days to the caller's transaction (no commit).

    Raises:
        ConflictError: an enterprise with this credit code exists.
    """
    if repository.get_enterprise(session, data.credit_code) is not None:
        raise ConflictError(f"企业 {data.credit_code} 已存在", "credit_code")
    repository.add_enterprise(
        session,
        EnterpriseRow(
            credit_code=data.credit_code,
            name=data.name,
            town=data.town,
            industry=data.industry,
            address=data.address,
            region_id=_region_id(session, data.region),
        ),
    )
    for day in sorted(set(data.blackout_days)):
        session.add(EnterpriseBlackoutRow(credit_code=data.credit_code, day=day))
    session.flush()
    record(
        session, actor, "enterprise.create", "enterprise", data.credit_code, None, snapshot(data)
    )


def create_enterprise(session: Session, actor: Actor, data: EnterpriseCreate) -> EnterprisePublic:
    """Store a new enterprise with its blackout days, in one transaction.

    Raises:
        ConflictError: an enterprise with this credit code exists.
    """
    add_enterprise(session, actor, data)
    session.commit()
    return get_enterprise(session, data.credit_code)


def _unit_public(row: UnitRow, days_off: list[UnitDayOffRow]) -> UnitPublic:
    return UnitPublic(
        id=row.id,
        name=row.name,
        weekday_capacity=row.weekday_capacity,
        days_off=sorted(d.day for d in days_off),
        contact=row.contact,
    )


def get_unit(session: Session, unit_id: str, region_path: str | None = None) -> UnitPublic:
    """One unit (with `region_path`, only one of that region or a region under it).

    Raises:
        NotFoundError: no unit has this id (in the region).
    """
    row = repository.get_unit(session, unit_id)
    if row is None or not _in(session, row.region_id, region_path):
        raise NotFoundError(f"执法单位 {unit_id} 不存在", "id")
    days_off = session.exec(select(UnitDayOffRow).where(UnitDayOffRow.unit_id == unit_id))
    return _unit_public(row, list(days_off))


def _in(session: Session, region_id: int | None, region_path: str | None) -> bool:
    return region_path is None or (
        region_id is not None and region_in(session, region_id, region_path)
    )


def list_units(session: Session, region_path: str | None = None) -> list[UnitPublic]:
    """Every unit, by id (with `region_path`, those of that region and the regions under it)."""
    days_off: dict[str, list[UnitDayOffRow]] = defaultdict(list)
    for off in session.exec(select(UnitDayOffRow)):
        days_off[off.unit_id].append(off)
    rows = session.exec(
        in_region(select(UnitRow), UnitRow.region_id, region_path).order_by(col(UnitRow.id))
    )
    return [_unit_public(row, days_off[row.id]) for row in rows]


def _enterprise_public(
    row: EnterpriseRow, blackouts: list[EnterpriseBlackoutRow]
) -> EnterprisePublic:
    return EnterprisePublic(
        credit_code=row.credit_code,
        name=row.name,
        town=row.town,
        industry=row.industry,
        address=row.address,
        blackout_days=sorted(b.day for b in blackouts),
        risk_class=row.risk_class,
        risk_source=row.risk_source,
        risk_as_of=row.risk_as_of,
        credit_class=row.credit_class,
        credit_source=row.credit_source,
        credit_as_of=row.credit_as_of,
        no_disturb=row.no_disturb,
        no_disturb_source=row.no_disturb_source,
        no_disturb_since=row.no_disturb_since,
    )


def get_enterprise(
    session: Session, credit_code: str, region_path: str | None = None
) -> EnterprisePublic:
    """One enterprise (with `region_path`, only one of that region or a region under it).

    Raises:
        NotFoundError: no enterprise has this credit code (in the region).
    """
    row = repository.get_enterprise(session, credit_code.strip().upper())
    if row is None or not _in(session, row.region_id, region_path):
        raise NotFoundError(f"企业 {credit_code} 不存在", "credit_code")
    blackouts = session.exec(
        select(EnterpriseBlackoutRow).where(EnterpriseBlackoutRow.credit_code == row.credit_code)
    )
    return _enterprise_public(row, list(blackouts))


def list_enterprises(
    session: Session,
    town: str | None = None,
    industry: str | None = None,
    name_contains: str | None = None,
    limit: int = 100,
    offset: int = 0,
    no_disturb: bool | None = None,
    risk_class: str | None = None,
    region_path: str | None = None,
) -> list[EnterprisePublic]:
    """Enterprises by credit code, filtered by town, industry, part of the name, the
    no-disturb flag and the risk class (and the region, with the regions under it)."""
    query = in_region(select(EnterpriseRow), EnterpriseRow.region_id, region_path)
    if no_disturb is not None:
        query = query.where(col(EnterpriseRow.no_disturb) == no_disturb)
    if risk_class is not None:  # as grades are stored: full-width folded, Latin upper case
        grade = unicodedata.normalize("NFKC", risk_class).strip().upper()
        query = query.where(EnterpriseRow.risk_class == grade)
    if town is not None:
        query = query.where(EnterpriseRow.town == town)
    if industry is not None:
        query = query.where(EnterpriseRow.industry == industry)
    if name_contains:
        query = query.where(col(EnterpriseRow.name).contains(name_contains))
    rows = list(
        session.exec(query.order_by(col(EnterpriseRow.credit_code)).offset(offset).limit(limit))
    )
    blackouts: dict[str, list[EnterpriseBlackoutRow]] = defaultdict(list)
    codes = [r.credit_code for r in rows]
    for blackout in session.exec(
        select(EnterpriseBlackoutRow).where(col(EnterpriseBlackoutRow.credit_code).in_(codes))
    ):
        blackouts[blackout.credit_code].append(blackout)
    return [_enterprise_public(row, blackouts[row.credit_code]) for row in rows]
