"""Draws on both databases: the commitment before, the seed after, the draw replayed bit for
bit from the record, the checklists it makes, and nothing of it changing afterwards."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow, ChecklistRow, DrawRow, UnitRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.catalogue.models import CatalogueItemCreate, PublishRequest
from inspection.services.catalogue.service import add_item, publish_catalogue
from inspection.services.checklists.models import ChecklistCreate
from inspection.services.checklists.service import get_checklist, submit_checklist
from inspection.services.draws.algorithm import (
    commitment_of,
    parse_record,
    population_hash,
    verify_record,
)
from inspection.services.draws.models import DrawCreate
from inspection.services.draws.service import (
    commit_draw,
    get_draw,
    list_draws,
    public_record,
    reveal_draw,
)
from inspection.services.trust.audit import verify_chain
from tests.support.data import ACTOR, checklist_body, head_of
from tests.support.draws import NO_DISTURB, REGISTER, credit_code, draw_body, fill_register

CLERK = Actor(name="tests-SCJG-clerk", role=Role.UNIT, unit_id="SCJG")


def _replay(record_json: str) -> tuple[bool, tuple[str, ...]]:
    verdict = verify_record(parse_record(json.loads(record_json)))
    return verdict.consistent, verdict.differences


def test_a_draw_commits_first_then_reveals_a_replayable_result(engine: Engine) -> None:
    by_class = fill_register(engine)
    with Session(engine) as session:
        committed = commit_draw(session, head_of("SCJG"), DrawCreate(**draw_body()))
        assert committed.seed is None  # only its hash is published before the draw
        assert committed.revealed_at is None
        population = {c.risk_class: c.population for c in committed.classes}
        # the whole register but the no-disturb enterprise, by class, sorted
        assert population == by_class
        assert NO_DISTURB not in population["A"]
        assert committed.population_hash == population_hash(by_class)
        counts = {c.risk_class: c.drawn_count for c in committed.classes}
        assert counts == {"A": 3, "B": 3, "C": 0, "未分级": 0}  # 50 % of 5, rounded up
        stored = session.get(DrawRow, committed.draw_id)
        assert stored is not None
        assert committed.commitment == commitment_of(stored.seed)
        assert len(stored.seed) == 64  # 32 random bytes in hex
        before = public_record(session, committed.draw_id)
        assert before.seed is None
        assert _replay(before.model_dump_json()) == (True, ())

        revealed = reveal_draw(session, head_of("SCJG"), committed.draw_id)
        assert revealed.seed == stored.seed
        drawn = {c.risk_class: c.drawn for c in revealed.classes}
        assert [len(drawn[k] or []) for k in ("A", "B", "C")] == [3, 3, 0]
        record = public_record(session, committed.draw_id)
        assert _replay(record.model_dump_json()) == (True, ())
        # the head drew it: its checklist is approved at once, with the drawn targets
        (checklist_id,) = revealed.checklist_ids
        checklist = session.get(ChecklistRow, checklist_id)
        assert checklist is not None
        assert (checklist.status, checklist.inspection_type) == ("approved", "routine")
        assert checklist.reference == f"抽查-{committed.draw_id}"
        assert set(revealed.drawn_names) == {*(drawn["A"] or []), *(drawn["B"] or [])}
        actions = session.exec(select(AuditEntryRow.action).order_by(col(AuditEntryRow.id))).all()
        assert actions == ["draw.commit", "checklist.submit", "draw.reveal"]
        # the trail kept the seed secret until the reveal, and names it then
        entries = {e.action: e for e in session.exec(select(AuditEntryRow))}
        assert entries["draw.commit"].after is not None
        assert entries["draw.commit"].after["seed"] is None
        assert stored.seed not in json.dumps(entries["draw.commit"].after)
        assert entries["draw.reveal"].after == {
            "seed": stored.seed,
            "drawn": {k: v for k, v in drawn.items() if v},
            "checklist_ids": [checklist_id],
        }
        assert verify_chain(session).ok


def test_a_reveal_happens_once(engine: Engine) -> None:
    fill_register(engine)
    with Session(engine) as session:
        committed = commit_draw(session, CLERK, DrawCreate(**draw_body()))
        revealed = reveal_draw(session, CLERK, committed.draw_id)
        with pytest.raises(ConflictError) as refused:
            reveal_draw(session, ACTOR, committed.draw_id)
        assert refused.value.field == "id"
        again = get_draw(session, CLERK, committed.draw_id)
        assert again.seed == revealed.seed
        assert again.classes == revealed.classes
        # a clerk's draw makes a draft for the unit's head
        checklist = session.get(ChecklistRow, revealed.checklist_ids[0])
        assert checklist is not None
        assert checklist.status == "draft"


def test_a_public_seed_is_the_commitment(engine: Engine) -> None:
    fill_register(engine)
    seed = "2024-06-01 体彩排列五 12345"
    with Session(engine) as session:
        committed = commit_draw(session, ACTOR, DrawCreate(**draw_body(public_seed=seed)))
        assert committed.commitment == commitment_of(seed)
        assert committed.public_seed
        revealed = reveal_draw(session, ACTOR, committed.draw_id)
        assert revealed.seed == seed


def test_a_joint_draw_makes_a_draft_for_each_unit(engine: Engine) -> None:
    fill_register(engine)
    units = [
        {"unit_id": "SCJG", "items": [{"name": "食品经营许可", "legal_basis": "《食品安全法》"}]},
        {"unit_id": "YJJ", "items": [{"name": "安全生产责任制", "legal_basis": "《安全生产法》"}]},
    ]
    with Session(engine) as session:
        committed = commit_draw(session, ACTOR, DrawCreate(**draw_body(units=units)))
        assert committed.owner_unit_id is None
        with pytest.raises(ForbiddenError):  # a unit does not reveal the coordinator's draw
            reveal_draw(session, head_of("SCJG"), committed.draw_id)
        revealed = reveal_draw(session, ACTOR, committed.draw_id)
        rows = [session.get(ChecklistRow, i) for i in revealed.checklist_ids]
        assert [(r.unit_id, r.status) for r in rows if r] == [
            ("SCJG", "draft"),
            ("YJJ", "draft"),
        ]
        # each unit sees the joint draw; a unit not in it does not
        assert [d.draw_id for d in list_draws(session, CLERK)] == [committed.draw_id]
        outsider = Actor(name="x", role=Role.UNIT, unit_id="ZZZ")
        assert list_draws(session, outsider) == []
        with pytest.raises(NotFoundError):
            get_draw(session, outsider, committed.draw_id)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quotas": [{"risk_class": "E", "count": 1}]}, "quotas[0].risk_class"),
        ({"risk_classes": ["E"]}, "risk_classes[0]"),
        ({"towns": ["没有的镇"]}, "towns"),
        ({"quotas": [{"risk_class": "C", "count": 4}]}, "quotas[0].count"),
        ({"quotas": [{"risk_class": "C", "ratio_percent": "100.5"}]}, "quotas[0].ratio_percent"),
        ({"quotas": [{"risk_class": "C", "ratio_percent": "0"}]}, "quotas[0].ratio_percent"),
        ({"quotas": [{"risk_class": "C"}]}, "quotas[0]"),
        (
            {"towns": ["洲心街道"], "quotas": [{"risk_class": "A", "count": 1}]},
            "quotas[0].risk_class",
        ),
        ({"units": [{"unit_id": "NOPE", "items": [{"code": "X1"}]}]}, "units[0].unit_id"),
        ({"units": [{"unit_id": "SCJG", "items": [{"code": "X1"}]}]}, "units[0].items[0].code"),
    ],
)
def test_bad_draws_are_refused_naming_the_field(
    engine: Engine, changes: dict[str, object], field: str
) -> None:
    fill_register(engine)
    with Session(engine) as session:
        with pytest.raises(InvalidInputError) as refused:
            commit_draw(session, ACTOR, DrawCreate(**draw_body(**changes)))
        assert refused.value.field == field
        assert session.exec(select(DrawRow)).all() == []


def test_a_unit_draws_for_itself_only(engine: Engine) -> None:
    fill_register(engine)
    body = draw_body(units=[{"unit_id": "YJJ", "items": [{"name": "a", "legal_basis": "b"}]}])
    with Session(engine) as session:
        with pytest.raises(ForbiddenError) as refused:
            commit_draw(session, CLERK, DrawCreate(**body))
        assert refused.value.field == "units[0].unit_id"


def _publish_catalogue(engine: Engine, effective_from: str) -> None:
    head = head_of("SCJG")
    with Session(engine) as session:
        item = CatalogueItemCreate(
            code="SC-001", name="食品经营许可情况", legal_basis="《食品安全法》第三十五条"
        )
        add_item(session, head, "SCJG", item)
        publish_catalogue(
            session,
            ACTOR,
            "SCJG",
            PublishRequest.model_validate({"effective_from": effective_from}),
        )


def test_a_catalogue_code_gives_the_item_its_name_and_basis(engine: Engine) -> None:
    fill_register(engine)
    _publish_catalogue(engine, "2024-01-01")
    units = [{"unit_id": "SCJG", "items": [{"code": "SC-001"}]}]
    with Session(engine) as session:
        committed = commit_draw(session, head_of("SCJG"), DrawCreate(**draw_body(units=units)))
        assert committed.units[0].items == [
            {
                "name": "食品经营许可情况",
                "legal_basis": "《食品安全法》第三十五条",
                "code": "SC-001",
            }
        ]
        revealed = reveal_draw(session, head_of("SCJG"), committed.draw_id)
        checklist = get_checklist(session, ACTOR, revealed.checklist_ids[0])
        assert [(i.name, i.legal_basis) for i in checklist.items] == [
            ("食品经营许可情况", "《食品安全法》第三十五条")
        ]


def test_a_reveal_the_catalogue_now_refuses_stores_nothing(engine: Engine) -> None:
    fill_register(engine)
    units = [{"unit_id": "SCJG", "items": [{"name": "自定事项", "legal_basis": "某法"}]}]
    with Session(engine) as session:
        committed = commit_draw(session, ACTOR, DrawCreate(**draw_body(units=units)))
    _publish_catalogue(engine, "2024-01-01")  # from now on the unit is held to its catalogue
    with Session(engine) as session:
        with pytest.raises(InvalidInputError) as refused:
            reveal_draw(session, ACTOR, committed.draw_id)
        assert refused.value.field == "units[0].items[0].name"
    with Session(engine) as session:
        assert get_draw(session, ACTOR, committed.draw_id).seed is None  # still sealed
        assert session.exec(select(ChecklistRow)).all() == []


def test_a_reference_the_unit_used_already_gets_a_suffix(engine: Engine) -> None:
    fill_register(engine)
    with Session(engine) as session:
        committed = commit_draw(session, ACTOR, DrawCreate(**draw_body()))
        taken = f"抽查-{committed.draw_id}"
        body = {**checklist_body(), "reference": taken, "targets": [credit_code(1)]}
        submit_checklist(session, head_of("SCJG"), ChecklistCreate(**body))
        revealed = reveal_draw(session, ACTOR, committed.draw_id)
        checklist = session.get(ChecklistRow, revealed.checklist_ids[0])
        assert checklist is not None
        assert checklist.reference == f"{taken}-2"


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.one_of(
        st.none(),
        st.text(st.characters(exclude_categories=("Cc", "Cs", "Z")), min_size=8, max_size=40),
    ),
    a_count=st.integers(1, 8),
    b_ratio=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
    towns=st.lists(st.sampled_from(["凤城街道", "东城街道"]), max_size=2, unique=True),
)
def test_what_is_stored_is_what_the_record_replays(
    engine: Engine, seed: str | None, a_count: int, b_ratio: Decimal, towns: list[str]
) -> None:
    if not _registered(engine):
        fill_register(engine)

    def size(grade: str) -> int:
        return sum(1 for r, town, _ in REGISTER if r == grade and (not towns or town in towns))

    # a count within A, a ratio of B where the towns have any
    quotas: list[dict[str, object]] = [{"risk_class": "A", "count": min(a_count, size("A"))}]
    if size("B"):
        quotas.append({"risk_class": "B", "ratio_percent": str(b_ratio)})
    body = draw_body(towns=towns, quotas=quotas, public_seed=seed)
    with Session(engine) as session:
        committed = commit_draw(session, ACTOR, DrawCreate(**body))
        if seed is not None:
            assert committed.commitment == commitment_of(seed)
        reveal_draw(session, ACTOR, committed.draw_id)
        stored = session.get(DrawRow, committed.draw_id)
        assert stored is not None
        record = public_record(session, committed.draw_id)
    verdict = verify_record(parse_record(json.loads(record.model_dump_json())))
    assert verdict.consistent, verdict.differences
    assert verdict.revealed
    assert {c.risk_class: c.drawn for c in record.classes if c.drawn_count} == stored.drawn
    assert record.seed == stored.seed
    assert commitment_of(stored.seed) == stored.commitment


def _registered(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.get(UnitRow, "SCJG") is not None
