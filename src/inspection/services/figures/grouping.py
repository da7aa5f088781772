"""What a figures query asks for (a period, a unit, a town, a split) and the sums it adds up,
shared by the published figures (summed in the database) and a plan's (summed here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = ["MEASURES", "GroupBy", "RoundBehind", "VisitFilters", "figures_of", "group_key"]

GroupBy = Literal["unit", "town", "month"]
MEASURES = ("requests", "rounds", "merged", "checklists", "joint_rounds")
"""What is summed per group, in this order: requests, counted visits (rounds), requests that
share their round, checklists at their first visit, counted visits of joint rounds."""


class RoundBehind(BaseModel):
    """A round behind a figure, with the requests of it that the figure counts."""

    round_id: int
    date: date
    enterprise: str
    enterprise_name: str
    town: str
    lead_unit: str
    units: list[str]
    requests: list[int]
    counted: bool = Field(description="the figure counts this round (its counted visit is here)")


@dataclass(frozen=True)
class VisitFilters:
    """Which visits a figure counts."""

    date_from: date | None = None
    date_to: date | None = None
    unit: str | None = None
    town: str | None = None

    def keeps(self, day: date, unit_id: str, town: str) -> bool:
        """Whether a visit on `day` of `unit_id` at an enterprise of `town` counts."""
        return (
            (self.date_from is None or day >= self.date_from)
            and (self.date_to is None or day <= self.date_to)
            and (self.unit is None or unit_id == self.unit)
            and (self.town is None or town == self.town)
        )


def group_key(group_by: GroupBy | None, day: date, unit_id: str, town: str) -> str:
    """The group a visit falls in."""
    if group_by == "unit":
        return unit_id
    if group_by == "town":
        return town
    if group_by == "month":
        return f"{day:%Y-%m}"
    return "total"


def figures_of(sums: list[int]) -> dict[str, Any]:
    """The figures of a group from its sums (see :data:`MEASURES`): one definition each."""
    requests, rounds, merged, checklists, joint = sums
    return {
        "checklists": checklists,
        "requests": requests,
        "rounds": rounds,
        "visits_saved": requests - rounds,
        "merged_share": round(merged / requests, 4) if requests else 0.0,
        "joint_rounds": joint,
    }
