"""Figures on the carried-out basis: outcomes change them, by one rule, counted exactly.

Outcome and confirmation rows are written straight into the tables
(:mod:`tests.support.outcome_rows`); each figure is checked against a count made by
hand from those rows and the published rounds.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspection.db.tables import VisitOutcomeRow
from inspection.services.figures.carried_out import RoundState, outcome_rounds
from inspection.services.figures.grouping import VisitFilters
from inspection.services.figures.reports import annual_report
from inspection.services.figures.stats import GroupBy, VisitFigures, visit_stats
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.reference.outcomes import OutcomeStatus
from tests.support.data import ACTOR
from tests.support.outcome_rows import MOMENT, LiveRound, confirm, live_rounds, record_outcome
from tests.support.world import store_generated

CARRIED, NOT_CARRIED, POSTPONED = (
    OutcomeStatus.CARRIED_OUT,
    OutcomeStatus.NOT_CARRIED_OUT,
    OutcomeStatus.POSTPONED,
)
SPLITS: tuple[GroupBy, ...] = ("unit", "town", "month")


def _plan(engine: Engine, start: date, end: date) -> int:
    with Session(engine) as session:
        plan_id = create_plan(session, ACTOR, PlanCreate(start=start, end=end, time_limit_s=5)).id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
    return plan_id


@pytest.fixture
def published_week(engine: Engine) -> tuple[Engine, tuple[date, date]]:
    with Session(engine) as session:
        problem = store_generated(session, "S", 1)
    horizon = (problem.horizon.start, problem.horizon.end)
    _plan(engine, *horizon)
    return engine, horizon


def _joint(rounds: list[LiveRound]) -> LiveRound:
    return next(r for r in rounds if len(r.units) >= 2)


def test_the_state_of_a_round(published_week: tuple[Engine, tuple[date, date]]) -> None:
    engine, _ = published_week
    with Session(engine) as session:
        joint = _joint(live_rounds(session))
        first, second, *_ = sorted(joint.units)

        def state() -> RoundState | None:
            found = outcome_rounds(session, VisitFilters()).get(joint.round_id)
            return None if found is None else found.state

        assert state() is None  # no outcome: announced, not listed
        record_outcome(session, joint, first, NOT_CARRIED)
        confirm(session, joint)
        assert state() == RoundState.AWAITING_CONFIRMATION  # confirmed, nobody carried out
        record_outcome(session, joint, first, CARRIED)
        assert state() == RoundState.CARRIED_OUT
        for unit in joint.units:
            record_outcome(session, joint, unit, POSTPONED)
        assert state() == RoundState.NOT_CARRIED_OUT
        record_outcome(session, joint, second, CARRIED)
        assert state() == RoundState.CARRIED_OUT


def test_without_outcomes_the_figures_are_the_announced_ones(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, _ = published_week
    with Session(engine) as session:
        total = visit_stats(session).total
        assert total.basis == "announced"
        assert total.visits_saved == total.announced_visits_saved == total.requests - total.rounds
        assert total.rounds_without_outcome == total.rounds
        assert (total.rounds_carried_out, total.requests_carried_out) == (0, 0)
        assert (total.unit_parts_carried_out, total.problem_rate, total.cases_opened) == (
            0,
            None,
            0,
        )


def test_outcomes_change_the_figures_and_a_unit_not_carrying_out_does_not_count(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, _ = published_week
    with Session(engine) as session:
        before = visit_stats(session).total
        joint = _joint(live_rounds(session))
        first, *others = sorted(joint.units)
        record_outcome(session, joint, first, CARRIED, problems_found=True, case_opened=True)
        for unit in others:
            record_outcome(session, joint, unit, NOT_CARRIED)
        waiting = visit_stats(session).total
        assert waiting.rounds_awaiting_confirmation == 1
        assert waiting.rounds_without_outcome == before.rounds - 1
        assert waiting.visits_saved == before.visits_saved  # nothing final yet: as announced
        assert waiting.basis == "mixed"
        assert waiting.problem_rate is None  # not carried out until the lead unit confirms
        confirm(session, joint)
        after = visit_stats(session).total
        carried_requests = sum(u == first for u in joint.requests.values())
        assert (after.rounds_carried_out, after.requests_carried_out) == (1, carried_requests)
        assert after.carried_out_visits_saved == carried_requests - 1
        assert after.visits_saved == (
            before.visits_saved - (len(joint.requests) - 1) + (carried_requests - 1)
        )
        assert after.announced_visits_saved == before.announced_visits_saved
        assert (after.requests, after.rounds) == (before.requests, before.rounds)
        assert (after.unit_parts_carried_out, after.unit_parts_with_problems) == (1, 1)
        assert (after.problem_rate, after.cases_opened) == (1.0, 1)
        for unit in others:  # the units that did not carry out count nothing carried out
            theirs = visit_stats(session, unit=unit).total
            assert (theirs.requests_carried_out, theirs.unit_parts_carried_out) == (0, 0)
        for unit in others:
            record_outcome(session, joint, unit, POSTPONED)
        record_outcome(session, joint, first, NOT_CARRIED)
        off = visit_stats(session).total
        assert (off.rounds_not_carried_out, off.rounds_carried_out) == (1, 0)
        assert off.visits_saved == before.visits_saved - (len(joint.requests) - 1)


def test_the_annual_paragraph_says_what_was_carried_out(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, (start, _) = published_week
    with Session(engine) as session:
        plain = annual_report(session, start.year, "清城区")
        assert "发现问题率" not in plain.paragraph
        assert plain.basis == "announced"
        rounds = [r for r in live_rounds(session) if len(r.units) >= 2][:2]
        for index, round_ in enumerate(rounds):
            for unit in sorted(round_.units):
                record_outcome(session, round_, unit, CARRIED, problems_found=index == 0)
            confirm(session, round_)
        report = annual_report(session, start.year, "清城区")
        parts = sum(len(r.units) for r in rounds)
        assert report.rounds_carried_out == 2
        assert report.unit_parts_carried_out == parts
        rate = len(rounds[0].units) / parts
        assert report.problem_rate == round(rate, 4)
        assert (
            report.visits_saved == visit_stats(session, date(start.year, 1, 1)).total.visits_saved
        )
        assert (
            f"减少对企业的入户检查{report.visits_saved}次（已实施的按已实施，其余按已公布），"
            in report.paragraph
        )
        assert report.paragraph.endswith(
            f"经牵头单位确认，实际实施联合检查2轮，各单位实施检查{parts}次，"
            f"发现问题率{rate * 100:.1f}%（按已实施统计）。"
        )


def test_a_replan_keeping_the_code_keeps_its_outcomes_counted_once(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, (start, end) = published_week
    later_days = start + timedelta(days=2)
    with Session(engine) as session:
        kept = [r for r in live_rounds(session) if r.day >= later_days][:3]
        assert kept
        for round_ in kept:
            for unit in sorted(round_.units):
                record_outcome(session, round_, unit, CARRIED, problems_found=True)
            confirm(session, round_)
        session.commit()
        before = visit_stats(session, group_by="unit", detail=True)
    _plan(engine, later_days, end + timedelta(days=2))  # re-plan: announced rounds come back
    with Session(engine) as session:
        after_rounds = {r.code: r for r in live_rounds(session)}
        assert all(after_rounds[r.code].round_id != r.round_id for r in kept)  # new rows
        after = visit_stats(session, group_by="unit", detail=True)
        carried = ("rounds_carried_out", "requests_carried_out", "unit_parts_carried_out")
        for figure in carried:
            assert getattr(after.total, figure) == getattr(before.total, figure) > 0
        assert after.total.unit_parts_carried_out == sum(len(r.units) for r in kept)
        behind = [r for g in after.groups for r in g.rounds_behind or [] if r.counted_carried_out]
        assert sorted(r.round_id for r in behind) == sorted(
            after_rounds[r.code].round_id for r in kept
        )


def test_an_outcome_cannot_be_recorded_twice_for_one_unit_of_a_visit(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    """A duplicate (a second import of the same outcomes, say) overwrites or is refused."""
    engine, _ = published_week
    with Session(engine) as session:
        joint = _joint(live_rounds(session))
        unit = joint.lead_unit
        for _ in range(2):  # recorded again: overwritten, not added
            record_outcome(session, joint, unit, CARRIED, problems_found=True)
        confirm(session, joint)
        confirm(session, joint)
        once = visit_stats(session).total
        assert (once.rounds_carried_out, once.unit_parts_carried_out) == (1, 1)
        session.commit()
    with Session(engine) as session:
        session.add(
            VisitOutcomeRow(
                code=joint.code, unit_id=unit, day=joint.day, status=CARRIED,
                problems_found=True, recorded_by="重复导入", recorded_at=MOMENT,
            )
        )  # fmt: skip
        with pytest.raises(IntegrityError):
            session.flush()


def _by_hand(
    rounds: list[LiveRound],
    outcomes: dict[tuple[str, str], tuple[str, bool]],
    confirmed: set[str],
) -> dict[str, Counter[str]]:
    """Each figure per unit, town and month (and `total`), counted from the rows."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for round_ in rounds:
        recorded = {
            u: outcomes[(round_.code, u)] for u in round_.units if (round_.code, u) in outcomes
        }
        carried_units = {u for u, (status, _) in recorded.items() if status == CARRIED}
        if not recorded:
            state = "announced"
        elif carried_units and round_.code in confirmed:
            state = "carried"
        elif not carried_units and set(recorded) == round_.units:
            state = "off"
        else:
            state = "waiting"
        month = f"{round_.day:%Y-%m}"
        carried_requests = [
            r for r, u in round_.requests.items() if state == "carried" and u in carried_units
        ]
        saved = {"carried": len(carried_requests) - 1, "off": 0}.get(
            state, len(round_.requests) - 1
        )
        counts["total"]["visits_saved"] += saved
        counts["total"]["rounds_carried_out"] += state == "carried"
        counts["total"]["rounds_not_carried_out"] += state == "off"
        counts["total"]["rounds_awaiting_confirmation"] += state == "waiting"
        for request in carried_requests:
            unit = round_.requests[request]
            for key in (f"unit:{unit}", f"town:{round_.town}", f"month:{month}"):
                counts[key]["requests_carried_out"] += 1
        for unit in carried_units if state == "carried" else set():
            problem = recorded[unit][1]
            for key in (f"unit:{unit}", f"town:{round_.town}", f"month:{month}", "total"):
                counts[key]["parts"] += 1
                counts[key]["problems"] += problem
    return counts


