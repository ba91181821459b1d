"""Deterministic sample ledgers: the sample portfolio's workbooks (here) and benchmark-size
ones (``sample_scale``), made by the same invoice maker and written by the same writer.

Both generators draw from ``random.Random(seed)`` only (no clock, no global state) and
write with XlsxWriter using fixed document properties, so the same inputs give the same
bytes. Amounts are exact to the cent: quantities are whole units, unit prices have at
most two decimals, and ``amount = quantity × unit price`` is computed in integer cents.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.ledger.sample_data import SEASON

if TYPE_CHECKING:
    from workbench.portfolio import Portfolio

FIXED_TIMESTAMP = dt.datetime(2026, 1, 1, 0, 0, 0)
"""Created/modified time written into every generated workbook (bytes stay deterministic)."""

_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_serial(day: dt.date) -> int:
    """The 1900-system Excel serial number of a date (what a date cell stores)."""
    return (day - _EXCEL_EPOCH).days


def open_workbook(path: Path, *, constant_memory: bool = False) -> Any:
    """An XlsxWriter workbook with fixed properties, so its bytes do not depend on the clock."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": constant_memory,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties({"author": "KAM Workbench sample generator", "created": FIXED_TIMESTAMP})
    return wb


# ----------------------------------------------------------------------- sample ledger

SAMPLE_SALES_FILE = "销售台账.xlsx"
SAMPLE_DEALER_FILE = "dealer_reports.xlsx"
SAMPLE_START = dt.date(2025, 1, 1)

SALES_HEADERS = (
    "日期",
    "单号",
    "客户编号",
    "客户名称",
    "业务员",
    "商品编码",
    "类别",
    "数量",
    "单价",
    "成本",
    "金额",
    "送货区域",
    "状态",
)
PAYMENT_HEADERS = ("日期", "客户编号", "单号", "金额")
CUSTOMER_HEADERS = ("客户编号", "客户名称", "业务员", "地区", "账期", "信用额度")
INVENTORY_HEADERS = ("Date", "Customer ID", "SKU", "On Hand", "Sold")
PRICE_HEADERS = ("Date", "Customer ID", "SKU", "Observed Price")


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def _month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _buys_in(rhythm: str, month: dt.date, rng: random.Random) -> bool:
    m = month.month
    if rhythm == "alternate":
        return m % 2 == 1
    if rhythm == "quarterly":
        return m % 3 == 1
    if rhythm == "quarterly_late":
        return m % 3 == 2
    if rhythm == "sparse":
        return rng.random() < 0.35
    return True


@dataclass(frozen=True)
class _Customer:
    id: str
    name: str
    owner: str
    region: str
    term: int
    limit: int
    profile: Any  # sample_data.Profile


def invoice_lines(
    rng: random.Random,
    c: _Customer,
    by_line: dict[str, list[Any]],
    day: dt.date,
    invoice: str,
    taker: str,
    share: float,
    count: int | None = None,
) -> tuple[list[tuple[Any, ...]], int]:
    """The lines of one invoice of customer `c` and their total in cents: SKUs of the
    customer's product lines, each at most once, whole cartons of about a quarter of the
    invoice value each; lines are added until the invoice reaches `share` (CNY) or, when
    given, `count` lines. Both generators make every invoice with this."""
    prof = c.profile
    lines: list[tuple[Any, ...]] = []
    cents_total = 0
    used: set[str] = set()
    while cents_total < share * 100 if count is None else len(lines) < count:
        options = [k for k in by_line[rng.choice(prof.lines)] if k.code not in used]
        if not options:
            if len(used) >= sum(len(by_line[line]) for line in prof.lines):
                break
            continue
        sku = rng.choice(options)
        used.add(sku.code)
        cap = int(share / float(sku.price * sku.pack) / 4)
        qty = sku.pack * rng.randint(1, max(1, min(40, cap)))
        cents = int(qty * sku.price * 100)
        region = c.region
        if prof.delivery and rng.random() < prof.delivery[1]:
            region = prof.delivery[0]
        lines.append((day, invoice, c.id, c.name, taker, sku.code, sku.line, qty, sku.price, sku.cost, region, ""))
        cents_total += cents
    return lines, cents_total


