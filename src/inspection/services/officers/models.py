"""Officers (执法人员) as clients send and read them (Create / Public pattern)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from inspection.services.reference.models import CreditCode, InputModel, no_control_characters

__all__ = [
    "BadgeNumber",
    "DaysOff",
    "OfficerCreate",
    "OfficerEdit",
    "OfficerPublic",
    "RecusalCreate",
    "RecusalKind",
    "RecusalPublic",
    "RoundOfficer",
]

BADGE_PATTERN = r"^[A-Za-z0-9-]+$"

BadgeNumber = Annotated[str, Field(min_length=1, max_length=32, pattern=BADGE_PATTERN)]
"""An officer's badge number (执法证号): 1-32 letters, digits or hyphens."""
_Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(no_control_characters)]
_UnitId = Annotated[str, Field(min_length=1, max_length=64)]
_Reason = Annotated[str, Field(max_length=500), AfterValidator(no_control_characters)]


class RecusalKind(StrEnum):
    """Why an officer must not inspect an enterprise (回避)."""

    CONFLICT = "conflict"
    """本人申报利益冲突: the officer declared a conflict of interest."""
    REQUESTED = "requested"
    """企业申请回避: the enterprise asked for the officer's recusal."""


class RecusalCreate(InputModel):
    """An enterprise an officer must not inspect, and why."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "credit_code": "92441802MAM4JPET9M",
                    "kind": "requested",
                    "reason": "企业书面申请回避",
                }
            ]
        }
    )

    credit_code: CreditCode
    kind: RecusalKind
    reason: _Reason = ""


class RecusalPublic(BaseModel):
    """A stored recusal."""

    credit_code: str
    enterprise_name: str
    kind: RecusalKind
    reason: str
    recorded_at: datetime


_OFFICER_EXAMPLE: JsonDict = {
    "unit_id": "SCJG",
    "name": "陈志明",
    "badge_number": "44180020240031",
    "certificate_expires": "2027-06-30",
    "active": True,
    "days_off": ["2024-04-10"],
    "recusals": [],
}


class OfficerEdit(InputModel):
    """What an edit of an officer may change (days off and recusals have routes of their own)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "陈志明",
                    "badge_number": "44180020240031",
                    "certificate_expires": "2027-06-30",
                    "active": True,
                }
            ]
        }
    )

    name: _Name
    badge_number: BadgeNumber
    certificate_expires: date = Field(description="valid through this day (证件有效期至)")
    active: bool = True


class OfficerCreate(InputModel):
    """A certified inspector of a unit, with days off and recusals."""

    model_config = ConfigDict(json_schema_extra={"examples": [_OFFICER_EXAMPLE]})

    unit_id: _UnitId
    name: _Name
    badge_number: BadgeNumber
    certificate_expires: date = Field(description="valid through this day (证件有效期至)")
    active: bool = True
    days_off: list[date] = Field(default_factory=list, max_length=366)
    recusals: list[RecusalCreate] = Field(default_factory=list, max_length=1000)


class DaysOff(InputModel):
    """An officer's days off, all of them (the list replaces the stored one)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"days": ["2024-04-10", "2024-04-11"]}]}
    )

    days: list[date] = Field(max_length=366)


class OfficerPublic(BaseModel):
    """A stored officer."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**_OFFICER_EXAMPLE, "id": 1}]})

    id: int
    unit_id: str
    name: str
    badge_number: str
    certificate_expires: date
    active: bool
    days_off: list[date]
    recusals: list[RecusalPublic]
    created_at: datetime
    updated_at: datetime


class RoundOfficer(BaseModel):
    """An officer a unit sends to a round (the solver's random draw)."""

    unit: str
    name: str
    badge_number: str
