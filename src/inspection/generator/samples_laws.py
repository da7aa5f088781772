"""Wording of the sample data: legal bases (法律依据), titles, themes, roads.

Each checklist item of :mod:`.units` maps to the law or regulation and the
article that requires it. An item without an entry of its own falls back to its
unit kind's general power of inspection (``SCJG`` -> 食品安全法第一百一十条). The
articles are chosen to be plausible for sample data; they are not legal advice.
"""

from __future__ import annotations

__all__ = [
    "COMPLAINT_ISSUES",
    "INDUSTRY_NOUNS",
    "LEGAL_BASIS",
    "ROADS",
    "SPECIAL_THEMES",
    "TOWN_WEIGHTS",
    "UNIT_DEFAULT_BASIS",
    "legal_basis",
    "topic",
]


def _entries(text: str) -> list[list[str]]:
    """The fields of each ``;``- or line-separated entry of `text`."""
    return [e.split() for line in text.strip().splitlines() for e in line.split(";") if e.strip()]


_LAWS: dict[str, str] = {
    key: f"《{title}》"
    for key, title in _entries("""
食安法 中华人民共和国食品安全法; 登记条例 中华人民共和国市场主体登记管理条例
特设法 中华人民共和国特种设备安全法; 计量法 中华人民共和国计量法
价格法 中华人民共和国价格法; 广告法 中华人民共和国广告法
学校食品 学校食品安全与营养健康管理规定; 药品法 中华人民共和国药品管理法
器械条例 医疗器械监督管理条例; 工业许可 中华人民共和国工业产品生产许可证管理条例
产品质量法 中华人民共和国产品质量法; 农产品法 中华人民共和国农产品质量安全法
安全生产法 中华人民共和国安全生产法; 有限空间 工贸企业有限空间作业安全规定
粉尘规定 工贸企业粉尘防爆安全规定; 危化条例 危险化学品安全管理条例
建设安全 建设工程安全生产管理条例; 许可证条例 安全生产许可证条例
矿山法 中华人民共和国矿山安全法; 民爆条例 民用爆炸物品安全管理条例
排污条例 排污许可管理条例; 环保法 中华人民共和国环境保护法
固废法 中华人民共和国固体废物污染环境防治法; 环评法 中华人民共和国环境影响评价法
大气法 中华人民共和国大气污染防治法; 噪声法 中华人民共和国噪声污染防治法
畜禽条例 畜禽规模养殖污染防治条例; 医废条例 医疗废物管理条例
水污染法 中华人民共和国水污染防治法; 消防法 中华人民共和国消防法
消防规定 机关、团体、企业、事业单位消防安全管理规定; 高层规定 高层民用建筑消防安全管理规定
建筑法 中华人民共和国建筑法; 质量条例 建设工程质量管理条例
危大规定 危险性较大的分部分项工程安全管理规定; 劳动合同法 中华人民共和国劳动合同法
劳动法 中华人民共和国劳动法; 社保法 中华人民共和国社会保险法
工资条例 保障农民工工资支付条例; 监察条例 劳动保障监察条例
公卫条例 公共场所卫生管理条例; 公卫细则 公共场所卫生管理条例实施细则
饮用水办法 生活饮用水卫生监督管理办法; 职业病法 中华人民共和国职业病防治法
医疗机构条例 医疗机构管理条例; 医师法 中华人民共和国医师法
传染病法 中华人民共和国传染病防治法; 病历规定 医疗机构病历管理规定
学校卫生 学校卫生工作条例; 养老办法 养老机构管理办法
运输条例 中华人民共和国道路运输条例; 动态监控 道路运输车辆动态监督管理办法
危货办法 危险货物道路运输安全管理办法; 农药条例 农药管理条例
兽药条例 兽药管理条例; 防疫法 中华人民共和国动物防疫法
种子法 中华人民共和国种子法; 娱乐条例 娱乐场所管理条例
演出条例 营业性演出管理条例; 旅游法 中华人民共和国旅游法
健身条例 全民健身条例; 市容条例 城市市容和环境卫生管理条例
校园安全 中小学幼儿园安全管理办法; 预付卡办法 单用途商业预付卡管理办法（试行）
成品油办法 成品油市场管理办法; 二手车办法 二手车流通管理办法
报废车办法 报废机动车回收管理办法; 取水条例 取水许可和水资源费征收管理条例
河道条例 中华人民共和国河道管理条例; 水保法 中华人民共和国水土保持法
水法 中华人民共和国水法; 土地法 中华人民共和国土地管理法
矿产法 中华人民共和国矿产资源法; 规划法 中华人民共和国城乡规划法
矿山环境 矿山地质环境保护规定; 老年人法 中华人民共和国老年人权益保障法
节能审查 固定资产投资项目节能审查办法; 节能法 中华人民共和国节约能源法
森林法 中华人民共和国森林法; 森林条例 中华人民共和国森林法实施条例
野保法 中华人民共和国野生动物保护法; 森林防火 森林防火条例
统计法 中华人民共和国统计法; 统计条例 中华人民共和国统计法实施条例
人防法 中华人民共和国人民防空法; 退役军人法 中华人民共和国退役军人保障法
高企办法 高新技术企业认定管理办法; 科技法 中华人民共和国科学技术进步法
清洁生产法 中华人民共和国清洁生产促进法; 无线电条例 中华人民共和国无线电管理条例
医保条例 医疗保障基金使用监督管理条例; 烟草法 中华人民共和国烟草专卖法
烟草条例 中华人民共和国烟草专卖法实施条例; 未保法 中华人民共和国未成年人保护法
燃气条例 城镇燃气管理条例; 处罚法 中华人民共和国行政处罚法
建筑垃圾 城市建筑垃圾管理规定
""")
}


