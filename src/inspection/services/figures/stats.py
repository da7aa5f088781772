"""Visits saved, by unit, town or month: over the live published rounds, or one plan's.

The published figures are sums over the daily rollup of the ledger (see
:mod:`inspection.services.ledger` for how visits, rounds and checklists are
attributed) and over the daily rollup of the outcomes
(:mod:`~inspection.services.figures.outcome_rollup`), so any split adds up to the
total and a query stays fast with millions of historical rounds and their outcomes;
`detail=rounds` lists, for each figure, the rounds behind it, read from the ledger
itself. A plan's figures (a draft's, say) are attributed by the same function and summed by
:mod:`~inspection.services.figures.plan_figures`: one definition of each figure.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspection.db.regions import enterprises_in, narrowing_path, region_in
from inspection.db.tables import (
    EnterpriseRow,
    LiveVisitRow,
    PlanRoundRow,
    PlanRow,
    VisitRollupRow,
)
from inspection.errors import InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role, figures_region
from inspection.services.figures.carried_out import RoundOutcome, outcome_rounds
from inspection.services.figures.grouping import (
    MEASURES,
    OUTCOME_MEASURES,
    Basis,
    GroupBy,
    RoundBehind,
    VisitFilters,
    figures_of,
    group_key,
)
from inspection.services.figures.outcome_rollup import rolled_up_outcome_sums
from inspection.services.figures.plan_figures import plan_rounds_behind, plan_sums
from inspection.services.ledger import visit_measures
from inspection.services.reference.service import unit_names

__all__ = [
    "MAX_DETAIL_VISITS",
    "Basis",
    "GroupBy",
    "RoundBehind",
    "VisitFigures",
    "VisitGroup",
    "VisitStats",
    "visit_stats",
]

MAX_DETAIL_VISITS = 20_000


class VisitFigures(BaseModel):
    """What the merging achieved over a set of visits (names: `figures/names.py`).

    `requests`, `rounds`, `merged_share`, `joint_rounds`, `checklists` and
    `announced_visits_saved` count what is announced (the live published rounds);
    the `*carried_out*` figures and the detection rate count what the outcomes say was
    carried out (:mod:`~inspection.services.figures.carried_out`); `visits_saved`, the
    headline, counts each round by what is known of it, and `basis` says which.
    """

    checklists: int = Field(description="checklists counted once, at their first published visit")
    requests: int = Field(description="requested visits placed in published rounds")
    rounds: int = Field(description="published rounds (for a unit: the rounds it leads)")
    visits_saved: int = Field(
        description="the headline: carried-out rounds count requests carried out - 1, rounds "
        "not carried out 0, other rounds requests - 1 (= requests - rounds without outcomes)"
    )
    basis: Basis = Field(
        description="what visits_saved counts: announced (no outcome in the figures), "
        "carried_out (every round in them has a final outcome) or mixed"
    )
    announced_visits_saved: int = Field(description="requests - rounds, as announced")
    merged_share: float = Field(description="share of requests that share their round, 0–1")
    joint_rounds: int = Field(
        description="rounds with two units or more (for a unit: those it leads)"
    )
    rounds_carried_out: int = Field(
        description="rounds the lead unit confirmed, with a unit that carried out its part"
    )
    requests_carried_out: int = Field(
        description="requests of those rounds whose unit carried out its part"
    )
    carried_out_visits_saved: int = Field(description="requests_carried_out - rounds_carried_out")
    rounds_awaiting_confirmation: int = Field(
        description="rounds with outcomes that are not yet carried out or not carried out"
    )
    rounds_not_carried_out: int = Field(
        description="rounds whose units all recorded not carried out or postponed"
    )
    rounds_without_outcome: int = Field(description="published rounds no unit recorded yet")
    unit_parts_carried_out: int = Field(
        description="units' inspections carried out in carried-out rounds, once per code and unit"
    )
    unit_parts_with_problems: int = Field(description="those that found a problem")
    problem_rate: float | None = Field(
        description="unit_parts_with_problems / unit_parts_carried_out, 0–1; null without any"
    )
    cases_opened: int = Field(description="cases opened on those unit parts")


class VisitGroup(VisitFigures):
    """The figures of one unit, town or month (or of everything: key `total`)."""

    key: str
    label: str
    rounds_behind: list[RoundBehind] | None = None


class VisitStats(BaseModel):
    """Figures over a period, split as asked, with their total."""

    date_from: date | None
    date_to: date | None
    unit: str | None
    town: str | None
    plan: int | None = Field(
        default=None, description="the plan counted, when not the published rounds"
    )
    group_by: GroupBy | None
    total: VisitFigures
    groups: list[VisitGroup]


def _filtered(query: Any, table: Any, filters: VisitFilters) -> Any:
    if filters.date_from is not None:
        query = query.where(table.day >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(table.day <= filters.date_to)
    if filters.unit is not None:
        query = query.where(table.unit_id == filters.unit)
    if filters.town is not None:
        query = query.where(table.town == filters.town)
    if filters.region_path is not None:  # the ledger only: the rollup has no enterprise
        query = query.where(col(table.credit_code).in_(enterprises_in(filters.region_path)))
    return query


def _sums(
    session: Session, filters: VisitFilters, group_by: GroupBy | None
) -> dict[str, list[int]]:
    """Group key to the sums of :data:`MEASURES` over the live published visits.

    Read from the daily rollup; a region's from the ledger itself, summed by the rollup's
    own expressions (the rollup's key has no enterprise, whose region decides).
    """
    table: Any = VisitRollupRow if filters.region_path is None else LiveVisitRow
    column = {
        "unit": col(table.unit_id),
        "town": col(table.town),
        "month": col(table.day),  # summed per day here, per month below
        None: None,
    }[group_by]
    measures: tuple[Any, ...] = (
        tuple(func.coalesce(func.sum(getattr(VisitRollupRow, m)), 0) for m in MEASURES)
        if filters.region_path is None
        else tuple(func.coalesce(m, 0) for m in visit_measures())
    )
    query = sa_select(*measures) if column is None else sa_select(column, *measures)
    query = _filtered(query, table, filters)
    if column is not None:
        query = query.group_by(column)
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    for row in session.execute(query):
        values = list(row)
        key = "total" if column is None else values.pop(0)
        if group_by == "month":
            key = f"{key:%Y-%m}"
        for index, value in enumerate(values):
            sums[key][index] += int(value)
    return sums


def _labels(session: Session, group_by: GroupBy | None, keys: list[str]) -> dict[str, str]:
    if group_by == "unit":
        names = unit_names(session, keys)
        return {k: names.get(k, k) for k in keys}
    if group_by == "month":
        return {k: f"{int(k[:4])}年{int(k[5:])}月" for k in keys}
    if group_by is None:
        return dict.fromkeys(keys, "合计")
    return {k: k for k in keys}


def _rounds_behind(
    session: Session, filters: VisitFilters, group_by: GroupBy | None
) -> dict[str, list[RoundBehind]]:
    count_query = _filtered(
        sa_select(func.count()).select_from(LiveVisitRow), LiveVisitRow, filters
    )
    _check_detail_size(session.execute(count_query).scalar_one())
    query = _filtered(
        select(LiveVisitRow, PlanRoundRow, EnterpriseRow.name)
        .join(PlanRoundRow, col(PlanRoundRow.id) == col(LiveVisitRow.round_id))
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(LiveVisitRow.credit_code)),
        LiveVisitRow,
        filters,
    ).order_by(col(LiveVisitRow.day), col(LiveVisitRow.credit_code), col(LiveVisitRow.request_id))
    behind: dict[str, dict[int, RoundBehind]] = defaultdict(dict)
    unit_of: dict[int, str] = {}
    for visit, round_, name in session.exec(query):
        unit_of[visit.request_id] = visit.unit_id
        key = group_key(group_by, visit.day, visit.unit_id, visit.town)
        entry = behind[key].get(visit.round_id)
        if entry is None:
            entry = behind[key][visit.round_id] = RoundBehind(
                round_id=visit.round_id,
                date=visit.day,
                enterprise=visit.credit_code,
                enterprise_name=name,
                town=visit.town,
                lead_unit=round_.lead_unit_id,
                units=round_.units,
                requests=[],
                counted=False,
            )
        entry.requests.append(visit.request_id)
        entry.counted = entry.counted or visit.counts_round
    outcomes = outcome_rounds(session, filters)
    for rounds in behind.values():
        for entry in rounds.values():
            _add_outcome(entry, outcomes.get(entry.round_id), unit_of)
    return {key: list(rounds.values()) for key, rounds in behind.items()}


def _add_outcome(entry: RoundBehind, outcome: RoundOutcome | None, unit_of: dict[int, str]) -> None:
    """What the carried-out figures count of this round, among the requests `entry` lists."""
    if outcome is None:
        return
    entry.state = outcome.state
    units = sorted({unit_of[r] for r in entry.requests}, key=lambda u: u)
    entry.requests_carried_out = [r for r in entry.requests if outcome.unit_carried_out(unit_of[r])]
    entry.counted_carried_out = outcome.counted_carried_out_unit in units
    entry.unit_parts_carried_out = [u for u in units if outcome.unit_carried_out(u)]
    entry.unit_parts_with_problems = [u for u in units if u in outcome.units_with_problems]


def _check_detail_size(visits: int) -> None:
    if visits > MAX_DETAIL_VISITS:
        raise InvalidInputError(
            f"所选范围有 {visits} 项检查，逐轮明细最多列出 {MAX_DETAIL_VISITS} 项；请缩小日期范围",
            "detail",
        )


def _plan_to_count(session: Session, actor: Actor | None, plan_id: int) -> PlanRow:
    """The plan whose rounds are counted; a draft is the coordinators' only (else 404)."""
    plan = session.get(PlanRow, plan_id)
    published = plan is not None and plan.published_at is not None
    if (
        plan is None
        or not (published or actor is None or actor.role == Role.COORDINATOR)
        or not region_in(session, plan.region_id, actor.region_path if actor else None)
    ):
        raise NotFoundError(f"排期 {plan_id} 不存在", "plan")
    return plan


def visit_stats(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    town: str | None = None,
    group_by: GroupBy | None = None,
    detail: bool = False,
    plan_id: int | None = None,
    actor: Actor | None = None,
) -> VisitStats:
    """Checklists, requests, rounds and visits saved over live published rounds (or a plan's).

    Args:
        session: The caller's session.
        date_from: First day counted (rounds' dates).
        date_to: Last day counted.
        unit: Count only this unit's requests (its attributed share).
        town: Count only rounds at enterprises of this town.
        group_by: Split by unit, town or month; without it one group `total`.
        detail: List the rounds behind each group's figures.
        plan_id: Count this plan's rounds (a draft too) instead of the published ones.
        actor: Who asks (a draft's figures are the coordinators'; a key of a region counts
            the visits at its region's enterprises and those under it, and its plans only).

    Raises:
        InvalidInputError: a reversed range, or a detail listing too long to send.
        NotFoundError: no such plan, a draft asked for by someone who may not see it, or a
            plan of a region outside the actor's.
    """
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInputError(f"开始日期 {date_from} 晚于结束日期 {date_to}", "to")
    scope = narrowing_path(session, figures_region(actor))
    filters = VisitFilters(date_from, date_to, unit, town, scope)
    behind: dict[str, list[RoundBehind]] = {}
    outcomes: dict[str, list[int]] = {}  # a plan's rounds are counted as announced
    if plan_id is None:
        sums = _sums(session, filters, group_by)
        outcomes = rolled_up_outcome_sums(session, filters, group_by)
        if detail:
            behind = _rounds_behind(session, filters, group_by)
    else:
        sums, visits = plan_sums(
            session, _plan_to_count(session, actor, plan_id), filters, group_by
        )
        if detail:
            _check_detail_size(len(visits))
            behind = plan_rounds_behind(session, visits, group_by)
    keys = sorted(k for k, v in sums.items() if v[0] > 0)
    labels = _labels(session, group_by, keys)
    groups = [
        VisitGroup(
            key=key,
            label=labels[key],
            rounds_behind=behind.get(key, []) if detail else None,
            **figures_of(sums[key], outcomes.get(key)),
        )
        for key in keys
    ]
    totals = [sum(sums[k][i] for k in keys) for i in range(len(MEASURES))]
    outcome_totals = [sum(v[i] for v in outcomes.values()) for i in range(len(OUTCOME_MEASURES))]
    return VisitStats(
        date_from=date_from,
        date_to=date_to,
        unit=unit,
        town=town,
        plan=plan_id,
        group_by=group_by,
        total=VisitFigures(**figures_of(totals, outcome_totals)),
        groups=groups,
    )
