"""Inspection codes follow the visit: issued at publication, kept by a re-plan, cancelled
when the visit leaves the published horizon, and never found by guessing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow, InspectionCodeRow, LiveVisitRow, PlanRow
from inspection.errors import NotFoundError
from inspection.services.checklists.models import InspectionType
from inspection.services.checklists.service import submit_checklist
from inspection.services.codes.issue import (
    ALPHABET,
    CODE_PATTERN,
    issue_codes,
    new_code,
    normalize_code,
    round_codes,
)
from inspection.services.codes.verify import NOT_FOUND, verify_code
from inspection.services.ledger import live_round_ids
from inspection.services.planning.use_cases import publish_plan
from inspection.services.rounds.store import plan_rounds
from tests.support.data import ACTOR, FACTORY, head_of
from tests.support.world import WEEK, plan_week, run_published_week, week_checklist


def _codes(session: Session) -> list[InspectionCodeRow]:
    return list(session.exec(select(InspectionCodeRow).order_by(col(InspectionCodeRow.code))))


def test_a_published_week_gives_every_live_round_its_own_code(engine: Engine) -> None:
    plan_id = run_published_week(engine)
    with Session(engine) as session:
        rounds = plan_rounds(session, plan_id)
        ids = [r.id for r in rounds if r.id is not None]
        assert len(ids) >= 3
        assert set(ids) == live_round_ids(session, *WEEK)
        codes = round_codes(session, ids)
        assert set(codes) == set(ids)  # every live round has one
        assert len(set(codes.values())) == len(ids)  # all distinct
        assert all(CODE_PATTERN.match(code) for code in codes.values())
        for round_ in rounds:
            row = session.get(InspectionCodeRow, codes[round_.id or 0])
            assert row is not None
            assert (row.credit_code, row.day, row.plan_id) == (
                round_.credit_code,
                round_.day,
                plan_id,
            )
            assert row.cancelled_at is None
        audit = session.exec(
            select(AuditEntryRow).where(col(AuditEntryRow.action) == "codes.issue")
        ).one()
        assert audit.after == {"issued": len(ids), "kept": 0, "cancelled": 0}
        assert (audit.entity, audit.entity_id) == ("inspection_codes", str(plan_id))


def test_a_replan_keeps_the_codes_of_announced_visits(engine: Engine) -> None:
    first = run_published_week(engine)
    with Session(engine) as session:
        before = {(c.credit_code, c.day): c.code for c in _codes(session)}
        # a complaint arrives mid-week: the re-plan gives it a round of its own
        late = week_checklist(
            "XFJY", [FACTORY], earliest="2024-06-05", inspection_type=InspectionType.COMPLAINT
        )
        submit_checklist(session, head_of("XFJY"), late)
    second = plan_week(engine).id
    with Session(engine) as session:
        publish_plan(session, ACTOR, second)
        rounds = plan_rounds(session, second)
        codes = round_codes(session, [r.id for r in rounds if r.id is not None])
        assert len(codes) == len(rounds) == len(before) + 1
        after = {(r.credit_code, r.day): codes[r.id or 0] for r in rounds}
        for visit, code in before.items():
            assert after[visit] == code  # the announced visit kept its code
            row = session.get(InspectionCodeRow, code)
            assert row is not None
            assert row.plan_id == second
            assert row.round_id != 0  # now names the new row
            assert row.round_id in {r.id for r in rounds}
        (new,) = set(after.values()) - set(before.values())
        assert CODE_PATTERN.match(new)
        assert all(c.cancelled_at is None for c in _codes(session))
        assert verify_code(session, new).plan.number == second
        assert first != second


def test_a_visit_gone_from_the_horizon_has_its_code_cancelled(engine: Engine) -> None:
    plan_id = run_published_week(engine)
    with Session(engine) as session:
        rounds = plan_rounds(session, plan_id)
        codes = round_codes(session, [r.id for r in rounds if r.id is not None])
        gone = rounds[0]
        assert gone.id is not None
        # the ledger no longer holds the round (as after a re-plan without it)
        session.execute(delete(LiveVisitRow).where(col(LiveVisitRow.round_id) == gone.id))
        plan = session.get(PlanRow, plan_id)
        assert plan is not None
        counts = issue_codes(session, ACTOR, plan)
        session.commit()
        assert counts == {"issued": 0, "kept": len(rounds) - 1, "cancelled": 1}
        cancelled = session.get(InspectionCodeRow, codes[gone.id])
        assert cancelled is not None
        assert cancelled.cancelled_at is not None
        assert gone.id not in round_codes(session, [gone.id])  # staff no longer see it
        visit = verify_code(session, codes[gone.id])
        assert visit.cancelled
        assert visit.date == gone.day
        kept = [codes[r.id or 0] for r in rounds[1:]]
        assert not any(verify_code(session, code).cancelled for code in kept)


def test_codes_have_sixty_random_bits_read_aloud_in_groups() -> None:
    assert len(ALPHABET) == 32
    assert len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    drawn = {new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(CODE_PATTERN.match(code) for code in drawn)
    # every symbol turns up in every position: nothing fixed, nothing left out
    for position in (0, 5, 13):
        assert {code[position] for code in drawn} == set(ALPHABET)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("k7qm-2xhd-9pzt", "K7QM-2XHD-9PZT"),
        ("K7QM 2XHD 9PZT", "K7QM-2XHD-9PZT"),
        ("K7QM2XHD9PZT", "K7QM-2XHD-9PZT"),
        ("KOQM-IXHD-LPZT", "K0QM-1XHD-1PZT"),  # O read as 0, I and L as 1
        ("K7QM-2XHD-9PZ", None),
        ("K7QM-2XHD-9PZTX", None),
        ("K7QM-2XHD-9PZU", None),
        ("../../etc/passwd", None),
        ("", None),
    ],
)
def test_normalize_code(typed: str, stored: str | None) -> None:
    assert normalize_code(typed) == stored


def test_ten_thousand_random_guesses_find_nothing(engine: Engine) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        real = {c.code for c in _codes(session)}
        assert real
        for _ in range(10_000):
            guess = new_code()
            assert guess not in real
            with pytest.raises(NotFoundError, match=NOT_FOUND):
                verify_code(session, guess)
        assert verify_code(session, next(iter(real))).code in real  # the real one does verify
