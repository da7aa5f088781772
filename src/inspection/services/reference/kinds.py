"""The kinds of check (检查类型): what a checklist asks for and how the rules treat it.

Low in the wings (beside the reference data) because the rules, the catalogue and
the checklists all name them; the one place their Chinese names are defined.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = ["TYPE_NAMES", "InspectionType"]


class InspectionType(StrEnum):
    """Why a unit inspects: the kind of check a checklist asks for.

    It is the category of the checklist's requests in the planning core's problem
    (format 1.1, the format's conventional values), where only the rules' exempt
    lists give it meaning: caps, quiet days and the no-disturb list.
    """

    ROUTINE = "routine"
    """日常: planned supervision, joinable with other units' checks."""
    COMPLAINT = "complaint"
    """投诉举报: driven by a complaint; unannounced, never joined with others."""
    SPECIAL = "special"
    """专项: a special campaign, joinable."""
    REFERRAL = "referral"
    """转办交办: referred or assigned by another authority."""
    FOLLOW_UP = "follow_up"
    """整改复查: the follow-up of a rectification."""
    LICENCE = "licence"
    """许可核查: a licence check."""
    SAFETY = "safety"
    """安全生产: a work-safety check."""


TYPE_NAMES: Final[dict[InspectionType, str]] = {
    InspectionType.ROUTINE: "日常",
    InspectionType.COMPLAINT: "投诉",
    InspectionType.SPECIAL: "专项",
    InspectionType.REFERRAL: "转办交办",
    InspectionType.FOLLOW_UP: "整改复查",
    InspectionType.LICENCE: "许可核查",
    InspectionType.SAFETY: "安全生产",
}
"""How the spreadsheets, the desk and messages name each type of check."""
