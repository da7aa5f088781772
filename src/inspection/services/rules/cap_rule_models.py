"""Cap rules (频次上限) and the caps' standings as clients send and read them.

`industry` is free text matched exactly against an enterprise's industry (an
industry no enterprise has yet is accepted: the rule may be set before the
enterprises are registered); `risk_class` is free text too (A/B/C/D, or the
grades a rule names). Empty means every industry, every class.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from inspection.services.reference.models import InputModel, no_control_characters
from inspection.services.rules.caps import CapStanding

__all__ = [
    "MAX_YEARLY_LIMIT",
    "CapRuleCreate",
    "CapRulePublic",
    "CapRuleUpdate",
    "CapStandingPublic",
    "ChecklistTargetCaps",
    "EnterpriseCaps",
]

MAX_YEARLY_LIMIT = 365
"""The most inspections a year a rule may allow (one a day)."""

_Industry = Annotated[str, Field(max_length=100), AfterValidator(no_control_characters)]
_RiskClass = Annotated[str, Field(max_length=16), AfterValidator(no_control_characters)]
_Basis = Annotated[str, Field(max_length=500), AfterValidator(no_control_characters)]
_Limit = Annotated[int, Field(ge=0, le=MAX_YEARLY_LIMIT)]

_EXAMPLE: JsonDict = {
    "unit_id": "YJGL",
    "industry": "",
    "risk_class": "A",
    "yearly_limit": 1,
    "basis": "广东省应急管理厅涉企行政检查频次上限（A 类企业每年不超过 1 次）",
    "active": True,
}


class CapRuleCreate(InputModel):
    """A yearly cap: how many inspections a year one unit (or, with no unit, all units
    together) may make at an enterprise of an industry and risk class."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    unit_id: Annotated[str | None, Field(max_length=64)] = Field(
        default=None, description="the unit capped; null for the enterprise-wide cap (各单位合计)"
    )
    industry: _Industry = Field(default="", description="an enterprise's industry; empty: every")
    risk_class: _RiskClass = Field(default="", description="a risk class (A/B/C/D); empty: every")
    yearly_limit: _Limit
    basis: _Basis = Field(default="", description="the published rule it comes from")
    active: bool = True


class CapRuleUpdate(InputModel):
    """A change to a cap rule: the fields sent replace the rule's (its unit stays)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"yearly_limit": 2}]})

    industry: _Industry | None = None
    risk_class: _RiskClass | None = None
    yearly_limit: _Limit | None = None
    basis: _Basis | None = None
    active: bool | None = Field(
        default=None, description="false deactivates the rule (rules are never deleted)"
    )


class CapRulePublic(BaseModel):
    """A stored cap rule."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    **_EXAMPLE,
                    "created_at": "2024-01-02T08:00:00Z",
                    "updated_at": "2024-01-02T08:00:00Z",
                }
            ]
        }
    )

    id: int
    unit_id: str | None
    industry: str
    risk_class: str
    yearly_limit: int
    basis: str
    active: bool
    created_at: datetime
    updated_at: datetime


class CapStandingPublic(CapStanding):
    """One cap at one enterprise in one year, with the sentence the desk shows."""

    summary: str = Field(description="the standing in one sentence, as the desk shows it")


class EnterpriseCaps(BaseModel):
    """An enterprise's caps in a year: the enterprise-wide one and each unit's."""

    credit_code: str
    name: str
    town: str
    industry: str
    risk_class: str | None
    caps: list[CapStandingPublic]


class ChecklistTargetCaps(BaseModel):
    """What the caps leave the checklist's unit at one of its targets in the window's year."""

    credit_code: str
    name: str
    year: int
    caps: list[CapStandingPublic]
    sentences: list[str] = Field(
        description="e.g. 本单位今年在该企业还可检查 1 次（上限 2 次）; empty when no cap applies"
    )