def _table(text: str) -> dict[str, str]:
    """Parse ``name law-key article`` lines into ``{name: 《law》第article条}``."""
    return {name: f"{_LAWS[law]}第{article}条" for name, law, article in _entries(text)}


LEGAL_BASIS: dict[str, str] = _table("""
营业执照公示情况 登记条例 三十六; 食品经营许可情况 食安法 三十五
食品生产许可情况 食安法 三十五; 从业人员健康证明 食安法 四十五
食品进货查验记录 食安法 五十三; 原料进货查验记录 食安法 五十
出厂检验记录 食安法 五十一; 生产过程控制 食安法 四十六
食品添加剂使用管理 食安法 四十; 餐饮具清洗消毒 食安法 五十六
后厨环境卫生 食安法 三十三; 临期过期食品清理 食安法 五十四
食材采购索证索票 食安法 五十五; 食品留样情况 学校食品 三十五
学校食堂管理制度 学校食品 二十二; 校园食品安全校长负责制 学校食品 八
陪餐制度落实 学校食品 九; 食堂从业人员培训 学校食品 二十八
校园安全管理 校园安全 十; 特种设备使用登记 特设法 三十三
大型游乐设施安全 特设法 三十九; 计量器具检定情况 计量法 九
加油机计量检定情况 计量法 九; 明码标价执行情况 价格法 十三
收费公示情况 价格法 十三; 医疗服务价格 价格法 十三
广告发布合规情况 广告法 四; 药品经营许可情况 药品法 五十一
执业药师在岗情况 药品法 五十二; 处方药销售管理 药品法 五十四
药品购进验收记录 药品法 五十六; 药品储存温湿度记录 药品法 五十九
医疗器械经营备案 器械条例 四十一; 医疗器械使用管理 器械条例 四十八
工业产品生产许可 工业许可 二; 产品质量抽检 产品质量法 十五
成品油质量抽检 产品质量法 十五; 食用农产品质量抽检 农产品法 五十三
食用农产品承诺达标合格证 农产品法 三十九; 农业投入品使用记录 农产品法 二十七
安全生产责任制落实 安全生产法 二十二; 安全生产教育培训 安全生产法 二十八
安全警示标志设置 安全生产法 三十五; 重大危险源监控 安全生产法 四十
油罐区安全管理 安全生产法 四十; 重大事故隐患排查治理 安全生产法 四十一
危险作业审批 安全生产法 四十三; 特殊作业审批 安全生产法 四十三
应急预案及演练 安全生产法 八十一; 运输安全生产主体责任 安全生产法 五
商务领域安全生产 安全生产法 十; 工业企业安全生产 安全生产法 十
有限空间作业管理 有限空间 十; 粉尘防爆安全 粉尘规定 九
危险化学品安全管理 危化条例 二十; 化工过程安全管理 危化条例 十九
危险化学品经营许可 危化条例 三十三; 施工安全生产责任制 建设安全 二十一
高处作业防护 建设安全 二十八; 起重机械安全 建设安全 三十五
起重机械使用登记 建设安全 三十五; 非煤矿山安全生产许可 许可证条例 二
边坡稳定性监测 矿山法 十三; 爆破作业管理 民爆条例 三十五
排污许可执行情况 排污条例 十七; 自行监测开展情况 排污条例 十九
污染防治设施运行 环保法 四十一; 突发环境事件应急预案 环保法 四十七
危险废物规范化管理 固废法 七十七; 一般工业固体废物台账 固废法 三十六
建筑垃圾运输处置 建筑垃圾 十四; 环境影响评价执行 环评法 二十五
施工扬尘污染防治 大气法 六十九; 餐饮油烟排放 大气法 八十一
建筑施工噪声管理 噪声法 四十一; 夜间施工噪声 噪声法 四十三
畜禽养殖污染防治 畜禽条例 十三; 畜禽粪污资源化利用 畜禽条例 十五
医疗废物规范化管理 医废条例 八; 医疗废物处置 医废条例 十七
医疗污水处理 水污染法 四十; 消防设施器材完好 消防法 十六
消防安全责任制落实 消防规定 四; 易燃易爆场所防火 消防法 二十一
电气线路敷设 消防法 二十七; 消防安全疏散通道 消防法 二十八
出租屋消防安全 消防法 十六; 防火巡查检查记录 消防规定 二十五
消防控制室值班 消防规定 二十八; 员工消防安全培训 消防规定 三十六
电动自行车停放充电 高层规定 三十七; 施工许可情况 建筑法 七
文明施工管理 建筑法 四十一; 建筑材料进场检验 质量条例 二十九
工程质量安全监督 质量条例 四十三; 危大工程专项方案 危大规定 十
深基坑作业安全 危大规定 十七; 劳动合同签订情况 劳动合同法 十
工资支付情况 劳动法 五十; 工时制度执行 劳动法 三十六
未成年工特殊保护 劳动法 六十四; 职业技能培训 劳动法 六十八
社会保险参保情况 社保法 五十八; 农民工工资专用账户 工资条例 二十六
实名制用工管理 工资条例 二十八; 工资保证金存储 工资条例 三十二
公共场所卫生许可 公卫条例 八; 从业人员健康检查 公卫条例 七
卫生检测报告公示 公卫细则 二十; 集中空调通风系统卫生 公卫细则 十四
客用物品清洗消毒 公卫细则 十五; 生活饮用水卫生 饮用水办法 六
职业病防护设施 职业病法 二十二; 职业病危害因素检测 职业病法 二十六
职业健康检查 职业病法 三十五; 医疗机构执业许可 医疗机构条例 二十四
医务人员执业资格 医师法 十三; 消毒隔离制度 传染病法 二十一
传染病防控措施 传染病法 二十一; 病历书写规范 病历规定 十
学校卫生管理 学校卫生 六; 医养结合服务 养老办法 十六
养老机构备案 养老办法 九; 养老服务质量 养老办法 十五
养老机构安全管理 养老办法 三十; 老年人权益保障 老年人法 四十七
道路运输经营许可 运输条例 二十四; 驾驶员从业资格 运输条例 二十二
营运车辆技术状况 运输条例 三十; 动态监控平台使用 动态监控 二十一
危险货物运输管理 危货办法 三; 农药经营许可 农药条例 二十四
兽药使用记录 兽药条例 三十八; 动物防疫条件 防疫法 二十四
种子经营备案 种子法 三十八; 娱乐经营许可 娱乐条例 九
歌曲曲库内容审查 娱乐条例 十三; 未成年人进入限制 娱乐条例 二十三
营业性演出管理 演出条例 六; 旅游服务质量 旅游法 四十九
旅游住宿服务质量 旅游法 四十九; A级景区服务质量 旅游法 四十五
游客安全管理 旅游法 七十九; 游泳场所安全管理 健身条例 三十二
门前三包责任制 市容条例 十; 户外广告设置 市容条例 十一
占道经营 市容条例 十四; 施工围挡设置 市容条例 十五
单用途商业预付卡备案 预付卡办法 七; 成品油零售经营资格 成品油办法 七
二手车交易登记 二手车办法 十八; 报废机动车回收管理 报废车办法 六
取水许可情况 取水条例 二; 河道采砂管理 河道条例 二十五
水土保持方案落实 水保法 二十五; 涉河建设项目审批 水法 三十八
建设用地审批情况 土地法 四十四; 采矿许可情况 矿产法 三
建设工程规划许可 规划法 四十; 违法建设巡查 规划法 六十四
矿山地质环境恢复治理 矿山环境 十六; 固定资产投资项目节能审查 节能审查 六
重点用能单位能耗 节能法 五十三; 节能监察 节能法 十二
林地使用许可 森林法 三十七; 木材经营加工台账 森林条例 三十四
野生动植物保护 野保法 二十八; 林区野外用火管理 森林防火 二十五
统计台账建立 统计法 二十一; 统计数据报送真实性 统计法 七
统计调查表填报 统计条例 十八; 人防工程易地建设费 人防法 二十二
人防工程使用维护 人防法 二十五; 人防警报设施 人防法 三十一
退役军人就业安置 退役军人法 三十九; 退役军人优待政策落实 退役军人法 六十三
高新技术企业认定条件 高企办法 十一; 研发费用归集 高企办法 十一
科技项目资金使用 科技法 九十一; 清洁生产审核 清洁生产法 二十七
无线电设备使用 无线电条例 二十七; 医保定点协议履行 医保条例 十四
医保基金使用 医保条例 十五; 医保药品耗材进销存 医保条例 十五
烟草专卖零售许可 烟草法 十六; 卷烟进货渠道 烟草条例 二十三
向未成年人售烟 未保法 五十九; 燃气使用安全 燃气条例 二十八
""")
"""The legal basis of each checklist item that has one of its own."""

