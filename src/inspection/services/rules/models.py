"""Rule settings and quiet-day rules as clients send and read them (Create / Public pattern)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from inspection.services.reference.kinds import InspectionType
from inspection.services.reference.models import InputModel, Text

__all__ = [
    "DEFAULT_BACKFILL_DAYS",
    "MAX_BACKFILL_DAYS",
    "Categories",
    "QuietDayRuleCreate",
    "QuietDayRulePublic",
    "QuietDayRuleUpdate",
    "RuleSettingsPublic",
    "RuleSettingsUpdate",
]

MAX_PER_DAY_SETTING = 50
"""The largest officers_per_unit and officer_daily_rounds accepted (a typo guard)."""
MAX_BACKFILL_DAYS = 30
"""The longest back-fill window for a visit's outcome (Shenzhen's rule: 10 days)."""
DEFAULT_BACKFILL_DAYS = 10


def _distinct_categories(values: list[InspectionType]) -> list[InspectionType]:
    # a category named twice is the same category: kept once, in the enum's order
    chosen = set(values)
    return [category for category in InspectionType if category in chosen]


Categories = Annotated[
    list[InspectionType],
    Field(max_length=len(InspectionType)),
    AfterValidator(_distinct_categories),
]
"""A set of InspectionTypes, sent as a list; repeats are dropped, the enum's order kept."""


def _month_day(value: int) -> int:
    if not 1 <= value <= 31:
        raise ValueError(f"{value} 不是月份中的日期（应为 1–31）")
    return value


MonthDay = Annotated[int, AfterValidator(_month_day)]
"""A day of a month, 1–31 (31 simply does not occur in a 30-day month)."""

_SETTINGS_EXAMPLE: JsonDict = {
    "cap_exempt_categories": ["complaint", "referral", "safety"],
    "no_disturb_exempt_categories": ["complaint", "referral", "safety"],
    "officers_per_unit": 2,
    "officer_daily_rounds": 1,
    "outcome_backfill_days": 10,
}


class RuleSettingsUpdate(InputModel):
    """The district's rule settings, all of them (PUT)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_SETTINGS_EXAMPLE]})

    cap_exempt_categories: Categories = Field(
        description="inspection types the yearly caps do not count (case-driven checks)"
    )
    no_disturb_exempt_categories: Categories = Field(
        description="the only inspection types that may visit an enterprise on the no-disturb list"
    )
    officers_per_unit: int = Field(
        ge=1, le=MAX_PER_DAY_SETTING, description="officers a unit sends"
    )
    officer_daily_rounds: int = Field(
        ge=1, le=MAX_PER_DAY_SETTING, description="rounds one officer takes part in a day"
    )
    outcome_backfill_days: int = Field(
        default=DEFAULT_BACKFILL_DAYS,
        ge=0,
        le=MAX_BACKFILL_DAYS,
        description="days after a visit within which its outcome may be back-filled, with a reason",
    )


class RuleSettingsPublic(BaseModel):
    """The district's rule settings as stored."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_SETTINGS_EXAMPLE, "updated_at": None}]}
    )

    cap_exempt_categories: list[InspectionType]
    no_disturb_exempt_categories: list[InspectionType]
    officers_per_unit: int
    officer_daily_rounds: int
    outcome_backfill_days: int
    updated_at: datetime | None


_QUIET_EXAMPLE: JsonDict = {
    "name": "企业宁静日",
    "month_days": list(range(1, 11)),
    "dates": [],
    "exempt_categories": ["complaint", "referral", "safety"],
    "valid_from": "2024-01-01",
    "valid_to": None,
    "active": True,
}


class QuietDayRuleCreate(InputModel):
    """Days without site checks (宁静日) except for the exempt inspection types.

    `month_days` are those days of every month (1–15 for a 宁静日 of the first half of
    each month); `dates` are single days. At least one of the two must be given.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [_QUIET_EXAMPLE]})

    name: Text
    month_days: list[MonthDay] = Field(default_factory=list, max_length=31)
    dates: list[date] = Field(default_factory=list, max_length=366)
    exempt_categories: Categories = Field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool = True

    @model_validator(mode="after")
    def _normal(self) -> Self:
        # each day once, in order; the rules across fields (a day at all, the validity
        # range) are the service's, so that their errors name the field
        self.month_days = sorted(set(self.month_days))
        self.dates = sorted(set(self.dates))
        return self


class QuietDayRuleUpdate(InputModel):
    """A change to a quiet-day rule (PATCH): only the fields sent change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"active": False}]})

    name: Text | None = None
    month_days: list[MonthDay] | None = Field(default=None, max_length=31)
    dates: list[date] | None = Field(default=None, max_length=366)
    exempt_categories: Categories | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool | None = None


class QuietDayRulePublic(BaseModel):
    """A stored quiet-day rule."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    **_QUIET_EXAMPLE,
                    "created_at": "2024-03-01T08:00:00Z",
                    "updated_at": "2024-03-01T08:00:00Z",
                }
            ]
        }
    )

    id: int
    name: str
    month_days: list[int]
    dates: list[date]
    exempt_categories: list[InspectionType]
    valid_from: date | None
    valid_to: date | None
    active: bool
    created_at: datetime
    updated_at: datetime
