"""Benchmark-size sample ledgers (``kam ledger sample --accounts 500 --lines 1000000``).

The same workbook as the sample portfolio's ``销售台账.xlsx`` — sheets 销售 (a title above
the Chinese header row), 收款 and 客户 — made by the same invoice maker
(``sample.invoice_lines``: each SKU at most once per invoice, whole cartons, exact cents)
and written by the same writer with a shared-strings table, as Excel and ERP exports write
text (XlsxWriter's constant-memory mode would write every text cell inline: a third more
XML, and slower for every reader). So a benchmark reads what users' ledgers look like and
passes the default policies: no duplicate lines, every amount equal to quantity × unit
price. (Writing a million lines this way holds the workbook in memory: about 2 GB.)

Accounts follow a Pareto-like distribution of invoices, buy two to five product lines each,
pay on time, partly, late or in monthly lump sums without invoice numbers (about one receipt
per ten sales lines); about 3 % of invoices are returns (TH…, negative quantities), and a
few accounts deliver part of their orders into another region.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from workbench.ledger.sample import SalesBook, _Customer, _sample_payments, invoice_lines
from workbench.ledger.sample_data import (
    CATALOGUE,
    PRODUCT_LINES,
    REGIONS,
    SCALE_CITIES,
    SCALE_FORMS,
    SCALE_GIVEN,
    SCALE_SURNAMES,
    SCALE_TRADES,
    SEASON,
    Profile,
)

SCALE_START, SCALE_END = dt.date(2024, 10, 1), dt.date(2026, 9, 30)
RETURN_SHARE = 0.03
PAY_TERMS = (30, 30, 45, 60)
PAY_HABITS = ("on_time",) * 7 + ("partial", "late_2025", "lump_sum")


def _salespeople(count: int) -> list[str]:
    names: list[str] = []
    for i in range(count):
        surname = SCALE_SURNAMES[i % len(SCALE_SURNAMES)]
        given = SCALE_GIVEN[(i * 7) % len(SCALE_GIVEN)]
        names.append(surname + given)
    return names


def _name(i: int) -> str:
    city = SCALE_CITIES[i % len(SCALE_CITIES)]
    trade = SCALE_TRADES[(i // len(SCALE_CITIES)) % len(SCALE_TRADES)]
    form = SCALE_FORMS[(i // (len(SCALE_CITIES) * len(SCALE_TRADES))) % len(SCALE_FORMS)]
    lap = i // (len(SCALE_CITIES) * len(SCALE_TRADES) * len(SCALE_FORMS))
    return f"{city}{trade}{'' if not lap else lap + 1}{form}"


def _customers(rng: random.Random, accounts: int, lines: int, weights: list[float]) -> list[_Customer]:
    """Accounts with owners, regions, terms, product lines and pay habits; a credit limit of
    about 2.5 months of their expected revenue."""
    people = _salespeople(min(25, max(2, accounts // 20)))
    mean_line = sum(float(s.price) * s.pack * 4 for s in CATALOGUE) / len(CATALOGUE)
    total = sum(weights)
    out = []
    for i in range(accounts):
        home = REGIONS[rng.randrange(len(REGIONS))]
        bought = tuple(sorted(rng.sample(PRODUCT_LINES, rng.randint(2, len(PRODUCT_LINES)))))
        delivery = None
        if rng.random() < 0.03:
            delivery = (rng.choice([r for r in REGIONS if r != home]), 0.2)
        monthly = int(lines * mean_line * weights[i] / total / 24)
        profile = Profile(max(1000, monthly), lines=bought, pay=rng.choice(PAY_HABITS), delivery=delivery)
        limit = max(10_000, int(round(profile.monthly * 2.5, -4)))
        out.append(
            _Customer(
                f"{i + 1:05d}",
                _name(i),
                people[rng.randrange(len(people))],
                home,
                rng.choice(PAY_TERMS),
                limit,
                profile,
            )
        )
    return out


def generate_scale_ledger(path: Path, accounts: int, lines: int, seed: int = 2026) -> Path:
    """Write a big deterministic sales workbook (exactly `lines` sales lines over `accounts`
    customers, two years ending 2026-09-30) for benchmarks and return its path."""
    if accounts < 1 or lines < 0:
        raise ValueError("accounts must be ≥ 1 and lines ≥ 0")
    rng = random.Random(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(accounts)]
    rng.shuffle(weights)  # the biggest customer is not always "00001"
    customers = _customers(rng, accounts, lines, weights)
    people = sorted({c.owner for c in customers})

    days = [SCALE_START + dt.timedelta(d) for d in range((SCALE_END - SCALE_START).days + 1)]
    day_weights = [SEASON[d.month] * (0.35 if d.weekday() == 6 else 1.0) for d in days]

    # invoices: line counts summing exactly to `lines`, dated by season, sorted by date
    counts: list[int] = []
    left = lines
    while left > 0:
        n = min(left, rng.randint(1, 5))
        counts.append(n)
        left -= n
    inv_days = sorted(rng.choices(range(len(days)), weights=day_weights, k=len(counts)))
    inv_customers = rng.choices(range(accounts), weights=weights, k=len(counts))

    by_line: dict[str, list[Any]] = {}
    for sku in CATALOGUE:
        by_line.setdefault(sku.line, []).append(sku)
    book = SalesBook(path, f"销售明细（{SCALE_START} 至 {SCALE_END}，ERP 导出）", constant_memory=False)
    invoices: list[tuple[dt.date, str, str, int]] = []
    pay_share = min(1.0, lines / 10 / max(1, len(counts)))
    for k, n in enumerate(counts):
        c = customers[inv_customers[k]]
        day = days[inv_days[k]]
        is_return = rng.random() < RETURN_SHARE
        invoice = f"{'TH' if is_return else 'XS'}{day:%y%m}{k + 1:07d}"
        taker = c.owner if rng.random() < 0.9 else people[rng.randrange(len(people))]
        made, cents = invoice_lines(rng, c, by_line, day, invoice, taker, c.profile.monthly / 3, count=n)
        if is_return:
            made = [(*line[:7], -line[7], *line[8:]) for line in made]
            cents = -cents
        for line in made:
            book.add(line)
        if cents > 0 and rng.random() < pay_share:
            invoices.append((day, c.id, invoice, cents))
    return book.finish(_sample_payments(customers, invoices, SCALE_END, rng), customers)
