"""A rating as the enterprise sends it, and as coordinators, auditors and units read it.

Who reads what (rules.md, Longhua: ratings go to the supervisor, not to the inspecting
department): coordinators and auditors read every rating with its visit; a unit reads
only its own aggregate, and only over at least :data:`MIN_RATINGS_FOR_UNITS` ratings.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from inspection.services.reference.models import no_control_characters

__all__ = [
    "MAX_COMMENT",
    "MAX_COMPLAINT",
    "MIN_RATINGS_FOR_UNITS",
    "SCORE_NAMES",
    "TOO_FEW",
    "RatingAggregate",
    "RatingCreate",
    "RatingPublic",
    "RatingReceipt",
    "RatingState",
    "RatingSummary",
]

MIN_RATINGS_FOR_UNITS = 5
"""A unit sees an aggregate only over this many ratings or more, and it grows by blocks of
this many, so that no answer and no difference of two answers is one enterprise's rating."""
TOO_FEW = f"不足{MIN_RATINGS_FOR_UNITS}条"
"""What a unit is shown instead of an aggregate over fewer ratings."""
MAX_COMMENT, MAX_COMPLAINT = 500, 1000
SCORE_NAMES = {5: "很满意", 4: "满意", 3: "一般", 2: "不满意", 1: "很不满意"}
"""Each score's name, as the public page and the desk (labels.js) show it."""


class RatingState(StrEnum):
    """Whether a visit can be rated now, as the public page shows it."""

    OPEN = "open"
    """From the visit's day on, until it is rated."""
    RATED = "rated"
    """Rated once; never again."""
    NOT_YET = "not_yet"
    """Before the visit's day."""
    CANCELLED = "cancelled"
    """The visit was cancelled: nothing to rate."""


class RatingCreate(BaseModel):
    """The enterprise's rating of a visit: a score of 1 to 5, an optional comment and an
    optional complaint (投诉), both trimmed; text that reads other than it is stored is refused."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"score": 5, "comment": "检查人员出示证件，流程规范"}]},
    )

    score: int = Field(ge=1, le=5, description="1 (very poor) to 5 (very good)")
    comment: Annotated[
        str, Field(max_length=MAX_COMMENT), AfterValidator(no_control_characters)
    ] = ""
    complaint: Annotated[
        str,
        Field(max_length=MAX_COMPLAINT, description="empty: no complaint"),
        AfterValidator(no_control_characters),
    ] = ""


class RatingReceipt(BaseModel):
    """What the enterprise is told once its rating is stored."""

    model_config = ConfigDict(extra="forbid")

    code: str
    date: date  # the visit's day
    rated_at: datetime


class RatingPublic(BaseModel):
    """A rating with its visit, for coordinators and auditors only."""

    model_config = ConfigDict(extra="forbid")

    code: str
    date: date
    enterprise_name: str
    town: str
    units: list[str]  # the units' ids, the lead unit first
    unit_names: list[str]
    score: int
    comment: str
    complaint: str
    has_complaint: bool
    rated_at: datetime


class RatingAggregate(BaseModel):
    """Ratings of one unit's visits (a rating counts for every unit of the visit's round), or
    of the whole district (`unit_id` null).

    For a unit key under :data:`MIN_RATINGS_FOR_UNITS` ratings, `withheld` is true, `count_text`
    says 不足5条 and every figure is null.
    """

    model_config = ConfigDict(extra="forbid")

    unit_id: str | None
    unit_name: str
    withheld: bool
    count: int | None
    count_text: str
    mean_score: float | None  # rounded to two decimals
    distribution: list[int] | None  # how many ratings gave 1, 2, 3, 4 and 5
    complaints: int | None


class RatingSummary(BaseModel):
    """A year's ratings per unit (and for the district, but not for a unit key)."""

    model_config = ConfigDict(extra="forbid")

    year: int
    min_ratings_for_units: int = MIN_RATINGS_FOR_UNITS
    units: list[RatingAggregate]
    district: RatingAggregate | None
