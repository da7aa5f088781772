"""The district's rule settings: read, replaced by coordinators, validated and audited."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.checklists.models import InspectionType
from inspection.services.rules.models import RuleSettingsUpdate
from inspection.services.rules.settings import rule_settings, update_rule_settings
from inspection.services.trust.audit import list_entries, verify_chain
from tests.support.data import ACTOR


def test_the_migration_s_defaults_are_read(engine: Engine) -> None:
    with Session(engine) as session:
        settings = rule_settings(session)
    assert InspectionType.COMPLAINT in settings.cap_exempt_categories
    assert InspectionType.ROUTINE not in settings.cap_exempt_categories
    assert settings.no_disturb_exempt_categories == [
        InspectionType.COMPLAINT,
        InspectionType.SAFETY,
    ]
    assert settings.officers_per_unit == 2
    assert settings.updated_at is None


def test_an_update_is_stored_and_audited_with_before_and_after(engine: Engine) -> None:
    change = RuleSettingsUpdate.model_validate(
        {
            "cap_exempt_categories": ["safety", "complaint", "safety"],
            "no_disturb_exempt_categories": [],
            "officers_per_unit": 3,
            "officer_daily_rounds": 4,
        }
    )
    with Session(engine) as session:
        before = rule_settings(session)
        answered = update_rule_settings(session, ACTOR, change)
    with Session(engine) as session:
        stored = rule_settings(session)
        entries = list_entries(session, action="rules.settings.update")
        assert verify_chain(session).ok
    assert stored == answered
    # repeats dropped, the enum's order kept
    assert stored.cap_exempt_categories == [InspectionType.COMPLAINT, InspectionType.SAFETY]
    assert stored.no_disturb_exempt_categories == []
    assert (stored.officers_per_unit, stored.officer_daily_rounds) == (3, 4)
    assert stored.updated_at is not None
    [entry] = entries
    assert entry.actor == ACTOR.label
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["officers_per_unit"] == before.officers_per_unit
    assert entry.after["cap_exempt_categories"] == ["complaint", "safety"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"officers_per_unit": 0}, "officers_per_unit"),
        ({"officer_daily_rounds": -1}, "officer_daily_rounds"),
        ({"cap_exempt_categories": ["holiday"]}, "cap_exempt_categories"),
        ({"no_disturb_exempt_categories": "complaint"}, "no_disturb_exempt_categories"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    body = {
        "cap_exempt_categories": [],
        "no_disturb_exempt_categories": [],
        "officers_per_unit": 2,
        "officer_daily_rounds": 1,
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        RuleSettingsUpdate.model_validate(body)
    assert caught.value.errors()[0]["loc"][0] == field
