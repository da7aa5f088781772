"""An enterprise's risk class, credit class and no-disturb flag, each with its source and date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.errors import InvalidInputError, NotFoundError
from inspection.services.reference.classes import ClassesUpdate, set_classes
from inspection.services.reference.models import EnterpriseCreate
from inspection.services.reference.service import (
    create_enterprise,
    get_enterprise,
    list_enterprises,
)
from inspection.services.trust.audit import list_entries
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP

RISK = {"risk_class": "b", "risk_source": "区市场监管局风险分级", "risk_as_of": "2024-01-15"}
QUIET = {
    "no_disturb": True,
    "no_disturb_source": "无事不扰名单（第一批）",
    "no_disturb_since": "2024-03-01",
}


def _setup(session: Session) -> None:
    for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
        create_enterprise(
            session, ACTOR, EnterpriseCreate(credit_code=code, name=name, town="凤城街道")
        )


def _change(**body: Any) -> ClassesUpdate:
    return ClassesUpdate.model_validate(body)


def test_classes_are_stored_shown_and_audited(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        shown = set_classes(session, ACTOR, FOOD_SHOP, _change(**RISK, **QUIET))
    with Session(engine) as session:
        assert get_enterprise(session, FOOD_SHOP) == shown
        [entry] = list_entries(session, action="enterprise.classes")
        assert [e.credit_code for e in list_enterprises(session, no_disturb=True)] == [FOOD_SHOP]
        assert [e.credit_code for e in list_enterprises(session, no_disturb=False)] == [FACTORY]
        assert [e.credit_code for e in list_enterprises(session, risk_class="ｂ")] == [FOOD_SHOP]
    assert shown.risk_class == "B"  # Latin letters in upper case
    assert (shown.risk_source, shown.risk_as_of) == ("区市场监管局风险分级", date(2024, 1, 15))
    assert shown.no_disturb
    assert shown.no_disturb_since == date(2024, 3, 1)
    assert shown.credit_class is None
    assert entry.entity_id == FOOD_SHOP
    assert entry.before is not None
    assert entry.before["no_disturb"] is False
    assert entry.after is not None
    assert entry.after["risk_as_of"] == "2024-01-15"


def test_a_patch_keeps_what_it_does_not_send_and_clearing_drops_the_source(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        set_classes(session, ACTOR, FOOD_SHOP, _change(**RISK, **QUIET))
        credit = set_classes(
            session,
            ACTOR,
            FOOD_SHOP,
            _change(credit_class="ａ", credit_source="信用中国", credit_as_of="2024-02-01"),
        )
        assert (credit.risk_class, credit.credit_class, credit.no_disturb) == ("B", "A", True)
        cleared = set_classes(session, ACTOR, FOOD_SHOP, _change(risk_class=None, no_disturb=False))
    assert cleared.risk_class is None
    assert cleared.risk_source == ""
    assert cleared.risk_as_of is None
    assert not cleared.no_disturb
    assert cleared.no_disturb_source == ""
    assert cleared.credit_class == "A"


def test_a_rule_s_own_grade_is_kept_as_written(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        shown = set_classes(
            session,
            ACTOR,
            FACTORY,
            _change(risk_class="红", risk_source="安全生产风险分级", risk_as_of="2024-01-01"),
        )
    assert shown.risk_class == "红"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"risk_class": "C", "risk_as_of": "2024-01-01"}, "risk_source"),
        ({"credit_class": "C", "credit_source": "信用中国"}, "credit_as_of"),
        ({"no_disturb": True, "no_disturb_since": "2024-01-01"}, "no_disturb_source"),
    ],
)
def test_a_class_without_its_source_or_date_is_refused(
    engine: Engine, body: dict[str, Any], field: str
) -> None:
    with Session(engine) as session:
        _setup(session)
        with pytest.raises(InvalidInputError) as caught:
            set_classes(session, ACTOR, FOOD_SHOP, _change(**body))
        assert caught.value.field == field
        session.rollback()
        assert get_enterprise(session, FOOD_SHOP).risk_class is None


def test_an_unknown_enterprise_and_a_bad_grade_are_refused(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(NotFoundError):
        set_classes(session, ACTOR, FOOD_SHOP, _change(**RISK))
    with pytest.raises(ValidationError) as caught:
        _change(risk_class="X" * 17)
    assert caught.value.errors()[0]["loc"] == ("risk_class",)
    with pytest.raises(ValidationError):
        _change(risk_class="  ")


def test_a_change_that_changes_nothing_is_not_recorded(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        set_classes(session, ACTOR, FOOD_SHOP, _change(**RISK))
        set_classes(session, ACTOR, FOOD_SHOP, _change(risk_class="B"))
        set_classes(session, ACTOR, FOOD_SHOP, _change())
        assert len(list_entries(session, action="enterprise.classes")) == 1
