"""The item catalogue and the checklist rule, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.tables import AuditEntryRow, ChecklistItemRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.catalogue import queries
from inspection.services.catalogue import service as catalogue
from inspection.services.catalogue.models import (
    CatalogueItemCreate,
    CatalogueItemPatch,
    ItemState,
    PublishRequest,
    RetireRequest,
)
from inspection.services.checklists.changes import amend_checklist
from inspection.services.checklists.models import ChecklistCreate
from inspection.services.checklists.service import submit_checklist
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, checklist_body

LICENCE = {"name": "食品经营许可情况", "legal_basis": "《食品安全法》第三十五条"}
HEALTH = {"name": "从业人员健康管理", "legal_basis": "《食品安全法》第四十五条"}


def _setup(session: Session) -> None:
    for unit in ("SCJG", "XFJY"):
        create_unit(
            session,
            ACTOR,
            UnitCreate(id=unit, name=f"单位{unit}", weekday_capacity=[3, 3, 3, 3, 3, 0, 0]),
        )
    for code in (FOOD_SHOP, FACTORY):
        create_enterprise(
            session, ACTOR, EnterpriseCreate(credit_code=code, name="企业", town="凤城街道")
        )


def _item(code: str, item: dict[str, str], **changes: Any) -> CatalogueItemCreate:
    return CatalogueItemCreate.model_validate({"code": code, **item, **changes})


def _published(session: Session, unit: str = "SCJG", day: date = date(2024, 1, 1)) -> None:
    """The unit's catalogue: the licence item published from `day`."""
    catalogue.add_item(session, ACTOR, unit, _item(f"{unit}-1", LICENCE))
    catalogue.publish_catalogue(session, ACTOR, unit, PublishRequest(effective_from=day))


def _checklist(**changes: Any) -> ChecklistCreate:
    return ChecklistCreate.model_validate(checklist_body(**changes))


