"""Outcomes and confirmations as clients send and read them (In / Public pattern).

The rules across fields (a reason unless carried out, whether problems were found
only when carried out, a note when they were, a case only on problems found, a
back-fill reason when late) are the service's (:mod:`.service`), so that each
refusal names its field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from inspection.services.outcomes.window import RecordingWindow
from inspection.services.reference.models import InputModel, no_control_characters
from inspection.services.reference.outcomes import OutcomeStatus

__all__ = [
    "ConfirmationPublic",
    "OutcomeIn",
    "OutcomePublic",
    "PendingNeed",
    "PendingVisit",
    "UnitOutcome",
    "VisitOutcomes",
]

_NOTE = 500  # the columns' length
Note = Annotated[str, Field(max_length=_NOTE), AfterValidator(no_control_characters)]
"""A short text of an outcome (a reason, a note): up to 500 characters, trimmed."""

_OUTCOME_EXAMPLE: JsonDict = {
    "status": "carried_out",
    "reason": "",
    "problems_found": True,
    "problem_note": "后厨未落实生熟分开，已责令当场整改",
    "case_opened": False,
    "backfill_reason": "",
}


class OutcomeIn(InputModel):
    """What a unit's part of a visit came to (PUT: the whole record, a correction too)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_OUTCOME_EXAMPLE]})

    status: OutcomeStatus
    reason: Note = Field(default="", description="why not carried out or postponed (required then)")
    problems_found: bool | None = Field(
        default=None, description="required when carried out; null otherwise"
    )
    problem_note: Note = Field(
        default="", description="what was found (required when problems found)"
    )
    case_opened: bool = Field(default=False, description="a case (立案) opened on what was found")
    backfill_reason: Note = Field(
        default="",
        description="why recorded after the visit's day (required then; ignored on the day)",
    )


class OutcomePublic(BaseModel):
    """A unit's recorded outcome of its part of a visit."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "SCJG",
                    **_OUTCOME_EXAMPLE,
                    "backfilled": False,
                    "recorded_by": "unit:市场监管局#4",
                    "recorded_at": "2024-06-05T09:30:00Z",
                    "version": 1,
                }
            ]
        }
    )

    unit_id: str
    status: OutcomeStatus
    reason: str
    problems_found: bool | None
    problem_note: str
    case_opened: bool
    backfilled: bool
    backfill_reason: str
    recorded_by: str
    recorded_at: datetime
    version: int


class ConfirmationPublic(BaseModel):
    """The lead unit's confirmation that the visit was carried out."""

    lead_unit_id: str
    confirmed_by: str
    confirmed_at: datetime


class UnitOutcome(BaseModel):
    """A unit of the visit's round and its outcome (None: not recorded yet)."""

    unit_id: str
    unit_name: str
    lead: bool
    outcome: OutcomePublic | None


class VisitOutcomes(BaseModel):
    """A visit (an inspection code) with each unit's outcome and the lead's confirmation."""

    code: str
    day: date
    round_id: int
    enterprise: str
    enterprise_name: str
    lead_unit: str
    units: list[UnitOutcome] = Field(description="every unit of the round, the lead unit first")
    confirmation: ConfirmationPublic | None
    window: RecordingWindow = Field(description="where the visit stands for recording today")
    backfill_until: date = Field(description="the last day an outcome may be back-filled")
    may_record: bool = Field(description="whether the caller may record its unit's part now")
    may_confirm: bool = Field(description="whether the caller (the lead unit) may confirm now")


class PendingNeed(BaseModel):
    """What one visit still needs from the caller's unit."""

    outcome: bool = Field(description="its own outcome is not recorded yet")
    confirmation: bool = Field(description="it leads the round and has not confirmed it yet")


class PendingVisit(BaseModel):
    """A visit in a unit's to-do list (待填报)."""

    code: str
    day: date
    round_id: int
    enterprise: str
    enterprise_name: str
    lead: bool = Field(description="the unit leads the round")
    needs: PendingNeed
    confirmable: bool = Field(description="every unit has recorded and one carried out")
    waiting_for: list[str] = Field(
        description="the units whose outcome is still missing (for the lead's confirmation)"
    )
    backfill_until: date
    days_left: int = Field(description="days left to record (0: the last day)")
