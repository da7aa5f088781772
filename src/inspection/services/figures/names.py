"""The names of the figures, once, for every view and export (the desk's `labels.js` is tied to
these by a test): one name per figure, and what it means in one sentence."""

from __future__ import annotations

from typing import Final

__all__ = ["METRICS", "REPORT_FIGURES", "metric_name"]

METRICS: Final[dict[str, tuple[str, str]]] = {
    "requests": ("请求次数", "各单位要求入企检查的次数（已排入已发布排期的检查）。"),
    "rounds": (
        "实际入企轮次",
        "实际进企业门的次数，每轮一次；按执法单位统计时为该单位牵头的轮次。",
    ),
    "visits_saved": ("减少入企次数", "请求次数 − 实际入企轮次：合并检查少进企业门的次数。"),
    "merged_share": ("合并比例", "与其他检查同一轮进行的请求占全部请求的比例。"),
    "joint_rounds": (
        "多部门联合检查",
        "两个及以上执法单位同去的轮次；按执法单位统计时为该单位牵头的。",
    ),
    "checklists": (
        "已安排检查的清单",
        "有检查排入已发布排期的清单份数，每份只在首次入企时计一次。",
    ),
}
"""The figures of `VisitFigures`, by field: (name, what it means)."""

REPORT_FIGURES: Final[dict[str, tuple[str, str]]] = {
    "checklists_drawn_up": (
        "制定的检查清单",
        "当年提交（未撤回）、检查时间窗口在当年的检查清单份数。",
    ),
    "joint_inspections": METRICS["joint_rounds"],
    "rounds": METRICS["rounds"],
    "requests": METRICS["requests"],
    "visits_saved": METRICS["visits_saved"],
    "enterprises_covered": ("覆盖企业", "当年有已发布检查的企业家数。"),
    "units_taking_part": ("参与执法单位", "当年有检查排入已发布排期的执法单位个数。"),
    "merged_share": METRICS["merged_share"],
}
"""The figures of the annual report, by field: (name, what it means)."""


def metric_name(field: str) -> str:
    """The name a figure goes by (a field of `VisitFigures` or of the annual report)."""
    return (METRICS.get(field) or REPORT_FIGURES[field])[0]
