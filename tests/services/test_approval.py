"""Approval by the unit's head (审批): drafts wait, approved checklists are planned, a
complaint is planned while a draft and flagged when approved afterwards; only the head of
the checklist's own unit approves; every approval is audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db.tables import RequestRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.checklists.approval import approve_checklist, approve_drafts
from inspection.services.checklists.changes import amend_checklist, withdraw_checklist
from inspection.services.checklists.models import (
    CASE_DRIVEN_TYPES,
    ChecklistCreate,
    ChecklistStatus,
    InspectionType,
)
from inspection.services.checklists.service import get_checklist, submit_checklist
from inspection.services.planning.use_cases import create_plan
from inspection.services.planning.worker import run_plan
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from inspection.services.rounds.store import plan_rounds
from inspection.services.spreadsheets.imports import (
    import_checklists,
    import_enterprises,
    import_units,
)
from inspection.services.translation import problem_for_horizon
from inspection.services.trust.audit import list_entries
from inspection.services.trust.keys import authenticate, create_key
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, UPLOAD_LIMIT, head_of
from tests.support.paths import SAMPLES
from tests.support.world import WEEK, week_checklist, week_plan

STAFF = Actor(name="科员", role=Role.UNIT, unit_id="SCJG")  # a unit key, not the head's


def _reference(session: Session) -> None:
    for unit in ("SCJG", "XFJY"):
        create_unit(
            session, ACTOR, UnitCreate(id=unit, name=f"单位{unit}", weekday_capacity=[3] * 7)
        )
    for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
        create_enterprise(
            session, ACTOR, EnterpriseCreate(credit_code=code, name=name, town="凤城街道")
        )


def _planned_checklists(session: Session) -> set[int]:
    """The checklists whose requests the week's problem holds."""
    ids = [int(r.id) for r in problem_for_horizon(session, *WEEK).requests]
    return {row.checklist_id for i in ids if (row := session.get(RequestRow, i)) is not None}


def test_a_draft_waits_and_is_planned_once_its_head_approves_it(engine: Engine) -> None:
    with Session(engine) as session:
        _reference(session)
        draft = submit_checklist(session, STAFF, week_checklist("SCJG", [FOOD_SHOP]))
        assert (draft.status, draft.approved_at, draft.approved_by) == (
            ChecklistStatus.DRAFT,
            None,
            None,
        )
        by_coordinator = submit_checklist(session, ACTOR, week_checklist("XFJY", [FACTORY]))
        assert by_coordinator.status == ChecklistStatus.DRAFT
        assert _planned_checklists(session) == set()

        approved = approve_checklist(session, head_of("SCJG"), draft.id)
        assert approved.status == ChecklistStatus.APPROVED
        assert approved.approved_by == head_of("SCJG").label
        assert approved.approved_at is not None
        assert not approved.approved_afterwards
        assert approved.version == draft.version + 1
        assert _planned_checklists(session) == {draft.id}
        # stored as answered
        assert get_checklist(session, ACTOR, draft.id) == approved


def test_the_head_s_own_submission_is_approved_at_once(engine: Engine) -> None:
    with Session(engine) as session:
        _reference(session)
        head = head_of("SCJG")
        stored = submit_checklist(session, head, week_checklist("SCJG", [FOOD_SHOP]))
        assert (stored.status, stored.approved_by) == (ChecklistStatus.APPROVED, head.label)
        assert stored.approved_at is not None
        assert _planned_checklists(session) == {stored.id}
        with pytest.raises(ConflictError, match="已批准"):
            approve_checklist(session, head, stored.id)


def test_only_the_head_of_the_checklist_s_unit_approves(engine: Engine) -> None:
    with Session(engine) as session:
        _reference(session)
        draft = submit_checklist(session, STAFF, week_checklist("SCJG", [FOOD_SHOP]))
        with pytest.raises(ForbiddenError, match="协调人不能批准"):
            approve_checklist(session, ACTOR, draft.id)
        with pytest.raises(ForbiddenError, match="不是单位负责人"):
            approve_checklist(session, STAFF, draft.id)
        with pytest.raises(NotFoundError):  # another unit's checklist is as good as absent
            approve_checklist(session, head_of("XFJY"), draft.id)
        with pytest.raises(NotFoundError):
            approve_checklist(session, head_of("SCJG"), draft.id + 100)
        # a coordinator acting with a head flag it cannot have is still no unit's head
        fake = Actor(name="x", role=Role.COORDINATOR, unit_head=True)
        with pytest.raises(ForbiddenError):
            approve_checklist(session, fake, draft.id)
        assert get_checklist(session, ACTOR, draft.id).status == ChecklistStatus.DRAFT
        assert list_entries(session, action="checklist.approve") == []


def test_approving_twice_or_a_withdrawn_checklist_is_a_conflict(engine: Engine) -> None:
    with Session(engine) as session:
        _reference(session)
        head = head_of("SCJG")
        first = submit_checklist(session, STAFF, week_checklist("SCJG", [FOOD_SHOP]))
        approve_checklist(session, head, first.id)
        with pytest.raises(ConflictError, match="不是待审批的草稿"):
            approve_checklist(session, head, first.id)
        second = submit_checklist(session, STAFF, week_checklist("SCJG", [FACTORY]))
        withdraw_checklist(session, STAFF, second.id)
        with pytest.raises(ConflictError, match="已撤回"):
            approve_checklist(session, head, second.id)
        assert len(list_entries(session, action="checklist.approve")) == 1