def test_a_unit_without_a_catalogue_keeps_any_item(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        catalogue.add_item(session, ACTOR, "SCJG", _item("A", HEALTH))  # a draft only
        saved = submit_checklist(
            session, ACTOR, _checklist(items=[{"name": "随便", "legal_basis": "某法"}])
        )
        assert saved.items[0].name == "随便"
        rows = session.exec(select(ChecklistItemRow)).all()
        assert [r.catalogue_item_id for r in rows] == [None]


def test_the_reference_check_tells_whether_the_unit_s_catalogue_rule_applies(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        _setup(session)
        catalogue.add_item(session, ACTOR, "SCJG", _item("A", HEALTH))  # a draft only
        codes = [FOOD_SHOP, "91440000000000000X"]
        before = repository.known_references(session, "SCJG", codes)
        assert (before.unit_known, before.credit_codes, before.catalogue_enforced) == (
            True,
            {FOOD_SHOP},
            False,
        )
        _published(session, "XFJY")  # another unit's edition is not this one's
        assert not repository.known_references(session, "SCJG", codes).catalogue_enforced
        _published(session, "SCJG")
        after = repository.known_references(session, "SCJG", codes)
        assert (after.unit_known, after.credit_codes, after.catalogue_enforced) == (
            True,
            {FOOD_SHOP},
            True,
        )
        assert repository.known_references(session, "NOPE", []) == repository.KnownReferences(
            False, set(), False
        )


def test_a_published_item_in_effect_is_accepted_and_linked(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        _published(session)
        saved = submit_checklist(session, ACTOR, _checklist(items=[LICENCE]))
        item_id = queries.list_catalogue(session, ACTOR, "SCJG").items[0].id
        rows = session.exec(
            select(ChecklistItemRow).where(ChecklistItemRow.checklist_id == saved.id)
        ).all()
        assert [r.catalogue_item_id for r in rows] == [item_id]


@pytest.mark.parametrize(
    ("prepare", "item", "field", "words"),
    [
        ("nothing", HEALTH, "items[0].name", "不在本单位已公布的检查事项清单中"),
        ("draft", HEALTH, "items[0].name", "尚未公布"),
        ("retired", LICENCE, "items[0].name", "已于 2024-05-01 停用"),
        ("other unit", HEALTH, "items[0].name", "属于其他单位（XFJY）"),
        ("later", LICENCE, "items[0].name", "自 2024-07-01 起施行"),
        ("nothing", {**LICENCE, "legal_basis": "别的法"}, "items[0].legal_basis", "法律依据应为"),
        ("nothing", {**LICENCE, "code": "NOPE"}, "items[0].code", "事项编码 NOPE"),
        ("nothing", {**HEALTH, "code": "SCJG-1"}, "items[0].name", "不符"),
    ],
)
def test_items_the_catalogue_does_not_allow_are_refused_naming_the_item(
    engine: Engine, prepare: str, item: dict[str, str], field: str, words: str
) -> None:
    with Session(engine) as session:
        _setup(session)
        if prepare == "later":
            _published(session, day=date(2024, 7, 1))
        else:
            _published(session)
        if prepare == "draft":
            catalogue.add_item(session, ACTOR, "SCJG", _item("SCJG-2", HEALTH))
        if prepare == "retired":
            item_id = queries.list_catalogue(session, ACTOR, "SCJG").items[0].id
            catalogue.retire_item(
                session, ACTOR, item_id, RetireRequest(retired_on=date(2024, 5, 1))
            )
        if prepare == "other unit":
            catalogue.add_item(session, ACTOR, "XFJY", _item("X-1", HEALTH))
            catalogue.publish_catalogue(
                session, ACTOR, "XFJY", PublishRequest(effective_from=date(2024, 1, 1))
            )
        with pytest.raises(InvalidInputError) as caught:
            submit_checklist(session, ACTOR, _checklist(items=[item]))
        assert caught.value.field == field
        assert words in caught.value.detail
        assert item["name"] in caught.value.detail or "NOPE" in caught.value.detail


def test_retired_after_the_window_starts_is_still_usable(engine: Engine) -> None:
    """Retired on 2024-06-04, an item is in effect for a checklist from 2024-06-03."""
    with Session(engine) as session:
        _setup(session)
        _published(session)
        item_id = queries.list_catalogue(session, ACTOR, "SCJG").items[0].id
        catalogue.retire_item(session, ACTOR, item_id, RetireRequest(retired_on=date(2024, 6, 4)))
        assert submit_checklist(session, ACTOR, _checklist(items=[LICENCE])).items[0].name


def test_an_offsite_item_needs_a_reason_for_the_visit(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        catalogue.add_item(session, ACTOR, "SCJG", _item("P", HEALTH, offsite=True))
        catalogue.publish_catalogue(
            session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 1, 1))
        )
        with pytest.raises(InvalidInputError) as caught:
            submit_checklist(session, ACTOR, _checklist(items=[HEALTH]))
        assert caught.value.field == "onsite_reason"
        assert HEALTH["name"] in caught.value.detail
        saved = submit_checklist(
            session, ACTOR, _checklist(items=[HEALTH], onsite_reason="需现场查看健康证原件")
        )
        assert saved.onsite_reason == "需现场查看健康证原件"


def test_an_amendment_is_held_to_the_catalogue_too(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        _published(session)
        saved = submit_checklist(session, ACTOR, _checklist(items=[LICENCE]))
        with pytest.raises(InvalidInputError) as caught:
            amend_checklist(session, ACTOR, saved.id, _checklist(items=[HEALTH]), 1)
        assert caught.value.field == "items[0].name"
        amended = amend_checklist(
            session, ACTOR, saved.id, _checklist(items=[LICENCE], title="改名"), 1
        )
        assert amended.version == 2


def test_editions_are_numbered_and_a_revision_retires_the_one_before(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        first = catalogue.add_item(session, ACTOR, "SCJG", _item("A", LICENCE))
        edition = catalogue.publish_catalogue(
            session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 1, 1))
        )
        assert (edition.edition, edition.items, [i.id for i in edition.published]) == (
            1,
            1,
            [first.id],
        )
        with pytest.raises(ConflictError):
            catalogue.edit_draft(session, ACTOR, first.id, CatalogueItemPatch(name="改"))
        revised = catalogue.revise_item(
            session, ACTOR, first.id, CatalogueItemPatch(legal_basis="《食品安全法》第三十六条")
        )
        assert (revised.code, revised.revision, revised.state) == ("A", 2, ItemState.DRAFT)
        with pytest.raises(ConflictError):  # one draft per code
            catalogue.revise_item(session, ACTOR, first.id)
        second = catalogue.publish_catalogue(
            session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 7, 1))
        )
        assert (second.edition, second.items) == (2, 1)
        listing = queries.list_catalogue(
            session, ACTOR, "SCJG", on=date(2024, 8, 1), include_retired=True
        )
        states = {(i.revision, i.state, i.retired_on) for i in listing.items}
        assert states == {
            (1, ItemState.RETIRED, date(2024, 7, 1)),
            (2, ItemState.PUBLISHED, None),
        }
        assert [e.edition for e in listing.editions] == [1, 2]
        # a checklist from June uses revision 1, one from July revision 2 and its basis
        june = submit_checklist(session, ACTOR, _checklist(items=[LICENCE]))
        assert june.items[0].legal_basis == LICENCE["legal_basis"]
        with pytest.raises(InvalidInputError) as caught:
            submit_checklist(
                session,
                ACTOR,
                _checklist(items=[LICENCE], earliest="2024-07-01", latest="2024-07-05"),
            )
        assert caught.value.field == "items[0].legal_basis"
        with pytest.raises(ConflictError):  # nothing left to publish
            catalogue.publish_catalogue(
                session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 8, 1))
            )
        catalogue.add_item(session, ACTOR, "SCJG", _item("B", HEALTH))
        with pytest.raises(InvalidInputError) as early:
            catalogue.publish_catalogue(
                session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 6, 1))
            )
        assert early.value.field == "effective_from"
        assert queries.get_edition(session, ACTOR, "SCJG", 2).published[0].revision == 2
        with pytest.raises(NotFoundError):
            queries.get_edition(session, ACTOR, "SCJG", 3)


