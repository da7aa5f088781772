"""A unit's to-do list: visits whose day has come lacking its outcome or, as lead, its
confirmation, with the days left; nothing before the day, after the window or confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.errors import ForbiddenError
from inspection.services.outcomes.models import OutcomeIn
from inspection.services.outcomes.pending import pending_outcomes
from inspection.services.outcomes.service import confirm_visit, record_outcome
from tests.support.data import ACTOR
from tests.support.outcomes_world import (
    FACTORY_DAY,
    SHOP_DAY,
    JointWeek,
    publish_joint_week,
    unit_key,
)

SCJG, XFJY = unit_key("SCJG"), unit_key("XFJY")
DONE = OutcomeIn(status="carried_out", problems_found=False)  # type: ignore[arg-type]


@pytest.fixture
def week(engine: Engine) -> JointWeek:
    return publish_joint_week(engine)


def test_the_list_follows_the_days_and_what_is_recorded(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        assert pending_outcomes(session, SCJG, today=FACTORY_DAY - timedelta(days=1)) == []
        (factory,) = pending_outcomes(session, SCJG, today=FACTORY_DAY)
        assert (factory.code, factory.lead, factory.days_left) == (week.factory_code, True, 10)
        assert (factory.needs.outcome, factory.needs.confirmation) == (True, True)
        assert factory.waiting_for == ["SCJG", "XFJY"]
        later = pending_outcomes(session, SCJG, today=SHOP_DAY)
        assert [(p.code, p.days_left) for p in later] == [
            (week.factory_code, 9),
            (week.shop_code, 10),
        ]
        record_outcome(session, SCJG, week.factory_code, "SCJG", DONE, today=FACTORY_DAY)
        (factory,) = pending_outcomes(session, SCJG, today=FACTORY_DAY)
        assert (factory.needs.outcome, factory.needs.confirmation, factory.confirmable) == (
            False,
            True,
            False,
        )
        (joined,) = pending_outcomes(session, XFJY, today=FACTORY_DAY)
        assert (joined.lead, joined.needs.confirmation) == (False, False)
        record_outcome(session, XFJY, week.factory_code, "XFJY", DONE, today=FACTORY_DAY)
        assert pending_outcomes(session, XFJY, today=FACTORY_DAY) == []
        (factory,) = pending_outcomes(session, SCJG, today=FACTORY_DAY)
        assert factory.confirmable
        confirm_visit(session, SCJG, week.factory_code, today=FACTORY_DAY)
        assert pending_outcomes(session, SCJG, today=FACTORY_DAY) == []


def test_the_window_s_end_drops_a_visit(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        last = pending_outcomes(session, SCJG, today=FACTORY_DAY + timedelta(days=10))
        assert [(p.code, p.days_left) for p in last] == [
            (week.factory_code, 0),
            (week.shop_code, 1),
        ]
        after = pending_outcomes(session, SCJG, today=FACTORY_DAY + timedelta(days=11))
        assert [p.code for p in after] == [week.shop_code]


def test_a_visit_nobody_carried_out_needs_no_confirmation(engine: Engine, week: JointWeek) -> None:
    postponed = OutcomeIn(status="postponed", reason="企业停产")  # type: ignore[arg-type]
    with Session(engine) as session:
        for unit in ("SCJG", "XFJY"):
            record_outcome(
                session, unit_key(unit), week.factory_code, unit, postponed, today=FACTORY_DAY
            )
        assert pending_outcomes(session, SCJG, today=FACTORY_DAY) == []


def test_the_list_is_a_unit_s(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session, pytest.raises(ForbiddenError):
        pending_outcomes(session, ACTOR, today=FACTORY_DAY)
