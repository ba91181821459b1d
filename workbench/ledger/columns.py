"""Finding the sheets and columns of ERP exports: built-in Chinese and English header
aliases, the portfolio's own column map, sheet names, and header rows not on line 1."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbench.ledger.model import COLUMNS, SHEET_KINDS

# canonical column → header texts seen in real exports (compared after `normalize`)
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "sales": {
        "date": ("日期", "订单日期", "开票日期", "销售日期", "单据日期", "date", "order date", "invoice date"),
        "invoice": (
            "单号",
            "发票号",
            "订单号",
            "单据编号",
            "销售单号",
            "invoice",
            "invoice id",
            "invoice no",
            "order id",
            "order no",
        ),
        "customer": (
            "客户编号",
            "客户id",
            "客户代码",
            "客户编码",
            "customer id",
            "customer code",
            "customer no",
            "account id",
        ),
        "salesperson": (
            "销售员",
            "业务员",
            "销售代表",
            "开单人",
            "salesperson",
            "sales rep",
            "salesman",
            "order taker",
        ),
        "sku": ("商品编码", "产品编码", "物料编码", "存货编码", "sku", "item code", "product code", "product id"),
        "product_line": ("类别", "产品线", "产品类别", "品类", "product line", "category", "product category"),
        "quantity": ("数量", "销售数量", "qty", "quantity"),
        "unit_price": ("单价", "含税单价", "销售单价", "unit price", "price"),
        "unit_cost": ("成本", "单位成本", "成本单价", "unit cost", "cost"),
        "amount": ("金额", "销售额", "销售金额", "价税合计", "amount", "sales", "line amount", "revenue"),
        "region": ("送货区域", "地区", "区域", "销售区域", "region", "delivery region", "ship-to region"),
        "status": ("状态", "单据状态", "status"),
        "currency": ("币种", "货币", "currency"),
        "profit": ("利润", "毛利", "profit", "gross profit"),
    },
    "payments": {
        "date": ("日期", "收款日期", "到账日期", "date", "payment date", "receipt date"),
        "customer": ("客户编号", "客户id", "客户代码", "客户编码", "customer id", "customer code", "account id"),
        "invoice": ("单号", "发票号", "核销单号", "订单号", "invoice", "invoice id", "invoice no"),
        "amount": ("金额", "收款金额", "到账金额", "amount", "payment", "paid"),
        "currency": ("币种", "货币", "currency"),
    },
    "inventory": {
        "date": ("日期", "盘点日期", "报告日期", "date", "report date"),
        "customer": ("客户编号", "客户id", "经销商编号", "customer id", "dealer id", "account id"),
        "sku": ("商品编码", "产品编码", "sku", "item code", "product code"),
        "on_hand": ("库存", "库存数量", "现存量", "on hand", "stock", "quantity on hand"),
        "sold": ("销量", "出货量", "本期销量", "sold", "sell-out", "sell out", "quantity sold"),
    },
    "prices": {
        "date": ("日期", "调查日期", "date", "observed on", "observation date"),
        "customer": ("客户编号", "客户id", "经销商编号", "customer id", "dealer id", "account id"),
        "sku": ("商品编码", "产品编码", "sku", "item code", "product code"),
        "price": ("零售价", "实际售价", "观察价格", "observed price", "resale price", "price"),
        "guideline": ("指导价", "建议零售价", "guideline", "guideline price", "rrp"),
    },
    "customers": {
        "customer": ("客户编号", "客户id", "客户代码", "客户编码", "customer id", "customer code", "account id"),
        "name": ("客户名称", "客户", "名称", "customer name", "name"),
        "owner": ("业务员", "销售员", "负责人", "客户经理", "owner", "salesperson", "account manager"),
        "region": ("地区", "区域", "region"),
        "credit_term_days": ("账期", "信用期", "放账期限", "credit term", "credit term days", "payment terms"),
        "credit_limit": ("信用额度", "放账额度", "credit limit"),
    },
}
"""Besides the canonical columns of ``model.COLUMNS``: ``status`` (cancelled markers),
``currency`` (rows in another currency) and ``profit`` (unit cost derived when no cost
column exists)."""

SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "sales": ("销售", "销售明细", "销售台账", "sales", "sales lines", "invoices"),
    "payments": ("收款", "回款", "收款明细", "payments", "receipts"),
    "inventory": ("库存", "库存报告", "inventory", "stock", "stock reports"),
    "prices": ("价格", "价格调查", "prices", "price checks", "observed prices"),
    "customers": ("客户", "客户档案", "客户资料", "customers", "customer master", "accounts"),
}

EXTRA_COLUMNS = {"status": "str?", "currency": "str?", "profit": "money?"}

_SPACES = re.compile(r"[\s_\-:：()（）]+")


def normalize(header: object) -> str:
    """Header text as compared: lower case, no spaces, underscores, dashes or brackets."""
    return _SPACES.sub(" ", str(header or "")).strip().lower()


def required(kind: str) -> list[str]:
    """Canonical columns that must be present (nullable-by-design ones may be absent)."""
    out = [c for c, t in COLUMNS[kind].items() if not t.endswith("?")]
    if kind == "sales":
        out.remove("unit_cost")  # may be derived from a profit column
    return out


@dataclass(frozen=True)
class ColumnMatch:
    kind: str
    columns: dict[str, int]  # canonical → column index in the header row
    missing: list[str]  # required canonical columns not found
    score: int  # how many canonical columns matched
    duplicates: dict[str, list[int]] = field(default_factory=dict)  # canonical → every column that could be it


def match_columns(kind: str, headers: Sequence[object], column_map: Mapping[str, Mapping[str, str]]) -> ColumnMatch:
    """Which column of `headers` holds each canonical column of `kind`.

    Headers named in the portfolio's column map are assigned first, so a mapped header wins
    over a built-in alias (``unit_price: 数量`` takes the 数量 column); among aliases the
    first listed wins (送货区域 before 地区). A header text that appears twice (金额 twice) is
    reported in `duplicates`: taking either would silently read the wrong one."""
    where: dict[str, list[int]] = {}
    for i, h in enumerate(headers):
        key = normalize(h)
        if key:
            where.setdefault(key, []).append(i)
    columns: dict[str, int] = {}
    taken: set[int] = set()
    duplicates: dict[str, list[int]] = {}
    for canonical, header in column_map.get(kind, {}).items():
        hits = where.get(normalize(header), [])
        if hits:
            columns[canonical] = hits[0]
            taken.add(hits[0])
            if len(hits) > 1:
                duplicates[canonical] = hits
    for canonical, names in ALIASES[kind].items():
        if canonical in columns:
            continue
        for name in names:  # in order of preference: 送货区域 before 地区
            candidates = [i for i in where.get(normalize(name), []) if i not in taken]
            if candidates:
                columns[canonical] = candidates[0]
                taken.add(candidates[0])
                if len(candidates) > 1:
                    duplicates[canonical] = candidates
                break
    cost_missing = kind == "sales" and "unit_cost" not in columns and "profit" not in columns
    missing_cost = ["unit_cost"] if cost_missing else []
    missing = [c for c in required(kind) if c not in columns] + missing_cost
    return ColumnMatch(kind, columns, missing, len(columns), duplicates)


def sheet_kind_by_name(name: str, sheet_names: Mapping[str, Sequence[str]]) -> str | None:
    key = normalize(name)
    for kind in SHEET_KINDS:
        names = [*SHEET_ALIASES[kind], *sheet_names.get(kind, ())]
        if key in {normalize(n) for n in names}:
            return kind
    return None


def best_header_row(
    rows: Sequence[Sequence[object]], kinds: Sequence[str], column_map: Mapping[str, Mapping[str, str]]
) -> tuple[int, ColumnMatch] | None:
    """The row (0-based, within the first rows given) that looks most like a header of one
    of `kinds`, with its match; None when no row matches at least two columns."""
    best: tuple[int, ColumnMatch] | None = None
    for i, row in enumerate(rows):
        for kind in kinds:
            m = match_columns(kind, row, column_map)
            if m.score >= 2 and (
                best is None
                or (m.score - len(m.missing), m.score) > (best[1].score - len(best[1].missing), best[1].score)
            ):
                best = (i, m)
    return best


def closest_headers(canonical: str, kind: str, headers: Sequence[object]) -> list[str]:
    """Headers that look like `canonical` (for the missing-column error)."""
    texts = [str(h) for h in headers if str(h or "").strip()]
    names = [canonical, *ALIASES[kind].get(canonical, ())]
    scored: dict[str, float] = {}
    for text in texts:
        for name in names:
            ratio = difflib.SequenceMatcher(None, normalize(text), normalize(name)).ratio()
            scored[text] = max(scored.get(text, 0.0), ratio)
    return [t for t, r in sorted(scored.items(), key=lambda kv: -kv[1]) if r >= 0.5][:3]
