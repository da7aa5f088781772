"""The fixed text of every notice: the documents always asked for and the enterprise's rights.

Defined once here, so the printed notice, its JSON form and the tests say the same.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["STANDARD_DOCUMENTS", "STATEMENTS", "split_documents"]

STANDARD_DOCUMENTS: Final = (
    "营业执照副本",
    "相关许可证件",
    "近期整改记录",
    "法定代表人身份证明或授权委托书",
)
"""What every enterprise has ready for any joint inspection, before the items' own."""

STATEMENTS: Final = (
    "执法人员不少于两人，检查时应当主动出示行政执法证件。贵单位有权要求执法人员出示执法证件，"
    "证件不符或未出示的，可以拒绝检查。",
    "贵单位有权扫描本通知书上的二维码，或访问核验网址输入检查码，核验本次检查的真实性、"
    "检查事项、法律依据和执法人员。",
    "执法人员与贵单位有直接利害关系或者有其他关系可能影响公正检查的，贵单位有权申请回避。",
    "本次检查为“综合查一次”联合检查，各参与单位一次进门、同步检查，不另行分别入企检查同一事项。",
    "检查结束后，贵单位有权对本次检查进行评价；对检查中的违法违规行为，可以向牵头单位或司法行政部门投诉举报。",
)
"""The enterprise's rights and what the visit is, in the order the notice states them."""

_SEPARATORS = re.compile(r"[、；;\n]+")


def split_documents(text: str) -> list[str]:
    """A catalogue item's documents (需准备材料, separated by 、 or ；) one by one."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