UNIT_DEFAULT_BASIS: dict[str, str] = _table("""
SCJG 食安法 一百一十; YJGL 安全生产法 六十五
STHJ 环保法 二十四; XFJY 消防法 五十三
ZJJ 建设安全 四十三; RSJ 监察条例 十一
WSJK 公卫条例 十; JTYS 运输条例 五十九
NYNC 农产品法 五十四; WGLT 娱乐条例 三十
CGZF 市容条例 三十二; JYJ 学校食品 五
SWJ 安全生产法 十; SLJ 水法 五十九
ZRZY 土地法 六十七; MZJ 养老办法 三十八
FGJ 节能法 十二; LYJ 森林法 六十六
TJJ 统计法 三十五; RFB 人防法 二十五
TYJR 退役军人法 七十五; KXJS 科技法 九十一
GYXX 节能法 十二; YBJ 医保条例 二十七
YCZM 烟草条例 四十二; ZHZF 处罚法 二十四
""")
"""A unit kind's general power of inspection, the basis of items without their own entry."""


def legal_basis(unit_kind: str, item: str) -> str:
    """The legal basis of `item` when checked by a unit of kind `unit_kind`.

    Raises:
        KeyError: `unit_kind` is not a known unit kind and the item has no entry.
    """
    return LEGAL_BASIS.get(item) or UNIT_DEFAULT_BASIS[unit_kind]


