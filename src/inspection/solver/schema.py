"""Frozen pydantic models of the `inspect-once/1` interchange format.

The problem side validates everything a file can get wrong on its own (dates,
reversed windows, unknown references, duplicate ids, capacities below one),
so that the solver and the checker can trust what they are given. Cross-record
errors carry the JSON path of the offending field in their context (`path`),
which :mod:`inspection.solver.io` turns into one readable line.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "PROBLEM_FORMAT",
    "SOLUTION_FORMAT",
    "Enterprise",
    "Horizon",
    "Problem",
    "Provenance",
    "Request",
    "Round",
    "Solution",
    "SolveStatus",
    "Statistics",
    "Unit",
    "Unscheduled",
]

PROBLEM_FORMAT = "inspect-once/1"
SOLUTION_FORMAT = "inspect-once-solution/1"

Id = Annotated[str, Field(min_length=1, max_length=200)]
SolveStatus = Literal["optimal", "feasible", "infeasible", "stopped"]


class _Frozen(BaseModel):
    """Base of every interchange model: immutable, and tolerant of extra keys.

    The format lets producers carry keys a solver does not need, so unknown
    keys are ignored rather than rejected.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")


class Horizon(_Frozen):
    """The days being planned, both ends included."""

    start: date
    end: date

    @model_validator(mode="after")
    def _start_not_after_end(self) -> Horizon:
        if self.start > self.end:
            raise PydanticCustomError(
                "reversed_horizon",
                "start {start} is after end {end}",
                {"path": "horizon", "start": str(self.start), "end": str(self.end)},
            )
        return self

    def days(self) -> list[date]:
        """Every calendar day of the horizon, in order."""
        return [
            date.fromordinal(o) for o in range(self.start.toordinal(), self.end.toordinal() + 1)
        ]


class Unit(_Frozen):
    """An enforcement unit (执法单位) and how many rounds it can join per day.

    `capacity_by_date` is this project's extension of the format (other solvers
    ignore it, as the format allows): the rounds the unit can join on given
    days, overriding `daily_capacity`; 0 is a day off. The service uses it for
    capacities that differ by weekday and for a unit's days off.
    """

    id: Id
    name: str = ""
    daily_capacity: int = Field(ge=1)
    capacity_by_date: dict[date, Annotated[int, Field(ge=0)]] | None = None

    def capacity_on(self, day: date) -> int:
        """Rounds the unit can join on `day`."""
        if self.capacity_by_date is not None and day in self.capacity_by_date:
            return self.capacity_by_date[day]
        return self.daily_capacity


class Enterprise(_Frozen):
    """An enterprise, keyed by whatever id the producer uses (usually its credit code)."""

    id: Id
    name: str = ""
    town: str = ""
    blackout_days: tuple[date, ...] = ()


class Request(_Frozen):
    """One unit's wish to inspect one enterprise within a date window."""

    id: Id
    unit: Id
    enterprise: Id
    earliest: date
    latest: date
    joinable: bool = True
    priority: int = Field(default=1, ge=1)
    items: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _window_not_reversed(self) -> Request:
        if self.earliest > self.latest:
            raise PydanticCustomError(
                "reversed_window",
                "earliest {earliest} is after latest {latest}",
                {"earliest": str(self.earliest), "latest": str(self.latest)},
            )
        return self


def _duplicates(ids: list[str]) -> dict[str, int]:
    """Map each id seen before to the index of its second occurrence."""
    seen: set[str] = set()
    dup: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in seen and ident not in dup:
            dup[ident] = index
        seen.add(ident)
    return dup


class Problem(_Frozen):
    """A planning problem: units, enterprises and the requests to merge into rounds."""

    format: Literal["inspect-once/1"]
    name: str = ""
    horizon: Horizon
    non_working_days: tuple[date, ...] | None = None
    max_units_per_round: int = Field(default=4, ge=1)
    units: tuple[Unit, ...] = ()
    enterprises: tuple[Enterprise, ...] = ()
    requests: tuple[Request, ...] = ()

    @model_validator(mode="after")
    def _references_and_ids(self) -> Problem:
        for kind, records in (
            ("units", self.units),
            ("enterprises", self.enterprises),
            ("requests", self.requests),
        ):
            for ident, index in _duplicates([r.id for r in records]).items():
                raise PydanticCustomError(
                    "duplicate_id",
                    "duplicate id '{ident}'",
                    {"path": f"{kind}[{index}].id", "ident": ident},
                )
        unit_ids = {u.id for u in self.units}
        enterprise_ids = {e.id for e in self.enterprises}
        for index, request in enumerate(self.requests):
            if request.unit not in unit_ids:
                raise PydanticCustomError(
                    "unknown_unit",
                    "request '{request}' names unknown unit '{unit}'",
                    {
                        "path": f"requests[{index}].unit",
                        "request": request.id,
                        "unit": request.unit,
                    },
                )
            if request.enterprise not in enterprise_ids:
                raise PydanticCustomError(
                    "unknown_enterprise",
                    "request '{request}' names unknown enterprise '{enterprise}'",
                    {
                        "path": f"requests[{index}].enterprise",
                        "request": request.id,
                        "enterprise": request.enterprise,
                    },
                )
        return self

    def canonical_json(self) -> str:
        """The problem as canonical JSON: sorted keys, no insignificant white space."""
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )

    def sha256(self) -> str:
        """SHA-256 of :meth:`canonical_json`, the fingerprint a plan records."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


class Round(_Frozen):
    """One joint visit to one enterprise on one day."""

    enterprise: Id
    date: date
    requests: tuple[Id, ...] = Field(min_length=1)
    lead_unit: str | None = None
    units: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


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

    format: Literal["inspect-once-solution/1"] = "inspect-once-solution/1"
    status: SolveStatus | None = None
    rounds: tuple[Round, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    statistics: Statistics | None = None
    wall_time_s: float | None = None
    provenance: Provenance | None = None