def _rate(counter: Counter[str]) -> float | None:
    return round(counter["problems"] / counter["parts"], 4) if counter["parts"] else None


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_every_split_equals_a_count_by_hand(
    published_week: tuple[Engine, tuple[date, date]], seed: int
) -> None:
    engine, _ = published_week
    rng = random.Random(seed)
    with Session(engine) as session:
        rounds = live_rounds(session)
        outcomes: dict[tuple[str, str], tuple[str, bool]] = {}
        confirmed: set[str] = set()
        for round_ in rng.sample(rounds, k=rng.randint(1, len(rounds))):
            for unit in sorted(round_.units):
                if rng.random() < 0.8:
                    status = rng.choice([CARRIED, CARRIED, CARRIED, NOT_CARRIED, POSTPONED])
                    problem = status == CARRIED and rng.random() < 0.4
                    record_outcome(session, round_, unit, status, problems_found=problem)
                    outcomes[(round_.code, unit)] = (status, problem)
            if rng.random() < 0.7:
                confirm(session, round_)
                confirmed.add(round_.code)
        counts = _by_hand(rounds, outcomes, confirmed)
        total = visit_stats(session).total
        for figure in (
            "visits_saved",
            "rounds_carried_out",
            "rounds_not_carried_out",
            "rounds_awaiting_confirmation",
        ):
            assert getattr(total, figure) == counts["total"][figure], figure
        assert total.problem_rate == _rate(counts["total"])
        assert total.unit_parts_carried_out == counts["total"]["parts"]
        for split in SPLITS:
            stats = visit_stats(session, group_by=split)
            assert stats.total == total
            for group in stats.groups:
                by_hand = counts[f"{split}:{group.key}"]
                assert group.problem_rate == _rate(by_hand), (split, group.key)
                assert group.unit_parts_carried_out == by_hand["parts"]
                assert group.unit_parts_with_problems == by_hand["problems"]
                assert group.requests_carried_out == by_hand["requests_carried_out"]
            _adds_up(stats.groups, total)
        session.rollback()


