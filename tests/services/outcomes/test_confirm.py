"""The lead unit confirms a visit once every unit has recorded and one carried it out;
after that the outcomes are final."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow, VisitConfirmationRow
from inspection.errors import ConflictError, ForbiddenError
from inspection.services.outcomes.models import OutcomeIn
from inspection.services.outcomes.service import confirm_visit, record_outcome, visit_outcomes
from tests.support.outcomes_world import FACTORY_DAY, JointWeek, publish_joint_week, unit_key

SCJG, XFJY = unit_key("SCJG"), unit_key("XFJY")
CARRIED_OUT = OutcomeIn(status="carried_out", problems_found=False)  # type: ignore[arg-type]
POSTPONED = OutcomeIn(status="postponed", reason="企业停产")  # type: ignore[arg-type]


@pytest.fixture
def week(engine: Engine) -> JointWeek:
    return publish_joint_week(engine)


def _record(session: Session, week: JointWeek, unit: str, data: OutcomeIn, **kw: Any) -> None:
    record_outcome(session, unit_key(unit), week.factory_code, unit, data, today=FACTORY_DAY, **kw)


def test_the_lead_confirms_once_every_unit_has_recorded(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        _record(session, week, "SCJG", CARRIED_OUT)
        assert not visit_outcomes(session, SCJG, week.factory_code, today=FACTORY_DAY).may_confirm
        with pytest.raises(ConflictError, match="XFJY"):
            confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)
        assert session.get(VisitConfirmationRow, week.factory_code) is None
        _record(session, week, "XFJY", POSTPONED)
        assert visit_outcomes(session, SCJG, week.factory_code, today=FACTORY_DAY).may_confirm
        confirmed = confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)
        assert confirmed.lead_unit_id == "SCJG"
        view = visit_outcomes(session, XFJY, week.factory_code, today=FACTORY_DAY)
        assert view.confirmation is not None
        assert not view.may_record
        entry = session.exec(
            select(AuditEntryRow).where(col(AuditEntryRow.action) == "outcome.confirm")
        ).one()
        assert (entry.entity, entry.entity_id) == ("visit_confirmations", week.factory_code)
        assert entry.after is not None
        assert entry.after["late"] is False
        with pytest.raises(ConflictError, match="已确认"):
            confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)


def test_only_the_lead_unit_confirms(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        _record(session, week, "SCJG", CARRIED_OUT)
        _record(session, week, "XFJY", CARRIED_OUT)
        with pytest.raises(ForbiddenError, match="SCJG"):
            confirm_visit(session, XFJY, week.factory_code, today=FACTORY_DAY)
        assert session.get(VisitConfirmationRow, week.factory_code) is None
        assert confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)


def test_a_visit_nobody_carried_out_cannot_be_confirmed(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        _record(session, week, "SCJG", POSTPONED)
        _record(session, week, "XFJY", POSTPONED)
        with pytest.raises(ConflictError, match="没有参与单位实施"):
            confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)
        record_outcome(session, XFJY, week.factory_code, "XFJY", CARRIED_OUT, today=FACTORY_DAY)
        assert confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)


def test_confirmation_keeps_the_window(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        _record(session, week, "SCJG", CARRIED_OUT)
        _record(session, week, "XFJY", CARRIED_OUT)
        with pytest.raises(ConflictError, match="当天起才能确认"):
            confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY - timedelta(days=1))
        with pytest.raises(ConflictError, match="补录期限已过"):
            confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY + timedelta(days=11))
        confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY + timedelta(days=10))
        entry = session.exec(
            select(AuditEntryRow).where(col(AuditEntryRow.action) == "outcome.confirm")
        ).one()
        assert entry.after is not None
        assert entry.after["late"] is True


def test_outcomes_are_final_once_confirmed(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        _record(session, week, "SCJG", CARRIED_OUT)
        _record(session, week, "XFJY", CARRIED_OUT)
        _record(session, week, "XFJY", POSTPONED)  # a correction before: fine
        confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)
        with pytest.raises(ConflictError, match="不能再修改"):
            _record(session, week, "XFJY", CARRIED_OUT)
        view = visit_outcomes(session, XFJY, week.factory_code, today=FACTORY_DAY)
        outcome = view.units[1].outcome
        assert outcome is not None
        assert (outcome.status, outcome.version) == ("postponed", 2)
