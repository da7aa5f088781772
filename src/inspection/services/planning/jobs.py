"""Who solves a queued plan: one small interface over the in-process runner and the job queue.

The use cases see :class:`PlanJobs` only. :class:`InProcessJobs` (SQLite, and PostgreSQL
with ``INSPECTION_JOBS=in-process``) hands plans to today's :class:`PlanRunner` once their
transaction has committed; :class:`inspection.services.planning.queue.QueueJobs` (PostgreSQL,
the default there) defers a procrastinate job inside that transaction, for
``inspection worker`` processes to run (docs/province-platform.md §1).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import event
from sqlmodel import Session

from inspection.services.planning.runner import PlanRunner, fail_interrupted_plans

__all__ = ["InProcessJobs", "PlanJobs"]


class PlanJobs(Protocol):
    """What starts, stops and recovers the solves of queued plans."""

    def enqueue(self, session: Session, plan_id: int, lock_key: str) -> None:
        """Plan `plan_id` was added in `session`'s open transaction: have it solved once that
        transaction commits (and never if it rolls back). `lock_key` names its region and
        horizon, so that a duplicate still waiting is refused.

        Raises:
            PlanClashError: a job with the same `lock_key` is still waiting.
        """

    def request_abort(self, session: Session, plan_id: int) -> None:
        """Within `session`'s transaction: ask a running solve of `plan_id` to stop early."""

    def resume(self) -> None:
        """At API start-up: pick up what a previous server left."""

    def close(self) -> None:
        """At API shutdown: start nothing more."""


class InProcessJobs:
    """Plans solved in processes the API spawns (:class:`PlanRunner`), after their commit."""

    def __init__(self, runner: PlanRunner) -> None:
        self.runner = runner

    def enqueue(self, session: Session, plan_id: int, lock_key: str) -> None:
        """Start the runner once `session` commits (a rolled-back plan starts nothing)."""

        def started(_: Session) -> None:
            self.runner.start(plan_id)

        event.listen(session, "after_commit", started, once=True)

    def request_abort(self, session: Session, plan_id: int) -> None:
        """Nothing beyond the plan's `stop_requested`, which the worker process polls."""

    def resume(self) -> None:
        """Fail the plans a killed server left solving, start those left queued."""
        fail_interrupted_plans(self.runner.engine)
        self.runner.resume()

    def close(self) -> None:
        """Start no more worker processes."""
        self.runner.close()
