"""Plan-worker stand-ins for the runner's tests: a spawned process imports them by name."""

from __future__ import annotations

import time

from inspection.services.planning.runner import exit_with_parent

__all__ = ["guarded_worker", "unguarded_worker"]

_LONG_SOLVE_S = 600  # far longer than any test waits


def guarded_worker() -> None:
    """A worker as the runner starts it: the guard first, then a long solve."""
    exit_with_parent()
    time.sleep(_LONG_SOLVE_S)


def unguarded_worker() -> None:
    """The same worker without the guard (the control: it outlives its parent)."""
    time.sleep(_LONG_SOLVE_S)
