"""Errors raised by the planning core.

The core keeps its own small hierarchy so that it depends on nothing above
it; :mod:`inspection.errors` folds these into the service's one hierarchy.
"""

from __future__ import annotations

__all__ = [
    "InvalidOptionsError",
    "InvalidProblemError",
    "PlanningCoreError",
    "StaffingError",
    "UnknownCalendarError",
]


class PlanningCoreError(ValueError):
    """Base of every error the planning core raises on bad input.

    Attributes:
        path: JSON path of the offending field (``requests[3].unit``), or ``""``.
        problem: What is wrong, in one sentence.
        source: The file the input came from, when there was one.
    """

    def __init__(self, path: str, problem: str, source: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.source = source
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as ``file: path: problem``, leaving out the parts that are unknown."""
        parts = [p for p in (self.source, self.path) if p]
        return ": ".join([*parts, self.problem])


class InvalidProblemError(PlanningCoreError):
    """A problem or solution document that does not follow the format."""


class InvalidOptionsError(PlanningCoreError):
    """Solve options that cannot apply to the problem (a pinned round that breaks a rule, say)."""


class UnknownCalendarError(PlanningCoreError):
    """A day outside the years the statutory calendar knows, with no explicit calendar given."""


class StaffingError(PlanningCoreError):
    """A plan whose rounds a unit cannot staff: too few eligible officers on some day (1.1)."""
