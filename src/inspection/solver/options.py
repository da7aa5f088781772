"""Options of a solve, and the live progress it reports."""

from __future__ import annotations

import os
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from inspection.solver.schema import Round, Solution

__all__ = ["MAX_SOLVE_TIME_S", "Progress", "SolveOptions", "default_workers"]

MAX_SOLVE_TIME_S = 86_400.0
"""The longest time limit a solve accepts (a day: any longer is a mistake, not a plan)."""


def default_workers() -> int:
    """One CP-SAT worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class SolveOptions(BaseModel):
    """How to solve.

    Attributes:
        time_limit_s: Wall time the whole solve may take, search included.
        workers: CP-SAT workers; 0 means one per available core.
        seed: Random seed; with one worker the same seed gives the same plan.
        hint: An earlier plan to start from (its rounds that still fit are used).
        pinned: Rounds that keep their enterprise, date, lead unit and requests: no request
            moves out of them, and none joins them unless `open_pins`.
        open_pins: The pinned rounds are open to joiners: a request may join one when its
            window and its enterprise's blackout days allow the round's date, both it and
            every request of the round are joinable, its unit has capacity that day (a unit
            already in the round is counted once) and the round stays within
            `max_units_per_round`. Joining costs no new round, so the search prefers it.
            Off by default: an announced visit does not change its party unless asked.
        log_search: Print CP-SAT's own search log (for diagnosis).
        draw_seed: Seed of the random draw of officers (format 1.1), recorded in the
            solution; by default the search's `seed`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit_s: float = Field(default=30.0, gt=0, le=MAX_SOLVE_TIME_S)
    workers: int = Field(default=0, ge=0, le=256)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    hint: Solution | None = None
    pinned: tuple[Round, ...] = ()
    open_pins: bool = False
    log_search: bool = False
    draw_seed: int | None = Field(default=None, ge=0, le=2**63 - 1)

    def worker_count(self) -> int:
        """The number of workers to use."""
        return self.workers or default_workers()

    def drawn_with(self) -> int:
        """The seed of the officers' draw: `draw_seed` when given, else `seed`."""
        return self.seed if self.draw_seed is None else self.draw_seed


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of a running solve, for progress bars and server-sent events.

    Bounds cover the parts solved so far and the one being solved; parts not
    reached yet count with their starting plan and the weakest bounds. The first
    snapshot (stage 0) is the starting plan, before any search.
    """

    elapsed_s: float
    part: int
    parts: int
    stage: int
    priority: int
    priority_bound: int
    rounds: int
    rounds_bound: int
