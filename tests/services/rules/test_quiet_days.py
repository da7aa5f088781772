"""Quiet-day rules: stored, changed and deactivated (audited), and the days each covers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.errors import InvalidInputError, NotFoundError
from inspection.services.checklists.models import InspectionType
from inspection.services.rules.models import QuietDayRuleCreate, QuietDayRuleUpdate
from inspection.services.rules.quiet_days import (
    create_quiet_day_rule,
    get_quiet_day_rule,
    list_quiet_day_rules,
    quiet_days_between,
    quiet_days_in,
    update_quiet_day_rule,
)
from inspection.services.trust.audit import list_entries
from tests.support.data import ACTOR

COMPLAINT, SAFETY = InspectionType.COMPLAINT, InspectionType.SAFETY


def _rule(**changes: Any) -> QuietDayRuleCreate:
    body: dict[str, Any] = {
        "name": "企业宁静日",
        "month_days": [1, 2, 3],
        "exempt_categories": ["complaint", "safety"],
        **changes,
    }
    return QuietDayRuleCreate.model_validate(body)


def _days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def test_a_rule_is_stored_in_order_and_audited(engine: Engine) -> None:
    with Session(engine) as session:
        made = create_quiet_day_rule(
            session, ACTOR, _rule(month_days=[3, 1, 3], dates=["2024-05-02", "2024-05-01"])
        )
    with Session(engine) as session:
        assert get_quiet_day_rule(session, made.id) == made
        assert list_quiet_day_rules(session) == [made]
        [entry] = list_entries(session, action="rules.quiet_day.create")
    assert made.month_days == [1, 3]
    assert made.dates == [date(2024, 5, 1), date(2024, 5, 2)]
    assert entry.entity_id == str(made.id)
    assert entry.after is not None
    assert entry.after["name"] == "企业宁静日"


def test_month_days_dates_and_the_validity_range_decide_the_days(engine: Engine) -> None:
    with Session(engine) as session:
        monthly = create_quiet_day_rule(
            session,
            ACTOR,
            _rule(month_days=[30, 31], valid_from="2024-04-01", valid_to="2024-05-31"),
        )
        single = create_quiet_day_rule(
            session,
            ACTOR,
            _rule(name="春节后", month_days=[], dates=["2024-04-30"], exempt_categories=[]),
        )
        found = quiet_days_in(session, _days(date(2024, 3, 29), 70))
    covered = [(q.day, q.rule_id) for q in found]
    # March 30/31 lie before the range, April has no 31st, June after the range
    assert covered == [
        (date(2024, 4, 30), monthly.id),
        (date(2024, 4, 30), single.id),
        (date(2024, 5, 30), monthly.id),
        (date(2024, 5, 31), monthly.id),
    ]
    assert found[0].exempt == frozenset({COMPLAINT, SAFETY})
    assert found[1].exempt == frozenset()
    assert found[1].rule_name == "春节后"


def test_a_deactivated_rule_covers_no_day_and_stays_listed(engine: Engine) -> None:
    with Session(engine) as session:
        made = create_quiet_day_rule(session, ACTOR, _rule())
        assert quiet_days_in(session, [date(2024, 4, 1)]) != []
        changed = update_quiet_day_rule(
            session, ACTOR, made.id, QuietDayRuleUpdate.model_validate({"active": False})
        )
    with Session(engine) as session:
        assert quiet_days_in(session, [date(2024, 4, 1)]) == []
        assert list_quiet_day_rules(session) == [changed]
        assert list_quiet_day_rules(session, active_only=True) == []
        [entry] = list_entries(session, action="rules.quiet_day.update")
    assert not changed.active
    assert changed.month_days == made.month_days  # what was not sent is kept
    assert entry.before is not None
    assert entry.before["active"] is True
    assert entry.after is not None
    assert entry.after["active"] is False


def test_a_patch_changes_only_what_it_sends(engine: Engine) -> None:
    with Session(engine) as session:
        made = create_quiet_day_rule(session, ACTOR, _rule())
        changed = update_quiet_day_rule(
            session,
            ACTOR,
            made.id,
            QuietDayRuleUpdate.model_validate({"month_days": [10], "exempt_categories": []}),
        )
        days = quiet_days_in(session, [date(2024, 4, 1), date(2024, 4, 10)])
    assert (changed.name, changed.month_days, changed.exempt_categories) == ("企业宁静日", [10], [])
    assert [(q.day, q.exempt) for q in days] == [(date(2024, 4, 10), frozenset())]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"month_days": [], "dates": []}, "month_days"),
        ({"valid_from": "2024-05-01", "valid_to": "2024-04-30"}, "valid_to"),
    ],
)
def test_rules_across_fields_are_refused_naming_the_field(
    engine: Engine, body: dict[str, Any], field: str
) -> None:
    with Session(engine) as session:
        with pytest.raises(InvalidInputError) as caught:
            create_quiet_day_rule(session, ACTOR, _rule(**body))
        assert caught.value.field == field
        assert list_quiet_day_rules(session) == []


def test_a_patch_that_empties_the_rule_is_refused_and_changes_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        made = create_quiet_day_rule(session, ACTOR, _rule(dates=[]))
        with pytest.raises(InvalidInputError) as caught:
            update_quiet_day_rule(
                session, ACTOR, made.id, QuietDayRuleUpdate.model_validate({"month_days": []})
            )
        assert caught.value.field == "month_days"
        session.rollback()
        assert get_quiet_day_rule(session, made.id) == made
        with pytest.raises(NotFoundError):
            update_quiet_day_rule(session, ACTOR, made.id + 1, QuietDayRuleUpdate())


def test_a_day_outside_a_month_names_its_place() -> None:
    with pytest.raises(ValidationError) as caught:
        _rule(month_days=[1, 2, 32])
    [error] = caught.value.errors()
    assert error["loc"] == ("month_days", 2)
    assert "32" in error["msg"]


def test_the_calendar_range_is_bounded(engine: Engine) -> None:
    with Session(engine) as session:
        create_quiet_day_rule(session, ACTOR, _rule(month_days=[1]))
        year = quiet_days_between(session, date(2024, 1, 1), date(2024, 12, 31))
        assert [q.day.month for q in year] == list(range(1, 13))
        with pytest.raises(InvalidInputError) as caught:
            quiet_days_between(session, date(2024, 1, 1), date(2025, 1, 1))
        assert caught.value.field == "end"
        with pytest.raises(InvalidInputError):
            quiet_days_between(session, date(2024, 1, 2), date(2024, 1, 1))
