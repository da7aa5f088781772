"""A `PlanJobs` that starts nothing, for tests that only need plans stored."""

from __future__ import annotations

from sqlmodel import Session

__all__ = ["StubJobs"]


class StubJobs:
    """Stands in for `PlanJobs`: plans stay queued, no solver process is started."""

    def enqueue(self, session: Session, plan_id: int, lock_key: str) -> None:
        pass

    def request_abort(self, session: Session, plan_id: int) -> None:
        pass

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass
