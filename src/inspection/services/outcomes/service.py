"""Recording what a visit came to: each unit its own part, then the lead unit confirms.

- Only a unit key of a unit of the round records that unit's part; coordinators and
  auditors read (a coordinator does not record on a unit's behalf: the outcome is the
  inspecting unit's own statement, and its key is what the audit trail names).
- From the visit's day on: on the day an ordinary record, after it a back-fill
  (`backfilled`, with `backfill_reason`) for the rule settings' `outcome_backfill_days`,
  then closed (409 naming the limit). Not before the day, not on a cancelled code (409).
- PUT again corrects the record (version + 1, audited with before and after) until
  the lead unit confirms the visit.
- The lead unit confirms once every unit of the round has recorded its part and at
  least one unit carried it out (the enterprise was visited); within the same window.
  After that the outcomes are final (409).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspection.db.tables import VisitConfirmationRow, VisitOutcomeRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.figures.outcome_rollup import rebuild_outcome_rollup
from inspection.services.outcomes.models import (
    ConfirmationPublic,
    OutcomeIn,
    OutcomePublic,
    UnitOutcome,
    VisitOutcomes,
)
from inspection.services.outcomes.visits import Visit, load_visit
from inspection.services.outcomes.window import (
    RecordingWindow,
    backfill_until,
    check_recording_open,
    window_state,
)
from inspection.services.reference.outcomes import OutcomeStatus
from inspection.services.reference.service import unit_names
from inspection.services.reference.today import district_today
from inspection.services.rules.settings import rule_settings
from inspection.services.trust.audit import record, snapshot

__all__ = ["confirm_visit", "confirmable", "outcome_public", "record_outcome", "visit_outcomes"]

_OPEN = (RecordingWindow.ON_THE_DAY, RecordingWindow.BACKFILL)


def outcome_public(row: VisitOutcomeRow) -> OutcomePublic:
    """A stored outcome as clients read it."""
    return OutcomePublic(
        unit_id=row.unit_id,
        status=OutcomeStatus(row.status),
        reason=row.reason,
        problems_found=row.problems_found,
        problem_note=row.problem_note,
        case_opened=row.case_opened,
        backfilled=row.backfilled,
        backfill_reason=row.backfill_reason,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        version=row.version,
    )


def _confirmation_public(row: VisitConfirmationRow) -> ConfirmationPublic:
    return ConfirmationPublic(
        lead_unit_id=row.lead_unit_id, confirmed_by=row.confirmed_by, confirmed_at=row.confirmed_at
    )


def confirmable(units: list[str], outcomes: dict[str, VisitOutcomeRow]) -> bool:
    """Whether a visit may be confirmed: every unit has recorded, and one carried out."""
    return all(u in outcomes for u in units) and any(
        outcomes[u].status == OutcomeStatus.CARRIED_OUT for u in units
    )


def _view(session: Session, actor: Actor, visit: Visit, today: date, days: int) -> VisitOutcomes:
    units = visit.units
    names = unit_names(session, units)
    state = window_state(visit.code.day, today, days)
    open_ = state in _OPEN and visit.confirmation is None and visit.code.cancelled_at is None
    own = actor.unit_id if actor.role == Role.UNIT else None
    lead = visit.round.lead_unit_id
    assert visit.round.id is not None
    return VisitOutcomes(
        code=visit.code.code,
        day=visit.code.day,
        round_id=visit.round.id,
        enterprise=visit.enterprise.credit_code,
        enterprise_name=visit.enterprise.name,
        lead_unit=lead,
        units=[
            UnitOutcome(
                unit_id=u,
                unit_name=names.get(u, u),
                lead=u == lead,
                outcome=outcome_public(visit.outcomes[u]) if u in visit.outcomes else None,
            )
            for u in units
        ],
        confirmation=(
            _confirmation_public(visit.confirmation) if visit.confirmation is not None else None
        ),
        window=state,
        backfill_until=backfill_until(visit.code.day, days),
        may_record=open_ and own in units,
        may_confirm=open_ and own == lead and confirmable(units, visit.outcomes),
    )


def visit_outcomes(
    session: Session, actor: Actor, code: str, today: date | None = None
) -> VisitOutcomes:
    """A visit's outcomes, unit by unit, and the lead unit's confirmation.

    The units of the round, coordinators and auditors read them (a cancelled visit's too).

    Raises:
        NotFoundError: an unknown code, or a visit the actor may not see.
    """
    visit = load_visit(session, actor, code, live=False)
    days = rule_settings(session).outcome_backfill_days
    return _view(session, actor, visit, today or district_today(), days)


def _check_own_part(actor: Actor, visit: Visit, unit_id: str) -> None:
    if unit_id not in visit.round.units:
        raise NotFoundError(
            f"执法单位 {unit_id} 不是检查码 {visit.code.code} 的参与单位", "unit_id"
        )
    if actor.role != Role.UNIT or actor.unit_id != unit_id:
        raise ForbiddenError(f"只能由执法单位（{unit_id}）本单位填报其检查结果", "unit_id")


def _problems(data: OutcomeIn, backfill: bool) -> list[tuple[str, str]]:
    """Every rule across the fields the record breaks, as (field, problem)."""
    found: list[tuple[str, str]] = []
    carried_out = data.status == OutcomeStatus.CARRIED_OUT
    if not carried_out and not data.reason:
        found.append(("reason", "未实施或延期须说明原因"))
    if carried_out and data.problems_found is None:
        found.append(("problems_found", "已实施须说明是否发现问题"))
    if not carried_out and data.problems_found is not None:
        found.append(("problems_found", "未实施或延期的检查不填是否发现问题"))
    if data.problems_found and not data.problem_note:
        found.append(("problem_note", "发现问题须简要说明问题"))
    if data.case_opened and not data.problems_found:
        found.append(("case_opened", "只有发现问题时才能立案"))
    if backfill and not data.backfill_reason:
        found.append(("backfill_reason", "检查日期之后补录须说明补录原因"))
    return found


def record_outcome(
    session: Session,
    actor: Actor,
    code: str,
    unit_id: str,
    data: OutcomeIn,
    today: date | None = None,
) -> OutcomePublic:
    """Record (or correct) a unit's outcome of its part of a visit; committed, audited as
    ``outcome.record`` (before and after) on entity ``visit_outcomes``, id ``code/unit``.

    Raises:
        NotFoundError: an unknown code, a visit the actor may not see, or a unit not of
            its round.
        ForbiddenError: anyone but a unit key of that unit.
        ConflictError: a cancelled code, before the visit's day, after the back-fill
            window, or a visit the lead unit has confirmed.
        InvalidInputError: a rule across the fields broken (the field named).
    """
    visit = load_visit(session, actor, code)
    _check_own_part(actor, visit, unit_id)
    days = rule_settings(session).outcome_backfill_days
    day = visit.code.day
    state = check_recording_open(day, today or district_today(), days)
    if visit.confirmation is not None:
        raise ConflictError("牵头单位已确认该检查已实施，检查结果不能再修改", "code")
    backfill = state is RecordingWindow.BACKFILL
    problems = _problems(data, backfill)
    if problems:
        field, problem = problems[0]
        raise InvalidInputError(problem, field)
    row = visit.outcomes.get(unit_id)
    before = snapshot(outcome_public(row)) if row is not None else None
    carried_out = data.status == OutcomeStatus.CARRIED_OUT
    values: dict[str, Any] = {
        "day": day,
        "status": str(data.status),
        "reason": "" if carried_out else data.reason,
        "problems_found": data.problems_found if carried_out else None,
        "problem_note": data.problem_note if carried_out else "",
        "case_opened": bool(carried_out and data.problems_found and data.case_opened),
        "backfilled": backfill,
        "backfill_reason": data.backfill_reason if backfill else "",
        "recorded_by": actor.label,
        "recorded_at": datetime.now(UTC),
    }
    if row is None:
        row = VisitOutcomeRow(code=visit.code.code, unit_id=unit_id, version=1, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # the unit's first record, stored by a request running beside this
        session.rollback()
        raise ConflictError(
            "本单位的检查结果刚由另一次提交保存，请刷新后再更正", "unit_id"
        ) from None
    rebuild_outcome_rollup(session, [day])  # the figures count it from this commit on
    after = outcome_public(row)
    entity_id = f"{visit.code.code}/{unit_id}"
    record(session, actor, "outcome.record", "visit_outcomes", entity_id, before, snapshot(after))
    session.commit()
    return after


def confirm_visit(
    session: Session, actor: Actor, code: str, today: date | None = None
) -> ConfirmationPublic:
    """The lead unit confirms the visit was carried out; committed, audited as
    ``outcome.confirm`` on entity ``visit_confirmations``, id the code.

    Raises:
        NotFoundError: an unknown code, or a visit the actor may not see.
        ForbiddenError: anyone but a unit key of the round's lead unit.
        ConflictError: a cancelled code, before the day, after the back-fill window,
            already confirmed, a unit's outcome still missing, or no unit carried out.
    """
    visit = load_visit(session, actor, code)
    lead = visit.round.lead_unit_id
    if actor.role != Role.UNIT or actor.unit_id != lead:
        raise ForbiddenError(f"只能由牵头单位（{lead}）确认检查已实施", "code")
    days = rule_settings(session).outcome_backfill_days
    state = check_recording_open(visit.code.day, today or district_today(), days, "确认")
    if visit.confirmation is not None:
        raise ConflictError("该检查已确认", "code")
    missing = [u for u in visit.units if u not in visit.outcomes]
    if missing:
        raise ConflictError(
            f"还有参与单位未填报检查结果：{'、'.join(missing)}，全部填报后才能确认", "code"
        )
    if not confirmable(visit.units, visit.outcomes):
        raise ConflictError("没有参与单位实施检查，不能确认该检查已实施", "code")
    row = VisitConfirmationRow(
        code=visit.code.code,
        lead_unit_id=lead,
        confirmed_by=actor.label,
        confirmed_at=datetime.now(UTC),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # confirmed by a request running beside this one
        session.rollback()
        raise ConflictError("该检查已确认", "code") from None
    rebuild_outcome_rollup(session, [visit.code.day])
    after = _confirmation_public(row)
    audited = {**(snapshot(after) or {}), "late": state is RecordingWindow.BACKFILL}
    record(session, actor, "outcome.confirm", "visit_confirmations", visit.code.code, None, audited)
    session.commit()
    return after
