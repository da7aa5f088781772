"""A plan over several districts, solved in parts: one job per district, then one merge (§8).

A city's or a province's plan is split by its first job (:func:`split_plan`): the whole
problem is read as for any plan, each enterprise goes to its district, and a unit asked for
in two or more districts gets each district's share of its day (:mod:`.capacity`) as its
capacity there, its officers outside that share busy there. The whole problem, the parts
and the shares are stored, and one job per part deferred, in one transaction.

Each part is solved by a job of its own (:func:`claim_part`, :func:`run_part`) with the
same claim-and-attempt rules as a plan; the transaction that ends the last part (the
parent's row locked) defers the merge. The merge (:func:`merge_plan`) puts the parts'
plans together, offers what shared units left unused to the requests they left out (the
seams), checks the whole with the solver's checker and stores it as any plan is stored:
once, by the run that holds the plan's attempt. A plan the checker refuses (a bug) is
solved whole instead, so a coordinator never gets an invalid plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Final, Protocol

from pydantic import TypeAdapter
from sqlalchemy import Engine, insert, update
from sqlmodel import Session, col, select

from inspection.db.regions import region_by_id
from inspection.db.tables import PlanInputRow, PlanPartRow, PlanRow, RegionRow
from inspection.services.planning.capacity import (
    ShareDraft,
    district_of,
    districts_of,
    store_shares,
)
from inspection.services.planning.models import MIN_TIME_LIMIT_S, PlanProgress, PlanStatus
from inspection.services.planning.rows import as_utc
from inspection.services.planning.watch import retrying
from inspection.services.planning.worker import (
    PlanJob,
    begin_plan,
)
from inspection.services.rounds.store import get_plan_row
from inspection.solver import Problem, Round
from inspection.solver.partition import (
    pins_at,
    restrict,
)

__all__ = [
    "ENDED_PARTS",
    "MIN_PART_S",
    "ROUNDS",
    "SEAM_SHARE",
    "PartDraft",
    "PartJobs",
    "PartStatus",
    "district_parts",
    "part_capacities",
    "part_time_limit",
    "parts_budget",
    "seam_time_limit",
    "split_plan",
]

MIN_PART_S: Final = MIN_TIME_LIMIT_S
"""The least time a part is given: what building a small district's models takes."""

SEAM_SHARE: Final = 0.1
"""The seam repair's share of the plan's time limit (at most: see :func:`seam_time_limit`)."""

ROUNDS: Final = TypeAdapter(list[Round])
"""Pinned rounds as the parts' rows keep them (JSON)."""


class PartStatus(StrEnum):
    """Where one district's part of a plan stands."""

    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    STOPPED = "stopped"
    FAILED = "failed"


ENDED_PARTS: Final = frozenset({PartStatus.FINISHED, PartStatus.STOPPED})
"""A part in these states has stored its plan: the merge can use it."""


class PartJobs(Protocol):
    """What has parts and merges run (the job queue; a test's recorder)."""

    def defer_parts(self, session: Session, part_ids: Sequence[int]) -> list[int]:
        """In `session`'s transaction: one job per part; their ids, in order."""

    def defer_merge(self, session: Session, plan_id: int) -> None:
        """In `session`'s transaction: the plan's merge job (once, however often asked)."""


@dataclass(frozen=True)
class PartDraft:
    """One district's part, before it is stored."""

    region_id: int
    problem: Problem
    pinned: tuple[Round, ...]
    relaxed: Problem | None
    shared_units: tuple[str, ...]


def parts_budget(limit_s: float, split_s: float) -> float:
    """The time a plan's parts share: the plan's limit less what the split took and what
    the merge will take (its seam repair's share and, to read, check and store the whole,
    about what the split took to read and cut it: the same rows). Never below a part's
    least time (or the plan's limit, if that is less): a slow split still gets its parts."""
    floor = min(limit_s, MIN_PART_S)
    return max(floor, limit_s - split_s - (SEAM_SHARE * limit_s + split_s))


def seam_time_limit(limit_s: float, elapsed_s: float, split_s: float) -> float:
    """The seam repair's time: its share of the plan's limit, less what the parts overran
    (the check and the store after it are given what the split took); at least 1 s."""
    return max(1.0, min(SEAM_SHARE * limit_s, limit_s - elapsed_s - split_s))