def test_codes_and_names_are_the_unit_s_own(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        catalogue.add_item(session, ACTOR, "SCJG", _item("A", LICENCE))
        with pytest.raises(ConflictError) as code:
            catalogue.add_item(session, ACTOR, "SCJG", _item("A", HEALTH))
        assert code.value.field == "code"
        with pytest.raises(ConflictError) as name:
            catalogue.add_item(session, ACTOR, "SCJG", _item("B", LICENCE))
        assert name.value.field == "name"
        # another unit may use the same code and name
        assert catalogue.add_item(session, ACTOR, "XFJY", _item("A", LICENCE)).unit_id == "XFJY"


def test_a_unit_keeps_its_own_catalogue_only(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        other = Actor(name="消防", role=Role.UNIT, unit_id="XFJY")
        created = catalogue.add_item(session, ACTOR, "SCJG", _item("A", LICENCE))
        with pytest.raises(ForbiddenError):
            catalogue.add_item(session, other, "SCJG", _item("B", HEALTH))
        with pytest.raises(NotFoundError):
            catalogue.edit_draft(session, other, created.id, CatalogueItemPatch(name="改"))
        with pytest.raises(ForbiddenError):
            catalogue.publish_catalogue(
                session, other, "SCJG", PublishRequest(effective_from=date(2024, 1, 1))
            )
        own = Actor(name="市场", role=Role.UNIT, unit_id="SCJG")
        assert (
            catalogue.edit_draft(session, own, created.id, CatalogueItemPatch(name="改")).name
            == "改"
        )
        with pytest.raises(NotFoundError):
            queries.list_catalogue(session, ACTOR, "NONE")


def test_retiring_needs_a_published_item_and_a_date_after_it_took_effect(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        draft = catalogue.add_item(session, ACTOR, "SCJG", _item("A", LICENCE))
        with pytest.raises(ConflictError):
            catalogue.retire_item(
                session, ACTOR, draft.id, RetireRequest(retired_on=date(2024, 5, 1))
            )
        catalogue.publish_catalogue(
            session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 3, 1))
        )
        with pytest.raises(InvalidInputError) as early:
            catalogue.retire_item(
                session, ACTOR, draft.id, RetireRequest(retired_on=date(2024, 2, 1))
            )
        assert early.value.field == "retired_on"
        retired = catalogue.retire_item(
            session, ACTOR, draft.id, RetireRequest(retired_on=date(2024, 5, 1))
        )
        assert retired.state == ItemState.RETIRED
        with pytest.raises(ConflictError):
            catalogue.retire_item(
                session, ACTOR, draft.id, RetireRequest(retired_on=date(2024, 6, 1))
            )
        # still on record
        everything = queries.list_catalogue(session, ACTOR, "SCJG", include_retired=True)
        assert [i.id for i in everything.items] == [draft.id]
        assert queries.list_catalogue(session, ACTOR, "SCJG").items == []


def test_every_change_is_audited(engine: Engine) -> None:
    with Session(engine) as session:
        _setup(session)
        created = catalogue.add_item(session, ACTOR, "SCJG", _item("A", LICENCE))
        catalogue.edit_draft(session, ACTOR, created.id, CatalogueItemPatch(offsite=True))
        catalogue.publish_catalogue(
            session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 1, 1))
        )
        revised = catalogue.revise_item(session, ACTOR, created.id)
        catalogue.publish_catalogue(
            session, ACTOR, "SCJG", PublishRequest(effective_from=date(2024, 2, 1))
        )
        catalogue.retire_item(
            session, ACTOR, revised.id, RetireRequest(retired_on=date(2024, 3, 1))
        )
        actions = [
            (e.action, e.entity_id)
            for e in session.exec(
                select(AuditEntryRow)
                .where(col(AuditEntryRow.action).startswith("catalogue."))
                .order_by(col(AuditEntryRow.id))
            )
        ]
        a, b = str(created.id), str(revised.id)
        assert actions == [
            ("catalogue.add", a),
            ("catalogue.edit", a),
            ("catalogue.publish", a),
            ("catalogue.edition", "SCJG/1"),
            ("catalogue.revise", b),
            ("catalogue.replace", a),
            ("catalogue.publish", b),
            ("catalogue.edition", "SCJG/2"),
            ("catalogue.retire", b),
        ]
