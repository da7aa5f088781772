"""Frozen pydantic models of the `inspect-once/1` and `inspect-once/1.1` interchange format.

The problem side validates everything a file can get wrong on its own (dates,
reversed windows, unknown references, duplicate ids, capacities below one),
so that the solver and the checker can trust what they are given. Cross-record
errors carry the JSON path of the offending field in their context (`path`),
which :mod:`inspection.solver.io` turns into one readable line.

Version 1.1's rules and officers live in :mod:`inspection.solver.schema_rules`,
the solution side in :mod:`inspection.solver.schema_solution`; both are
re-exported here. A version 1 problem means what it always meant: it may not
use a key of 1.1 (that would be a rule silently ignored), and its canonical
JSON, hence its fingerprint, leaves 1.1's fields out.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from inspection.solver.schema_rules import (
    DEFAULT_CATEGORY,
    Caps,
    Category,
    EnterpriseCap,
    NoDisturbRule,
    Officer,
    QuietDays,
    Rules,
    UnitEnterpriseCap,
    reference_errors,
)
from inspection.solver.schema_solution import (
    SOLUTION_FORMAT,
    SOLUTION_FORMAT_1_1,
    SOLUTION_FORMATS,
    Provenance,
    Round,
    Solution,
    SolveStatus,
    Statistics,
    Unscheduled,
)

__all__ = [
    "DEFAULT_CATEGORY",
    "PROBLEM_FORMAT",
    "PROBLEM_FORMATS",
    "PROBLEM_FORMAT_1_1",
    "SOLUTION_FORMAT",
    "SOLUTION_FORMATS",
    "SOLUTION_FORMAT_1_1",
    "Caps",
    "Enterprise",
    "EnterpriseCap",
    "Horizon",
    "NoDisturbRule",
    "Officer",
    "Problem",
    "Provenance",
    "QuietDays",
    "Request",
    "Round",
    "Rules",
    "Solution",
    "SolveStatus",
    "Statistics",
    "Unit",
    "UnitEnterpriseCap",
    "Unscheduled",
]

PROBLEM_FORMAT = "inspect-once/1"
PROBLEM_FORMAT_1_1 = "inspect-once/1.1"
PROBLEM_FORMATS = (PROBLEM_FORMAT, PROBLEM_FORMAT_1_1)

Id = Annotated[str, Field(min_length=1, max_length=200)]


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
    """An enterprise, keyed by whatever id the producer uses (usually its credit code).

    `no_disturb` (1.1): the enterprise is on the no-disturb list (无事不扰).
    """

    id: Id
    name: str = ""
    town: str = ""
    blackout_days: tuple[date, ...] = ()
    no_disturb: bool = False


class Request(_Frozen):
    """One unit's wish to inspect one enterprise within a date window.

    `category` (1.1) is the kind of check (`routine` unless named).
    """

    id: Id
    unit: Id
    enterprise: Id
    earliest: date
    latest: date
    joinable: bool = True
    priority: int = Field(default=1, ge=1)
    items: tuple[str, ...] = ()
    category: Category = DEFAULT_CATEGORY

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
    """A planning problem: units, enterprises and the requests to merge into rounds.

    A 1.1 problem also carries `rules` (absent: every rule at its default,
    which restricts nothing but staffing) and `officers`.
    """

    format: Literal["inspect-once/1", "inspect-once/1.1"]
    name: str = ""
    horizon: Horizon
    non_working_days: tuple[date, ...] | None = None
    max_units_per_round: int = Field(default=4, ge=1)
    units: tuple[Unit, ...] = ()
    enterprises: tuple[Enterprise, ...] = ()
    requests: tuple[Request, ...] = ()
    rules: Rules | None = None
    officers: tuple[Officer, ...] = ()

    @property
    def is_1_1(self) -> bool:
        """Whether the problem is of format 1.1 (and its solution should be too)."""
        return self.format == PROBLEM_FORMAT_1_1

    @property
    def effective_rules(self) -> Rules:
        """The problem's rules, every part at its default when it states none."""
        return self.rules if self.rules is not None else Rules()

    @property
    def solution_format(self) -> str:
        """The format its solution must say."""
        return SOLUTION_FORMAT_1_1 if self.is_1_1 else SOLUTION_FORMAT

    @model_validator(mode="after")
    def _no_1_1_keys_in_version_1(self) -> Problem:
        if self.is_1_1:
            return self
        used = [("rules", self.rules is not None), ("officers", bool(self.officers))]
        used += [
            (f"enterprises[{i}].no_disturb", e.no_disturb) for i, e in enumerate(self.enterprises)
        ]
        used += [
            (f"requests[{i}].category", r.category != DEFAULT_CATEGORY)
            for i, r in enumerate(self.requests)
        ]
        for path, present in used:
            if present:
                raise PydanticCustomError(
                    "key_of_1_1",
                    "belongs to format '{newer}'; the problem says '{older}'",
                    {"path": path, "newer": PROBLEM_FORMAT_1_1, "older": PROBLEM_FORMAT},
                )
        return self

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
        for error in reference_errors(self.rules, self.officers, unit_ids, enterprise_ids):
            raise error
        return self

    def canonical_json(self) -> str:
        """The problem as canonical JSON: sorted keys, no insignificant white space."""
        # A version 1 problem's fingerprint stays what it was before 1.1 existed.
        exclude: Any = None
        if not self.is_1_1:
            exclude = {
                "rules": True,
                "officers": True,
                "enterprises": {"__all__": {"no_disturb"}},
                "requests": {"__all__": {"category"}},
            }
        return json.dumps(
            self.model_dump(mode="json", exclude=exclude),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def sha256(self) -> str:
        """SHA-256 of :meth:`canonical_json`, the fingerprint a plan records."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