def part_time_limit(limit_s: float, size: int, total: int) -> float:
    """A part's time: its share of the plan's by requests (as one process shares it among a
    problem's independent parts), so the parts' times sum to the plan's and W workers end
    them in about 1/W of it; at least `MIN_PART_S`, never more than the plan's own limit."""
    return min(limit_s, max(MIN_PART_S, limit_s * size / max(1, total)))


def _days(problem: Problem) -> list[date]:
    start, end = problem.horizon.start, problem.horizon.end
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _pinned_use(
    pinned: Sequence[Round], unit_of: dict[str, str], part_of: dict[str, int]
) -> tuple[dict[tuple[int, str, date], int], dict[tuple[str, date], int]]:
    """Rounds per (part, unit, day) of the pinned rounds, and the part each officer drawn
    for one of them is held by on its day."""
    count: dict[tuple[int, str, date], int] = defaultdict(int)
    held: dict[tuple[str, date], int] = {}
    for round_ in pinned:
        part = part_of.get(round_.enterprise)
        if part is None:  # no request of the problem there: the check of the merge decides
            continue
        for unit in {unit_of[r] for r in round_.requests if r in unit_of}:
            count[(part, unit, round_.date)] += 1
        for officers in (round_.officers or {}).values():
            held.update(((officer, round_.date), part) for officer in officers)
    return count, held


def part_capacities(
    shared: set[str],
    parts: Sequence[int],
    days: Sequence[date],
    shares: Sequence[ShareDraft],
    pinned_count: dict[tuple[int, str, date], int],
) -> dict[int, dict[tuple[str, date], int]]:
    """Each part's rounds of each shared unit a day: its share, raised to the rounds pinned
    there (taken from the parts with room to spare, so the sum stays the share's)."""
    by_part: dict[int, dict[tuple[str, date], int]] = {p: {} for p in parts}
    share_of = {(s.region_id, s.unit_id, s.day): s.capacity for s in shares}
    for unit in sorted(shared):
        for day in days:
            caps = {p: share_of.get((p, unit, day), 0) for p in parts}
            need = {p: pinned_count.get((p, unit, day), 0) for p in parts}
            short = sum(max(0, need[p] - caps[p]) for p in parts)
            for p in parts:
                caps[p] = max(caps[p], need[p])
            for p in sorted(parts, key=lambda q: need[q] - caps[q]):  # most room first
                taken = min(short, caps[p] - need[p])
                caps[p] -= taken
                short -= taken
            for p in parts:
                by_part[p][(unit, day)] = caps[p]
    return by_part


def _free_in(
    part: int,
    officer: str,
    unit: str,
    day: date,
    held: dict[tuple[str, date], int],
    staff: dict[tuple[int, str, date], set[str]],
) -> bool:
    """Whether a shared unit's officer is free in `part` on `day`: the part holding a pinned
    round they were drawn for has them; otherwise the part whose share names them."""
    holder = held.get((officer, day))
    if holder is not None:
        return holder == part
    return officer in staff.get((part, unit, day), set())


def district_parts(session: Session, job: PlanJob, region: RegionRow) -> list[PartDraft]:
    """The parts of a plan of `region`, one per district with requests; none (solve it
    whole) when the region is one district or its requests are all in one."""
    districts = districts_of(session, region.path)
    problem = job.problem
    if len(districts) < 2 or not problem.requests:
        return []
    found = district_of(session, {e.id for e in problem.enterprises}, districts, region)
    part_of = {code: place.id for code, place in found.items() if place.id is not None}
    members: dict[int, set[str]] = defaultdict(set)
    units_in: dict[int, set[str]] = defaultdict(set)
    for request in problem.requests:
        members[part_of[request.enterprise]].add(request.enterprise)
        units_in[part_of[request.enterprise]].add(request.unit)
    if len(members) < 2:
        return []
    parts = sorted(members)
    spans: dict[str, int] = defaultdict(int)
    for part in parts:
        for unit in units_in[part]:
            spans[unit] += 1
    shared = {unit for unit, count in spans.items() if count >= 2}
    unit_of = {r.id: r.unit for r in problem.requests}
    pinned_count, held = _pinned_use(job.pinned, unit_of, part_of)
    days = _days(problem)
    capacities = part_capacities(shared, parts, days, job.shares, pinned_count)
    staff = {(s.region_id, s.unit_id, s.day): set(s.officers) for s in job.shares}
    drafts: list[PartDraft] = []
    for part in parts:
        mine = shared & units_in[part]
        busy = {
            (officer.id, day)
            for officer in problem.officers
            if officer.unit in mine
            for day in days
            if not _free_in(part, officer.id, officer.unit, day, held, staff)
        }
        caps = {key: n for key, n in capacities[part].items() if key[0] in mine}
        drafts.append(
            PartDraft(
                region_id=part,
                problem=restrict(problem, members[part], capacities=caps, busy=busy),
                pinned=pins_at(job.pinned, members[part]),
                relaxed=restrict(problem, members[part]) if mine else None,
                shared_units=tuple(sorted(mine)),
            )
        )
    return drafts


