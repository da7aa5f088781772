"""A unit's roster: officers added, edited, deactivated (never deleted), days off and
recusals, each change audited; a unit key manages its own unit's roster only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import OfficerRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.officers import service
from inspection.services.officers.models import OfficerEdit, RecusalCreate, RecusalKind
from inspection.services.trust.audit import list_entries, verify_chain
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP
from tests.support.officers import officer
from tests.support.world import fill_week

SCJG_KEY = Actor(name="scjg", role=Role.UNIT, unit_id="SCJG")
UNKNOWN_CODE = "91441802MA4UL1AB2F"  # valid, but not registered


def _edit(**changes: object) -> OfficerEdit:
    data: dict[str, object] = {
        "name": "陈志明",
        "badge_number": "44180020240031",
        "certificate_expires": "2027-06-30",
    }
    data.update(changes)
    return OfficerEdit.model_validate(data)


def test_an_officer_is_added_edited_and_deactivated_with_every_change_audited(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        fill_week(session)
        created = service.create_officer(
            session,
            SCJG_KEY,
            officer(
                "SCJG",
                "陈志明",
                "44180020240031",
                days_off=["2024-06-05", "2024-06-05"],
                recusals=[{"credit_code": FOOD_SHOP, "kind": "requested", "reason": "企业申请"}],
            ),
        )
        assert created.days_off == [date(2024, 6, 5)]
        assert [(r.credit_code, r.kind, r.reason) for r in created.recusals] == [
            (FOOD_SHOP, RecusalKind.REQUESTED, "企业申请")
        ]
        edited = service.update_officer(
            session, SCJG_KEY, created.id, _edit(name="陈志铭", certificate_expires="2028-01-31")
        )
        assert (edited.name, edited.certificate_expires) == ("陈志铭", date(2028, 1, 31))
        days = service.set_days_off(session, ACTOR, created.id, [date(2024, 6, 6)])
        assert days.days_off == [date(2024, 6, 6)]
        added = service.add_recusal(
            session,
            ACTOR,
            created.id,
            RecusalCreate(credit_code=FACTORY, kind=RecusalKind.CONFLICT),
        )
        assert [r.credit_code for r in added.recusals] == sorted([FOOD_SHOP, FACTORY])
        removed = service.remove_recusal(session, ACTOR, created.id, FOOD_SHOP.lower())
        assert [r.credit_code for r in removed.recusals] == [FACTORY]
        gone = service.deactivate_officer(session, ACTOR, created.id)
        assert gone.active is False
        # kept for the record: still listed, and its row is there
        assert [o.id for o in service.list_officers(session, ACTOR, "SCJG")] == [created.id]
        assert service.list_officers(session, ACTOR, "SCJG", active_only=True) == []
        assert session.exec(select(OfficerRow)).one().active is False
        entries = list_entries(session, entity="officer", entity_id=str(created.id))
        assert [e.action for e in entries] == [
            "officer.create",
            "officer.update",
            "officer.days_off",
            "officer.recusal_add",
            "officer.recusal_remove",
            "officer.deactivate",
        ]
        assert entries[0].actor.startswith("unit:scjg")
        assert (entries[1].before or {}).get("name") == "陈志明"
        assert (entries[1].after or {}).get("name") == "陈志铭"
        assert (entries[-1].after or {}).get("active") is False
        assert verify_chain(session).ok
        with pytest.raises(ConflictError):
            service.deactivate_officer(session, ACTOR, created.id)


def test_badge_numbers_are_unique_and_well_formed(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        first = service.create_officer(session, ACTOR, officer("SCJG", "陈志明", "44180020240031"))
        with pytest.raises(ConflictError) as caught:
            service.create_officer(session, ACTOR, officer("XFJY", "赵国栋", "44180020240031"))
        assert caught.value.field == "badge_number"
        assert "陈志明" in caught.value.detail
        other = service.create_officer(session, ACTOR, officer("XFJY", "赵国栋", "44180020240101"))
        with pytest.raises(ConflictError):
            service.update_officer(session, ACTOR, other.id, _edit(badge_number="44180020240031"))
        # its own number again is no conflict
        assert service.update_officer(session, ACTOR, first.id, _edit()).badge_number
    for bad in ("", "粤A-001", "44 18", "4" * 33):
        with pytest.raises(ValidationError):
            officer("SCJG", "陈志明", bad)
    assert officer("SCJG", "陈志明", "GD-4418-0031").badge_number == "GD-4418-0031"


def test_an_unknown_enterprise_or_unit_is_refused_naming_the_field(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        recused = officer(
            "SCJG",
            "陈志明",
            "44180020240031",
            recusals=[
                {"credit_code": FOOD_SHOP, "kind": "conflict"},
                {"credit_code": UNKNOWN_CODE, "kind": "conflict"},
            ],
        )
        with pytest.raises(InvalidInputError) as caught:
            service.create_officer(session, ACTOR, recused)
        assert caught.value.field == "recusals[1].credit_code"
        assert UNKNOWN_CODE in caught.value.detail
        with pytest.raises(InvalidInputError) as unit:
            service.create_officer(session, ACTOR, officer("NOPE", "陈志明", "1"))
        assert unit.value.field == "unit_id"
        created = service.create_officer(session, ACTOR, officer("SCJG", "陈志明", "2"))
        with pytest.raises(InvalidInputError) as later:
            service.add_recusal(
                session,
                ACTOR,
                created.id,
                RecusalCreate(credit_code=UNKNOWN_CODE, kind=RecusalKind.CONFLICT),
            )
        assert later.value.field == "credit_code"
        assert session.exec(select(OfficerRow)).all() == [session.get(OfficerRow, created.id)]


def test_a_unit_manages_its_own_roster_only(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        theirs = service.create_officer(session, ACTOR, officer("XFJY", "赵国栋", "44180020240101"))
        ours = service.create_officer(session, SCJG_KEY, officer("SCJG", "陈志明", "4418002024003"))
        with pytest.raises(ForbiddenError):
            service.create_officer(session, SCJG_KEY, officer("XFJY", "刘海涛", "44180020240102"))
        calls: tuple[Callable[[], object], ...] = (
            lambda: service.get_officer(session, SCJG_KEY, theirs.id),
            lambda: service.update_officer(session, SCJG_KEY, theirs.id, _edit()),
            lambda: service.deactivate_officer(session, SCJG_KEY, theirs.id),
            lambda: service.set_days_off(session, SCJG_KEY, theirs.id, []),
        )
        for call in calls:
            with pytest.raises(NotFoundError):
                call()
        # a unit's listing is its own, whatever it asks for
        assert [o.id for o in service.list_officers(session, SCJG_KEY, "XFJY")] == [ours.id]
        assert {o.id for o in service.list_officers(session, ACTOR)} == {ours.id, theirs.id}
