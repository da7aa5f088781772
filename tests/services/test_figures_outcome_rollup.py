"""The outcome rollup (`outcome_rollup`) is always the carried-out rule: after any sequence
of records, corrections, confirmations and re-publications, read split by unit, town and
month, and whatever the recording path (the tables, the outcomes service, a publication)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from inspection.db.tables import OutcomeRollupRow
from inspection.services.figures.grouping import VisitFilters
from inspection.services.figures.stats import visit_stats
from inspection.services.outcomes.models import OutcomeIn
from inspection.services.outcomes.service import confirm_visit, record_outcome
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.reference.outcomes import OutcomeStatus
from tests.support import outcome_rows
from tests.support.data import ACTOR
from tests.support.outcome_rollup_checks import assert_rollup_is_the_rule, rollup_rows
from tests.support.outcomes_world import FACTORY_DAY, publish_joint_week, unit_key
from tests.support.world import store_generated

STATUSES = (
    OutcomeStatus.CARRIED_OUT,
    OutcomeStatus.CARRIED_OUT,
    OutcomeStatus.NOT_CARRIED_OUT,
    OutcomeStatus.POSTPONED,
)


def _publish(engine: Engine, start: date, end: date) -> None:
    with Session(engine) as session:
        plan_id = create_plan(session, ACTOR, PlanCreate(start=start, end=end, time_limit_s=5)).id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)


@pytest.fixture
def published_week(engine: Engine) -> tuple[Engine, tuple[date, date]]:
    with Session(engine) as session:
        problem = store_generated(session, "S", 1)
    horizon = (problem.horizon.start, problem.horizon.end)
    _publish(engine, *horizon)
    return engine, horizon


def _filters(start: date, end: date, rng: random.Random) -> list[VisitFilters]:
    middle = start + timedelta(days=rng.randint(0, (end - start).days))
    return [
        VisitFilters(date_from=middle),
        VisitFilters(date_to=middle),
        VisitFilters(date_from=middle, date_to=middle),
    ]


def _step(session: Session, rng: random.Random) -> None:
    """One record, correction or confirmation of a random live round."""
    round_ = rng.choice(outcome_rows.live_rounds(session))
    if rng.random() < 0.25:
        outcome_rows.confirm(session, round_)
        return
    status = rng.choice(STATUSES)
    problems = status == OutcomeStatus.CARRIED_OUT and rng.random() < 0.5
    outcome_rows.record_outcome(  # a second record of a unit is a correction
        session,
        round_,
        rng.choice(sorted(round_.units)),
        status,
        problems_found=problems,
        case_opened=problems and rng.random() < 0.5,
    )


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), republish=st.booleans())
def test_the_rollup_is_the_rule_after_any_sequence(
    published_week: tuple[Engine, tuple[date, date]], seed: int, republish: bool
) -> None:
    engine, (start, end) = published_week
    rng = random.Random(seed)
    with Session(engine) as session:
        for _ in range(rng.randint(1, 25)):
            _step(session, rng)
        session.commit()
        assert_rollup_is_the_rule(session, _filters(start, end, rng))
        session.rollback()  # the check's rebuild from scratch is not kept
    if republish:  # announced rounds come back as new rows, codes move onto them
        _publish(engine, start + timedelta(days=rng.randint(0, 3)), end + timedelta(days=1))
        with Session(engine) as session:
            for _ in range(rng.randint(0, 8)):
                _step(session, rng)
            session.commit()
            assert_rollup_is_the_rule(session, _filters(start, end, rng))
            session.rollback()


def test_the_figures_read_the_rollup(published_week: tuple[Engine, tuple[date, date]]) -> None:
    """Emptied behind the figures' back, the rollup is what they count: they read it."""
    engine, _ = published_week
    with Session(engine) as session:
        round_ = outcome_rows.live_rounds(session)[0]
        for unit in sorted(round_.units):
            outcome_rows.record_outcome(session, round_, unit, OutcomeStatus.CARRIED_OUT)
        outcome_rows.confirm(session, round_)
        assert visit_stats(session).total.rounds_carried_out == 1
        session.execute(OutcomeRollupRow.__table__.delete())  # type: ignore[attr-defined]
        assert visit_stats(session).total.rounds_carried_out == 0


def _rollup_of(engine: Engine) -> dict[tuple[date, str, str], tuple[int, ...]]:
    with Session(engine) as session:
        return rollup_rows(session)


def test_recording_and_confirming_rebuild_the_day_in_their_commit(engine: Engine) -> None:
    week = publish_joint_week(engine)
    assert _rollup_of(engine) == {}
    carried = OutcomeIn(status=OutcomeStatus.CARRIED_OUT, problems_found=False)
    with Session(engine) as session:
        record_outcome(session, unit_key("SCJG"), week.factory_code, "SCJG", carried, FACTORY_DAY)
    first = _rollup_of(engine)
    assert {day for day, _, _ in first} == {FACTORY_DAY}
    with Session(engine) as session:
        record_outcome(session, unit_key("XFJY"), week.factory_code, "XFJY", carried, FACTORY_DAY)
        confirm_visit(session, unit_key("SCJG"), week.factory_code, FACTORY_DAY)
        assert visit_stats(session).total.rounds_carried_out == 1
        assert_rollup_is_the_rule(session, [])
        session.rollback()
    assert _rollup_of(engine) != first


def test_a_publication_rebuilds_the_days_of_its_horizon(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    """A re-plan moves the codes onto new round rows: the rollup follows (checked by
    emptying a day's rows before the publication, which must put them back)."""
    engine, (start, end) = published_week
    with Session(engine) as session:
        rounds = outcome_rows.live_rounds(session)
        later = [r for r in rounds if r.day > start]
        for round_ in later:
            for unit in sorted(round_.units):
                outcome_rows.record_outcome(session, round_, unit, OutcomeStatus.CARRIED_OUT)
            outcome_rows.confirm(session, round_)
        session.commit()
        before = rollup_rows(session)
        session.execute(OutcomeRollupRow.__table__.delete())  # type: ignore[attr-defined]
        session.commit()
    _publish(engine, start + timedelta(days=1), end)
    with Session(engine) as session:
        count = session.execute(select(func.count()).select_from(OutcomeRollupRow)).scalar_one()
        assert count > 0
        assert_rollup_is_the_rule(session, [])
        session.rollback()
        kept = {r.code for r in outcome_rows.live_rounds(session)}
        if all(r.code in kept for r in later):
            assert rollup_rows(session) == before
