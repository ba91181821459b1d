"""Tables behind the sample portfolio: the fictional maker, its catalogue, regions and people.

Qinghe Household Products (青禾家居) makes vacuum flasks, cookware, kitchen storage,
cleaning tools and tableware in Zhejiang and sells them through regional dealers and key
retail accounts. Everything here is invented. ``workbench.ledger.sample`` turns these
tables (and the plans in ``plans/``) into the sample ledger workbooks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

COMPANY = "浙江青禾家居用品有限公司"
COMPANY_EN = "Zhejiang Qinghe Household Products Co., Ltd."


@dataclass(frozen=True)
class Sku:
    code: str
    line: str  # product line, as the ledger's 类别 column spells it
    name: str
    price: Decimal  # our invoice price to the trade (单价), ≤ 2 decimals
    cost: Decimal  # unit cost (成本)
    guideline: Decimal  # guideline resale price dealers should sell at (指导价)
    pack: int  # units per carton: order quantities are multiples of it


def _sku(code: str, line: str, name: str, price: str, cost: str, guideline: str, pack: int) -> Sku:
    return Sku(code, line, name, Decimal(price), Decimal(cost), Decimal(guideline), pack)


PRODUCT_LINES = ("保温杯壶", "不粘锅具", "厨房收纳", "清洁工具", "餐具套装")

CATALOGUE: tuple[Sku, ...] = (
    _sku("QH-VF350", "保温杯壶", "350ml 不锈钢保温杯", "42.50", "27.80", "59.00", 24),
    _sku("QH-VF500", "保温杯壶", "500ml 不锈钢保温杯", "48.00", "31.20", "68.00", 24),
    _sku("QH-VJ1500", "保温杯壶", "1.5L 保温壶", "76.00", "50.10", "109.00", 12),
    _sku("QH-VF600K", "保温杯壶", "600ml 儿童吸管杯", "39.90", "25.40", "55.00", 24),
    _sku("QH-WK30", "不粘锅具", "30cm 不粘炒锅", "118.00", "79.50", "169.00", 6),
    _sku("QH-FP26", "不粘锅具", "26cm 不粘煎锅", "86.00", "57.30", "119.00", 8),
    _sku("QH-SP20", "不粘锅具", "20cm 奶锅", "64.00", "42.60", "89.00", 8),
    _sku("QH-SB5", "厨房收纳", "五件套保鲜盒", "29.80", "18.10", "45.00", 20),
    _sku("QH-SR3", "厨房收纳", "三层调料架", "35.50", "21.90", "49.00", 12),
    _sku("QH-RB40", "厨房收纳", "40L 米桶", "45.00", "28.70", "65.00", 10),
    _sku("QH-MP01", "清洁工具", "平板拖把", "38.00", "22.60", "55.00", 12),
    _sku("QH-MP02", "清洁工具", "旋转拖把桶", "69.00", "43.50", "99.00", 6),
    _sku("QH-BR10", "清洁工具", "清洁刷十件套", "19.90", "11.40", "29.00", 30),
    _sku("QH-TW16", "餐具套装", "16件骨瓷餐具", "158.00", "104.00", "229.00", 4),
    _sku("QH-CH10", "餐具套装", "十双合金筷", "24.50", "14.80", "35.00", 40),
    _sku("QH-BW8", "餐具套装", "八只陶瓷碗", "46.00", "29.90", "69.00", 12),
)

SKUS = {s.code: s for s in CATALOGUE}

# Main SKUs dealers report stock and resale prices for (库存/价格 sheets).
DEALER_SKUS = ("QH-VF350", "QH-VF500", "QH-WK30", "QH-MP01")

REGIONS = ("华东", "华南", "华北", "华中", "西南")

# Seasonality: relative monthly weight (peak before Spring Festival and in Q4).
SEASON = {1: 1.35, 2: 0.75, 3: 0.90, 4: 0.90, 5: 0.95, 6: 1.00, 7: 0.90, 8: 0.95, 9: 1.05, 10: 1.15, 11: 1.30, 12: 1.40}

# Names for the scale (benchmark) workbook.
SCALE_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
SCALE_GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "军",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "晓东",
)


# Customer names of the scale workbook: city + trade + form, e.g. 杭州家居商贸有限公司.
SCALE_CITIES = (
    "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "台州", "上海", "南京",
    "苏州", "无锡", "合肥", "福州", "厦门", "广州", "深圳", "佛山", "东莞", "南宁",
    "北京", "天津", "石家庄", "济南", "青岛", "郑州", "武汉", "长沙", "成都", "重庆",
)  # fmt: skip
SCALE_TRADES = ("家居", "日用", "百货", "商贸", "五金", "超市", "厨具", "家电", "日化", "礼品")
SCALE_FORMS = ("有限公司", "商行", "批发部", "连锁店")


# --------------------------------------------------------------- sample portfolio profiles


@dataclass(frozen=True)
class Profile:
    """How one customer of the sample portfolio buys and pays (plan accounts by id)."""

    monthly: int  # typical monthly revenue in 2026, CNY
    growth: float = 0.08  # 2026 over 2025
    rhythm: str = "monthly"  # monthly | alternate | quarterly | sparse
    lines: tuple[str, ...] = PRODUCT_LINES  # product lines bought
    pay: str = "on_time"  # on_time | partial | lump_sum | late_2025 | stops_june
    delivery: tuple[str, float] | None = None  # (other region, share of lines) delivered elsewhere
    stock_days: dict[str, int] | None = None  # sku → days on hand in the last report (dealers)
    price_dev: dict[str, float] | None = None  # sku → deviation of observed resale price


PROFILES: dict[str, Profile] = {
    "00231": Profile(
        2_000_000,
        0.09,
        pay="partial",
        stock_days={"QH-VF350": 22, "QH-VF500": 23, "QH-WK30": 21, "QH-MP01": 22},
        price_dev={"QH-VF350": 0.0, "QH-VF500": 0.02, "QH-WK30": -0.02, "QH-MP01": 0.03},
    ),
    "00318": Profile(1_500_000, 0.04, rhythm="alternate", pay="lump_sum", lines=PRODUCT_LINES[:4]),
    "00407": Profile(70_000, 0.38, lines=PRODUCT_LINES[:4]),
    "00452": Profile(
        290_000,
        0.06,
        lines=PRODUCT_LINES[:4],
        stock_days={"QH-VF350": 45, "QH-VF500": 23, "QH-WK30": 22, "QH-MP01": 21},
    ),
    "00519": Profile(260_000, 0.05, lines=PRODUCT_LINES[:3]),
    "00602": Profile(400_000, 0.12, pay="stops_june", lines=PRODUCT_LINES[:4]),
    "00655": Profile(
        500_000,
        0.07,
        stock_days={"QH-VF350": 24, "QH-VF500": 22, "QH-WK30": 21, "QH-MP01": 23},
        price_dev={"QH-VF350": -0.12, "QH-VF500": -0.03, "QH-WK30": -0.01, "QH-MP01": 0.0},
    ),
    "00718": Profile(30_000, -0.15, rhythm="quarterly", lines=PRODUCT_LINES[:2]),
    "00802": Profile(
        600_000,
        0.10,
        delivery=("华中", 0.30),
        stock_days={"QH-VF350": 21, "QH-VF500": 22, "QH-WK30": 24, "QH-MP01": 22},
        price_dev={"QH-VF350": 0.04, "QH-VF500": 0.05, "QH-WK30": 0.02, "QH-MP01": 0.01},
    ),
    "00836": Profile(400_000, 0.16),
    "00903": Profile(60_000, 0.32),
    "01012": Profile(
        1_200_000,
        0.10,
        stock_days={"QH-VF350": 23, "QH-VF500": 22, "QH-WK30": 22, "QH-MP01": 24},
        price_dev={"QH-VF350": 0.06, "QH-VF500": 0.08, "QH-WK30": 0.05, "QH-MP01": 0.04},
    ),
    "01047": Profile(50_000, 0.0, rhythm="quarterly", lines=PRODUCT_LINES[:1]),
    "01088": Profile(150_000, 0.12, rhythm="quarterly_late", lines=("餐具套装", "厨房收纳")),
}
"""Planted cases: 00318 big and disloyal; 00407 and 00903 rising stars growing ≥ 20 %;
00452 over-stocked (45 days of QH-VF350); 00602 stops paying in June (over its limit,
> 30 days overdue); 00655 sells QH-VF350 12 % under the guideline; 00802 delivers 30 % to
华中; Grace Lin's accounts (01012, 01047, 01088) buy irregularly (activity < 60 %)."""

