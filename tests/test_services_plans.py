"""Planning runs through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import PlanRoundRequestRow, PlanUnscheduledRow, RequestRow
from inspection.errors import InvalidInputError, NotFoundError
from inspection.services.plans import create_plan, get_plan, plan_rounds, request_stop, run_plan
from tests.service_data import ACTOR
from tests.test_db_mapping import WEEK, _fill


def test_a_plan_runs_and_stores_every_request_once(engine: Engine) -> None:
    with Session(engine) as session:
        _fill(session)
        plan = create_plan(session, ACTOR, *WEEK, time_limit_s=5)
        assert plan.status == "queued"
        assert plan.id is not None
        plan_id = plan.id
    finished = run_plan(engine, plan_id)
    assert finished.status == "finished"
    assert finished.solver_status == "optimal"
    assert finished.problem_sha256 is not None
    assert len(finished.problem_sha256) == 64
    with Session(engine) as session:
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
        assert finished.statistics["rounds"] == len(rounds)
        assert all(r.day not in (date(2024, 6, 8), date(2024, 6, 9)) for r in rounds)


def test_a_stop_requested_before_the_run_ends_it_as_stopped(engine: Engine) -> None:
    with Session(engine) as session:
        _fill(session)
        plan = create_plan(session, ACTOR, *WEEK, time_limit_s=30)
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
    engine: Engine, start: date, end: date, limit: float, field: str
) -> None:
    with Session(engine) as session, pytest.raises(InvalidInputError) as caught:
        create_plan(session, ACTOR, start, end, limit)
    assert caught.value.field == field


def test_unknown_plan(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(NotFoundError):
        get_plan(session, 4242)


def test_publish_then_replan_keeps_the_published_rounds(engine: Engine) -> None:
    from inspection.errors import ConflictError
    from inspection.services.checklists import submit_checklist, withdraw_checklist
    from tests.service_data import FACTORY
    from tests.test_db_mapping import _checklist

    with Session(engine) as session:
        ids = _fill(session)
        first = create_plan(session, ACTOR, *WEEK, time_limit_s=5)
        assert first.id is not None
        first_id = first.id
    run_plan(engine, first_id)
    with Session(engine) as session:
        published = publish_plan_and_rounds(session, first_id)
        with pytest.raises(ConflictError):
            withdraw_checklist(session, ACTOR, ids["routine"])  # its requests are announced
        # a new checklist arrives mid-week
        submit_checklist(session, ACTOR, _checklist("XFJY", [FACTORY], earliest="2024-06-05"))
        second = create_plan(session, ACTOR, *WEEK, time_limit_s=5)
        assert second.id is not None
        second_id = second.id
    run_plan(engine, second_id)
    with Session(engine) as session:
        from inspection.services.plans import get_plan, publish_plan

        again = {(r.credit_code, r.day, tuple(r.units)) for r in plan_rounds(session, second_id)}
        assert published <= again  # nothing announced moved
        assert len(again) == len(published) + 1  # the new request got a round of its own
        from inspection.services.rounds import diff_against_published

        kept, added, removed = diff_against_published(session, second_id)
        assert (len(kept), len(added), removed) == (len(published), 1, [])
        assert {(e, d) for e, d, _ in kept} == {(e, d) for e, d, _ in published}
        publish_plan(session, ACTOR, second_id)
        assert get_plan(session, first_id).superseded_by == second_id
        # once published, it is compared with the plan it superseded
        assert diff_against_published(session, second_id) == (kept, added, removed)
        with pytest.raises(ConflictError):
            publish_plan(session, ACTOR, second_id)


def publish_plan_and_rounds(
    session: Session, plan_id: int
) -> set[tuple[str, date, tuple[str, ...]]]:
    from inspection.services.plans import publish_plan

    publish_plan(session, ACTOR, plan_id)
    return {(r.credit_code, r.day, tuple(r.units)) for r in plan_rounds(session, plan_id)}


def test_an_orphaned_worker_cannot_revive_a_plan_marked_failed(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server killed alone leaves its worker running; the restart marks the plan failed.

    The worker must then store nothing: the plan stays failed and unpublishable.
    """
    from inspection.errors import ConflictError
    from inspection.services.plans import publish_plan
    from inspection.services.runner import fail_interrupted_plans
    from inspection.solver import solve as real_solve

    def solve_after_a_restart(*args: object, **kwargs: object) -> object:
        assert fail_interrupted_plans(engine) == 1  # the restarted server's recovery
        return real_solve(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("inspection.services.plans.solve", solve_after_a_restart)
    with Session(engine) as session:
        _fill(session)
        plan = create_plan(session, ACTOR, *WEEK, time_limit_s=5)
        assert plan.id is not None
        plan_id = plan.id
    assert run_plan(engine, plan_id).status == "failed"
    with Session(engine) as session:
        assert plan_rounds(session, plan_id) == []
        with pytest.raises(ConflictError):
            publish_plan(session, ACTOR, plan_id)
