"""The names of the figures, once, for every view and export (the desk's `labels.js` is tied to
these by a test): one name per figure, and what it means in one sentence."""

from __future__ import annotations

from typing import Final

__all__ = ["BASIS_NAMES", "METRICS", "REPORT_FIGURES", "ROUND_STATE_NAMES", "metric_name"]

METRICS: Final[dict[str, tuple[str, str]]] = {
    "requests": ("请求次数", "各单位要求入企检查的次数（已排入已发布排期的检查）。"),
    "rounds": (
        "实际入企轮次",
        "已公布的进企业门的次数，每轮一次；按执法单位统计时为该单位牵头的轮次。",
    ),
    "visits_saved": (
        "减少入企次数",
        "合并检查少进企业门的次数：已实施的轮次按已实施的请求计，未实施的轮次计 0，"
        "其余轮次按已公布计（请求次数 − 1）；尚无检查结果时等于请求次数 − 实际入企轮次。",
    ),
    "announced_visits_saved": (
        "减少入企次数（按已公布）",
        "请求次数 − 实际入企轮次，按已发布排期计，不看检查结果。",
    ),
    "merged_share": ("合并比例", "与其他检查同一轮进行的请求占全部请求的比例。"),
    "joint_rounds": (
        "多部门联合检查",
        "两个及以上执法单位同去的轮次；按执法单位统计时为该单位牵头的。",
    ),
    "checklists": (
        "已安排检查的清单",
        "有检查排入已发布排期的清单份数，每份只在首次入企时计一次。",
    ),
    "rounds_carried_out": (
        "已实施轮次",
        "牵头单位已确认实施、且至少一个单位已实施的轮次；按执法单位统计时计在该轮的计数请求上。",
    ),
    "requests_carried_out": (
        "已实施请求次数",
        "已实施轮次中，本单位检查结果为“已实施”的请求次数。",
    ),
    "carried_out_visits_saved": (
        "减少入企次数（按已实施）",
        "已实施请求次数 − 已实施轮次。",
    ),
    "rounds_awaiting_confirmation": (
        "待确认轮次",
        "已有单位登记检查结果、尚待牵头单位确认实施的轮次。",
    ),
    "rounds_not_carried_out": (
        "未实施轮次",
        "各单位均登记为“未实施”或“延期”的轮次，不计减少入企次数。",
    ),
    "rounds_without_outcome": (
        "尚无结果轮次",
        "已公布、尚无任何单位登记检查结果的轮次。",
    ),
    "unit_parts_carried_out": (
        "已实施单位检查",
        "已实施轮次中各单位已实施的检查，每个检查码每个单位计一次。",
    ),
    "unit_parts_with_problems": (
        "发现问题的单位检查",
        "已实施单位检查中登记“发现问题”的次数。",
    ),
    "problem_rate": (
        "发现问题率",
        "发现问题的单位检查 ÷ 已实施单位检查（按已实施）；没有已实施的检查时不显示。",
    ),
    "cases_opened": ("立案数", "已实施单位检查中登记已立案的次数。"),
}
"""The figures of `VisitFigures`, by field (its `basis` is named in BASIS_NAMES): (name, what
it means)."""

BASIS_NAMES: Final[dict[str, str]] = {
    "announced": "按已公布",
    "carried_out": "按已实施",
    "mixed": "已实施的按已实施，其余按已公布",
}
"""What the headline visits saved counts (`VisitFigures.basis`)."""

ROUND_STATE_NAMES: Final[dict[str, str]] = {
    "announced": "已公布",
    "awaiting_confirmation": "待确认",
    "carried_out": "已实施",
    "not_carried_out": "未实施",
}
"""Where a live round stands (`carried_out.RoundState`), as the rounds behind a figure say."""

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
    "rounds_carried_out": METRICS["rounds_carried_out"],
    "unit_parts_carried_out": METRICS["unit_parts_carried_out"],
    "problem_rate": METRICS["problem_rate"],
}
"""The figures of the annual report, by field: (name, what it means)."""


def metric_name(field: str) -> str:
    """The name a figure goes by (a field of `VisitFigures` or of the annual report)."""
    return (METRICS.get(field) or REPORT_FIGURES[field])[0]
