"""Figures from the live published rounds, checked against counts made independently."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import ChecklistRow, RequestRow
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.checklists.service import submit_checklist
from inspection.services.figures.reports import annual_report
from inspection.services.figures.stats import GroupBy, VisitStats, visit_stats
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.rounds.store import plan_rounds, published_rounds
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, head_of
from tests.support.world import WEEK, fill_week, store_generated, week_checklist


def _plan(engine: Engine, start: date, end: date, publish: bool = True) -> int:
    with Session(engine) as session:
        plan_id = create_plan(session, ACTOR, PlanCreate(start=start, end=end, time_limit_s=5)).id
    run_plan(engine, plan_id)
    if publish:
        with Session(engine) as session:
            publish_plan(session, ACTOR, plan_id)
    return plan_id


def _unit_of_request(session: Session) -> dict[int, tuple[str, int]]:
    """Request id to (its checklist's unit, checklist id), read from the tables."""
    checklists = {c.id: c.unit_id for c in session.exec(select(ChecklistRow))}
    return {
        r.id: (checklists[r.checklist_id], r.checklist_id)
        for r in session.exec(select(RequestRow))
        if r.id is not None
    }


def _independent_counts(session: Session) -> dict[str, Counter[str]]:
    """Requests and rounds per unit, town and month, counted from the published rounds."""
    owner = _unit_of_request(session)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for round_, enterprise, requests in published_rounds(session):
        assert requests, "a published round without requests"
        led = [r for r in requests if owner[r][0] == round_.lead_unit_id]
        counted = min(led or requests)
        month = f"{round_.day:%Y-%m}"
        for request in requests:
            unit = owner[request][0]
            for split, key in (("unit", unit), ("town", enterprise.town), ("month", month)):
                counts[f"{split}:requests"][key] += 1
                counts[f"{split}:rounds"][key] += request == counted
    return counts


@pytest.fixture
def published_week(engine: Engine) -> tuple[Engine, tuple[date, date]]:
    with Session(engine) as session:
        problem = store_generated(session, "S", 1)
    horizon = (problem.horizon.start, problem.horizon.end)
    _plan(engine, *horizon)
    return engine, horizon


def test_every_split_adds_up_and_equals_an_independent_count(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, _ = published_week
    with Session(engine) as session:
        rounds = published_rounds(session)
        placed = [r for _, _, requests in rounds for r in requests]
        assert len(placed) == len(set(placed)) > 0
        total = visit_stats(session).total
        assert (total.requests, total.rounds) == (len(placed), len(rounds))
        assert total.visits_saved == len(placed) - len(rounds) > 0
        owner = _unit_of_request(session)
        assert total.checklists == len({owner[r][1] for r in placed})
        counts = _independent_counts(session)
        splits: tuple[GroupBy, ...] = ("unit", "town", "month")
        for split in splits:
            stats = visit_stats(session, group_by=split)
            assert stats.total == total
            assert sum(g.requests for g in stats.groups) == total.requests
            assert sum(g.rounds for g in stats.groups) == total.rounds
            assert sum(g.visits_saved for g in stats.groups) == total.visits_saved
            assert sum(g.checklists for g in stats.groups) == total.checklists
            assert {g.key: g.requests for g in stats.groups} == dict(counts[f"{split}:requests"])
            rounds_by_key = {k: v for k, v in counts[f"{split}:rounds"].items() if v}
            assert {g.key: g.rounds for g in stats.groups if g.rounds} == rounds_by_key


def test_rounds_behind_each_figure_give_the_figure(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, _ = published_week
    with Session(engine) as session:
        stats = visit_stats(session, group_by="unit", detail=True)
        for group in stats.groups:
            assert group.rounds_behind is not None
            assert sum(len(r.requests) for r in group.rounds_behind) == group.requests
            assert sum(r.counted for r in group.rounds_behind) == group.rounds
            one_unit = visit_stats(session, unit=group.key).total
            assert (one_unit.requests, one_unit.rounds) == (group.requests, group.rounds)
        assert visit_stats(session, group_by="unit").groups[0].rounds_behind is None


def test_filters_and_the_annual_report(published_week: tuple[Engine, tuple[date, date]]) -> None:
    engine, (start, end) = published_week
    with Session(engine) as session:
        rounds = published_rounds(session)
        town = rounds[0][1].town
        in_town = [r for r in rounds if r[1].town == town]
        by_town = visit_stats(session, town=town).total
        assert by_town.rounds == len(in_town)
        assert by_town.requests == sum(len(r[2]) for r in in_town)
        first_day = visit_stats(session, date_from=start, date_to=start).total
        assert first_day.rounds == sum(r[0].day == start for r in rounds)
        assert visit_stats(session, date_from=end + timedelta(days=1)).total.requests == 0
        report = annual_report(session, start.year, "清城区")
        assert report.rounds == len(rounds)
        assert report.joint_inspections == sum(len(set(r[0].units)) >= 2 for r in rounds)
        assert report.enterprises_covered == len({r[0].credit_code for r in rounds})
        assert report.visits_saved == sum(len(r[2]) for r in rounds) - len(rounds)
        assert f"实施涉企“综合查一次”{report.joint_inspections}次" in report.paragraph
        assert f"减少对企业的入户检查{report.visits_saved}次" in report.paragraph
        assert annual_report(session, start.year - 1, "清城区").rounds == 0
        with pytest.raises(InvalidInputError) as caught:
            visit_stats(session, date_from=end, date_to=start)
        assert caught.value.field == "to"


def test_republishing_part_of_a_week_counts_every_visit_once(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, (start, end) = published_week
    with Session(engine) as session:
        before = {(r.credit_code, r.day, tuple(q)) for r, _, q in published_rounds(session)}
    later = _plan(engine, start + timedelta(days=2), end + timedelta(days=2))
    with Session(engine) as session:
        rounds = published_rounds(session)
        placed = [r for _, _, requests in rounds for r in requests]
        assert len(placed) == len(set(placed))
        now = {(r.credit_code, r.day, tuple(q)) for r, _, q in rounds}
        assert before <= now  # nothing announced moved or vanished
        early = [r for r, _, _ in rounds if r.day < start + timedelta(days=2)]
        assert all(r.plan_id != later for r in early)
        assert {r.id for r in plan_rounds(session, later)} >= {
            r.id for r, _, _ in rounds if r.day >= start + timedelta(days=2)
        }
        total = visit_stats(session).total
        assert (total.requests, total.rounds) == (len(placed), len(rounds))


def test_a_plan_made_before_another_publication_cannot_be_published(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
    first = _plan(engine, *WEEK, publish=False)
    second = _plan(engine, *WEEK, publish=True)
    with Session(engine) as session, pytest.raises(ConflictError):
        publish_plan(session, ACTOR, first)
    assert second != first


def test_the_next_week_does_not_place_again_what_this_week_placed(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        submit_checklist(
            session,
            head_of("XFJY"),
            week_checklist(
                "XFJY", [FOOD_SHOP, FACTORY], earliest="2024-06-06", latest="2024-06-12"
            ),
        )
    first = _plan(engine, *WEEK)
    second = _plan(engine, WEEK[0] + timedelta(days=7), WEEK[1] + timedelta(days=7))
    with Session(engine) as session:
        rounds = published_rounds(session)
        placed = [r for _, _, requests in rounds for r in requests]
        assert len(placed) == len(set(placed))
        assert {r.plan_id for r, _, _ in rounds} <= {first, second}
        assert visit_stats(session).total.requests == len(placed)


def test_no_published_plan_gives_zeros(engine: Engine) -> None:
    with Session(engine) as session:
        stats = visit_stats(session, group_by="town")
        assert stats.groups == []
        assert (stats.total.requests, stats.total.rounds, stats.total.merged_share) == (0, 0, 0.0)


def _without_plan(stats: VisitStats) -> dict[str, object]:
    return stats.model_dump(exclude={"plan"})


def test_a_plan_s_figures_are_the_published_ones_once_it_is_all_that_is_published(
    engine: Engine,
) -> None:
    """One definition of every figure: a draft counted by plan equals what its publication
    then counts, whatever the split, with the rounds behind each figure."""
    with Session(engine) as session:
        problem = store_generated(session, "S", 2)
    horizon = (problem.horizon.start, problem.horizon.end)
    draft = _plan(engine, *horizon, publish=False)
    splits: tuple[GroupBy | None, ...] = (None, "unit", "town", "month")
    with Session(engine) as session:
        assert visit_stats(session).total.requests == 0  # nothing published yet
        as_draft = {
            split: visit_stats(session, group_by=split, detail=True, plan_id=draft)
            for split in splits
        }
        unit = as_draft["unit"].groups[0].key
        one_unit = visit_stats(session, unit=unit, plan_id=draft)
        publish_plan(session, ACTOR, draft)
        for split in splits:
            published = visit_stats(session, group_by=split, detail=True)
            assert _without_plan(as_draft[split]) == _without_plan(published)
        assert _without_plan(one_unit) == _without_plan(visit_stats(session, unit=unit))
        total = as_draft[None].total
        assert 0 < total.joint_rounds <= total.rounds


def test_a_draft_s_figures_are_the_coordinators_only(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
    draft = _plan(engine, *WEEK, publish=False)
    auditor = Actor(name="督察", role=Role.AUDITOR)
    with Session(engine) as session:
        assert visit_stats(session, plan_id=draft, actor=ACTOR).total.requests > 0
        with pytest.raises(NotFoundError):
            visit_stats(session, plan_id=draft, actor=auditor)
        publish_plan(session, ACTOR, draft)
        assert visit_stats(session, plan_id=draft, actor=auditor).total.requests > 0
        with pytest.raises(NotFoundError):
            visit_stats(session, plan_id=9999, actor=ACTOR)