def _adds_up(groups: Sequence[VisitFigures], total: VisitFigures) -> None:
    for figure in (
        "visits_saved",
        "rounds_carried_out",
        "requests_carried_out",
        "rounds_awaiting_confirmation",
        "rounds_not_carried_out",
        "rounds_without_outcome",
        "unit_parts_carried_out",
        "unit_parts_with_problems",
        "cases_opened",
    ):
        assert sum(getattr(g, figure) for g in groups) == getattr(total, figure), figure


def test_the_rounds_behind_each_carried_out_figure_give_the_figure(
    published_week: tuple[Engine, tuple[date, date]],
) -> None:
    engine, _ = published_week
    with Session(engine) as session:
        rounds = live_rounds(session)
        for index, round_ in enumerate(rounds[::3]):
            for unit in sorted(round_.units)[: 1 + index % 2]:
                record_outcome(session, round_, unit, CARRIED, problems_found=index % 3 == 0)
            confirm(session, round_)
        for split in SPLITS:
            for group in visit_stats(session, group_by=split, detail=True).groups:
                behind = group.rounds_behind or []
                assert sum(r.counted_carried_out for r in behind) == group.rounds_carried_out
                assert sum(len(r.requests_carried_out) for r in behind) == (
                    group.requests_carried_out
                )
                assert sum(len(r.unit_parts_carried_out) for r in behind) == (
                    group.unit_parts_carried_out
                )
                assert sum(len(r.unit_parts_with_problems) for r in behind) == (
                    group.unit_parts_with_problems
                )
                assert all(r.state == "carried_out" for r in behind if r.counted_carried_out)
