"""The officers the planner may draw from, and the draw stored with the plan's rounds."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.tables import OfficerRow, PlanRoundOfficerRow, PlanRoundRow, PlanRow
from inspection.services.officers import service
from inspection.services.officers.drawn import pinned_officers, problem_officers, round_officers
from inspection.services.officers.models import RecusalCreate, RecusalKind
from inspection.services.planning.use_cases import create_plan
from inspection.services.translation import store_solution
from inspection.solver import Round, Solution
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP
from tests.support.officers import officer, store_week_roster
from tests.support.world import WEEK, fill_week, plan_week, week_plan

DAYS = [WEEK[0] + timedelta(days=i) for i in range(7)]


def test_expired_certificates_give_days_off_from_the_day_after_expiry(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        valid = service.create_officer(
            session, ACTOR, officer("SCJG", "陈志明", "A1", days_off=["2024-06-04", "2024-07-01"])
        )
        # valid through Wednesday 2024-06-05, inclusive
        expiring = service.create_officer(
            session, ACTOR, officer("SCJG", "李晓燕", "A2", certificate_expires="2024-06-05")
        )
        expired = service.create_officer(
            session, ACTOR, officer("SCJG", "王建华", "A3", certificate_expires="2023-12-31")
        )
        left = service.create_officer(session, ACTOR, officer("SCJG", "周丽", "A4"))
        service.deactivate_officer(session, ACTOR, left.id)
        service.create_officer(session, ACTOR, officer("XFJY", "赵国栋", "B1"))
        found = problem_officers(session, ["SCJG"], DAYS)
    assert [o.id for o in found] == [str(valid.id), str(expiring.id), str(expired.id)]
    assert all(o.unit == "SCJG" for o in found)
    by_id = {o.id: o for o in found}
    assert by_id[str(valid.id)].days_off == (date(2024, 6, 4),)  # only the horizon's
    assert by_id[str(expiring.id)].days_off == tuple(DAYS[3:])
    assert by_id[str(expired.id)].days_off == tuple(DAYS)


def test_recusals_are_passed_and_a_unit_without_officers_gets_none(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        first = service.create_officer(session, ACTOR, officer("SCJG", "陈志明", "A1"))
        service.add_recusal(
            session,
            ACTOR,
            first.id,
            RecusalCreate(credit_code=FOOD_SHOP, kind=RecusalKind.REQUESTED),
        )
        service.add_recusal(
            session, ACTOR, first.id, RecusalCreate(credit_code=FACTORY, kind=RecusalKind.CONFLICT)
        )
        everything = problem_officers(session, ["SCJG", "XFJY"], DAYS)
        some = problem_officers(session, ["SCJG", "XFJY"], DAYS, enterprises={FACTORY})
        assert problem_officers(session, [], DAYS) == ()
    assert [(o.unit, o.recusals) for o in everything] == [
        ("SCJG", tuple(sorted([FOOD_SHOP, FACTORY])))
    ]
    assert [o.recusals for o in some] == [(FACTORY,)]


def test_store_solution_stores_each_round_s_officers(engine: Engine) -> None:
    with Session(engine) as session:
        checklists = fill_week(session)
        ids = store_week_roster(session)
        plan = create_plan(session, ACTOR, week_plan())
        a, b = ids["44180020240031"], ids["44180020240032"]
        solution = Solution(
            format="inspect-once-solution/1.1",
            draw_seed=7,
            rounds=(
                Round(
                    enterprise=FACTORY,
                    date=date(2024, 6, 3),
                    requests=tuple(
                        str(r.id)
                        for r in repository.checklist_requests(session, checklists["routine"])
                        if r.credit_code == FACTORY
                    ),
                    lead_unit="SCJG",
                    units=("SCJG",),
                    officers={"SCJG": (str(a), str(b))},
                ),
            ),
        )
        store_solution(session, plan.id, solution)
        session.flush()
        stored = session.exec(select(PlanRoundOfficerRow)).all()
        assert sorted((r.officer_id, r.unit_id) for r in stored) == [(a, "SCJG"), (b, "SCJG")]
        round_id = stored[0].round_id
        assert pinned_officers(session, [round_id]) == {
            round_id: {"SCJG": tuple(str(i) for i in sorted((a, b)))}
        }
        shown = round_officers(session, [round_id])[round_id]
        assert [(o.unit, o.name, o.badge_number) for o in shown] == [
            ("SCJG", "李晓燕", "44180020240032"),
            ("SCJG", "陈志明", "44180020240031"),
        ]


def test_a_planned_week_draws_officers_and_records_the_seed(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        ids = store_week_roster(session)
        expired = session.get(OfficerRow, ids["44180020240033"])
        assert expired is not None
        expired.certificate_expires = date(2024, 6, 2)  # before the week: never drawn
        session.add(expired)
        session.commit()
    plan = plan_week(engine)
    with Session(engine) as session:
        row = session.get(PlanRow, plan.id)
        assert row is not None
        assert row.draw_seed is not None
        rounds = session.exec(select(PlanRoundRow).where(PlanRoundRow.plan_id == plan.id)).all()
        assert rounds
        links = session.exec(
            select(PlanRoundOfficerRow).where(
                col(PlanRoundOfficerRow.round_id).in_([r.id for r in rounds])
            )
        ).all()
    per_round_unit: dict[tuple[int, str], set[int]] = {}
    for link in links:
        per_round_unit.setdefault((link.round_id, link.unit_id), set()).add(link.officer_id)
    # every unit of every round sends two of its own officers, never the expired one
    expected = {(r.id, u) for r in rounds for u in r.units if r.id is not None}
    assert set(per_round_unit) == expected
    assert all(len(drawn) == 2 for drawn in per_round_unit.values())
    assert ids["44180020240033"] not in {link.officer_id for link in links}
    scjg = {ids[b] for b in ("44180020240031", "44180020240032")}
    assert all(drawn == scjg for (_, unit), drawn in per_round_unit.items() if unit == "SCJG")