def _sample_customers(portfolio: Portfolio) -> list[_Customer]:
    from workbench.ledger.sample_data import (
        OTHER_CUSTOMERS,
        OTHER_LIMIT_MONTHS,
        OTHER_SCALE,
        OTHER_TERM_DAYS,
        PROFILES,
        Profile,
    )

    out = []
    for lp in portfolio.plans:
        p = lp.plan
        profile = PROFILES.get(p.account_id) or Profile(100_000)
        credit = p.customer.credit
        out.append(
            _Customer(
                p.account_id,
                p.customer.static.legal_name,
                p.owner,
                p.customer.static.region,
                credit.term_days,
                int(credit.limit),
                profile,
            )
        )
    planned = {c.id for c in out}
    for cid, name, owner, region, monthly, pay in OTHER_CUSTOMERS:
        if cid in planned:
            continue
        monthly = int(monthly * OTHER_SCALE)
        limit = int(round(monthly * OTHER_LIMIT_MONTHS, -4))
        out.append(_Customer(cid, name, owner, region, OTHER_TERM_DAYS, limit, Profile(monthly, pay=pay)))
    return sorted(out, key=lambda c: c.id)


def generate_sample_ledger(portfolio: Portfolio, out_dir: Path, seed: int = 2026) -> list[Path]:
    """Write the sample portfolio's workbooks into `out_dir` and return their paths.

    ``销售台账.xlsx`` (sheets 销售 with a title above the header row, 收款, 客户) and
    ``dealer_reports.xlsx`` (inventory, prices), from January 2025 to the portfolio's
    as-of date, following each account's profile in ``sample_data.PROFILES``.
    """
    from workbench.ledger.sample_data import CATALOGUE, DEALER_SKUS, SKUS

    rng = random.Random(seed)
    as_of = portfolio.settings.as_of
    fy_start, _ = portfolio.settings.fiscal_period()
    customers = _sample_customers(portfolio)
    people = sorted({c.owner for c in customers})
    by_line: dict[str, list[Any]] = {}
    for sku in CATALOGUE:
        by_line.setdefault(sku.line, []).append(sku)

    sales: list[tuple[Any, ...]] = []
    invoices: list[tuple[dt.date, str, str, int]] = []  # date, customer, invoice, cents
    serial = 0
    for month in _months(SAMPLE_START, as_of):
        last = min(_month_end(month), as_of)
        for c in customers:
            prof = c.profile
            if not _buys_in(prof.rhythm, month, rng):
                continue
            boost = {"alternate": 2.0, "quarterly": 3.0, "quarterly_late": 3.0, "sparse": 2.5}.get(prof.rhythm, 1.0)
            year_factor = 1.0 if month >= fy_start else 1.0 / (1.0 + prof.growth)
            target = prof.monthly * boost * year_factor * SEASON[month.month] * rng.uniform(0.95, 1.05)
            n_invoices = max(1, min(12, int(target // 80_000) + 1))
            for _k in range(n_invoices):
                serial += 1
                day = month + dt.timedelta(days=min((last - month).days, rng.randrange(0, 28)))
                invoice = f"XS{day:%y%m}{serial:05d}"
                taker = c.owner if rng.random() < 0.95 else people[rng.randrange(len(people))]
                lines, cents_total = invoice_lines(rng, c, by_line, day, invoice, taker, target / n_invoices)
                sales += lines
                invoices.append((day, c.id, invoice, cents_total))

    # dirty but realistic rows the default policies handle: a return, a cancelled line, postage
    planted = sorted(invoices)[len(invoices) // 2]
    sales.append(
        (
            dt.date(2026, 5, 20),
            "TH2605001",
            "00231",
            "杭州联华家居用品批发有限公司",
            "王伟",
            "QH-WK30",
            "不粘锅具",
            -312,
            SKUS["QH-WK30"].price,
            SKUS["QH-WK30"].cost,
            "华东",
            "",
        )
    )
    invoices.append((dt.date(2026, 5, 20), "00231", "TH2605001", int(-312 * SKUS["QH-WK30"].price * 100)))
    row = next(s for s in sales if s[1] == planted[2])
    sales.append((row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10], "作废"))
    sales.append((row[0], row[1], row[2], row[3], row[4], "运费", "", 1, Decimal("80.00"), Decimal("0"), row[10], ""))
    sales.sort(key=lambda s: (s[0], s[1], s[5]))

    payments = _sample_payments(customers, invoices, as_of, rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        _write_sales_book(out_dir / SAMPLE_SALES_FILE, sales, payments, customers),
        _write_dealer_book(
            out_dir / SAMPLE_DEALER_FILE, customers, invoices, sales, DEALER_SKUS, as_of, portfolio, rng
        ),
    ]
    return paths


def _sample_payments(
    customers: list[_Customer], invoices: list[tuple[dt.date, str, str, int]], as_of: dt.date, rng: random.Random
) -> list[tuple[dt.date, str, str, int]]:
    info = {c.id: c for c in customers}
    out: list[tuple[dt.date, str, str, int]] = []
    lump: dict[tuple[str, dt.date], int] = {}
    for day, cid, invoice, cents in sorted(invoices):
        c = info[cid]
        pay = c.profile.pay
        if cents <= 0:
            continue
        term = c.term
        due = day + dt.timedelta(days=term)
        when = day + dt.timedelta(days=rng.randint(max(1, term - 15), term - 1)) if term > 1 else day
        if pay == "late_2025" and day.year == 2025 and rng.random() < 0.4:
            when = due + dt.timedelta(days=rng.randint(5, 25))
        if pay == "stops_june" and day >= dt.date(2026, 6, 1):
            part = cents * 3 // 10
            if when <= as_of:
                out.append((when, cid, invoice, part))
            continue
        if pay == "lump_sum":
            # one transfer per month without invoice numbers, paying last month's invoices
            key = (cid, (day.replace(day=1) + dt.timedelta(days=32)).replace(day=18))
            if key[1] <= as_of:
                lump[key] = lump.get(key, 0) + cents
            continue
        if when > as_of:
            continue
        if pay == "partial" and cents > 20_000_00 and rng.random() < 0.5:
            first = (cents // 2) // 100 * 100
            early = day + dt.timedelta(days=max(1, (when - day).days // 2))
            out.append((early, cid, invoice, first))
            out.append((when, cid, invoice, cents - first))
        else:
            out.append((when, cid, invoice, cents))
    for (cid, when), cents in lump.items():
        out.append((when, cid, "", cents))
    return sorted(out)


class SalesBook:
    """The sales workbook both generators write: 销售 (a title above the header row), 收款 and
    客户, one sales row at a time (in XlsxWriter's constant-memory mode for big workbooks)."""

    def __init__(self, path: Path, title: str, *, constant_memory: bool = False):
        self.path = path
        self.constant_memory = constant_memory
        self.wb = wb = open_workbook(path, constant_memory=constant_memory)
        self.date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.money_fmt = wb.add_format({"num_format": "#,##0.00"})
        self.bold = wb.add_format({"bold": True})
        self.ws = ws = wb.add_worksheet("销售")
        if constant_memory:  # column widths precede the rows written one by one
            self._widths()
        ws.write_string(0, 0, title, self.bold)
        for col, head in enumerate(SALES_HEADERS):
            ws.write_string(2, col, head, self.bold)
        self.row = 3

    def _widths(self) -> None:
        self.ws.set_column(0, 0, 11)
        self.ws.set_column(3, 3, 28)

    def add(self, sale: tuple[Any, ...]) -> None:
        day, invoice, cid, name, taker, sku, line, qty, price, cost, region, status = sale
        ws, r, money_fmt = self.ws, self.row, self.money_fmt
        ws.write_number(r, 0, excel_serial(day), self.date_fmt)
        ws.write_string(r, 1, invoice)
        ws.write_string(r, 2, cid)
        ws.write_string(r, 3, name)
        ws.write_string(r, 4, taker)
        ws.write_string(r, 5, sku)
        ws.write_string(r, 6, line)
        ws.write_number(r, 7, qty)
        ws.write_number(r, 8, float(price), money_fmt)
        ws.write_number(r, 9, float(cost), money_fmt)
        ws.write_number(r, 10, float(Decimal(qty) * Decimal(price)), money_fmt)
        ws.write_string(r, 11, region)
        if status:
            ws.write_string(r, 12, status)
        self.row = r + 1

    def finish(self, payments: list[tuple[dt.date, str, str, int]], customers: list[_Customer]) -> Path:
        wb, bold, date_fmt, money_fmt = self.wb, self.bold, self.date_fmt, self.money_fmt
        if not self.constant_memory:
            self._widths()
        wp = wb.add_worksheet("收款")
        for col, head in enumerate(PAYMENT_HEADERS):
            wp.write_string(0, col, head, bold)
        for r, (day, cid, invoice, cents) in enumerate(payments, start=1):
            wp.write_number(r, 0, excel_serial(day), date_fmt)
            wp.write_string(r, 1, cid)
            if invoice:
                wp.write_string(r, 2, invoice)
            wp.write_number(r, 3, cents / 100, money_fmt)
        wc = wb.add_worksheet("客户")
        for col, head in enumerate(CUSTOMER_HEADERS):
            wc.write_string(0, col, head, bold)
        for r, c in enumerate(customers, start=1):
            wc.write_string(r, 0, c.id)
            wc.write_string(r, 1, c.name)
            wc.write_string(r, 2, c.owner)
            wc.write_string(r, 3, c.region)
            wc.write_number(r, 4, c.term)
            wc.write_number(r, 5, c.limit, money_fmt)
        wb.close()
        return self.path


def _write_sales_book(
    path: Path, sales: list[tuple[Any, ...]], payments: list[tuple[dt.date, str, str, int]], customers: list[_Customer]
) -> Path:
    book = SalesBook(path, f"销售明细（{SAMPLE_START} 至 2026-09-30，ERP 导出）")
    for sale in sales:
        book.add(sale)
    return book.finish(payments, customers)


def _write_dealer_book(
    path: Path,
    customers: list[_Customer],
    invoices: list[Any],
    sales: list[tuple[Any, ...]],
    skus: tuple[str, ...],
    as_of: dt.date,
    portfolio: Portfolio,
    rng: random.Random,
) -> Path:
    guideline = {p.sku: p.price for p in portfolio.settings.price_list}
    wb = open_workbook(path)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    money_fmt = wb.add_format({"num_format": "#,##0.00"})
    bold = wb.add_format({"bold": True})
    wi = wb.add_worksheet("inventory")
    wpr = wb.add_worksheet("prices")
    for col, head in enumerate(INVENTORY_HEADERS):
        wi.write_string(0, col, head, bold)
    for col, head in enumerate(PRICE_HEADERS):
        wpr.write_string(0, col, head, bold)
    report_days = [_month_end(m) for m in _months(dt.date(as_of.year, 6, 1), as_of)]
    ri = rp = 1
    for c in customers:
        prof = c.profile
        for report in report_days:
            for sku in skus:
                if prof.stock_days:
                    daily = max(3, int(prof.monthly / 30 / float(guideline.get(sku, Decimal(60))) / 6))
                    sold = daily * 30
                    days = prof.stock_days[sku] if report == report_days[-1] else rng.randint(20, 25)
                    wi.write_number(ri, 0, excel_serial(report), date_fmt)
                    wi.write_string(ri, 1, c.id)
                    wi.write_string(ri, 2, sku)
                    wi.write_number(ri, 3, daily * days)
                    wi.write_number(ri, 4, sold)
                    ri += 1
                if prof.price_dev and sku in guideline:
                    dev = prof.price_dev[sku] + rng.uniform(-0.01, 0.01)
                    price = (guideline[sku] * Decimal(str(1 + dev))).quantize(Decimal("0.1"))
                    wpr.write_number(rp, 0, excel_serial(report - dt.timedelta(days=rng.randint(3, 12))), date_fmt)
                    wpr.write_string(rp, 1, c.id)
                    wpr.write_string(rp, 2, sku)
                    wpr.write_number(rp, 3, float(price), money_fmt)
                    rp += 1
    wb.close()
    return path