SPECIAL_THEMES: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (title, industry, tuple(kinds))
    for title, industry, *kinds in _entries("""
汛期前建筑工地安全生产专项检查 construction ZJJ YJGL RSJ CGZF
建筑工地农民工工资支付专项检查 construction RSJ ZJJ
建设工地扬尘和噪声污染专项整治 construction STHJ CGZF ZJJ
人防工程使用专项检查 construction RFB ZJJ
危险化学品安全专项整治 chemical YJGL STHJ XFJY WSJK
化工企业节能和清洁生产专项监察 chemical GYXX FGJ STHJ
餐饮场所燃气安全专项整治 restaurant ZHZF XFJY SCJG CGZF
餐饮服务食品安全专项检查 restaurant SCJG WSJK XFJY
食品销售环节食品安全专项检查 food_shop SCJG YCZM XFJY
学校食堂食品安全专项检查 school_canteen JYJ SCJG WSJK
医保基金使用专项检查 clinic YBJ WSJK SCJG
药品零售企业药品安全专项检查 pharmacy SCJG YBJ WSJK
人员密集场所消防安全专项整治 hotel XFJY WSJK WGLT SCJG
娱乐场所安全专项整治 entertainment WGLT XFJY WSJK CGZF
工贸企业重大事故隐患专项排查 manufacturing YJGL XFJY STHJ RSJ
工业企业职业健康专项检查 manufacturing WSJK YJGL RSJ
高新技术企业统计和研发专项核查 manufacturing KXJS TJJ GYXX
道路运输企业安全生产专项整治 logistics JTYS XFJY RSJ YJGL
加油站安全专项检查 gas_station YJGL SWJ XFJY SCJG
养老机构安全隐患专项排查 elderly_care MZJ XFJY SCJG WSJK
食品生产企业质量安全和安全生产专项检查 food_factory SCJG YJGL STHJ XFJY
非煤矿山安全生产专项检查 mining YJGL ZRZY STHJ SLJ
畜禽养殖污染防治专项检查 agriculture NYNC STHJ SLJ
旅游景区安全专项检查 scenic_spot WGLT XFJY LYJ SCJG
""")
)
"""Special campaigns (专项): title, industry, and the unit kinds taking part, lead first."""

