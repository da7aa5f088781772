"""Cities, their county-level districts and towns, with their region codes.

Qingyuan's eight divisions carry their real towns. The other Guangdong cities
used for a province-wide problem carry their real district names and region
codes, but plausible rather than real town names, drawn from a pool once per
district (the same for every seed).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["CITIES", "PARK_TOWNS", "QINGCHENG", "QINGYUAN", "City", "District"]


@dataclass(frozen=True)
class District:
    """A county-level division (区, 县级市 or 县).

    Attributes:
        code: Six-digit region code (行政区划代码), part of every local credit code.
        name: Full name (清城区, 英德市, 连山壮族瑶族自治县).
        short: Short name used in the names of branch offices (清城).
        abbr: Pinyin initials, the prefix of its unit ids in multi-district problems.
        city: The prefecture-level city's name (清远市).
        towns: Its towns and sub-districts (镇街).
    """

    code: str
    name: str
    short: str
    abbr: str
    city: str
    towns: tuple[str, ...]

    @property
    def is_urban(self) -> bool:
        """An urban district (区), as opposed to a county or county-level city."""
        return self.name.endswith("区")

    @property
    def company_prefix(self) -> str:
        """Where its companies register: the city for an urban district, else itself."""
        return self.city if self.is_urban else self.name

    @property
    def shop_prefix(self) -> str:
        """How its individual businesses' names begin (清远市清城区, 英德市)."""
        return self.city + self.name if self.is_urban else self.name


@dataclass(frozen=True)
class City:
    """A prefecture-level city and its districts."""

    name: str
    abbr: str
    districts: tuple[District, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_GENERIC_TOWNS = _words(
    "城东街道 城西街道 城南街道 城北街道 新城街道 河西街道 东山镇 西岭镇 南岗镇 北江镇 "
    "龙山镇 石岭镇 沙田镇 白石镇 大塘镇 黄田镇 水口镇 长岗镇 新圩镇 新桥镇 石门镇 "
    "回龙镇 桥头镇 官渡镇 三江镇 莲塘镇 罗坑镇 金鸡镇 河口镇 高桥镇"
)


def _generic_towns(code: str) -> tuple[str, ...]:
    """Six to ten plausible town names, fixed for the district `code`."""
    # A string seed is hashed with SHA-512, so this does not depend on PYTHONHASHSEED.
    picker = random.Random(f"towns-{code}")
    return tuple(picker.sample(_GENERIC_TOWNS, picker.randint(6, 10)))


def _city(name: str, abbr: str, rows: str, towns: dict[str, str] | None = None) -> City:
    """Build a city from ``"code name short abbr"`` rows separated by ``;``."""
    districts = []
    for row in rows.split(";"):
        code, full, short, district_abbr = row.split()
        listed = (towns or {}).get(code)
        district_towns = _words(listed) if listed else _generic_towns(code)
        districts.append(District(code, full, short, district_abbr, name, district_towns))
    return City(name, abbr, tuple(districts))


QINGYUAN = _city(
    "清远市",
    "QY",
    "441802 清城区 清城 QC; 441803 清新区 清新 QX; 441881 英德市 英德 YD;"
    "441882 连州市 连州 LZ; 441821 佛冈县 佛冈 FG; 441823 阳山县 阳山 YS;"
    "441825 连山壮族瑶族自治县 连山 LS; 441826 连南瑶族自治县 连南 LN",
    {
        "441802": "凤城街道 东城街道 洲心街道 横荷街道 源潭镇 龙塘镇 石角镇 飞来峡镇",
        "441803": "太和镇 山塘镇 三坑镇 龙颈镇 禾云镇 浸潭镇 石潭镇 太平镇",
        "441881": "英城街道 大站镇 望埠镇 横石塘镇 英红镇 东华镇 桥头镇 青塘镇 白沙镇 "
        "西牛镇 九龙镇 浛洸镇",
        "441882": "连州镇 星子镇 大路边镇 龙坪镇 西岸镇 保安镇 丰阳镇 东陂镇 九陂镇 西江镇",
        "441821": "石角镇 汤塘镇 龙山镇 水头镇 迳头镇 高岗镇",
        "441823": "阳城镇 七拱镇 太平镇 杜步镇 黎埠镇 小江镇 青莲镇 岭背镇",
        "441825": "吉田镇 太保镇 永和镇 福堂镇 小三江镇 上帅镇 禾洞镇",
        "441826": "三江镇 寨岗镇 大麦山镇 香坪镇 大坪镇 涡水镇 三排镇",
    },
)

QINGCHENG: District = QINGYUAN.districts[0]
"""Qingcheng District (清城区), the home of the single-district presets."""

PARK_TOWNS: tuple[str, ...] = ("石角镇", "龙塘镇", "源潭镇")
"""The towns of Qingcheng's industrial area (工业园区)."""

CITIES: tuple[City, ...] = (
    QINGYUAN,
    _city(
        "韶关市",
        "SG",
        "440203 武江区 武江 WJ; 440204 浈江区 浈江 ZJ; 440205 曲江区 曲江 QJ;"
        "440222 始兴县 始兴 SX; 440224 仁化县 仁化 RH; 440229 翁源县 翁源 WY;"
        "440232 乳源瑶族自治县 乳源 RY; 440233 新丰县 新丰 XF; 440281 乐昌市 乐昌 LC;"
        "440282 南雄市 南雄 NX",
    ),
    _city(
        "肇庆市",
        "ZQ",
        "441202 端州区 端州 DZ; 441203 鼎湖区 鼎湖 DH; 441204 高要区 高要 GY;"
        "441223 广宁县 广宁 GN; 441224 怀集县 怀集 HJ; 441225 封开县 封开 FK;"
        "441226 德庆县 德庆 DQ; 441284 四会市 四会 SH",
    ),
    _city(
        "惠州市",
        "HZ",
        "441302 惠城区 惠城 HC; 441303 惠阳区 惠阳 HY; 441322 博罗县 博罗 BL;"
        "441323 惠东县 惠东 HD; 441324 龙门县 龙门 LM",
    ),
    _city(
        "梅州市",
        "MZ",
        "441402 梅江区 梅江 MJ; 441403 梅县区 梅县 MX; 441422 大埔县 大埔 DP;"
        "441423 丰顺县 丰顺 FS; 441424 五华县 五华 WH; 441426 平远县 平远 PY;"
        "441427 蕉岭县 蕉岭 JL; 441481 兴宁市 兴宁 XN",
    ),
    _city(
        "湛江市",
        "ZJ",
        "440802 赤坎区 赤坎 CK; 440803 霞山区 霞山 XS; 440804 坡头区 坡头 PT;"
        "440811 麻章区 麻章 MZ; 440823 遂溪县 遂溪 SX; 440825 徐闻县 徐闻 XW;"
        "440881 廉江市 廉江 LJ; 440882 雷州市 雷州 LZ; 440883 吴川市 吴川 WC",
    ),
    _city(
        "云浮市",
        "YF",
        "445302 云城区 云城 YC; 445303 云安区 云安 YA; 445321 新兴县 新兴 XX;"
        "445322 郁南县 郁南 YN; 445381 罗定市 罗定 LD",
    ),
)
"""The Guangdong cities of the province-wide preset, Qingyuan first."""
