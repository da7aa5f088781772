"""The job queue's part in a plan solved in district parts, played here: a recorder of what
was deferred, and the parts' jobs run in order (docs/province-platform.md §8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.planning.part_runs import claim_part, run_part

__all__ = ["Recorder", "run_parts"]


@dataclass
class Recorder:
    """The queue's part: what was deferred, in order (job ids made up)."""

    parts: list[int] = field(default_factory=list)
    merges: list[int] = field(default_factory=list)

    def defer_parts(self, session: Session, part_ids: Sequence[int]) -> list[int]:
        """Record the parts' jobs; made-up job ids."""
        self.parts.extend(part_ids)
        return [10_000 + part_id for part_id in part_ids]

    def defer_merge(self, session: Session, plan_id: int) -> None:
        """Record the merge's job."""
        self.merges.append(plan_id)


def run_parts(engine: Engine, jobs: Recorder, part_ids: Sequence[int] | None = None) -> None:
    """Claim and solve the parts deferred (or those of `part_ids`), in order, as their
    jobs would."""
    for part_id in jobs.parts if part_ids is None else part_ids:
        attempt = claim_part(engine, part_id)
        assert attempt is not None
        run_part(engine, part_id, attempt, jobs)
