"""What the yearly caps say to a checklist being submitted, amended or imported.

A target at which the unit's cap is used up (in every year of the window) refuses
the checklist (:class:`~inspection.services.rules.caps.CapReachedError`, 409); a
target with one visit left, or whose enterprise-wide cap is used up, is a warning
the submission answers with.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from inspection.services.rules.caps import (
    CapReachedError,
    CapStanding,
    enterprise_names,
    submission_caps,
)

__all__ = ["enforce_caps", "refusal_message"]


def refusal_message(code: str, name: str, standing: CapStanding) -> str:
    """How a refusal names the target, the rule and the count."""
    return (
        f"检查对象 {code}（{name or code}）：{standing.year}年{standing.unit_id}在该企业的"
        f"检查上限为 {standing.yearly_limit} 次（{standing.rule}），"
        f"已安排 {standing.used} 次，已用完，不能再提交对该企业的检查"
    )


def enforce_caps(
    session: Session,
    unit_id: str,
    category: str,
    targets: Sequence[str],
    earliest: date,
    latest: date,
) -> list[str]:
    """The warnings for a checklist's targets, or the refusal of the first target whose
    unit cap is used up.

    Raises:
        CapReachedError: a target's unit cap is used up in every year of the window
            (field ``targets[i]``; the ``caps`` extension lists every such cap).
    """
    found = submission_caps(session, unit_id, category, targets, earliest, latest)
    if found.used_up:
        index = min(found.used_up)
        code = targets[index]
        names = enterprise_names(session, [code])
        raise CapReachedError(
            refusal_message(code, names.get(code, ""), found.used_up[index]),
            f"targets[{index}]",
            [found.used_up[i] for i in sorted(found.used_up)],
        )
    return found.warnings
