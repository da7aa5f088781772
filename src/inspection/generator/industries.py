"""Kinds of enterprise, who inspects them, what they are called, and the campaigns.

An industry decides which unit kinds may inspect an enterprise (each with the
chance that it asks to in a planning period), how its name is formed and what
kind of credit code it carries: ``91`` for a company, ``92`` for an individual
business (个体工商户), ``93`` for a farmers' co-operative, ``12`` for a public
institution such as a school, ``52`` for a private non-enterprise unit such as
a care home.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CAMPAIGNS",
    "INDUSTRIES",
    "INDUSTRY_BY_KEY",
    "PARK_INDUSTRIES",
    "Campaign",
    "Industry",
]


@dataclass(frozen=True)
class Industry:
    """A kind of enterprise.

    Attributes:
        key: English key used in code (``restaurant``).
        label: Chinese label (餐饮服务).
        units: Unit kind codes that inspect it, each with the chance it asks to in a period.
        names: Name patterns with the credit code's first two characters. ``{prefix}`` is where
            a company registers (清远市, 英德市), ``{local}`` where a shop does (清远市清城区),
            ``{brand}`` the trade name, ``{town}`` the town, ``{n}`` a Chinese numeral.
        urban_weight: Share among enterprises of an urban district.
        rural_weight: Share among enterprises of a county or county-level city.
    """

    key: str
    label: str
    units: tuple[tuple[str, float], ...]
    names: tuple[tuple[str, str], ...]
    urban_weight: float
    rural_weight: float

    def unit_codes(self) -> tuple[str, ...]:
        """The unit kind codes that inspect this industry."""
        return tuple(code for code, _ in self.units)


@dataclass(frozen=True)
class Campaign:
    """A themed drive (专项行动) in which several units want the same enterprises at once.

    Attributes:
        name: Chinese name of the drive.
        units: Unit kind codes taking part.
        industries: Industry keys it targets.
        item: The checklist item every request of the drive adds.
    """

    name: str
    units: tuple[str, ...]
    industries: tuple[str, ...]
    item: str


def _industry(
    key: str,
    label: str,
    units: str,
    names: str,
    weights: tuple[float, float],
) -> Industry:
    """Build an industry from compact text: ``"SCJG .9 XFJY .5"`` and ``"91 pattern; ..."``."""
    fields = units.split()
    unit_chances = tuple((fields[i], float(fields[i + 1])) for i in range(0, len(fields), 2))
    patterns = tuple(
        (entry.split(" ", 1)[0], entry.split(" ", 1)[1])
        for entry in (part.strip() for part in names.split(";"))
    )
    return Industry(key, label, unit_chances, patterns, weights[0], weights[1])


INDUSTRIES: tuple[Industry, ...] = (
    _industry(
        "restaurant",
        "餐饮服务",
        "SCJG .9 XFJY .45 WSJK .2 ZHZF .3 CGZF .15 YCZM .05",
        "92 {local}{brand}饭店; 91 {prefix}{brand}餐饮管理有限公司; 92 {local}{brand}小吃店;"
        "91 {prefix}{brand}酒家有限公司",
        (0.22, 0.16),
    ),
    _industry(
        "food_shop",
        "食品销售",
        "SCJG .9 YCZM .3 XFJY .3 ZHZF .2 SWJ .05",
        "92 {local}{brand}便利店; 91 {prefix}{brand}商贸有限公司; 91 {prefix}{brand}超市有限公司;"
        "92 {local}{brand}副食店",
        (0.14, 0.12),
    ),
    _industry(
        "food_factory",
        "食品生产",
        "SCJG .9 YJGL .6 STHJ .5 XFJY .5 RSJ .4 WSJK .2 GYXX .2 TJJ .1",
        "91 {prefix}{brand}食品有限公司; 91 广东{brand}食品科技有限公司;"
        "91 {prefix}{brand}饮料有限公司; 91 {prefix}{brand}粮油加工有限公司",
        (0.05, 0.06),
    ),
    _industry(
        "chemical",
        "化工",
        "YJGL .95 STHJ .8 XFJY .6 RSJ .4 GYXX .3 SCJG .3 WSJK .3 FGJ .15 TJJ .1 KXJS .05",
        "91 {prefix}{brand}化工有限公司; 91 广东{brand}新材料科技有限公司;"
        "91 {prefix}{brand}涂料有限公司; 91 {prefix}{brand}精细化工有限公司",
        (0.02, 0.02),
    ),
    _industry(
        "manufacturing",
        "工业制造",
        "YJGL .7 STHJ .6 XFJY .5 RSJ .4 SCJG .3 GYXX .3 WSJK .2 TJJ .15 FGJ .1 KXJS .1",
        "91 {prefix}{brand}陶瓷有限公司; 91 {prefix}{brand}电子科技有限公司;"
        "91 {prefix}{brand}机械制造有限公司; 91 {prefix}{brand}塑料制品有限公司;"
        "91 {prefix}{brand}铜业有限公司; 91 {prefix}{brand}纺织有限公司",
        (0.08, 0.07),
    ),
    _industry(
        "construction",
        "建筑施工",
        "ZJJ .9 YJGL .6 RSJ .6 CGZF .5 STHJ .3 ZRZY .2 RFB .2 XFJY .2 SLJ .1",
        "91 广东{brand}建设工程有限公司; 91 {prefix}{brand}建筑工程有限公司;"
        "91 {prefix}{brand}市政工程有限公司",
        (0.06, 0.05),
    ),
    _industry(
        "hotel",
        "住宿",
        "XFJY .8 WGLT .6 WSJK .6 SCJG .3 TYJR .05",
        "91 {prefix}{brand}酒店有限公司; 92 {local}{brand}宾馆; 91 {prefix}{brand}酒店管理有限公司",
        (0.06, 0.05),
    ),
    _industry(
        "entertainment",
        "娱乐场所",
        "WGLT .8 XFJY .8 WSJK .5 CGZF .2",
        "91 {prefix}{brand}娱乐有限公司; 91 {prefix}{brand}文化娱乐有限公司; 92 {local}{brand}网吧",
        (0.04, 0.02),
    ),
    _industry(
        "school_canteen",
        "学校食堂",
        "JYJ .9 SCJG .9 WSJK .3 XFJY .2",
        "12 {local}{town}第{n}小学; 12 {local}{town}第{n}中学; 52 {local}{brand}实验学校;"
        "52 {local}{brand}幼儿园",
        (0.04, 0.05),
    ),
    _industry(
        "logistics",
        "物流运输",
        "JTYS .9 XFJY .6 RSJ .5 YJGL .4 SCJG .1 STHJ .1 SWJ .1 TYJR .05",
        "91 {prefix}{brand}物流有限公司; 91 {prefix}{brand}运输有限公司;"
        "91 广东{brand}供应链管理有限公司",
        (0.05, 0.04),
    ),
    _industry(
        "clinic",
        "医疗机构",
        "WSJK .9 YBJ .6 SCJG .5 XFJY .3 STHJ .1",
        "92 {local}{brand}诊所; 91 {prefix}{brand}门诊部有限公司; 92 {local}{brand}口腔诊所",
        (0.05, 0.04),
    ),
    _industry(
        "pharmacy",
        "药品零售",
        "SCJG .9 YBJ .6 WSJK .1",
        "91 {prefix}{brand}大药房有限公司; 92 {local}{brand}药店;"
        "91 {prefix}{brand}医药连锁有限公司{town}分店",
        (0.06, 0.05),
    ),
    _industry(
        "elderly_care",
        "养老机构",
        "MZJ .9 XFJY .7 SCJG .5 WSJK .4",
        "52 {local}{brand}养老院; 52 {prefix}{brand}颐养中心",
        (0.02, 0.02),
    ),
    _industry(
        "gas_station",
        "加油站",
        "YJGL .7 SWJ .7 XFJY .6 SCJG .5 STHJ .3",
        "91 {prefix}{brand}石油有限公司{town}加油站; 91 {prefix}{brand}能源有限公司",
        (0.02, 0.03),
    ),
    _industry(
        "agriculture",
        "农业养殖",
        "NYNC .9 STHJ .5 LYJ .2 SLJ .2 SCJG .1",
        "93 {local}{brand}种养专业合作社; 91 {prefix}{brand}农业发展有限公司;"
        "91 {prefix}{brand}生态养殖有限公司",
        (0.05, 0.16),
    ),
    _industry(
        "mining",
        "矿山采石",
        "YJGL .9 ZRZY .8 STHJ .6 SLJ .4 LYJ .3 RSJ .2",
        "91 {prefix}{brand}石场有限公司; 91 {prefix}{brand}矿业有限公司;"
        "91 {prefix}{brand}建材有限公司",
        (0.01, 0.04),
    ),
    _industry(
        "scenic_spot",
        "旅游景区",
        "WGLT .8 XFJY .5 LYJ .3 SLJ .2 TYJR .2 SCJG .2",
        "91 {prefix}{brand}旅游开发有限公司; 91 {prefix}{brand}生态旅游度假区有限公司",
        (0.01, 0.02),
    ),
)

INDUSTRY_BY_KEY: dict[str, Industry] = {industry.key: industry for industry in INDUSTRIES}

PARK_INDUSTRIES: tuple[tuple[str, float], ...] = (
    ("manufacturing", 0.32),
    ("chemical", 0.2),
    ("food_factory", 0.18),
    ("construction", 0.16),
    ("logistics", 0.14),
)
"""The industries of an industrial area (工业园区), with their shares."""

CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign(
        "安全生产大检查",
        ("YJGL", "XFJY", "RSJ", "STHJ", "GYXX", "ZJJ", "JTYS"),
        (
            "chemical",
            "manufacturing",
            "food_factory",
            "construction",
            "logistics",
            "gas_station",
            "mining",
        ),
        "重大事故隐患专项排查",
    ),
    Campaign(
        "节前食品安全专项检查",
        ("SCJG", "WSJK", "JYJ"),
        ("restaurant", "food_shop", "food_factory", "school_canteen"),
        "节日食品安全隐患排查",
    ),
    Campaign(
        "消防安全专项整治",
        ("XFJY", "WGLT", "MZJ", "YJGL"),
        ("hotel", "entertainment", "elderly_care", "logistics", "manufacturing"),
        "火灾隐患专项整治",
    ),
    Campaign(
        "根治欠薪专项行动",
        ("RSJ", "ZJJ", "JTYS"),
        ("construction", "manufacturing", "logistics"),
        "欠薪隐患排查",
    ),
    Campaign(
        "生态环境保护督察整改",
        ("STHJ", "ZRZY", "SLJ", "NYNC"),
        ("chemical", "manufacturing", "mining", "agriculture"),
        "环保督察问题整改",
    ),
    Campaign(
        "医保基金使用专项检查",
        ("YBJ", "WSJK", "SCJG"),
        ("clinic", "pharmacy"),
        "医保基金违规使用核查",
    ),
)
"""The themed drives a period may hold; the first is the industrial areas' own."""
