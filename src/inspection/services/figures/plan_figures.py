"""The figures of one plan's rounds, draft or published, counted exactly as the published ones.

A draft is not in the ledger, so its visits are attributed here by the ledger's own
function (:func:`inspection.services.ledger.visits_of_plan`) and summed in memory;
each checklist counts once, at its first visit in the plan.
"""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from inspection.db.tables import EnterpriseRow, LiveVisitRow, PlanRoundRow, PlanRow
from inspection.services.figures.grouping import (
    GroupBy,
    RoundBehind,
    VisitFilters,
    group_key,
)
from inspection.services.ledger import visits_of_plan

__all__ = ["plan_rounds_behind", "plan_sums"]


def plan_sums(
    session: Session, plan: PlanRow, filters: VisitFilters, group_by: GroupBy | None
) -> tuple[dict[str, list[int]], list[LiveVisitRow]]:
    """Group key to the sums of :data:`~inspection.services.figures.grouping.MEASURES` over
    the plan's visits that `filters` keeps, and those visits."""
    visits = visits_of_plan(session, plan)
    first_of: dict[int, int] = {}
    for visit in sorted(visits, key=lambda v: (v.day, v.request_id)):
        first_of.setdefault(visit.checklist_id, visit.request_id)
    kept = [v for v in visits if filters.keeps(v.day, v.unit_id, v.town)]
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for visit in kept:
        group = sums[group_key(group_by, visit.day, visit.unit_id, visit.town)]
        group[0] += 1
        group[1] += visit.counts_round
        group[2] += visit.merged
        group[3] += first_of[visit.checklist_id] == visit.request_id
        group[4] += visit.joint and visit.counts_round
    return sums, kept


def plan_rounds_behind(
    session: Session, visits: list[LiveVisitRow], group_by: GroupBy | None
) -> dict[str, list[RoundBehind]]:
    """The rounds behind each group's figures, from visits :func:`plan_sums` kept."""
    round_ids = sorted({v.round_id for v in visits})
    rounds = {
        r.id: r
        for r in session.exec(select(PlanRoundRow).where(col(PlanRoundRow.id).in_(round_ids)))
    }
    codes = sorted({v.credit_code for v in visits})
    names = dict(
        session.exec(
            select(EnterpriseRow.credit_code, EnterpriseRow.name).where(
                col(EnterpriseRow.credit_code).in_(codes)
            )
        ).all()
    )
    behind: dict[str, dict[int, RoundBehind]] = defaultdict(dict)
    for visit in sorted(visits, key=lambda v: (v.day, v.credit_code, v.request_id)):
        key = group_key(group_by, visit.day, visit.unit_id, visit.town)
        entry = behind[key].get(visit.round_id)
        if entry is None:
            round_ = rounds[visit.round_id]
            entry = behind[key][visit.round_id] = RoundBehind(
                round_id=visit.round_id,
                date=visit.day,
                enterprise=visit.credit_code,
                enterprise_name=names.get(visit.credit_code, visit.credit_code),
                town=visit.town,
                lead_unit=round_.lead_unit_id,
                units=round_.units,
                requests=[],
                counted=False,
            )
        entry.requests.append(visit.request_id)
        entry.counted = entry.counted or visit.counts_round
    return {key: list(entries.values()) for key, entries in behind.items()}