# The long tail of customers without a plan: (id, name, owner, region, monthly CNY, pay).
OTHER_CUSTOMERS: tuple[tuple[str, str, str, str, int, str], ...] = (
    ("00105", "杭州西溪日用百货", "王伟", "华东", 240_000, "on_time"),
    ("00117", "温州鹿城家居批发", "王伟", "华东", 180_000, "late_2025"),
    ("00126", "嘉兴禾城商贸", "王伟", "华东", 150_000, "on_time"),
    ("00142", "绍兴越州百货", "王伟", "华东", 120_000, "partial"),
    ("00158", "金华义乌小商品批发行", "王伟", "华东", 210_000, "on_time"),
    ("00163", "无锡锡惠超市", "王伟", "华东", 90_000, "on_time"),
    ("00171", "南京金陵家居连锁", "王伟", "华东", 160_000, "on_time"),
    ("00610", "佛山禅城五金家居", "李娜", "华南", 200_000, "on_time"),
    ("00624", "珠海香洲日用品", "李娜", "华南", 110_000, "late_2025"),
    ("00633", "汕头潮商百货", "李娜", "华南", 140_000, "on_time"),
    ("00641", "中山小榄批发部", "李娜", "华南", 80_000, "on_time"),
    ("00647", "惠州惠城商贸", "李娜", "华南", 130_000, "partial"),
    ("00660", "南宁邕城百货", "李娜", "华南", 170_000, "on_time"),
    ("00811", "石家庄燕赵商贸", "陈刚", "华北", 190_000, "on_time"),
    ("00819", "太原晋阳日用品", "陈刚", "华北", 120_000, "on_time"),
    ("00824", "济南泉城家居", "陈刚", "华北", 160_000, "late_2025"),
    ("00829", "青岛海川百货", "陈刚", "华北", 140_000, "on_time"),
    ("00841", "郑州中原日化批发", "陈刚", "华中", 230_000, "on_time"),
    ("00846", "武汉江城家居", "陈刚", "华中", 200_000, "on_time"),
    ("00910", "重庆山城日用品", "赵敏", "西南", 210_000, "on_time"),
    ("00915", "昆明春城百货", "赵敏", "西南", 120_000, "partial"),
    ("00922", "贵阳筑城商贸", "赵敏", "西南", 100_000, "on_time"),
    ("00928", "绵阳涪城家居", "赵敏", "西南", 70_000, "on_time"),
    ("00931", "长沙星城百货", "赵敏", "华中", 150_000, "on_time"),
)
OTHER_TERM_DAYS = 30
OTHER_LIMIT_MONTHS = 2.5
OTHER_SCALE = 0.7  # the long tail is smaller than the key accounts  # credit limit ≈ this many months of revenue
