"""The checker's violation codes and the rule of the format document each one breaks.

Rules 0-10 are the format document's ("What makes a solution valid" and, for
1.1, "What makes a 1.1 solution valid"); 11 and 12 are this project's own:
11, a plan's derived fields (a round's `units` and `items`, the `statistics`
block) agree with what its rounds imply; 12, a plan made with pinned rounds
keeps them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["DERIVED_FIELDS_RULE", "PINS_RULE", "RULE_OF_CODE", "Violation", "ViolationCode"]

DERIVED_FIELDS_RULE = 11
PINS_RULE = 12


class ViolationCode(StrEnum):
    """Machine codes of the violations; :data:`RULE_OF_CODE` gives each one's rule."""

    BAD_FORMAT = "BAD_FORMAT"
    UNKNOWN_ENTERPRISE = "UNKNOWN_ENTERPRISE"
    EMPTY_ROUND = "EMPTY_ROUND"
    BAD_LEAD_UNIT = "BAD_LEAD_UNIT"
    UNKNOWN_REQUEST = "UNKNOWN_REQUEST"
    REQUEST_MISSING = "REQUEST_MISSING"
    REQUEST_TWICE = "REQUEST_TWICE"
    EMPTY_REASON = "EMPTY_REASON"
    WRONG_ENTERPRISE = "WRONG_ENTERPRISE"
    OUTSIDE_WINDOW = "OUTSIDE_WINDOW"
    OUTSIDE_HORIZON = "OUTSIDE_HORIZON"
    NON_WORKING_DAY = "NON_WORKING_DAY"
    BLACKOUT_DAY = "BLACKOUT_DAY"
    TWO_ROUNDS_SAME_DAY = "TWO_ROUNDS_SAME_DAY"
    TOO_MANY_UNITS = "TOO_MANY_UNITS"
    NOT_JOINABLE_SHARED = "NOT_JOINABLE_SHARED"
    UNIT_OVER_CAPACITY = "UNIT_OVER_CAPACITY"
    QUIET_DAY = "QUIET_DAY"
    NO_DISTURB = "NO_DISTURB"
    UNIT_CAP_EXCEEDED = "UNIT_CAP_EXCEEDED"
    ENTERPRISE_CAP_EXCEEDED = "ENTERPRISE_CAP_EXCEEDED"
    OFFICER_COUNT = "OFFICER_COUNT"
    OFFICER_REPEATED = "OFFICER_REPEATED"
    OFFICER_NOT_OF_UNIT = "OFFICER_NOT_OF_UNIT"
    OFFICER_DAY_OFF = "OFFICER_DAY_OFF"
    OFFICER_RECUSED = "OFFICER_RECUSED"
    OFFICER_OVER_DAILY_ROUNDS = "OFFICER_OVER_DAILY_ROUNDS"
    OFFICERS_OF_OTHER_UNIT = "OFFICERS_OF_OTHER_UNIT"
    ROUND_UNITS_MISMATCH = "ROUND_UNITS_MISMATCH"
    ROUND_ITEMS_MISMATCH = "ROUND_ITEMS_MISMATCH"
    STATISTICS_MISMATCH = "STATISTICS_MISMATCH"
    BOUND_CONTRADICTED = "BOUND_CONTRADICTED"
    PINNED_ROUND_MISSING = "PINNED_ROUND_MISSING"
    PINNED_ROUND_CHANGED = "PINNED_ROUND_CHANGED"
    PINNED_ROUND_JOINED = "PINNED_ROUND_JOINED"


RULE_OF_CODE: dict[ViolationCode, int] = {
    ViolationCode[name]: rule
    for rule, names in enumerate(
        (
            "BAD_FORMAT UNKNOWN_ENTERPRISE EMPTY_ROUND BAD_LEAD_UNIT",
            "UNKNOWN_REQUEST REQUEST_MISSING REQUEST_TWICE EMPTY_REASON",
            "WRONG_ENTERPRISE OUTSIDE_WINDOW OUTSIDE_HORIZON NON_WORKING_DAY BLACKOUT_DAY",
            "TWO_ROUNDS_SAME_DAY",
            "TOO_MANY_UNITS",
            "NOT_JOINABLE_SHARED",
            "UNIT_OVER_CAPACITY",
            "QUIET_DAY",
            "NO_DISTURB",
            "UNIT_CAP_EXCEEDED ENTERPRISE_CAP_EXCEEDED",
            "OFFICER_COUNT OFFICER_REPEATED OFFICER_NOT_OF_UNIT OFFICER_DAY_OFF OFFICER_RECUSED "
            "OFFICER_OVER_DAILY_ROUNDS OFFICERS_OF_OTHER_UNIT",
            "ROUND_UNITS_MISMATCH ROUND_ITEMS_MISMATCH STATISTICS_MISMATCH BOUND_CONTRADICTED",
            "PINNED_ROUND_MISSING PINNED_ROUND_CHANGED PINNED_ROUND_JOINED",
        )
    )
    for name in names.split()
}
"""The rule each code breaks: 0-10 the format document's, 11 the plan's derived fields, 12
the pinned rounds (both this project's own)."""


class Violation(BaseModel):
    """One broken rule: its number (see :data:`RULE_OF_CODE`), a machine code and a sentence."""

    model_config = ConfigDict(frozen=True)

    rule: int
    code: ViolationCode
    message: str
