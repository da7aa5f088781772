"""Frozen pydantic models of the solution side of the interchange format (1 and 1.1).

Version 1.1 adds a round's `officers` (for each unit of the round that has
officers listed, the ones it sends) and the solution's `draw_seed`, the seed
of the random draw of officers. Both stay unset in a version 1 solution, so
its file is what it always was.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "SOLUTION_FORMAT",
    "SOLUTION_FORMATS",
    "SOLUTION_FORMAT_1_1",
    "Provenance",
    "Round",
    "Solution",
    "SolveStatus",
    "Statistics",
    "Unscheduled",
]

SOLUTION_FORMAT: Final = "inspect-once-solution/1"
SOLUTION_FORMAT_1_1: Final = "inspect-once-solution/1.1"
SOLUTION_FORMATS = (SOLUTION_FORMAT, SOLUTION_FORMAT_1_1)

Id = Annotated[str, Field(min_length=1, max_length=200)]
SolveStatus = Literal["optimal", "feasible", "infeasible", "stopped"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Round(_Frozen):
    """One joint visit to one enterprise on one day."""

    enterprise: Id
    date: date
    requests: tuple[Id, ...] = Field(min_length=1)
    lead_unit: str | None = None
    units: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    officers: dict[str, tuple[str, ...]] | None = None
    """1.1: for each unit of the round that has officers listed, the officers it sends."""

    def officers_of(self, unit: str) -> tuple[str, ...]:
        """The officers `unit` sends to this round (none when it names none)."""
        return () if self.officers is None else self.officers.get(unit, ())


class Unscheduled(_Frozen):
    """A request left out of the plan, with a machine code and a sentence for people."""

    request: Id
    reason: str = Field(min_length=1)
    code: str | None = None


class Statistics(_Frozen):
    """What a plan achieves and how far from perfect it can be at most."""

    requests: int
    scheduled_requests: int
    requested_visits: int
    rounds: int
    visits_saved: int
    scheduled_priority: int
    total_priority: int
    priority_upper_bound: int
    rounds_lower_bound: int
    rounds_lower_bound_proven: int
    priority_gap: float
    rounds_gap: float
    priority_optimal: bool
    rounds_optimal: bool

    @field_validator("priority_gap", "rounds_gap")
    @classmethod
    def _non_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError("a gap is never negative")
        return value


class Provenance(_Frozen):
    """How a plan was made, so an auditor can reproduce it."""

    solver: str
    ortools_version: str
    problem_sha256: str
    seed: int
    parameters: dict[str, Any] = Field(default_factory=dict)
    pinned_rounds: int = 0


class Solution(_Frozen):
    """A plan: rounds, unscheduled requests, and (from this solver) how it was made."""

    format: Literal["inspect-once-solution/1", "inspect-once-solution/1.1"] = SOLUTION_FORMAT
    draw_seed: int | None = None
    """1.1: the seed of the random draw of officers, so the draw can be replayed."""
    status: SolveStatus | None = None
    rounds: tuple[Round, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    statistics: Statistics | None = None
    wall_time_s: float | None = None
    provenance: Provenance | None = None
