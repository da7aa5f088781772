"""Submitting checklists through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db import repository
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.checklists.models import ChecklistCreate
from inspection.services.checklists.service import get_checklist, submit_checklist
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, checklist_body


def _setup(session: Session) -> None:
    create_unit(
        session,
        ACTOR,
        UnitCreate(id="SCJG", name="区市场监督管理局", weekday_capacity=[3, 3, 3, 3, 3, 0, 0]),
    )
    for code, name in ((FOOD_SHOP, "清城区某某小吃店"), (FACTORY, "清远市某某食品有限公司")):
        create_enterprise(
            session, ACTOR, EnterpriseCreate(credit_code=code, name=name, town="凤城街道")
        )


_checklist = checklist_body


def test_submit_creates_one_request_per_target(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        saved = submit_checklist(session, ACTOR, ChecklistCreate.model_validate(_checklist()))
    with Session(engine) as session:
        loaded = get_checklist(session, ACTOR, saved.id)
        assert loaded == saved
        assert sorted(loaded.targets) == sorted([FOOD_SHOP, FACTORY])
        assert loaded.earliest == date(2024, 6, 3)
        assert len(repository.checklist_requests(session, saved.id)) == 2


def test_unknown_target_names_its_field_and_stores_nothing(engine: Engine) -> None:
    from inspection.generator import generate

    # a valid credit code that was never registered
    stranger = next(e.id for e in generate("S", 9).enterprises if e.id not in (FOOD_SHOP, FACTORY))
    with Session(engine) as session:
        _setup(session)
        data = ChecklistCreate.model_validate(_checklist(targets=[FOOD_SHOP, stranger]))
        with pytest.raises(InvalidInputError) as caught:
            submit_checklist(session, ACTOR, data)
        assert caught.value.field == "targets[1]"
        assert caught.value.status == 422
    with Session(engine) as session:
        assert repository.list_checklists(session) == []


def test_unknown_unit_and_missing_checklist(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        with pytest.raises(InvalidInputError) as caught:
            submit_checklist(
                session, ACTOR, ChecklistCreate.model_validate(_checklist(unit_id="XFJY"))
            )
        assert caught.value.field == "unit_id"
        with pytest.raises(NotFoundError):
            get_checklist(session, ACTOR, 12345)


def test_second_unit_with_the_same_id_is_a_conflict(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        with pytest.raises(ConflictError) as caught:
            create_unit(
                session, ACTOR, UnitCreate(id="SCJG", name="重复", weekday_capacity=[1] * 7)
            )
        assert caught.value.status == 409


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"targets": [FOOD_SHOP, FOOD_SHOP]}, "重复"),
        ({"earliest": "2024-06-08"}, "晚于结束日期"),
        ({"title": "检查\x07"}, "控制字符"),
        ({"title": "长" * 201}, "at most 200"),
        ({"targets": ["91441802MA4UL1AB2X"]}, "统一社会信用代码无效"),
        ({"items": []}, "at least 1"),
        ({"inspection_type": "raid"}, "routine"),
    ],
)
def test_bad_checklists_are_refused_with_their_reason(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ChecklistCreate.model_validate(_checklist(**changes))
    assert words in str(caught.value)


def test_complaint_checks_are_not_joinable() -> None:
    assert not ChecklistCreate.model_validate(_checklist(inspection_type="complaint")).joinable
    assert ChecklistCreate.model_validate(_checklist()).joinable
