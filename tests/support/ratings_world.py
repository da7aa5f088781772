"""A published week whose visits can be rated: codes by unit, and unit keys."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import InspectionCodeRow, PlanRoundRow
from inspection.services.access import Actor, Role
from inspection.services.codes.issue import new_code
from inspection.services.trust.keys import create_key

__all__ = ["add_codes", "cancel_code", "codes_of_unit", "move_code", "unit_key"]


def codes_of_unit(engine: Engine, unit_id: str) -> list[str]:
    """The live codes whose round the unit takes part in, in order."""
    with Session(engine) as session:
        return sorted(
            code.code
            for code, round_ in session.exec(
                select(InspectionCodeRow, PlanRoundRow).where(
                    InspectionCodeRow.round_id == PlanRoundRow.id
                )
            )
            if unit_id in round_.units and code.cancelled_at is None
        )


def unit_key(engine: Engine, unit_id: str) -> str:
    """A fresh key of one of the unit's staff."""
    with Session(engine) as session:
        return create_key(session, Actor("tests", Role.ADMIN), Role.UNIT, unit_id).key


def cancel_code(engine: Engine, code: str) -> None:
    """Mark a code's visit cancelled, as a re-plan that drops it does."""
    with Session(engine) as session:
        row = session.get(InspectionCodeRow, code)
        assert row is not None
        row.cancelled_at = datetime.now(UTC)
        session.add(row)
        session.commit()


def move_code(engine: Engine, code: str, day: object) -> None:
    """Give a code's visit another day (to put it in the future)."""
    with Session(engine) as session:
        row = session.get(InspectionCodeRow, code)
        assert row is not None
        row.day = day  # type: ignore[assignment]
        session.add(row)
        session.commit()


def add_codes(engine: Engine, like: str, count: int) -> None:
    """More codes naming the same round as `like` (the hand-made week has two enterprises
    only; a district has hundreds of visits): each is a visit to rate as far as ratings go."""
    with Session(engine) as session:
        model = session.get(InspectionCodeRow, like)
        assert model is not None
        for _ in range(count):
            session.add(
                InspectionCodeRow(
                    code=new_code(),
                    credit_code=model.credit_code,
                    day=model.day,
                    round_id=model.round_id,
                    plan_id=model.plan_id,
                    created_at=model.created_at,
                )
            )
        session.commit()