def _insert_part(
    session: Session, plan_id: int, draft: PartDraft, budget: float, total: int
) -> int:
    """Insert one part's row (no commit); its id."""
    size = len(draft.problem.requests)
    relaxed = draft.relaxed
    part_id: int = session.execute(
        insert(PlanPartRow)
        .values(
            plan_id=plan_id,
            region_id=draft.region_id,
            status=PartStatus.QUEUED,
            attempt=0,
            requests=size,
            time_limit_s=part_time_limit(budget, size, total),
            shared_units=list(draft.shared_units),
            problem=draft.problem.model_dump_json(exclude_none=True),
            pinned=ROUNDS.dump_json(list(draft.pinned)).decode(),
            relaxed=relaxed.model_dump_json(exclude_none=True) if relaxed is not None else None,
        )
        .returning(col(PlanPartRow.id))
    ).scalar_one()
    return part_id


def _ended(session: Session, plan_id: int, jobs: PartJobs) -> bool:
    """Whether the plan has parts already (a retried split); if they have all ended, the
    merge is asked for again (the job that ended the last one may have died first)."""
    parts = list(session.exec(select(PlanPartRow).where(PlanPartRow.plan_id == plan_id)))
    if not parts:
        return False
    if all(p.status in ENDED_PARTS for p in parts):
        jobs.defer_merge(session, plan_id)
        session.commit()
    return True


def split_plan(engine: Engine, plan_id: int, attempt: int, jobs: PartJobs) -> PlanJob | None:
    """Split a claimed plan of several districts into parts and defer their jobs.

    Returns:
        What was read for the plan when it is solved whole (one district); None when its
        parts are stored (now or by an earlier run) or another run owns the plan.
    """

    def has_parts() -> bool:
        with Session(engine) as session:
            return _ended(session, plan_id, jobs)

    if retrying(has_parts):
        return None
    job = retrying(lambda: begin_plan(engine, plan_id))
    with Session(engine) as session:
        plan_row = get_plan_row(session, plan_id)
        region = region_by_id(session, plan_row.region_id)
        assert region is not None  # a foreign key names it
        drafts = district_parts(session, job, region)
        started_at = plan_row.started_at
    if not drafts:
        return job
    total = len(job.problem.requests)
    split_s = (datetime.now(UTC) - as_utc(started_at)).total_seconds() if started_at else 0.0
    budget = parts_budget(job.asked.time_limit_s, split_s)

    def store() -> None:
        with Session(engine) as session:
            plan = session.exec(
                select(PlanRow).where(col(PlanRow.id) == plan_id).with_for_update()
            ).one()
            if plan.status != PlanStatus.RUNNING or plan.attempt != attempt:
                return  # a later run owns the plan, or it has ended
            if _ended(session, plan_id, jobs):
                return
            session.execute(
                insert(PlanInputRow).values(
                    plan_id=plan_id,
                    problem=job.problem.model_dump_json(exclude_none=True),
                    pinned=ROUNDS.dump_json(list(job.pinned)).decode(),
                    announced=job.announced,
                    created_at=datetime.now(UTC),
                )
            )
            # one statement a part, its texts dumped just before: a province's 53 parts and
            # their relaxed models, held at once, are twice its whole problem's text again;
            # the largest first: the queue takes jobs in id order, and a large part started
            # last would leave the other workers idle while it ends
            ids = [
                _insert_part(session, plan_id, draft, budget, total)
                for draft in sorted(drafts, key=lambda d: -len(d.problem.requests))
            ]
            store_shares(session, plan_id, job.shares)
            for part_id, job_id in zip(ids, jobs.defer_parts(session, ids), strict=True):
                session.execute(
                    update(PlanPartRow).where(col(PlanPartRow.id) == part_id).values(job_id=job_id)
                )
            plan.progress = PlanProgress(
                elapsed_s=0, parts=len(ids), priority=0, priority_bound=0, rounds=0, rounds_bound=0
            ).model_dump()
            session.add(plan)
            session.commit()

    retrying(store)
    return None
