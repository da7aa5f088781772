"""Rating a visit: its state by day, once only (a concurrent second too), audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import AuditEntryRow, InspectionCodeRow, VisitRatingRow
from inspection.errors import ConflictError, NotFoundError
from inspection.services.ratings import give
from inspection.services.ratings.give import rate_visit, rating_state
from inspection.services.ratings.models import RatingCreate, RatingState
from inspection.services.reference.today import district_today
from tests.support.world import run_published_week


@pytest.fixture
def code(engine: Engine) -> str:
    run_published_week(engine)
    with Session(engine) as session:
        return sorted(session.exec(select(InspectionCodeRow.code)).all())[0]


def _day(engine: Engine, code: str) -> date:
    with Session(engine) as session:
        row = session.get(InspectionCodeRow, code)
        assert row is not None
        return row.day


def test_a_visit_opens_on_its_day_and_closes_once_rated(engine: Engine, code: str) -> None:
    day = _day(engine, code)
    with Session(engine) as session:
        assert rating_state(session, code, day - timedelta(days=1)) is RatingState.NOT_YET
        assert rating_state(session, code, day) is RatingState.OPEN
        with pytest.raises(ConflictError, match="当天起才能评价"):
            rate_visit(session, code, RatingCreate(score=3), day - timedelta(days=1))
    with Session(engine) as session:
        receipt = rate_visit(session, code.lower().replace("-", ""), RatingCreate(score=3), day)
        assert receipt.code == code  # read as typed, stored as issued
        assert rating_state(session, code, day) is RatingState.RATED
        with pytest.raises(ConflictError, match="该检查已评价"):
            rate_visit(session, code, RatingCreate(score=1), day)
    with Session(engine) as session:
        [entry] = session.exec(
            select(AuditEntryRow).where(AuditEntryRow.action == "rating.give")
        ).all()
        assert (entry.entity, entry.entity_id, entry.after) == (
            "visit_ratings",
            code,
            {"code": code, "day": day.isoformat(), "score": 3, "comment": "", "complaint": ""},
        )


def test_a_cancelled_or_unknown_visit_is_not_rated(engine: Engine, code: str) -> None:
    with Session(engine) as session:
        with pytest.raises(NotFoundError, match="未找到该检查码"):
            rate_visit(session, "0000-0000-0000", RatingCreate(score=3), date(2024, 6, 10))
        row = session.get(InspectionCodeRow, code)
        assert row is not None
        row.cancelled_at = datetime.now(UTC)
        session.commit()
        assert rating_state(session, code, date(2030, 1, 1)) is RatingState.CANCELLED
        with pytest.raises(ConflictError, match="已取消"):
            rate_visit(session, code, RatingCreate(score=3), date(2030, 1, 1))
        assert session.exec(select(VisitRatingRow)).all() == []


def test_a_rating_that_loses_a_race_is_a_conflict(
    engine: Engine, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = _day(engine, code)
    with Session(engine) as session:
        rate_visit(session, code, RatingCreate(score=5), day)
    # the second request read the visit as open before the first one committed
    monkeypatch.setattr(give, "rating_state", lambda *_: RatingState.OPEN)
    with Session(engine) as session, pytest.raises(ConflictError, match="该检查已评价"):
        rate_visit(session, code, RatingCreate(score=1), day)
    with Session(engine) as session:
        assert [r.score for r in session.exec(select(VisitRatingRow))] == [5]
        assert (
            len(
                session.exec(
                    select(AuditEntryRow).where(AuditEntryRow.action == "rating.give")
                ).all()
            )
            == 1
        )


def test_today_is_china_s_date() -> None:
    late_in_utc = datetime(2024, 6, 3, 17, 30, tzinfo=UTC)  # 01:30 on the 4th in Beijing
    assert district_today(late_in_utc) == date(2024, 6, 4)
