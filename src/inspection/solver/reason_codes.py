"""The machine codes this solver gives a request it leaves out.

A leaf module: indexing, occupancy and the reasons all name these codes, and
reasons.py imports the first two.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["REASON_CODES", "ReasonCode"]


class ReasonCode(StrEnum):
    """Why a request is not in the plan; its value is what `Unscheduled.code` carries.

    Other solvers may write other codes (the format only asks for a sentence),
    so the interchange schema keeps `code` a plain string.
    """

    #: The request's window and the plan's horizon do not overlap.
    WINDOW_OUTSIDE_HORIZON = "WINDOW_OUTSIDE_HORIZON"
    #: The part of the window inside the horizon has no working day.
    NO_WORKING_DAY_IN_WINDOW = "NO_WORKING_DAY_IN_WINDOW"
    #: Every working day of the window is one of the enterprise's blackout days.
    BLACKOUT_COVERS_WINDOW = "BLACKOUT_COVERS_WINDOW"
    #: Every working day the enterprise accepts in the window is a day off of the unit.
    UNIT_DAYS_OFF = "UNIT_DAYS_OFF"
    #: Pinned rounds take each day left: the enterprise's day, or the unit's capacity on it.
    PINNED_ROUNDS_FILL_WINDOW = "PINNED_ROUNDS_FILL_WINDOW"
    #: In the final plan, the unit's capacity is used up on each of the request's days.
    UNIT_CAPACITY_FULL = "UNIT_CAPACITY_FULL"
    #: In the final plan, each day's round at the enterprise has `max_units_per_round` units.
    ROUND_FULL = "ROUND_FULL"
    #: In the final plan, each day has a non-joinable check, or a round and this one is not
    #: joinable.
    ENTERPRISE_DAY_TAKEN = "ENTERPRISE_DAY_TAKEN"
    #: In the final plan, the request's days are blocked by a mix of the last three.
    NO_FREE_SLOT = "NO_FREE_SLOT"
    #: 1.1: every day the request could take is a quiet day, and its category is not exempt.
    QUIET_DAY = "QUIET_DAY"
    #: 1.1: the enterprise is on the no-disturb list and the category is not exempt.
    NO_DISTURB = "NO_DISTURB"
    #: 1.1: a yearly cap (the unit's at the enterprise, or the enterprise's) is used up.
    CAP_REACHED = "CAP_REACHED"
    #: 1.1: on each of the request's days the unit has too few eligible officers left
    #: (days off, recusals, the officers' daily rounds).
    NO_OFFICER = "NO_OFFICER"
    #: The pinned rounds themselves break a rule (status `infeasible`): every request gets it.
    PINNED_ROUNDS_CONFLICT = "PINNED_ROUNDS_CONFLICT"


REASON_CODES: tuple[ReasonCode, ...] = tuple(ReasonCode)
