"""The planning core: merge inspection requests into joint rounds.

A pure function over the interchange format: no files, no database, no HTTP.

    >>> from inspection.solver import SolveOptions, solve, check
    >>> solution = solve(problem, SolveOptions(time_limit_s=10))
    >>> assert check(problem, solution).ok
"""

from inspection.solver.check import CheckReport, check, rounds_lower_bound
from inspection.solver.errors import (
    InvalidOptionsError,
    InvalidProblemError,
    PlanningCoreError,
    StaffingError,
    UnknownCalendarError,
)
from inspection.solver.greedy_solution import greedy_solution
from inspection.solver.officers import draw_officers
from inspection.solver.options import Progress, SolveOptions
from inspection.solver.reason_codes import ReasonCode
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Problem,
    Request,
    Round,
    Solution,
    Statistics,
    Unit,
    Unscheduled,
)
from inspection.solver.solve import solve

__all__ = [
    "CheckReport",
    "Enterprise",
    "Horizon",
    "InvalidOptionsError",
    "InvalidProblemError",
    "PlanningCoreError",
    "Problem",
    "Progress",
    "ReasonCode",
    "Request",
    "Round",
    "Solution",
    "SolveOptions",
    "StaffingError",
    "Statistics",
    "Unit",
    "UnknownCalendarError",
    "Unscheduled",
    "check",
    "draw_officers",
    "greedy_solution",
    "rounds_lower_bound",
    "solve",
]
