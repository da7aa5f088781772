"""The one translation between the tables and the interchange format of the planning core.

Tables to a problem (:func:`problem_for_horizon`), announced rounds to the
rounds a plan must keep (:func:`pinned_rounds`; the worker lets late requests
join them), and a solution back to rows (:func:`store_solution`, which counts
the revisions of the announced rounds that requests joined). Nothing else in
the service speaks both languages.

Units' capacities per weekday and days off become `daily_capacity` (the
largest weekday capacity) plus the `capacity_by_date` extension for the days
that differ. Request ids are the requests' row ids as text, enterprises are
keyed by credit code, and a complaint-driven checklist gives non-joinable
requests.

The rules of lawful inspection make the problem one of format 1.1 as soon as
one of them restricts it (a cap at one of its enterprises, a quiet day in its
horizon, an enterprise on the no-disturb list, an officer of one of its units):
then every request carries its checklist's kind as its category, and the rules
come from :func:`inspection.services.rules.problem.problem_rules`. Otherwise it
stays a version 1 problem, as before the rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import and_, insert, or_
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from inspection.db.batches import chunks
from inspection.db.regions import in_region
from inspection.db.tables import (
    ChecklistItemRow,
    ChecklistRow,
    EnterpriseBlackoutRow,
    EnterpriseRow,
    PlanRoundOfficerRow,
    PlanRoundRequestRow,
    PlanRoundRow,
    PlanUnscheduledRow,
    RequestRow,
    UnitDayOffRow,
    UnitRow,
)
from inspection.services.checklists.models import (
    CASE_DRIVEN_TYPES,
    ChecklistStatus,
    InspectionType,
)
from inspection.services.officers.drawn import pinned_officers, problem_officers
from inspection.services.rounds.store import round_requests
from inspection.services.rules.problem import problem_rules
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Problem,
    Request,
    Round,
    Solution,
    Unit,
)
from inspection.solver.schema_rules import Officer, Rules

__all__ = ["pinned_rounds", "problem_for_horizon", "store_solution"]

_MAX_REASON_CHARS = 500  # the column's width
_K = TypeVar("_K", int, str)

# a pinned round's request ids, its revision and the plan its content comes from
_Revision = tuple[frozenset[str], int, int]


def _chunks(values: Collection[_K]) -> Iterator[Sequence[_K]]:
    """The values sorted, a batch at a time (ordered reads stay ordered when their batches
    are read one after the other): a province's quarter names ≈230,000 checklists and
    ≈120,000 enterprises, beyond what one IN (...) list may hold (:mod:`inspection.db.batches`)."""
    yield from chunks(sorted(set(values)))


def _unit(row: UnitRow, days_off: set[date], horizon: list[date]) -> Unit:
    daily = max(1, *row.weekday_capacity)
    overrides = {}
    for day in horizon:
        capacity = 0 if day in days_off else row.weekday_capacity[day.weekday()]
        if capacity != daily:
            overrides[day] = capacity
    return Unit(id=row.id, name=row.name, daily_capacity=daily, capacity_by_date=overrides or None)


def problem_for_horizon(
    session: Session,
    start: date,
    end: date,
    name: str = "",
    exclude_requests: frozenset[int] = frozenset(),
    region_path: str | None = None,
) -> Problem:
    """The problem of every approved checklist whose window meets [start, end], and of
    every case-driven one still waiting for approval (see
    :mod:`inspection.services.checklists.approval`); drafts of other kinds wait.

    Only the units and enterprises those requests name are included; requests in
    `exclude_requests` (already placed by a published plan outside the horizon) are not;
    with `region_path`, only requests of enterprises in that region or under it are.
    """
    horizon = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    # column tuples, not ORM rows, and each repeated text kept once: a province's quarter
    # (≈230,000 checklists, ≈300,000 requests, ≈120,000 enterprises) read as entities took
    # ≈0.5 GB more at its peak than the problem it makes
    same: dict[str, str] = {}
    checklists = {
        row.id: row
        for row in session.execute(
            columns(
                col(ChecklistRow.id),
                col(ChecklistRow.unit_id),
                col(ChecklistRow.earliest),
                col(ChecklistRow.latest),
                col(ChecklistRow.inspection_type),
                col(ChecklistRow.priority),
            )
            .where(
                or_(
                    col(ChecklistRow.status) == ChecklistStatus.APPROVED,
                    # case-driven checks cannot wait for the head: planned as drafts too
                    and_(
                        col(ChecklistRow.status) == ChecklistStatus.DRAFT,
                        col(ChecklistRow.inspection_type).in_(
                            sorted(str(t) for t in CASE_DRIVEN_TYPES)
                        ),
                    ),
                )
            )
            .where(col(ChecklistRow.earliest) <= end)
            .where(col(ChecklistRow.latest) >= start)
            .order_by(col(ChecklistRow.id))
        )
    }
    items: dict[int, list[str]] = defaultdict(list)
    requests: list[tuple[int, int, str]] = []  # id, checklist, enterprise
    for ids in _chunks(list(checklists)):
        for checklist_id, item in session.execute(
            columns(col(ChecklistItemRow.checklist_id), col(ChecklistItemRow.name))
            .where(col(ChecklistItemRow.checklist_id).in_(ids))
            .order_by(col(ChecklistItemRow.checklist_id), col(ChecklistItemRow.position))
        ):
            items[checklist_id].append(same.setdefault(item, item))
        query = (
            columns(col(RequestRow.id), col(RequestRow.checklist_id), col(RequestRow.credit_code))
            .where(col(RequestRow.checklist_id).in_(ids))
            .where(col(RequestRow.active))
        )
        if region_path is not None:
            # the plan's region: requests at enterprises in it or under it
            in_scope = in_region(
                select(EnterpriseRow.credit_code), EnterpriseRow.region_id, region_path
            )
            query = query.where(col(RequestRow.credit_code).in_(in_scope))
        requests += [
            (request_id, checklist_id, same.setdefault(code, code))
            for request_id, checklist_id, code in session.execute(query)
            if request_id not in exclude_requests
        ]
    requests.sort()
    unit_of = {checklist_id: row.unit_id for checklist_id, row in checklists.items()}
    unit_ids = sorted({unit_of[checklist_id] for _, checklist_id, _ in requests})
    codes = sorted({code for _, _, code in requests})
    days_off: dict[str, set[date]] = defaultdict(set)
    units: list[Unit] = []
    for chunk in _chunks(unit_ids):
        for off in session.exec(select(UnitDayOffRow).where(col(UnitDayOffRow.unit_id).in_(chunk))):
            days_off[off.unit_id].add(off.day)
        units += [
            _unit(row, days_off[row.id], horizon)
            for row in session.exec(
                select(UnitRow).where(col(UnitRow.id).in_(chunk)).order_by(col(UnitRow.id))
            )
        ]
    blackouts: dict[str, list[date]] = defaultdict(list)
    enterprises: list[Enterprise] = []
    kinds: dict[str, tuple[str, str | None]] = {}
    for chunk in _chunks(codes):
        for code, day in session.execute(
            columns(col(EnterpriseBlackoutRow.credit_code), col(EnterpriseBlackoutRow.day)).where(
                col(EnterpriseBlackoutRow.credit_code).in_(chunk)
            )
        ):
            blackouts[code].append(day)
        for row in session.execute(
            columns(
                col(EnterpriseRow.credit_code),
                col(EnterpriseRow.name),
                col(EnterpriseRow.town),
                col(EnterpriseRow.no_disturb),
                col(EnterpriseRow.industry),
                col(EnterpriseRow.risk_class),
            )
            .where(col(EnterpriseRow.credit_code).in_(chunk))
            .order_by(col(EnterpriseRow.credit_code))
        ):
            code = same.setdefault(row.credit_code, row.credit_code)
            enterprises.append(
                Enterprise(
                    id=code,
                    name=row.name,
                    town=same.setdefault(row.town, row.town),
                    blackout_days=tuple(sorted(blackouts.pop(code, ()))),
                    no_disturb=row.no_disturb,
                )
            )
            kinds[code] = (row.industry, row.risk_class)
    pairs = {(unit_of[checklist_id], code) for _, checklist_id, code in requests}
    rules = problem_rules(session, horizon, pairs, kinds)
    del kinds, pairs
    officers = problem_officers(session, unit_ids, horizon, enterprises=set(codes))
    lawful = _restricts(rules, enterprises, officers)
    planned = []
    shared_items: dict[int, tuple[str, ...]] = {}
    for request_id, checklist_id, code in requests:
        checklist = checklists[checklist_id]
        if checklist_id not in shared_items:
            shared_items[checklist_id] = tuple(items.pop(checklist_id, ()))
        planned.append(
            Request(
                id=str(request_id),
                unit=checklist.unit_id,
                enterprise=code,
                earliest=checklist.earliest,
                latest=checklist.latest,
                joinable=checklist.inspection_type != InspectionType.COMPLAINT,
                priority=checklist.priority,
                items=shared_items[checklist_id],
                category=checklist.inspection_type if lawful else InspectionType.ROUTINE,
            )
        )
    del requests, checklists, shared_items
    return Problem(
        format="inspect-once/1.1" if lawful else "inspect-once/1",
        name=name,
        horizon=Horizon(start=start, end=end),
        units=tuple(units),
        enterprises=tuple(enterprises),
        requests=tuple(planned),
        rules=rules if lawful else None,
        officers=officers,
    )


def _restricts(
    rules: Rules, enterprises: Sequence[Enterprise], officers: Sequence[Officer]
) -> bool:
    """Whether a rule of lawful inspection restricts the problem (then it is format 1.1)."""
    return bool(
        rules.caps.unit_enterprise
        or rules.caps.enterprise
        or rules.quiet_days.days
        or officers
        or any(e.no_disturb for e in enterprises)
    )


def pinned_rounds(
    session: Session, round_ids: list[int], with_officers: bool = False
) -> list[Round]:
    """Stored rounds as rounds a plan must keep exactly, by day then enterprise.

    With `with_officers` (a problem of format 1.1 that lists officers) each round names
    the officers drawn for it, which the draw keeps while they are eligible.
    """
    rows = [
        row
        for chunk in _chunks(round_ids)
        for row in session.exec(select(PlanRoundRow).where(col(PlanRoundRow.id).in_(chunk)))
    ]
    rows.sort(key=lambda r: (r.day, r.credit_code))
    links = round_requests(session, sorted(round_ids))
    drawn = pinned_officers(session, round_ids) if with_officers else {}
    return [
        Round(
            enterprise=row.credit_code,
            date=row.day,
            requests=tuple(str(r) for r in links.get(row.id or -1, [])),
            lead_unit=row.lead_unit_id,
            units=tuple(row.units),
            items=tuple(row.items),
            officers=drawn.get(row.id or -1),
        )
        for row in rows
    ]


def _revisions(session: Session, pinned: Sequence[int]) -> dict[tuple[str, date], _Revision]:
    """The pinned rounds by enterprise and day: their requests, revision and content's plan."""
    links = round_requests(session, sorted(pinned))
    found: dict[tuple[str, date], _Revision] = {}
    rows = (
        row
        for chunk in _chunks(pinned)
        for row in session.exec(select(PlanRoundRow).where(col(PlanRoundRow.id).in_(chunk)))
    )
    for row in rows:
        requests = frozenset(str(r) for r in links.get(row.id or -1, []))
        found[(row.credit_code, row.day)] = (requests, row.revision, row.revised_in or row.plan_id)
    return found


