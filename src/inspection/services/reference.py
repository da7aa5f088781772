"""Reference data: enforcement units and enterprises."""

from __future__ import annotations

from sqlmodel import Session

from inspection.db import repository
from inspection.db.tables import EnterpriseBlackoutRow, EnterpriseRow, UnitDayOffRow, UnitRow
from inspection.errors import ConflictError
from inspection.services.models import EnterpriseCreate, UnitCreate

__all__ = ["create_enterprise", "create_unit"]


def create_unit(session: Session, data: UnitCreate) -> UnitRow:
    """Store a new unit with its days off, in one transaction.

    Raises:
        ConflictError: a unit with this id exists.
    """
    if repository.get_unit(session, data.id) is not None:
        raise ConflictError(f"执法单位 {data.id} 已存在", "id")
    unit = repository.add_unit(
        session, UnitRow(id=data.id, name=data.name, weekday_capacity=list(data.weekday_capacity))
    )
    for day in sorted(set(data.days_off)):
        session.add(UnitDayOffRow(unit_id=data.id, day=day))
    session.commit()
    return unit


def create_enterprise(session: Session, data: EnterpriseCreate) -> EnterpriseRow:
    """Store a new enterprise with its blackout days, in one transaction.

    Raises:
        ConflictError: an enterprise with this credit code exists.
    """
    if repository.get_enterprise(session, data.credit_code) is not None:
        raise ConflictError(f"企业 {data.credit_code} 已存在", "credit_code")
    enterprise = repository.add_enterprise(
        session,
        EnterpriseRow(
            credit_code=data.credit_code,
            name=data.name,
            town=data.town,
            industry=data.industry,
            address=data.address,
        ),
    )
    for day in sorted(set(data.blackout_days)):
        session.add(EnterpriseBlackoutRow(credit_code=data.credit_code, day=day))
    session.commit()
    return enterprise
