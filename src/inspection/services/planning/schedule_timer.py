"""In-process firing of the weekly schedules (SQLite, or ``INSPECTION_JOBS=in-process``).

Without workers nothing runs the queue's periodic ``plan.schedule``, so the API process
runs this small thread: every `every_s` it calls
:func:`inspection.services.planning.schedule.fire_due_schedules`. Several API processes
may each run one: the schedule's guarded claim makes one draft per moment all the same.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.planning.jobs import PlanJobs
from inspection.services.planning.schedule import ScheduleClock, fire_due_schedules

__all__ = ["ScheduleTimer"]

_log = logging.getLogger(__name__)


class ScheduleTimer:
    """A daemon thread that fires due schedules every `every_s` seconds until closed."""

    def __init__(
        self, engine: Engine, jobs: PlanJobs, every_s: float, clock: ScheduleClock
    ) -> None:
        self._engine, self._jobs, self._every_s, self._clock = engine, jobs, every_s, clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="schedule-timer", daemon=True)

    def start(self) -> None:
        """Start ticking (the first tick after one period)."""
        self._thread.start()

    def tick(self) -> None:
        """Fire what is due now; a failure is logged, never raised (the next tick retries)."""
        try:
            with Session(self._engine) as session:
                fire_due_schedules(session, self._clock.read(datetime.now(UTC)), self._jobs)
        except Exception:  # a tick must not end the thread; the moment stays due
            _log.exception("weekly schedules: tick failed")

    def close(self) -> None:
        """Stop ticking and wait for a tick under way."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._every_s):
            self.tick()