def test_an_approval_is_audited_with_the_head_and_the_states(engine: Engine) -> None:
    with Session(engine) as session:
        _reference(session)
        draft = submit_checklist(session, STAFF, week_checklist("SCJG", [FOOD_SHOP]))
        approve_checklist(session, head_of("SCJG"), draft.id)
        (entry,) = list_entries(session, action="checklist.approve")
        assert (entry.entity, entry.entity_id, entry.actor) == (
            "checklist",
            str(draft.id),
            head_of("SCJG").label,
        )
        assert entry.before is not None
        assert entry.after is not None
        assert (entry.before["status"], entry.after["status"]) == ("draft", "approved")
        assert entry.after["approved_by"] == head_of("SCJG").label


def test_an_amendment_needs_approving_again_unless_the_head_makes_it(engine: Engine) -> None:
    with Session(engine) as session:
        _reference(session)
        head = head_of("SCJG")
        stored = submit_checklist(session, head, week_checklist("SCJG", [FOOD_SHOP]))
        changed = week_checklist("SCJG", [FOOD_SHOP, FACTORY])
        amended = amend_checklist(session, STAFF, stored.id, changed, stored.version)
        assert (amended.status, amended.approved_at, amended.approved_by) == (
            ChecklistStatus.DRAFT,
            None,
            None,
        )
        assert _planned_checklists(session) == set()
        again = week_checklist("SCJG", [FACTORY])
        by_head = amend_checklist(session, head, stored.id, again, amended.version)
        assert (by_head.status, by_head.approved_by) == (ChecklistStatus.APPROVED, head.label)
        assert _planned_checklists(session) == {stored.id}


def test_case_driven_types_are_complaints_and_referrals() -> None:
    assert {InspectionType.COMPLAINT, InspectionType.REFERRAL} == CASE_DRIVEN_TYPES


@pytest.mark.parametrize("kind", sorted(CASE_DRIVEN_TYPES))
def test_a_case_driven_draft_is_planned_and_flagged_when_approved_afterwards(
    engine: Engine, kind: InspectionType
) -> None:
    with Session(engine) as session:
        _reference(session)
        case = submit_checklist(
            session, STAFF, week_checklist("SCJG", [FACTORY], inspection_type=kind, priority=3)
        )
        early = submit_checklist(
            session, STAFF, week_checklist("SCJG", [FOOD_SHOP], inspection_type=kind)
        )
        routine = submit_checklist(session, STAFF, week_checklist("SCJG", [FOOD_SHOP]))
        assert _planned_checklists(session) == {case.id, early.id}  # the routine draft waits
        # approved before any plan took it: not afterwards
        assert not approve_checklist(session, head_of("SCJG"), early.id).approved_afterwards
        plan_id = create_plan(session, ACTOR, week_plan()).id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        placed = {r.credit_code for r in plan_rounds(session, plan_id)}
        assert placed == {FACTORY, FOOD_SHOP}
        late = approve_checklist(session, head_of("SCJG"), case.id)
        assert (late.status, late.approved_afterwards) == (ChecklistStatus.APPROVED, True)
        assert get_checklist(session, ACTOR, case.id).approved_afterwards
        # a routine draft approved after the plan was never in it: not afterwards
        assert not approve_checklist(session, head_of("SCJG"), routine.id).approved_afterwards


def test_an_import_is_drafts_unless_the_head_imports_it(engine: Engine) -> None:
    with Session(engine) as session:
        for name, load in (("units.csv", import_units), ("enterprises.csv", import_enterprises)):
            load(session, ACTOR, (SAMPLES / name).read_bytes(), name, UPLOAD_LIMIT)
        content = (SAMPLES / "checklists.xlsx").read_bytes()
        imported = import_checklists(session, ACTOR, content, "checklists.xlsx", UPLOAD_LIMIT)
        assert imported.created
        assert {c.status for c in imported.created} == {ChecklistStatus.DRAFT}
        units = sorted({c.unit_id for c in imported.created})
        approved = approve_drafts(session, head_of(units[0]), units[0])
        assert {c.unit_id for c in approved} == {units[0]}
        assert len(approved) == sum(c.unit_id == units[0] for c in imported.created)
        assert all(c.status == ChecklistStatus.APPROVED for c in approved)
        with pytest.raises(ForbiddenError):
            approve_drafts(session, ACTOR, units[1])


def test_a_head_s_key_carries_the_head_into_the_actor(engine: Engine) -> None:
    with Session(engine) as session:
        _reference(session)
        admin = Actor(name="admin", role=Role.ADMIN)
        head = create_key(session, admin, Role.UNIT, "SCJG", name="负责人", unit_head=True)
        staff = create_key(session, admin, Role.UNIT, "SCJG", name="科员")
        assert head.unit_head
        assert not staff.unit_head
        head_actor, staff_actor = authenticate(session, head.key), authenticate(session, staff.key)
        assert head_actor is not None
        assert staff_actor is not None
        assert (head_actor.unit_head, staff_actor.unit_head) == (True, False)
        with pytest.raises(InvalidInputError) as refused:
            create_key(session, admin, Role.COORDINATOR, name="x", unit_head=True)
        assert refused.value.field == "unit_head"
        draft = submit_checklist(
            session,
            staff_actor,
            ChecklistCreate.model_validate(
                {**week_checklist("SCJG", [FOOD_SHOP]).model_dump(), "latest": date(2024, 6, 7)}
            ),
        )
        assert approve_checklist(session, head_actor, draft.id).status == ChecklistStatus.APPROVED
