"""The sample district's officer rosters (执法人员名册): fictitious people, realistic shapes.

Each unit gets two officers more than its largest daily capacity, so that with two
officers per round and two rounds per officer a day its capacity, not its roster,
limits it, even with an officer on leave. The roster shows the rules at work in
the demo week (2024-04-08): one certificate runs out on its Tuesday (never drawn
from Wednesday on), a few officers have days off, one is recused from an enterprise.
Rows are strings as typed in Excel; its own random stream leaves the other sample
files untouched.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

__all__ = ["OFFICER_COLUMNS", "qingcheng_roster"]

OFFICER_COLUMNS: Final = (
    "执法单位编号",
    "姓名",
    "执法证号",
    "证件有效期至",
    "休息日期",
    "回避企业",
)
"""The roster file's columns, as the service's import reads them."""

_SURNAMES: Final = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷"
    "龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
)
_GIVEN: Final = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰文斌辉鹏飞宇浩凯佳慧晓"
    "俊峰海波婷琳雪梅丹亮成林春燕锋家伟嘉欣子豪梓涵思远振宏永健"
)
_DEMO_WEEK: Final = date(2024, 4, 8)
_SEPARATOR: Final = "、"


def _names(rng: random.Random, count: int) -> list[str]:
    made: list[str] = []
    taken: set[str] = set()
    while len(made) < count:
        length = 1 if rng.random() < 0.3 else 2
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(length))
        if name not in taken:
            taken.add(name)
            made.append(name)
    return made


def qingcheng_roster(
    units: list[dict[str, str]], enterprises: list[dict[str, str]], seed: int = 2024
) -> list[dict[str, str]]:
    """One row per officer of every sample unit (the rows of `qingcheng_samples`).

    Badge numbers are 14 digits: 4418 (Qingyuan), the unit's number (3), the year
    of issue (4), a serial (3). The same arguments always give the same roster.
    """
    rng = random.Random(f"roster-{seed}")
    sizes = [max(int(u[d]) for d in ("周一", "周二", "周三", "周四", "周五")) + 2 for u in units]
    names = iter(_names(rng, sum(sizes)))
    rows: list[dict[str, str]] = []
    for number, (unit, size) in enumerate(zip(units, sizes, strict=True), start=1):
        for serial in range(1, size + 1):
            issued = rng.choice((2021, 2022, 2023, 2024))
            expires = date(issued + 6, rng.randint(1, 12), 1) - timedelta(days=1)
            rows.append(
                {
                    "执法单位编号": unit["单位编号"],
                    "姓名": next(names),
                    "执法证号": f"4418{number:03d}{issued}{serial:03d}",
                    "证件有效期至": expires.isoformat(),
                    "休息日期": "",
                    "回避企业": "",
                }
            )
    # the rules at work in the demo week, on the largest roster (the first unit's)
    first = [r for r in rows if r["执法单位编号"] == units[0]["单位编号"]]
    first[0]["证件有效期至"] = (_DEMO_WEEK + timedelta(days=1)).isoformat()  # Tuesday
    first[1]["休息日期"] = _SEPARATOR.join(
        (_DEMO_WEEK + timedelta(days=d)).isoformat() for d in (2, 3)
    )
    first[2]["回避企业"] = enterprises[0]["统一社会信用代码"]
    for row in rng.sample(rows[len(first) :], 4):
        row["休息日期"] = (_DEMO_WEEK + timedelta(days=rng.randrange(5))).isoformat()
    return rows
