"""Two units recording their parts of one visit at the same moment: the day's outcome
rollup ends up counting both, on either database.

PostgreSQL: the second rebuild waits for the first's advisory lock of the day and then,
read committed, sums what the first committed too. SQLite: the second writer waits for
the database's write lock, held by the first until its commit.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db.tables import VisitOutcomeRow
from inspection.services.figures.grouping import OUTCOME_MEASURES, VisitFilters
from inspection.services.figures.outcome_rollup import (
    rebuild_outcome_rollup,
    rolled_up_outcome_sums,
)
from inspection.services.outcomes.models import OutcomeIn
from inspection.services.outcomes.service import record_outcome
from inspection.services.reference.outcomes import OutcomeStatus
from tests.support.outcome_rollup_checks import assert_rollup_is_the_rule
from tests.support.outcomes_world import FACTORY_DAY, publish_joint_week, unit_key


def test_a_record_beside_another_of_the_same_day_keeps_the_rollup_right(engine: Engine) -> None:
    week = publish_joint_week(engine)
    # the round is not carried out only once both units say so: alone, one awaits the other
    closed = OutcomeIn(status=OutcomeStatus.NOT_CARRIED_OUT, reason="企业停产")
    errors: list[BaseException] = []

    def second_unit() -> None:
        try:
            with Session(engine) as session:
                record_outcome(
                    session, unit_key("XFJY"), week.factory_code, "XFJY", closed, FACTORY_DAY
                )
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    with Session(engine) as first:
        first.add(
            VisitOutcomeRow(
                code=week.factory_code,
                unit_id="SCJG",
                day=FACTORY_DAY,
                status=OutcomeStatus.NOT_CARRIED_OUT,
                reason="企业停产",
                recorded_by="测试",
                recorded_at=datetime.now(UTC),
            )
        )
        rebuild_outcome_rollup(first, [FACTORY_DAY])  # holds the day until the commit
        beside = threading.Thread(target=second_unit)
        beside.start()
        time.sleep(1.0)
        assert beside.is_alive(), "the second record did not wait for the first"
        first.commit()
    beside.join(timeout=30)
    assert not beside.is_alive()
    assert errors == []
    with Session(engine) as session:
        sums = dict(
            zip(
                OUTCOME_MEASURES,
                rolled_up_outcome_sums(session, VisitFilters(), None)["total"],
                strict=True,
            )
        )
        assert (sums["rounds_not_carried_out"], sums["rounds_awaiting_confirmation"]) == (1, 0)
        assert_rollup_is_the_rule(session, [])
        session.rollback()
