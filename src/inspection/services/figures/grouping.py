"""What a figures query asks for (a period, a unit, a town, a split) and the sums it adds up,
shared by the published figures (summed in the database) and a plan's (summed here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = [
    "MEASURES",
    "OUTCOME_MEASURES",
    "Basis",
    "GroupBy",
    "RoundBehind",
    "VisitFilters",
    "figures_of",
    "group_key",
]

GroupBy = Literal["unit", "town", "month"]
Basis = Literal["announced", "carried_out", "mixed"]
"""What the headline visits saved counts (names: `figures/names.py` BASIS_NAMES): the
announced rounds only (no outcome yet), what was carried out only (every round in it has
a final outcome), or each round by what is known of it."""
OUTCOME_MEASURES = (
    "outcome_requests",
    "outcome_rounds",
    "final_requests",
    "final_rounds",
    "rounds_carried_out",
    "requests_carried_out",
    "rounds_awaiting_confirmation",
    "rounds_not_carried_out",
    "unit_parts_carried_out",
    "unit_parts_with_problems",
    "cases_opened",
)
"""What is summed per group over the rounds with outcomes, in this order: announced
requests and counted visits of rounds with an outcome; announced requests and counted
visits of rounds whose state is final (carried out or not carried out); then the
carried-out figures (see :mod:`~inspection.services.figures.carried_out`)."""
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
    state: str = Field(
        default="announced",
        description="a RoundState: announced | awaiting_confirmation | carried_out | "
        "not_carried_out",
    )
    requests_carried_out: list[int] = Field(
        default_factory=list, description="the requests of it the carried-out figures count"
    )
    counted_carried_out: bool = Field(
        default=False, description="rounds_carried_out counts this round here"
    )
    unit_parts_carried_out: list[str] = Field(
        default_factory=list,
        description="the units whose carried-out part the detection rate counts here",
    )
    unit_parts_with_problems: list[str] = Field(
        default_factory=list, description="those of them that found a problem"
    )


@dataclass(frozen=True)
class VisitFilters:
    """Which visits a figure counts."""

    date_from: date | None = None
    date_to: date | None = None
    unit: str | None = None
    town: str | None = None
    region_path: str | None = None
    """Only visits at enterprises of this region or under it (None: every region)."""

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


def figures_of(sums: list[int], outcomes: list[int] | None = None) -> dict[str, Any]:
    """The figures of a group from its sums (see :data:`MEASURES`) and its outcome sums
    (:data:`OUTCOME_MEASURES`; None: no outcome):
    one definition each, the headline visits saved included."""
    requests, rounds, merged, checklists, joint = sums
    (
        outcome_requests,
        outcome_rounds,
        final_requests,
        final_rounds,
        rounds_carried_out,
        requests_carried_out,
        awaiting,
        not_carried_out,
        parts,
        parts_with_problems,
        cases,
    ) = outcomes or [0] * len(OUTCOME_MEASURES)
    announced_saved = requests - rounds
    carried_out_saved = requests_carried_out - rounds_carried_out
    basis: Basis = "announced"
    if outcome_requests:
        basis = "carried_out" if final_requests == requests else "mixed"
    return {
        "checklists": checklists,
        "requests": requests,
        "rounds": rounds,
        # rounds with a final outcome count what was carried out (0 when nothing was)
        "visits_saved": announced_saved - (final_requests - final_rounds) + carried_out_saved,
        "basis": basis,
        "announced_visits_saved": announced_saved,
        "merged_share": round(merged / requests, 4) if requests else 0.0,
        "joint_rounds": joint,
        "rounds_carried_out": rounds_carried_out,
        "requests_carried_out": requests_carried_out,
        "carried_out_visits_saved": carried_out_saved,
        "rounds_awaiting_confirmation": awaiting,
        "rounds_not_carried_out": not_carried_out,
        "rounds_without_outcome": rounds - outcome_rounds,
        "unit_parts_carried_out": parts,
        "unit_parts_with_problems": parts_with_problems,
        "problem_rate": round(parts_with_problems / parts, 4) if parts else None,
        "cases_opened": cases,
    }
