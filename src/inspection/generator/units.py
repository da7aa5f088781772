"""The enforcement units of a district and the checklist items each of them inspects.

Every county-level division (区, 县级市, 县) has the same set of about 25 units,
named after it (清城区市场监督管理局, 英德市市场监督管理局, 清远市生态环境局清城分局), and
each of its towns has a 综合行政执法办公室. A unit kind is identified by a short
pinyin code (``SCJG`` for 市场监督管理局); the unit id in a problem is that code,
prefixed by the district when a problem spans several districts (``QC-SCJG``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COMPLAINT_ITEM",
    "TOWN_OFFICE",
    "UNIT_KINDS",
    "UNIT_KIND_BY_CODE",
    "UnitKind",
    "items_for",
    "unit_name",
]

TOWN_OFFICE = "ZHZF"
"""Code of the towns' 综合行政执法办公室; its unit ids carry the town's number (``ZHZF03``)."""

COMPLAINT_ITEM = "投诉举报事项核查"
"""The item every complaint-driven (non-joinable) request carries first."""


@dataclass(frozen=True)
class UnitKind:
    """One kind of enforcement unit, the same in every district.

    Attributes:
        code: Short pinyin code, the unit id inside one district.
        name_template: Chinese name with ``{district}``, ``{short}`` and ``{city}`` to fill in.
        items: The checklist items it inspects anywhere.
        handles_complaints: Whether it also makes unannounced, complaint-driven checks.
    """

    code: str
    name_template: str
    items: tuple[str, ...]
    handles_complaints: bool = False


def _items(listed: str) -> tuple[str, ...]:
    """Split a 、-separated list of checklist items."""
    return tuple(listed.split("、"))


UNIT_KINDS: tuple[UnitKind, ...] = (
    UnitKind(
        "SCJG",
        "{district}市场监督管理局",
        _items(
            "营业执照公示情况、食品经营许可情况、从业人员健康证明、食品进货查验记录、"
            "特种设备使用登记、计量器具检定情况、明码标价执行情况、广告发布合规情况"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "YJGL",
        "{district}应急管理局",
        _items(
            "安全生产责任制落实、安全生产教育培训、重大事故隐患排查治理、应急预案及演练、"
            "有限空间作业管理、危险作业审批、粉尘防爆安全、安全警示标志设置"
        ),
    ),
    UnitKind(
        "STHJ",
        "{city}生态环境局{short}分局",
        _items(
            "排污许可执行情况、污染防治设施运行、危险废物规范化管理、环境影响评价执行、"
            "自行监测开展情况、突发环境事件应急预案、一般工业固体废物台账"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "XFJY",
        "{district}消防救援大队",
        _items(
            "消防安全疏散通道、消防设施器材完好、消防安全责任制落实、电气线路敷设、"
            "消防控制室值班、员工消防安全培训、防火巡查检查记录、电动自行车停放充电"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "ZJJ",
        "{district}住房和城乡建设局",
        _items(
            "施工许可情况、工程质量安全监督、起重机械使用登记、深基坑作业安全、"
            "文明施工管理、建筑材料进场检验、危大工程专项方案"
        ),
    ),
    UnitKind(
        "RSJ",
        "{district}人力资源和社会保障局",
        _items(
            "劳动合同签订情况、工资支付情况、社会保险参保情况、工时制度执行、"
            "未成年工特殊保护、职业技能培训"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "WSJK",
        "{district}卫生健康局",
        _items(
            "公共场所卫生许可、从业人员健康检查、卫生检测报告公示、集中空调通风系统卫生、"
            "生活饮用水卫生、职业病危害因素检测、职业健康检查"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "JTYS",
        "{district}交通运输局",
        _items(
            "道路运输经营许可、营运车辆技术状况、驾驶员从业资格、动态监控平台使用、"
            "危险货物运输管理、运输安全生产主体责任"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "NYNC",
        "{district}农业农村局",
        _items(
            "农药经营许可、兽药使用记录、食用农产品承诺达标合格证、动物防疫条件、"
            "农业投入品使用记录、种子经营备案"
        ),
    ),
    UnitKind(
        "WGLT",
        "{district}文化广电旅游体育局",
        _items(
            "娱乐经营许可、营业性演出管理、歌曲曲库内容审查、未成年人进入限制、"
            "旅游服务质量、游泳场所安全管理"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "CGZF",
        "{district}城市管理和综合执法局",
        _items(
            "门前三包责任制、户外广告设置、餐饮油烟排放、建筑垃圾运输处置、占道经营、夜间施工噪声"
        ),
        handles_complaints=True,
    ),
    UnitKind(
        "JYJ",
        "{district}教育局",
        _items(
            "学校食堂管理制度、校园食品安全校长负责制、陪餐制度落实、校园安全管理、食堂从业人员培训"
        ),
    ),
    UnitKind(
        "SWJ",
        "{district}商务局",
        _items("成品油零售经营资格、单用途商业预付卡备案、商务领域安全生产、二手车交易登记"),
    ),
    UnitKind(
        "SLJ",
        "{district}水利局",
        _items("取水许可情况、河道采砂管理、水土保持方案落实、涉河建设项目审批"),
    ),
    UnitKind(
        "ZRZY",
        "{city}自然资源局{short}分局",
        _items("建设用地审批情况、采矿许可情况、建设工程规划许可、矿山地质环境恢复治理"),
    ),
    UnitKind(
        "MZJ",
        "{district}民政局",
        _items("养老机构备案、养老服务质量、老年人权益保障、养老机构安全管理"),
    ),
    UnitKind(
        "FGJ",
        "{district}发展和改革局",
        _items("固定资产投资项目节能审查、重点用能单位能耗、收费公示情况"),
    ),
    UnitKind(
        "LYJ",
        "{district}林业局",
        _items("林地使用许可、木材经营加工台账、野生动植物保护、林区野外用火管理"),
    ),
    UnitKind(
        "TJJ",
        "{district}统计局",
        _items("统计台账建立、统计数据报送真实性、统计调查表填报"),
    ),
    UnitKind(
        "RFB",
        "{district}人民防空办公室",
        _items("人防工程使用维护、人防工程易地建设费、人防警报设施"),
    ),
    UnitKind(
        "TYJR",
        "{district}退役军人事务局",
        _items("退役军人优待政策落实、退役军人就业安置"),
    ),
    UnitKind(
        "KXJS",
        "{district}科学技术局",
        _items("高新技术企业认定条件、科技项目资金使用、研发费用归集"),
    ),
    UnitKind(
        "GYXX",
        "{district}工业和信息化局",
        _items("工业企业安全生产、节能监察、清洁生产审核、无线电设备使用"),
    ),
    UnitKind(
        "YBJ",
        "{district}医疗保障局",
        _items("医保定点协议履行、医保基金使用、医保药品耗材进销存、医疗服务价格"),
    ),
    UnitKind(
        "YCZM",
        "{district}烟草专卖局",
        _items("烟草专卖零售许可、卷烟进货渠道、向未成年人售烟"),
    ),
    UnitKind(
        TOWN_OFFICE,
        "{town}综合行政执法办公室",
        _items("门前三包责任制、燃气使用安全、违法建设巡查、出租屋消防安全、餐饮油烟排放"),
        handles_complaints=True,
    ),
)

UNIT_KIND_BY_CODE: dict[str, UnitKind] = {kind.code: kind for kind in UNIT_KINDS}

# Where a unit checks different things at different kinds of enterprise, the
# industry's own list replaces the unit's general one.
_ITEMS_BY_UNIT_AND_INDUSTRY: dict[tuple[str, str], tuple[str, ...]] = {
    ("SCJG", "restaurant"): _items(
        "食品经营许可情况、从业人员健康证明、餐饮具清洗消毒、食品留样情况、"
        "后厨环境卫生、食品添加剂使用管理"
    ),
    ("SCJG", "food_shop"): _items(
        "食品经营许可情况、食品进货查验记录、临期过期食品清理、明码标价执行情况、计量器具检定情况"
    ),
    ("SCJG", "food_factory"): _items(
        "食品生产许可情况、原料进货查验记录、出厂检验记录、生产过程控制、"
        "食品添加剂使用管理、特种设备使用登记"
    ),
    ("SCJG", "school_canteen"): _items(
        "食品经营许可情况、食品留样情况、从业人员健康证明、餐饮具清洗消毒、食材采购索证索票"
    ),
    ("SCJG", "pharmacy"): _items(
        "药品经营许可情况、处方药销售管理、执业药师在岗情况、药品储存温湿度记录、医疗器械经营备案"
    ),
    ("SCJG", "clinic"): _items("医疗器械使用管理、药品购进验收记录、明码标价执行情况"),
    ("SCJG", "gas_station"): _items("加油机计量检定情况、成品油质量抽检、明码标价执行情况"),
    ("SCJG", "chemical"): _items("特种设备使用登记、工业产品生产许可、产品质量抽检"),
    ("SCJG", "manufacturing"): _items(
        "特种设备使用登记、工业产品生产许可、产品质量抽检、计量器具检定情况"
    ),
    ("YJGL", "chemical"): _items(
        "危险化学品安全管理、重大危险源监控、安全生产责任制落实、特殊作业审批、"
        "化工过程安全管理、应急预案及演练"
    ),
    ("YJGL", "construction"): _items(
        "施工安全生产责任制、高处作业防护、起重机械安全、安全生产教育培训"
    ),
    ("YJGL", "mining"): _items(
        "非煤矿山安全生产许可、边坡稳定性监测、爆破作业管理、安全生产责任制落实"
    ),
    ("YJGL", "gas_station"): _items("危险化学品经营许可、油罐区安全管理、应急预案及演练"),
    ("STHJ", "construction"): _items("施工扬尘污染防治、建筑施工噪声管理"),
    ("STHJ", "agriculture"): _items("畜禽养殖污染防治、畜禽粪污资源化利用"),
    ("STHJ", "clinic"): _items("医疗废物规范化管理、医疗污水处理"),
    ("RSJ", "construction"): _items(
        "农民工工资专用账户、工资保证金存储、实名制用工管理、工资支付情况"
    ),
    ("WSJK", "clinic"): _items(
        "医疗机构执业许可、医务人员执业资格、医疗废物处置、消毒隔离制度、病历书写规范"
    ),
    ("WSJK", "hotel"): _items(
        "公共场所卫生许可、客用物品清洗消毒、从业人员健康检查、卫生检测报告公示"
    ),
    ("WSJK", "entertainment"): _items("公共场所卫生许可、从业人员健康检查、集中空调通风系统卫生"),
    ("WSJK", "school_canteen"): _items("学校卫生管理、传染病防控措施"),
    ("WSJK", "elderly_care"): _items("医养结合服务、传染病防控措施"),
    ("WSJK", "chemical"): _items("职业病危害因素检测、职业健康检查、职业病防护设施"),
    ("WSJK", "manufacturing"): _items("职业病危害因素检测、职业健康检查、职业病防护设施"),
    ("WSJK", "food_factory"): _items("职业病危害因素检测、职业健康检查"),
    ("WSJK", "restaurant"): _items("从业人员健康检查、生活饮用水卫生"),
    ("WGLT", "hotel"): _items("旅游住宿服务质量、星级饭店评定标准"),
    ("WGLT", "scenic_spot"): _items("A级景区服务质量、游客安全管理、旅游服务质量"),
    ("CGZF", "construction"): _items("建筑垃圾运输处置、夜间施工噪声、施工围挡设置"),
    ("SWJ", "gas_station"): _items("成品油零售经营资格、商务领域安全生产"),
    ("XFJY", "chemical"): _items(
        "消防安全疏散通道、消防设施器材完好、消防安全责任制落实、易燃易爆场所防火、消防控制室值班"
    ),
    ("SCJG", "logistics"): _items("特种设备使用登记、计量器具检定情况"),
    ("SCJG", "scenic_spot"): _items("大型游乐设施安全、明码标价执行情况、食品经营许可情况"),
    ("SCJG", "elderly_care"): _items("食品经营许可情况、食品留样情况、特种设备使用登记"),
    ("SCJG", "agriculture"): _items("食用农产品质量抽检、计量器具检定情况"),
    ("ZRZY", "construction"): _items("建设用地审批情况、建设工程规划许可"),
    ("ZRZY", "mining"): _items("采矿许可情况、矿山地质环境恢复治理"),
    ("SLJ", "construction"): _items("水土保持方案落实、涉河建设项目审批"),
    ("SLJ", "mining"): _items("河道采砂管理、水土保持方案落实、取水许可情况"),
    ("SWJ", "logistics"): _items("商务领域安全生产、报废机动车回收管理"),
    ("SWJ", "food_shop"): _items("单用途商业预付卡备案、商务领域安全生产"),
    ("WGLT", "entertainment"): _items(
        "娱乐经营许可、营业性演出管理、歌曲曲库内容审查、未成年人进入限制"
    ),
    ("CGZF", "restaurant"): _items("门前三包责任制、户外广告设置、餐饮油烟排放、占道经营"),
    ("CGZF", "entertainment"): _items("户外广告设置、门前三包责任制、占道经营"),
    ("WSJK", "pharmacy"): _items("从业人员健康检查、退热类药品销售登记"),
}


def items_for(unit_code: str, industry: str) -> tuple[str, ...]:
    """The checklist items a unit of kind `unit_code` checks at an enterprise of `industry`."""
    specific = _ITEMS_BY_UNIT_AND_INDUSTRY.get((unit_code, industry))
    return specific if specific is not None else UNIT_KIND_BY_CODE[unit_code].items


def unit_name(kind: UnitKind, *, district: str, short: str, city: str, town: str = "") -> str:
    """The Chinese name of a unit of `kind` in the district (or town) given."""
    return kind.name_template.format(district=district, short=short, city=city, town=town)
