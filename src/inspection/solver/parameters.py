"""How every CP-SAT solve of the planning core is set up: one place for its parameters.

The bounds come from the LP, which must see the implications linking requests
to rounds: only the second linearization level puts them in, so every solve
uses it, the full-model stages and the neighbourhood search's slices alike.

Which workers run (with two or more; one worker is CP-SAT's default search):

- `Portfolio.PROVING`, for a proof to make (the rounds stage of a small part):
  the LP-based tree search and the full-LP search, which close the rounds bound
  several times faster than the default portfolio;
- `Portfolio.FINDING`, where the bound is already known (the priority stage,
  whose bound the GLOP relaxation gives, and the rounds polish of a large part):
  the full-LP search replaces the default one beside the neighbourhood workers,
  which find the plans that reach that bound (HS seed 3: 2.7 s instead of
  unproven at 10 s);
- `Portfolio.DEFAULT`: CP-SAT's own, for the slices of the neighbourhood search.
"""

from __future__ import annotations

from enum import Enum

from ortools.sat.python import cp_model

__all__ = ["MIN_SOLVE_S", "Portfolio", "cp_solver"]

# The least time a CP-SAT solve is started with: with less it may return without even the
# hinted solution, so a shorter budget is raised to it or the solve is skipped.
MIN_SOLVE_S = 0.05
# The LP sees the request-to-round implications only from this level on (see above).
_LINEARIZATION_LEVEL = 2


class Portfolio(Enum):
    """Which CP-SAT workers a solve runs (see the module's docstring for why)."""

    PROVING = "proving"
    FINDING = "finding"
    DEFAULT = "default"


def cp_solver(
    time_limit_s: float,
    workers: int,
    seed: int,
    *,
    portfolio: Portfolio = Portfolio.DEFAULT,
    log_search: bool = False,
) -> cp_model.CpSolver:
    """A CP-SAT solver set up for the planning core's models.

    Args:
        time_limit_s: Wall time the solve may take, used as given.
        workers: CP-SAT workers; the portfolio applies from two on.
        seed: CP-SAT's random seed.
        portfolio: Which workers run.
        log_search: Print CP-SAT's search log.
    """
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log_search
    solver.parameters.linearization_level = _LINEARIZATION_LEVEL
    if workers >= 2 and portfolio is Portfolio.PROVING:
        solver.parameters.subsolvers.extend(["lb_tree_search", "max_lp"])
    elif workers >= 2 and portfolio is Portfolio.FINDING:
        solver.parameters.ignore_subsolvers.append("default_lp")
        solver.parameters.extra_subsolvers.append("max_lp")
    return solver
