"""Ending a running CP-SAT or GLOP solve soon after the caller's stop signal.

Both solvers block the calling thread until they finish, so a stop request set
from another thread (the plan service's "stop" button) must be relayed to them:
a helper thread waits for the signal and asks the solver to halt, which makes
CP-SAT return its best solution so far and GLOP give up its simplex.

The request is repeated until the solve returns: either solver forgets one that
comes before its solve has really started (CP-SAT's `stop_search` finds no
running search to stop; GLOP clears its interrupt flag when `Solve` begins).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model

__all__ = ["halting_on", "solve_stoppable"]

# How often the relay looks at the stop signal, and repeats its request once set (seconds).
_POLL_S = 0.05


@contextmanager
def halting_on(stop: threading.Event | None, halt: Callable[[], object]) -> Iterator[None]:
    """While the block runs, call `halt` from a helper thread as soon as `stop` is set.

    Args:
        stop: The caller's stop signal; None means the block runs undisturbed.
        halt: Asks the solver running in the block to end (thread-safe in both solvers).
    """
    if stop is None:
        yield
        return
    finished = threading.Event()

    def relay() -> None:
        while not finished.is_set():
            if stop.wait(_POLL_S) and not finished.is_set():
                halt()
                finished.wait(_POLL_S)

    thread = threading.Thread(target=relay, name="solver-stop-relay", daemon=True)
    thread.start()
    try:
        yield
    finally:
        finished.set()
        thread.join()


def solve_stoppable(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    stop: threading.Event | None = None,
) -> int:
    """`solver.solve(model, callback)`, ending within a poll or so of `stop` being set.

    A stopped search returns FEASIBLE with its best solution, or UNKNOWN if it had none.
    """
    with halting_on(stop, solver.stop_search):
        return int(solver.solve(model, callback))