def store_solution(
    session: Session, plan_id: int, solution: Solution, pinned: Sequence[int] = ()
) -> None:
    """Add a solution's rounds, their requests and the requests left out to a plan (no commit).

    `pinned` are the ids of the stored rounds the solution was made to keep: a round
    that comes back unchanged keeps its revision and names the plan of its content,
    one that requests joined is one revision further (calendars then update it).
    Each round's officers (format 1.1) are stored with it.
    """
    before = _revisions(session, pinned)
    # Core inserts a slice of rounds at a time (batched INSERT ... RETURNING, the ids in the
    # rounds' order), each slice's links after it: a flush per round took minutes for a
    # province's 185,000 rounds, and ORM rows for all of them held ≈0.5 GB until the commit
    new_round = insert(PlanRoundRow).returning(col(PlanRoundRow.id), sort_by_parameter_order=True)
    for batch in chunks(solution.rounds):
        values: list[dict[str, object]] = []
        for round_ in batch:
            revision, revised_in = 0, None
            kept = before.get((round_.enterprise, round_.date))
            if kept is not None:
                requests, revision, revised_in = kept
                if frozenset(round_.requests) != requests:
                    revision, revised_in = revision + 1, None
            values.append(
                {
                    "plan_id": plan_id,
                    "credit_code": round_.enterprise,
                    "day": round_.date,
                    "lead_unit_id": round_.lead_unit or round_.units[0],
                    "units": list(round_.units),
                    "items": list(round_.items),
                    "revision": revision,
                    "revised_in": revised_in,
                }
            )
        ids = session.execute(new_round, values).scalars().all()
        links: list[dict[str, object]] = []
        officers: list[dict[str, object]] = []
        for round_id, round_ in zip(ids, batch, strict=True):
            links += ({"round_id": round_id, "request_id": int(r)} for r in round_.requests)
            # format 1.1: the officers each unit sends (officer ids are the rows' ids as text)
            for unit_id, officer_ids in sorted((round_.officers or {}).items()):
                officers += (
                    {"round_id": round_id, "officer_id": int(o), "unit_id": unit_id}
                    for o in officer_ids
                )
        for table, rows in ((PlanRoundRequestRow, links), (PlanRoundOfficerRow, officers)):
            if rows:
                session.execute(insert(table), rows)
    left_out = [
        {
            "plan_id": plan_id,
            "request_id": int(left.request),
            "code": left.code or "",
            "reason": left.reason[:_MAX_REASON_CHARS],
        }
        for left in solution.unscheduled
    ]
    if left_out:
        session.execute(insert(PlanUnscheduledRow), left_out)
