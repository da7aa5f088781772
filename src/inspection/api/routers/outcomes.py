"""What each visit came to: a unit's outcome of its part, the lead unit's confirmation, and a
unit's to-do list. Visits are named by their inspection code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from inspection.api.auth import allow
from inspection.api.deps import SessionDep, TodayDep
from inspection.services.access import Actor, Role
from inspection.services.outcomes.models import (
    ConfirmationPublic,
    OutcomeIn,
    OutcomePublic,
    PendingVisit,
    VisitOutcomes,
)
from inspection.services.outcomes.pending import pending_outcomes
from inspection.services.outcomes.service import confirm_visit, record_outcome, visit_outcomes

__all__ = ["router"]

router = APIRouter(tags=["outcomes"])
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.AUDITOR))]
UnitKey = Annotated[Actor, Depends(allow(Role.UNIT))]
Code = Annotated[str, Path(max_length=64, description="the visit's inspection code")]
UnitId = Annotated[str, Path(max_length=64, description="a unit of the visit's round")]


@router.get("/visits/{code}/outcomes")
def read_outcomes(code: Code, session: SessionDep, actor: Reader, today: TodayDep) -> VisitOutcomes:
    """Each unit's outcome of the visit, the lead unit's confirmation, and where the visit
    stands for recording (the units of the round, coordinators, auditors; others 404)."""
    return visit_outcomes(session, actor, code, today)


@router.put("/visits/{code}/outcomes/{unit_id}")
def put_outcome(
    code: Code,
    unit_id: UnitId,
    data: OutcomeIn,
    session: SessionDep,
    actor: UnitKey,
    today: TodayDep,
) -> OutcomePublic:
    """Record or correct the unit's outcome (a unit key of that unit only): from the visit's
    day; after it a back-fill with `backfill_reason`, up to the rule settings'
    `outcome_backfill_days` (409 then, before the day, on a cancelled code, once confirmed)."""
    return record_outcome(session, actor, code, unit_id, data, today)


@router.post("/visits/{code}/confirmation")
def confirm(code: Code, session: SessionDep, actor: UnitKey, today: TodayDep) -> ConfirmationPublic:
    """The lead unit confirms the visit was carried out: every unit has recorded and one
    carried out (409 otherwise); the outcomes are final from then on."""
    return confirm_visit(session, actor, code, today)


@router.get("/outcomes/pending")
def pending(session: SessionDep, actor: UnitKey, today: TodayDep) -> list[PendingVisit]:
    """The unit's visits whose day has come that lack its outcome or, as lead unit, its
    confirmation, with the days left to back-fill (soonest first)."""
    return pending_outcomes(session, actor, today)
