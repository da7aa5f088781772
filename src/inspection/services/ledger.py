"""The ledger of live published visits, kept in step with publication.

What is announced on a day is the rounds of the plan published last whose
horizon covers that day. Publishing a plan therefore replaces the live visits
of its horizon's days with its own (the rounds it pinned come back unchanged)
and leaves every other day alone. The figures read the ledger, never the
plans, so a superseded plan can never be counted twice.

Attribution, chosen so that the figures of any split (by unit, town or month)
add up to the total:

- each round has one counted visit, the lead unit's first request; every
  other request in the round is a visit saved;
- each checklist is counted once, at its first live visit (day, then request).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspection.db.regions import enterprises_in, region_path
from inspection.db.tables import (
    ChecklistRow,
    EnterpriseRow,
    LiveVisitRow,
    PlanRoundRequestRow,
    PlanRoundRow,
    PlanRow,
    RequestRow,
    VisitRollupRow,
)

__all__ = [
    "live_request_ids",
    "live_round_ids",
    "record_publication",
    "visit_measures",
    "visits_of_plan",
]


def live_request_ids(session: Session, outside: tuple[date, date] | None = None) -> set[int]:
    """Requests placed in a live round; with `outside`, only those on days outside that range."""
    query = select(LiveVisitRow.request_id)
    if outside is not None:
        start, end = outside
        query = query.where((LiveVisitRow.day < start) | (LiveVisitRow.day > end))
    return set(session.exec(query))


def live_round_ids(
    session: Session, start: date, end: date, region_path: str | None = None
) -> set[int]:
    """Live rounds on the days of [start, end]; with `region_path`, only those at enterprises
    in that region or under it."""
    query = (
        select(LiveVisitRow.round_id)
        .where(LiveVisitRow.day >= start)
        .where(LiveVisitRow.day <= end)
        .distinct()
    )
    if region_path is not None:
        query = query.where(col(LiveVisitRow.credit_code).in_(enterprises_in(region_path)))
    return set(session.exec(query))


def visits_of_plan(session: Session, plan: PlanRow) -> list[LiveVisitRow]:
    """A plan's visits as the ledger would hold them, attributed (not stored, not added).

    The one definition of what each visit counts for: the round's counted visit is its
    lead unit's first request; every other request in it is a visit saved.
    """
    assert plan.id is not None
    query = (
        select(PlanRoundRow, PlanRoundRequestRow.request_id, ChecklistRow, EnterpriseRow.town)
        .join(PlanRoundRequestRow, col(PlanRoundRequestRow.round_id) == col(PlanRoundRow.id))
        .join(RequestRow, col(RequestRow.id) == col(PlanRoundRequestRow.request_id))
        .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(PlanRoundRow.credit_code))
        .where(PlanRoundRow.plan_id == plan.id)
        .order_by(col(PlanRoundRow.id), col(PlanRoundRequestRow.request_id))
    )
    by_round: dict[int, list[tuple[PlanRoundRow, int, ChecklistRow, str]]] = defaultdict(list)
    for round_, request_id, checklist, town in session.exec(query):
        assert round_.id is not None
        by_round[round_.id].append((round_, request_id, checklist, town))
    visits: list[LiveVisitRow] = []
    for members in by_round.values():
        round_ = members[0][0]
        led = [m for m in members if m[2].unit_id == round_.lead_unit_id]
        counted = (led or members)[0][1]
        joint = len({m[2].unit_id for m in members}) >= 2
        for _, request_id, checklist, town in members:
            assert round_.id is not None
            assert checklist.id is not None
            visits.append(
                LiveVisitRow(
                    request_id=request_id,
                    round_id=round_.id,
                    plan_id=plan.id,
                    day=round_.day,
                    unit_id=checklist.unit_id,
                    town=town,
                    credit_code=round_.credit_code,
                    checklist_id=checklist.id,
                    category=checklist.inspection_type,
                    counts_round=request_id == counted,
                    merged=len(members) >= 2,
                    joint=joint,
                )
            )
    return visits


def _mark_first_visits(session: Session, checklist_ids: set[int]) -> set[date]:
    """Recompute which visit counts each of these checklists; the days whose counts changed."""
    if not checklist_ids:
        return set()
    visits = list(
        session.exec(
            select(LiveVisitRow)
            .where(col(LiveVisitRow.checklist_id).in_(checklist_ids))
            .order_by(
                col(LiveVisitRow.checklist_id), col(LiveVisitRow.day), col(LiveVisitRow.request_id)
            )
        )
    )
    changed: set[date] = set()
    seen: set[int] = set()
    for visit in visits:
        first = visit.checklist_id not in seen
        seen.add(visit.checklist_id)
        if visit.first_of_checklist != first:
            visit.first_of_checklist = first
            session.add(visit)
            changed.add(visit.day)
    return changed


def _count_if(condition: Any) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def visit_measures() -> tuple[ColumnElement[int], ...]:
    """The sums over live visits that `visit_rollup` holds per day, unit and town, in the
    order of the figures' MEASURES (requests, rounds, merged, checklists, joint rounds).

    The rollup is built from these, and the figures of a region (whose visits the rollup's
    key cannot pick out) sum the ledger with them: one definition of each sum.
    """
    return (
        func.count(),
        _count_if(col(LiveVisitRow.counts_round)),
        _count_if(col(LiveVisitRow.merged)),
        _count_if(col(LiveVisitRow.first_of_checklist)),
        # a joint round is counted once, at its counted visit
        _count_if(col(LiveVisitRow.joint) & col(LiveVisitRow.counts_round)),
    )


def _rebuild_rollup(session: Session, days: Iterable[date]) -> None:
    wanted = sorted(set(days))
    if not wanted:
        return
    session.flush()
    for chunk_start in range(0, len(wanted), 500):
        chunk = wanted[chunk_start : chunk_start + 500]
        session.execute(delete(VisitRollupRow).where(col(VisitRollupRow.day).in_(chunk)))
        sums = session.execute(
            sa_select(
                col(LiveVisitRow.day),
                col(LiveVisitRow.unit_id),
                col(LiveVisitRow.town),
                *visit_measures(),
            )
            .where(col(LiveVisitRow.day).in_(chunk))
            .group_by(col(LiveVisitRow.day), col(LiveVisitRow.unit_id), col(LiveVisitRow.town))
        )
        for day, unit_id, town, requests, rounds, merged, checklists, joint in sums:
            session.add(
                VisitRollupRow(
                    day=day,
                    unit_id=unit_id,
                    town=town,
                    requests=requests,
                    rounds=rounds,
                    merged=merged,
                    joint_rounds=joint,
                    checklists=checklists,
                )
            )
    session.flush()


def record_publication(session: Session, plan: PlanRow) -> None:
    """Make a plan's rounds the live ones for its horizon's days at the enterprises of its
    region (and those under it), in the caller's transaction; other regions' stay."""
    start, end = plan.horizon_start, plan.horizon_end
    in_horizon = (
        (col(LiveVisitRow.day) >= start)
        & (col(LiveVisitRow.day) <= end)
        & col(LiveVisitRow.credit_code).in_(enterprises_in(region_path(session, plan.region_id)))
    )
    touched = set(session.exec(select(LiveVisitRow.checklist_id).where(in_horizon)))
    session.execute(delete(LiveVisitRow).where(in_horizon))
    visits = visits_of_plan(session, plan)
    session.add_all(visits)
    session.flush()
    touched |= {v.checklist_id for v in visits}
    days = {v.day for v in visits} | _mark_first_visits(session, touched)
    days |= set(
        session.exec(
            select(col(VisitRollupRow.day))
            .where(col(VisitRollupRow.day) >= start)
            .where(col(VisitRollupRow.day) <= end)
            .distinct()
        )
    )
    _rebuild_rollup(session, days)
