"""What of the rules a plan's problem carries, and that a plan obeys them; both databases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import EnterpriseRow, PlanUnscheduledRow
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.use_cases import publish_plan
from inspection.services.rules.problem import quiet_days_of
from inspection.services.translation import problem_for_horizon
from inspection.solver import SolveOptions, check, solve
from inspection.solver.reasons import ReasonCode
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, head_of
from tests.support.rules import add_cap_rule, add_quiet_rule
from tests.support.world import WEEK, fill_week, plan_week, week_checklist


def test_several_quiet_rules_exempt_only_what_every_one_exempts(engine: Engine) -> None:
    with Session(engine) as session:
        add_quiet_rule(session, [3, 4], ["complaint", "safety"])
        add_quiet_rule(session, [], ["complaint"], dates=["2024-06-05"])
        add_quiet_rule(session, [6], ["routine"], active=False)
        days = [date(2024, 6, d) for d in range(3, 10)]
        quiet = quiet_days_of(session, days)
    assert quiet.days == (date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 5))
    assert quiet.exempt_categories == ("complaint",)


def test_without_rules_the_problem_stays_version_1(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        problem = problem_for_horizon(session, *WEEK)
    assert problem.format == "inspect-once/1"
    assert problem.rules is None
    assert {r.category for r in problem.requests} == {"routine"}


def test_a_cap_makes_it_version_1_1_with_each_checklist_s_kind(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        add_cap_rule(session, "SCJG", 3)
        problem = problem_for_horizon(session, *WEEK)
    assert problem.format == "inspect-once/1.1"
    assert problem.rules is not None
    assert {(c.unit, c.enterprise, c.remaining) for c in problem.rules.caps.unit_enterprise} == {
        ("SCJG", FOOD_SHOP, 3),
        ("SCJG", FACTORY, 3),
    }
    assert {(r.unit, r.category) for r in problem.requests} == {
        ("SCJG", "routine"),
        ("XFJY", "complaint"),
    }


def test_the_no_disturb_list_keeps_routine_checks_out_but_not_complaints(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        factory = session.get(EnterpriseRow, FACTORY)
        assert factory is not None
        factory.no_disturb = True
        session.commit()
        problem = problem_for_horizon(session, *WEEK)
    assert problem.format == "inspect-once/1.1"
    plan = plan_week(engine)
    with Session(engine) as session:
        left = {
            (row.request_id, row.code)
            for row in session.exec(
                select(PlanUnscheduledRow).where(PlanUnscheduledRow.plan_id == plan.id)
            )
        }
    routine_at_factory = {
        int(r.id) for r in problem.requests if r.enterprise == FACTORY and r.unit == "SCJG"
    }
    assert left == {(rid, ReasonCode.NO_DISTURB) for rid in routine_at_factory}


def test_a_cap_used_up_in_one_week_keeps_a_request_out_of_the_next(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        add_cap_rule(session, "SCJG", 1)
        # the same unit again at both enterprises, the week after; submitted before the
        # first week is published (once it is, the submission is refused: the cap is used up)
        submit_checklist(
            session,
            head_of("SCJG"),
            week_checklist(
                "SCJG", [FOOD_SHOP, FACTORY], earliest="2024-06-10", latest="2024-06-14"
            ),
        )
    first = plan_week(engine)
    with Session(engine) as session:
        publish_plan(session, ACTOR, first.id)
        problem = problem_for_horizon(session, date(2024, 6, 10), date(2024, 6, 16))
    assert problem.rules is not None
    assert {c.remaining for c in problem.rules.caps.unit_enterprise} == {0}
    solution = solve(problem, SolveOptions(time_limit_s=5, workers=1))
    assert check(problem, solution).ok
    assert solution.rounds == ()
    assert {u.code for u in solution.unscheduled} == {ReasonCode.CAP_REACHED}