INDUSTRY_NOUNS: dict[str, str] = dict(
    _entries("""
restaurant 餐饮服务单位; food_shop 食品销售单位; food_factory 食品生产企业
chemical 化工企业; manufacturing 工业企业; construction 建筑施工工地; hotel 住宿场所
entertainment 娱乐场所; school_canteen 学校食堂; logistics 物流运输企业
clinic 医疗机构; pharmacy 药品零售企业; elderly_care 养老机构; gas_station 加油站
agriculture 农业生产经营主体; mining 矿山企业; scenic_spot 旅游景区
""")
)
"""How a routine checklist's title names the enterprises of an industry."""

_TOPICS: dict[str, str] = dict(
    _entries("""
SCJG 市场监管; YJGL 安全生产; STHJ 生态环境保护; XFJY 消防安全; ZJJ 工程质量安全
RSJ 劳动保障; WSJK 卫生监督; JTYS 道路运输安全; NYNC 农产品质量安全; WGLT 文化旅游市场
CGZF 市容环境; JYJ 食品安全和校园安全; SWJ 商务领域安全; SLJ 水利; ZRZY 自然资源
MZJ 养老服务安全; FGJ 节能; LYJ 林业; TJJ 统计; RFB 人防工程; TYJR 退役军人优待政策
KXJS 科技项目; GYXX 工业节能与安全; YBJ 医保基金使用; YCZM 烟草专卖; ZHZF 综合行政执法
SCJG:restaurant 食品安全; SCJG:food_shop 食品安全; SCJG:food_factory 食品安全
SCJG:school_canteen 食品安全; SCJG:elderly_care 食品安全; SCJG:pharmacy 药品安全
SCJG:clinic 医疗器械质量; SCJG:gas_station 计量和油品质量; SCJG:agriculture 食用农产品质量
SCJG:manufacturing 特种设备安全; SCJG:chemical 特种设备安全; SCJG:logistics 特种设备安全
SCJG:scenic_spot 特种设备安全; WSJK:chemical 职业卫生; WSJK:manufacturing 职业卫生
WSJK:food_factory 职业卫生; WSJK:clinic 医疗卫生; WSJK:school_canteen 学校卫生
ZHZF:restaurant 燃气和油烟; ZHZF:food_shop 门前三包
""")
)


def topic(unit_kind: str, industry: str) -> str:
    """What a unit of `unit_kind` checks at an industry, for a routine title (消防安全)."""
    return _TOPICS.get(f"{unit_kind}:{industry}") or _TOPICS[unit_kind]


COMPLAINT_ISSUES: dict[str, tuple[str, ...]] = {
    kind: tuple(issues)
    for kind, *issues in _entries("""
SCJG 食品安全问题 价格欺诈 销售过期食品; XFJY 消防通道堵塞 违规住人 消防设施损坏
STHJ 废气扰民 污水直排 噪声扰民; CGZF 油烟扰民 占道经营 夜间施工噪声
RSJ 拖欠工资 未签劳动合同 未缴社会保险; WSJK 卫生状况差 从业人员无健康证
JTYS 车辆超载 非法营运; WGLT 接纳未成年人 噪声扰民; ZHZF 违法搭建 燃气使用不规范 油烟扰民
""")
}
"""What complaints to a unit kind are about, for the titles of complaint checks."""

ROADS: dict[str, tuple[str, ...]] = {
    town: tuple(roads)
    for town, *roads in _entries("""
凤城街道 先锋中路 人民一路 北门街 上廓街 新城中路 桥北路
东城街道 东城路 连江路 银泉路 东门路 创兴大道
洲心街道 洲心大道 松岗路 东升路 七星岗路
横荷街道 横荷路 锦霞路 凤翔大道 清远大道
源潭镇 源潭大道 工业大道 站前路 银源路
龙塘镇 龙塘大道 银盏路 长冲路 井岭路
石角镇 石角大道 德兴路 广清大道 七星路
飞来峡镇 飞来峡大道 江口路 高田路 四九路
""")
}
"""Roads of each town, for addresses."""

TOWN_WEIGHTS: dict[str, tuple[float, ...]] = {
    key: weights
    for keys, weights in (
        (("default",), (5.0, 4.0, 3.0, 3.0, 1.5, 1.5, 1.5, 0.8)),
        (
            ("food_factory", "chemical", "manufacturing", "logistics"),
            (0.3, 0.8, 0.8, 1, 3, 3, 3, 1),
        ),
        (("construction", "gas_station"), (2.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0)),
        (("agriculture", "mining", "scenic_spot"), (0.1, 0.5, 0.5, 0.5, 2.0, 2.0, 2.0, 3.0)),
    )
    for key in keys
}
"""Where an industry's enterprises lie, in the order of Qingcheng's towns (凤城街道 first)."""
