"""The plan contract: what a coordinator asks for, the states a plan goes through, what it shows.

:class:`PlanCreate` is validated once, where it enters (the API, the CLI), and
carried whole to the worker: its bounds are the only ones (OpenAPI shows them).
:class:`PlanProgress` is what the worker writes while it solves and what the
API, the CLI and the desk read back, field for field.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from inspection.solver import Progress, Statistics
from inspection.solver.calendar import statutory_years

__all__ = [
    "ACTIVE_STATUSES",
    "DEFAULT_TIME_LIMIT_S",
    "DONE_STATUSES",
    "MAX_HORIZON_DAYS",
    "MAX_TIME_LIMIT_S",
    "MIN_TIME_LIMIT_S",
    "CapacityShare",
    "PlanCreate",
    "PlanOrigin",
    "PlanProgress",
    "PlanPublic",
    "PlanStatus",
]

MAX_HORIZON_DAYS: Final = 92
"""The longest horizon a plan may cover (a quarter)."""
MIN_TIME_LIMIT_S: Final = 1.0
"""The shortest time limit: less cannot pay for building the models of a district's week."""
MAX_TIME_LIMIT_S: Final = 3600.0
"""The longest time limit: an hour, the most a coordinator waits at the desk."""
DEFAULT_TIME_LIMIT_S: Final = 30.0


class PlanOrigin(StrEnum):
    """Who started a plan."""

    MANUAL = "manual"
    """A coordinator, at the desk, the API or the CLI."""
    SCHEDULE = "schedule"
    """The region's weekly schedule (services/planning/schedule.py): a draft for review."""


class PlanStatus(StrEnum):
    """Where a planning run stands; publication is recorded apart (a finished plan may be)."""

    QUEUED = "queued"
    """Stored, waiting for its worker."""
    RUNNING = "running"
    """Its worker is solving; progress is written as the search improves."""
    STORING = "storing"
    """The worker has claimed the plan to store its result. Set and left inside one
    transaction (it becomes finished or stopped before the commit), so no reader ever
    sees it; it keeps a server that restarted meanwhile from storing twice."""
    FINISHED = "finished"
    """Solved within its time limit; its rounds are stored."""
    STOPPED = "stopped"
    """Stopped on request; the best plan found so far is stored."""
    FAILED = "failed"
    """Its worker died, or the server restarted while it ran; nothing is stored."""


ACTIVE_STATUSES: Final = frozenset({PlanStatus.QUEUED, PlanStatus.RUNNING})
"""A plan in these states still has a worker (or will): it may be stopped, not published."""
DONE_STATUSES: Final = frozenset({PlanStatus.FINISHED, PlanStatus.STOPPED})
"""A plan in these states has rounds: it may be exported and published."""


class PlanCreate(BaseModel):
    """The horizon to plan and how long the solver may take."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [{"start": "2024-04-08", "end": "2024-04-14", "time_limit_s": 30}]
        },
    )

    start: date = Field(description="the first day of the horizon")
    end: date = Field(description=f"the last day; at most {MAX_HORIZON_DAYS} days after start")
    time_limit_s: float = Field(
        default=DEFAULT_TIME_LIMIT_S,
        ge=MIN_TIME_LIMIT_S,
        le=MAX_TIME_LIMIT_S,
        description="seconds the solver may take; it stops earlier once the plan is proven best",
    )
    region: str | None = Field(
        default=None,
        max_length=12,
        description="the code of the region to plan, the caller's or one under it "
        "(GET /regions); default: the caller's region",
    )

    @field_validator("start")
    @classmethod
    def _calendar_knows_start(cls, start: date) -> date:
        first, last = statutory_years()
        if not first <= start.year <= last:
            raise ValueError(f"法定节假日历只覆盖 {first}–{last} 年")
        return start

    @field_validator("end")
    @classmethod
    def _horizon(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is None:  # start itself is invalid and reported
            return end
        if start > end:
            raise ValueError(f"开始日期 {start} 晚于结束日期 {end}")
        if (end - start).days + 1 > MAX_HORIZON_DAYS:
            raise ValueError(f"计划期最长 {MAX_HORIZON_DAYS} 天")
        _first, last = statutory_years()
        if end.year > last:
            raise ValueError(f"法定节假日历只覆盖到 {last} 年")
        return end


class PlanProgress(BaseModel):
    """A running plan's best so far, as its worker last reported it."""

    model_config = ConfigDict(frozen=True)

    elapsed_s: float = Field(description="seconds since the solve started")
    part: int = Field(default=1, description="the independent part being solved, from 1")
    parts: int = Field(default=1, description="how many independent parts the problem has")
    stage: int = Field(default=0, description="0: the starting plan; 1: priority; 2: rounds")
    priority: int = Field(description="scheduled priority of the best plan found")
    priority_bound: int = Field(description="no plan schedules more priority")
    rounds: int = Field(description="rounds of the best plan found")
    rounds_bound: int = Field(description="no plan reaching that priority uses fewer rounds")

    @classmethod
    def of(cls, progress: Progress) -> PlanProgress:
        """The solver's snapshot as the service keeps it."""
        return cls(
            elapsed_s=progress.elapsed_s,
            part=progress.part,
            parts=progress.parts,
            stage=progress.stage,
            priority=progress.priority,
            priority_bound=progress.priority_bound,
            rounds=progress.rounds,
            rounds_bound=progress.rounds_bound,
        )


class PlanPublic(BaseModel):
    """A planning run and what it has reached."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "start": "2024-04-08",
                    "end": "2024-04-14",
                    "time_limit_s": 30,
                    "status": "running",
                    "published": False,
                    "superseded_by": None,
                    "solver_status": None,
                    "progress": {
                        "elapsed_s": 4.5,
                        "part": 1,
                        "parts": 1,
                        "stage": 2,
                        "priority": 212,
                        "priority_bound": 212,
                        "rounds": 61,
                        "rounds_bound": 58,
                    },
                    "statistics": None,
                    "error": None,
                }
            ]
        }
    )

    id: int
    start: date
    end: date
    time_limit_s: float
    status: PlanStatus
    published: bool
    superseded_by: int | None = Field(
        default=None,
        description="the plan published later over some of its days, which replaced it there",
    )
    region_id: int | None = Field(default=None, description="the region it plans (GET /regions)")
    origin: PlanOrigin = Field(
        default=PlanOrigin.MANUAL,
        description="manual: a coordinator started it; schedule: the region's weekly draft",
    )
    scheduled_for: date | None = Field(
        default=None, description="a weekly draft: the day of the schedule's moment it is for"
    )
    solver_status: str | None
    progress: PlanProgress | None
    statistics: Statistics | None
    error: str | None


class CapacityShare(BaseModel):
    """A district's share of one day of a unit that works in several districts (design §7)."""

    unit_id: str
    unit_name: str
    region: str = Field(description="the district's code (行政区划代码)")
    region_name: str
    day: date
    available: int = Field(description="rounds the unit can still do that day, all districts")
    demand: int = Field(description="the district's requests of the unit that day")
    capacity: int = Field(description="the district's share of the rounds")
    officers: list[str] = Field(description="officer ids given to the district that day")
