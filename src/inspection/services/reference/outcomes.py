"""What a unit's part of a visit came to (检查结果): the codes and their Chinese names.

Low in the wings because the outcomes are recorded in one wing and counted in
another (the figures); the one place their names are defined.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = ["OUTCOME_NAMES", "OutcomeStatus"]


class OutcomeStatus(StrEnum):
    """A unit's outcome of its part of a visit (a `visit_outcomes` row's status)."""

    CARRIED_OUT = "carried_out"
    """已实施: the unit inspected; whether it found a problem is recorded beside."""
    NOT_CARRIED_OUT = "not_carried_out"
    """未实施: the unit did not inspect, for a stated reason."""
    POSTPONED = "postponed"
    """延期: the unit will inspect on another day, for a stated reason."""


OUTCOME_NAMES: Final[dict[OutcomeStatus, str]] = {
    OutcomeStatus.CARRIED_OUT: "已实施",
    OutcomeStatus.NOT_CARRIED_OUT: "未实施",
    OutcomeStatus.POSTPONED: "延期",
}
"""How the desk, the exports and messages name each outcome."""
