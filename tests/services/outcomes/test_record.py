"""Recording a unit's outcome: only its own part, from the visit's day, back-filled with a
reason within the window, corrected until confirmed, every change audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow, InspectionCodeRow, VisitOutcomeRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.outcomes.models import OutcomeIn
from inspection.services.outcomes.service import record_outcome, visit_outcomes
from inspection.services.outcomes.window import RecordingWindow
from inspection.services.rules.models import RuleSettingsUpdate
from inspection.services.rules.settings import rule_settings, update_rule_settings
from tests.support.data import ACTOR
from tests.support.outcomes_world import FACTORY_DAY, JointWeek, publish_joint_week, unit_key

SCJG, XFJY = unit_key("SCJG"), unit_key("XFJY")
DAY_AFTER = FACTORY_DAY + timedelta(days=1)


def _outcome(**changes: Any) -> OutcomeIn:
    data: dict[str, Any] = {"status": "carried_out", "problems_found": False}
    data.update(changes)
    return OutcomeIn.model_validate(data)


@pytest.fixture
def week(engine: Engine) -> JointWeek:
    return publish_joint_week(engine)


def test_a_unit_records_its_own_part_on_the_day(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        stored = record_outcome(
            session, SCJG, week.factory_code, "SCJG", _outcome(), today=FACTORY_DAY
        )
        assert (stored.status, stored.problems_found, stored.backfilled) == (
            "carried_out",
            False,
            False,
        )
        assert stored.version == 1
        row = session.get(VisitOutcomeRow, (week.factory_code, "SCJG"))
        assert row is not None
        assert row.day == FACTORY_DAY
        view = visit_outcomes(session, SCJG, week.factory_code, today=FACTORY_DAY)
        assert [(u.unit_id, u.lead, u.outcome is not None) for u in view.units] == [
            ("SCJG", True, True),
            ("XFJY", False, False),
        ]
        assert view.window is RecordingWindow.ON_THE_DAY
        assert view.may_record


def test_nothing_is_recorded_before_the_visit_s_day(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        before = FACTORY_DAY - timedelta(days=1)
        with pytest.raises(ConflictError, match="2024-06-05") as refused:
            record_outcome(session, SCJG, week.factory_code, "SCJG", _outcome(), today=before)
        assert refused.value.field == "code"
        assert session.get(VisitOutcomeRow, (week.factory_code, "SCJG")) is None
        assert not visit_outcomes(session, SCJG, week.factory_code, today=before).may_record


def test_after_the_day_a_backfill_needs_its_reason(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        with pytest.raises(InvalidInputError) as refused:
            record_outcome(session, SCJG, week.factory_code, "SCJG", _outcome(), today=DAY_AFTER)
        assert refused.value.field == "backfill_reason"
        assert session.get(VisitOutcomeRow, (week.factory_code, "SCJG")) is None
        stored = record_outcome(
            session,
            SCJG,
            week.factory_code,
            "SCJG",
            _outcome(backfill_reason="当日网络故障"),
            today=DAY_AFTER,
        )
        assert stored.backfilled
        assert stored.backfill_reason == "当日网络故障"


def test_the_window_closes_after_the_settings_days(engine: Engine, week: JointWeek) -> None:
    late = _outcome(backfill_reason="补录")
    with Session(engine) as session:
        assert rule_settings(session).outcome_backfill_days == 10
        last = FACTORY_DAY + timedelta(days=10)
        with pytest.raises(ConflictError, match="10 天") as refused:
            record_outcome(
                session, SCJG, week.factory_code, "SCJG", late, today=last + timedelta(days=1)
            )
        assert "2024-06-15" in refused.value.detail
        assert record_outcome(session, SCJG, week.factory_code, "SCJG", late, today=last).backfilled
        settings = rule_settings(session).model_dump(exclude={"updated_at"})
        settings["outcome_backfill_days"] = 0
        update_rule_settings(session, ACTOR, RuleSettingsUpdate.model_validate(settings))
        with pytest.raises(ConflictError, match="0 天"):
            record_outcome(session, XFJY, week.factory_code, "XFJY", late, today=DAY_AFTER)
        assert record_outcome(
            session, XFJY, week.factory_code, "XFJY", _outcome(), today=FACTORY_DAY
        )


def test_only_the_unit_itself_records_its_part(engine: Engine, week: JointWeek) -> None:
    coordinator = Actor(name="coordinator", role=Role.COORDINATOR)
    stranger = unit_key("WSJ")
    with Session(engine) as session:
        with pytest.raises(ForbiddenError) as other:
            record_outcome(session, XFJY, week.factory_code, "SCJG", _outcome(), today=FACTORY_DAY)
        assert other.value.field == "unit_id"
        with pytest.raises(ForbiddenError):
            record_outcome(
                session, coordinator, week.factory_code, "SCJG", _outcome(), today=FACTORY_DAY
            )
        with pytest.raises(NotFoundError) as absent:
            record_outcome(
                session, stranger, week.factory_code, "WSJ", _outcome(), today=FACTORY_DAY
            )
        assert absent.value.field == "code"
        with pytest.raises(NotFoundError) as not_of_round:
            record_outcome(
                session, coordinator, week.factory_code, "WSJ", _outcome(), today=FACTORY_DAY
            )
        assert not_of_round.value.field == "unit_id"
        assert session.exec(select(VisitOutcomeRow)).all() == []
        assert record_outcome(
            session, XFJY, week.factory_code, "XFJY", _outcome(), today=FACTORY_DAY
        )


def test_a_cancelled_visit_takes_no_outcome(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        row = session.get(InspectionCodeRow, week.shop_code)
        assert row is not None
        row.cancelled_at = row.created_at
        session.add(row)
        session.commit()
        day = row.day
        with pytest.raises(ConflictError, match="已取消"):
            record_outcome(session, XFJY, week.shop_code, "XFJY", _outcome(), today=day)
        assert record_outcome(
            session, XFJY, week.factory_code, "XFJY", _outcome(), today=FACTORY_DAY
        )
        assert visit_outcomes(session, XFJY, week.shop_code, today=day).may_record is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "not_carried_out", "problems_found": None}, "reason"),
        ({"status": "postponed", "problems_found": None, "reason": "   "}, "reason"),
        ({"problems_found": None}, "problems_found"),
        ({"status": "postponed", "reason": "企业停产", "problems_found": False}, "problems_found"),
        ({"problems_found": True}, "problem_note"),
        ({"case_opened": True}, "case_opened"),
    ],
)
def test_each_rule_across_the_fields_names_its_field(
    engine: Engine, week: JointWeek, changes: dict[str, Any], field: str
) -> None:
    with Session(engine) as session:
        with pytest.raises(InvalidInputError) as refused:
            record_outcome(
                session, SCJG, week.factory_code, "SCJG", _outcome(**changes), today=FACTORY_DAY
            )
        assert refused.value.field == field
        assert session.exec(select(VisitOutcomeRow)).all() == []


def test_what_does_not_apply_is_not_stored(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        postponed = _outcome(
            status="postponed", problems_found=None, reason="企业停产", backfill_reason="无关"
        )
        stored = record_outcome(
            session, SCJG, week.factory_code, "SCJG", postponed, today=FACTORY_DAY
        )
        assert (stored.problems_found, stored.case_opened, stored.backfill_reason) == (
            None,
            False,
            "",
        )
        found = _outcome(problems_found=True, problem_note="消防通道堵塞", case_opened=True)
        stored = record_outcome(session, XFJY, week.factory_code, "XFJY", found, today=FACTORY_DAY)
        assert (stored.problem_note, stored.case_opened, stored.reason) == (
            "消防通道堵塞",
            True,
            "",
        )


def test_a_correction_raises_the_version_and_is_audited(engine: Engine, week: JointWeek) -> None:
    with Session(engine) as session:
        record_outcome(session, SCJG, week.factory_code, "SCJG", _outcome(), today=FACTORY_DAY)
        corrected = record_outcome(
            session,
            SCJG,
            week.factory_code,
            "SCJG",
            _outcome(problems_found=True, problem_note="标签不合格", backfill_reason="漏填问题"),
            today=DAY_AFTER,
        )
        assert corrected.version == 2
        assert corrected.backfilled
        entries = session.exec(
            select(AuditEntryRow)
            .where(col(AuditEntryRow.action) == "outcome.record")
            .order_by(col(AuditEntryRow.id))
        ).all()
        assert [e.entity_id for e in entries] == [f"{week.factory_code}/SCJG"] * 2
        assert entries[0].before is None
        first, second = entries[1].before, entries[1].after
        assert first is not None
        assert second is not None
        assert (first["problems_found"], first["version"]) == (False, 1)
        assert (second["problems_found"], second["problem_note"], second["version"]) == (
            True,
            "标签不合格",
            2,
        )
