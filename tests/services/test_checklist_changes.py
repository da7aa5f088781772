"""A change to a checklist that read a version someone else has moved since is refused, on
SQLite and PostgreSQL: the two steps of a race, interleaved by hand (the races themselves, on
the real server, are in tests/api/test_races.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.errors import ConflictError
from inspection.services.checklists.changes import (
    amend_checklist,
    apply_amendment,
    changeable_checklist,
    withdraw_checklist,
)
from inspection.services.checklists.models import ChecklistCreate
from inspection.services.checklists.service import get_checklist, submit_checklist
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from inspection.services.trust.audit import list_entries
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, checklist_body


def _submitted(engine: Engine) -> int:
    with Session(engine) as session:
        create_unit(
            session, ACTOR, UnitCreate(id="SCJG", name="区市场监督管理局", weekday_capacity=[3] * 7)
        )
        for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
            create_enterprise(
                session, ACTOR, EnterpriseCreate(credit_code=code, name=name, town="凤城街道")
            )
        return submit_checklist(session, ACTOR, ChecklistCreate.model_validate(checklist_body())).id


def test_an_amendment_of_a_version_amended_meanwhile_is_refused(engine: Engine) -> None:
    checklist_id = _submitted(engine)
    with Session(engine) as slow, Session(engine) as fast:
        read = changeable_checklist(slow, ACTOR, checklist_id)  # version 1
        fast_edit = ChecklistCreate.model_validate(checklist_body(title="先到的修改"))
        assert amend_checklist(fast, ACTOR, checklist_id, fast_edit, 1).version == 2
        slow_edit = ChecklistCreate.model_validate(checklist_body(title="后到的修改"))
        with pytest.raises(ConflictError) as refused:
            apply_amendment(slow, ACTOR, read, slow_edit)
        assert refused.value.field == "version"
        assert "第 1 版" in refused.value.detail
    with Session(engine) as session:
        stored = get_checklist(session, ACTOR, checklist_id)
        assert (stored.title, stored.version) == ("先到的修改", 2)
        amends = list_entries(session, "checklist", str(checklist_id), "checklist.amend")
        assert len(amends) == 1


def test_an_amendment_of_a_checklist_withdrawn_meanwhile_is_refused(engine: Engine) -> None:
    checklist_id = _submitted(engine)
    with Session(engine) as slow, Session(engine) as fast:
        read = changeable_checklist(slow, ACTOR, checklist_id)
        withdraw_checklist(fast, ACTOR, checklist_id)
        edit = ChecklistCreate.model_validate(checklist_body(title="撤回后的修改"))
        with pytest.raises(ConflictError) as refused:
            apply_amendment(slow, ACTOR, read, edit)
        assert refused.value.field == "status"
    with Session(engine) as session:
        stored = get_checklist(session, ACTOR, checklist_id)
        assert (stored.status, stored.version) == ("withdrawn", 2)
