"""Why a request is left out: a machine code and a sentence for people (in Chinese)."""

from __future__ import annotations

from collections import Counter

from inspection.solver.instance import Instance
from inspection.solver.occupancy import Occupancy
from inspection.solver.reason_codes import REASON_CODES, ReasonCode
from inspection.solver.schema import Unscheduled

__all__ = [
    "BLOCKER_WORDS",
    "REASON_CODES",
    "SENTENCES",
    "ReasonCode",
    "explain_left_out",
    "explain_pin_conflicts",
]

# What a person reads for each code; {earliest}, {latest} and {details} are filled in.
SENTENCES: dict[ReasonCode, str] = {
    ReasonCode.WINDOW_OUTSIDE_HORIZON: "检查时间窗口（{earliest}至{latest}）不在本次计划期内。",
    ReasonCode.NO_WORKING_DAY_IN_WINDOW: (
        "检查时间窗口（{earliest}至{latest}）在计划期内没有工作日。"
    ),
    ReasonCode.BLACKOUT_COVERS_WINDOW: "检查时间窗口内的工作日均为该企业不接受检查的日期。",
    ReasonCode.UNIT_DAYS_OFF: "检查时间窗口内企业可接受检查的日子都是本单位的休息日。",
    ReasonCode.PINNED_ROUNDS_FILL_WINDOW: (
        "检查时间窗口内的可检查日已被已发布的检查轮次占用，或本单位当日能力已被其用尽。"
    ),
    ReasonCode.UNIT_CAPACITY_FULL: "检查时间窗口内每个可检查日，本单位的每日检查能力均已排满。",
    ReasonCode.ROUND_FULL: "检查时间窗口内该企业的联合检查轮次均已达到参加单位数上限。",
    ReasonCode.ENTERPRISE_DAY_TAKEN: "检查时间窗口内该企业每个可检查日均已安排了不能合并的检查。",
    ReasonCode.NO_FREE_SLOT: "检查时间窗口内没有可安排的日期：{details}。",
    ReasonCode.PINNED_ROUNDS_CONFLICT: "已发布的检查轮次无法保持：{details}",
    ReasonCode.QUIET_DAY: "检查时间窗口内可检查的日子均为宁静日，此类检查不在宁静日开展。",
    ReasonCode.NO_DISTURB: "该企业列入“无事不扰”名单，此类检查不予安排。",
    ReasonCode.CAP_REACHED: "本年度对该企业的检查次数已达上限。",
    ReasonCode.NO_OFFICER: (
        "检查时间窗口内每个可检查日，本单位都没有足够的可派执法人员（休息、回避或当日任务已满）。"
    ),
}
# Pin conflicts quoted in the sentence; the rest are left out to keep it readable.
_PIN_CONFLICTS_SHOWN = 3

# The words for one day's obstacle in a NO_FREE_SLOT sentence, by code (the 1.1 ones too).
BLOCKER_WORDS: dict[ReasonCode, str] = {
    ReasonCode.UNIT_CAPACITY_FULL: "{n}天本单位检查能力已满",
    ReasonCode.ROUND_FULL: "{n}天该企业的联合检查已达单位数上限",
    ReasonCode.ENTERPRISE_DAY_TAKEN: "{n}天该企业已有不能合并的检查",
    ReasonCode.QUIET_DAY: "{n}天为宁静日",
    ReasonCode.CAP_REACHED: "{n}天检查次数上限已用尽",
    ReasonCode.NO_OFFICER: "{n}天没有足够的可派执法人员",
}


def explain_left_out(instance: Instance, occupancy: Occupancy, index: int) -> Unscheduled:
    """The reason request `index` is not in the plan.

    A request with no possible day at all gets the code found while indexing;
    one that had days gets what blocks it on each of them in the final plan.
    """
    request = instance.problem.requests[index]
    code = instance.precluded.get(index)
    details = ""
    if code is None:
        slot = instance.slots[index]
        found = Counter(occupancy.blocker(slot, day) for day in slot.days)
        if None in found:
            raise AssertionError(f"request {request.id} fits the plan but was left out")
        # the days a rule took from its window count too (quiet days, no officer)
        blockers = Counter({b.value: n for b, n in found.items() if b is not None})
        blockers.update(instance.removed.get(index, Counter()))
        if len(blockers) == 1:
            code = next(iter(blockers))
        else:
            code = ReasonCode.NO_FREE_SLOT
            details = "，".join(
                BLOCKER_WORDS[blocker].format(n=count)
                for blocker, count in sorted(blockers.items(), key=lambda kv: -kv[1])
            )
    sentence = SENTENCES[code].format(
        earliest=request.earliest, latest=request.latest, details=details
    )
    return Unscheduled(request=request.id, reason=sentence, code=code)


def explain_pin_conflicts(conflicts: list[str]) -> str:
    """The sentence every request gets when the pinned rounds themselves break a rule."""
    return SENTENCES[ReasonCode.PINNED_ROUNDS_CONFLICT].format(
        details="；".join(conflicts[:_PIN_CONFLICTS_SHOWN])
    )
