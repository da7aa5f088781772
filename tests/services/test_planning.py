"""Planning runs through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import PlanRoundRequestRow, PlanRow, PlanUnscheduledRow, RequestRow
from inspection.errors import NotFoundError
from inspection.services.checklists.models import InspectionType
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, get_plan, request_stop
from inspection.services.planning.worker import run_plan
from inspection.services.rounds.store import plan_rounds
from tests.support.data import ACTOR, head_of
from tests.support.world import fill_week, week_checklist, week_plan


def test_a_plan_runs_and_stores_every_request_once(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        plan = create_plan(session, ACTOR, week_plan())
        assert plan.status == "queued"
        assert plan.id is not None
        plan_id = plan.id
    finished = run_plan(engine, plan_id)
    assert finished.status == "finished"
    assert finished.solver_status == "optimal"
    with Session(engine) as session:
        row = session.get(PlanRow, plan_id)
        assert row is not None
        assert row.problem_sha256 is not None
        assert len(row.problem_sha256) == 64
        rounds = plan_rounds(session, plan_id)
        placed = [
            link.request_id
            for link in session.exec(select(PlanRoundRequestRow))
            if link.round_id in {r.id for r in rounds}
        ]
        left_out = [
            u.request_id for u in session.exec(select(PlanUnscheduledRow)) if u.plan_id == plan_id
        ]
        planned = sorted(placed + left_out)
        # the three requests of the week, each once (the July and withdrawn ones are not)
        assert len(planned) == len(set(planned)) == 3
        assert set(planned) <= {r.id for r in session.exec(select(RequestRow))}
        assert finished.statistics is not None
        assert finished.statistics.rounds == len(rounds)
        assert all(r.day not in (date(2024, 6, 8), date(2024, 6, 9)) for r in rounds)


def test_a_stop_requested_before_the_run_ends_it_as_stopped(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        plan = create_plan(session, ACTOR, week_plan(30))
        assert plan.id is not None
        request_stop(session, ACTOR, plan.id)
        plan_id = plan.id
    stopped = run_plan(engine, plan_id)
    assert stopped.status == "stopped"
    assert stopped.statistics is not None  # the best plan found (here the greedy one) is kept


@pytest.mark.parametrize(
    ("start", "end", "limit", "field"),
    [
        (date(2024, 6, 9), date(2024, 6, 3), 5.0, "end"),
        (date(2024, 1, 1), date(2024, 6, 30), 5.0, "end"),
        (date(2031, 1, 6), date(2031, 1, 10), 5.0, "start"),
        (date(2024, 6, 3), date(2024, 6, 9), 0.1, "time_limit_s"),
    ],
)
def test_bad_plan_requests_name_their_field(
    start: date, end: date, limit: float, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        PlanCreate(start=start, end=end, time_limit_s=limit)
    assert [error["loc"] for error in caught.value.errors()] == [(field,)]


def test_unknown_plan(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(NotFoundError):
        get_plan(session, 4242)


def test_publish_then_replan_keeps_the_published_rounds(engine: Engine) -> None:
    from inspection.errors import ConflictError
    from inspection.services.checklists.changes import withdraw_checklist
    from inspection.services.checklists.service import submit_checklist
    from tests.support.data import FACTORY

    with Session(engine) as session:
        ids = fill_week(session)
        first = create_plan(session, ACTOR, week_plan())
        assert first.id is not None
        first_id = first.id
    run_plan(engine, first_id)
    with Session(engine) as session:
        published = publish_plan_and_rounds(session, first_id)
        with pytest.raises(ConflictError):
            withdraw_checklist(session, ACTOR, ids["routine"])  # its requests are announced
        # a new complaint arrives mid-week: it cannot join a round, so it gets one of its own
        submit_checklist(
            session,
            ACTOR,
            week_checklist(
                "XFJY", [FACTORY], earliest="2024-06-05", inspection_type=InspectionType.COMPLAINT
            ),
        )
        second = create_plan(session, ACTOR, week_plan())
        assert second.id is not None
        second_id = second.id
    run_plan(engine, second_id)
    with Session(engine) as session:
        from inspection.services.planning.use_cases import get_plan, publish_plan

        again = {(r.credit_code, r.day, tuple(r.units)) for r in plan_rounds(session, second_id)}
        assert published <= again  # nothing announced moved
        assert len(again) == len(published) + 1  # the new request got a round of its own
        from inspection.services.rounds.diff import diff_against_published

        diff = diff_against_published(session, second_id)
        assert (len(diff.kept), len(diff.added), diff.removed) == (len(published), 1, [])
        assert diff.joined == []
        assert {(r.enterprise, r.date) for r in diff.kept} == {(e, d) for e, d, _ in published}
        (second_visit,) = diff.second_rounds  # the factory is visited again that week
        assert (second_visit.enterprise, second_visit.added) == (FACTORY, [diff.added[0].date])
        publish_plan(session, ACTOR, second_id)
        assert get_plan(session, first_id).superseded_by == second_id
        # once published, it is compared with the plan it superseded
        assert diff_against_published(session, second_id) == diff
        with pytest.raises(ConflictError):
            publish_plan(session, ACTOR, second_id)


def test_a_late_request_joins_an_announced_round_one_revision_further(engine: Engine) -> None:
    from inspection.services.checklists.service import submit_checklist
    from inspection.services.figures.stats import visit_stats
    from inspection.services.planning.use_cases import publish_plan
    from tests.support.data import FACTORY

    with Session(engine) as session:
        fill_week(session)
        first = create_plan(session, ACTOR, week_plan()).id
    run_plan(engine, first)
    with Session(engine) as session:
        publish_plan(session, ACTOR, first)
        (announced,) = [
            r
            for r in plan_rounds(session, first)
            if r.credit_code == FACTORY and r.units == ["SCJG"]
        ]
        before = visit_stats(session).total
        day = announced.day.isoformat()
        late = week_checklist("XFJY", [FACTORY], earliest=day, latest=day)
        submit_checklist(session, head_of("XFJY"), late)
        second = create_plan(session, ACTOR, week_plan()).id
    run_plan(engine, second)
    with Session(engine) as session:
        rounds = {r.credit_code + str(r.day): r for r in plan_rounds(session, second)}
        joined = rounds.pop(FACTORY + day)
        assert (joined.units, joined.lead_unit_id) == (["SCJG", "XFJY"], "SCJG")
        assert (joined.revision, joined.revised_in) == (1, None)  # its content is this plan's
        assert all((r.revision, r.revised_in) == (0, first) for r in rounds.values())
        publish_plan(session, ACTOR, second)
        after = visit_stats(session).total
        # one more request, no more rounds: one more visit saved
        assert (after.requests, after.rounds) == (before.requests + 1, before.rounds)
        assert after.visits_saved == before.visits_saved + 1


def publish_plan_and_rounds(
    session: Session, plan_id: int
) -> set[tuple[str, date, tuple[str, ...]]]:
    from inspection.services.planning.use_cases import publish_plan

    publish_plan(session, ACTOR, plan_id)
    return {(r.credit_code, r.day, tuple(r.units)) for r in plan_rounds(session, plan_id)}


def test_an_orphaned_worker_cannot_revive_a_plan_marked_failed(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server killed alone leaves its worker running; the restart marks the plan failed.

    The worker must then store nothing: the plan stays failed and unpublishable.
    """
    from inspection.errors import ConflictError
    from inspection.services.planning.runner import fail_interrupted_plans
    from inspection.services.planning.use_cases import publish_plan
    from inspection.solver import solve as real_solve

    def solve_after_a_restart(*args: object, **kwargs: object) -> object:
        assert fail_interrupted_plans(engine) == 1  # the restarted server's recovery
        return real_solve(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("inspection.services.planning.worker.solve", solve_after_a_restart)
    with Session(engine) as session:
        fill_week(session)
        plan = create_plan(session, ACTOR, week_plan())
        assert plan.id is not None
        plan_id = plan.id
    assert run_plan(engine, plan_id).status == "failed"
    with Session(engine) as session:
        assert plan_rounds(session, plan_id) == []
        with pytest.raises(ConflictError):
            publish_plan(session, ACTOR, plan_id)
