"""Benchmark: ``compute_facts`` for 500 accounts over a 1,000,000-line ledger.

The ledger is generated in memory as canonical polars frames (deterministic, seed 2026;
no workbook I/O) together with 500 plans built in code. ``compute_facts`` runs once to
warm up, then ``--runs`` times (default 5); the median is compared with the goal (≤ 1.5 s)
and, when ``benchmarks/.data/ingest.json`` records an ingest time for the same ledger
size, with a quarter of that ingest time.

Usage: ``python -m benchmarks facts [-- --quick] [-- --runs N --lines N --accounts N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

GOAL_SECONDS = 1.5
DATA = Path(__file__).parent / ".data"
REGIONS = ("north", "south", "east", "west", "central", "overseas")


def build_ledger(accounts: int, lines: int, seed: int = 2026) -> Any:
    """A canonical ``Ledger`` with `lines` sales lines over `accounts` customers."""
    import numpy as np
    import polars as pl

    from workbench.ledger.model import Ledger, dtypes, empty_frame

    rng = np.random.default_rng(seed)
    ids = [f"C{i:04d}" for i in range(accounts)]
    weights = 1.0 / np.arange(1, accounts + 1) ** 0.9
    weights /= weights.sum()
    cust_idx = rng.choice(accounts, size=lines, p=weights)
    start = dt.date(2025, 1, 1).toordinal()
    days = dt.date(2026, 9, 30).toordinal() - start + 1
    day = rng.integers(0, days, lines)
    skus = 200
    sku_idx = rng.integers(0, skus, lines)
    sku_price = rng.integers(500, 50_000, skus)  # cents
    qty = rng.integers(1, 50, lines)
    qty = np.where(rng.random(lines) < 0.03, -qty, qty)
    home = np.arange(accounts) % 5
    region_idx = np.where(rng.random(lines) < 0.9, home[cust_idx], rng.integers(0, len(REGIONS), lines))
    owner_of = np.arange(accounts) % 50
    taker = np.where(rng.random(lines) < 0.85, owner_of[cust_idx], rng.integers(0, 50, lines))
    order = np.lexsort((cust_idx, day))
    schema = dtypes("sales")
    frame = (
        pl.DataFrame(
            {
                "date": pl.Series(day[order] + start - dt.date(1970, 1, 1).toordinal(), dtype=pl.Int32).cast(pl.Date),
                "invoice": pl.Series(np.arange(lines) // 4).cast(pl.String),
                "customer": pl.Series(np.array(ids)[cust_idx[order]]),
                "salesperson": pl.Series(np.char.add("sp", taker[order].astype(str))),
                "sku": pl.Series(np.char.add("SKU", sku_idx[order].astype(str))),
                "product_line": pl.Series(np.char.add("PL", (sku_idx[order] % 8).astype(str))),
                "quantity": pl.Series(qty[order]),
                "unit_price": pl.Series(sku_price[sku_idx[order]]),
                "region": pl.Series(np.array(REGIONS)[region_idx[order]]),
            }
        )
        .with_columns(
            ("INV" + pl.col("invoice")).alias("invoice"),
            pl.col("quantity").cast(schema["quantity"]),
            (pl.col("unit_price").cast(pl.Decimal(38, 0)) / 100).cast(schema["unit_price"]).alias("unit_price"),
            (pl.col("unit_price").cast(pl.Decimal(38, 0)) * 70 / 10_000).cast(schema["unit_cost"]).alias("unit_cost"),
            pl.lit(None, dtype=schema["amount"]).alias("amount"),
            pl.lit("bench.xlsx").alias("src_file"),
            pl.lit("sales").alias("src_sheet"),
            (pl.int_range(pl.len()) + 2).cast(pl.Int64).alias("src_row"),
        )
        .select(list(schema))
    )
    # payments: one per 8 invoices, roughly paying them
    inv = frame.group_by("invoice", "customer").agg(
        pl.col("date").first(), (pl.col("quantity") * pl.col("unit_price")).sum().alias("amount")
    )
    payments = (
        inv.sort("invoice", "customer")
        .gather_every(2)
        .with_columns(
            (pl.col("date") + pl.duration(days=35)).alias("date"),
            pl.when(pl.int_range(pl.len()) % 10 == 0).then(None).otherwise(pl.col("invoice")).alias("invoice"),
            pl.col("amount").cast(pl.Decimal(38, 2)),
            pl.lit("bench.xlsx").alias("src_file"),
            pl.lit("payments").alias("src_sheet"),
            (pl.int_range(pl.len()) + 2).cast(pl.Int64).alias("src_row"),
        )
        .select(list(dtypes("payments")))
    )
    customers = pl.DataFrame(
        {
            "customer": ids,
            "name": [f"Customer {i}" for i in range(accounts)],
            "owner": [f"sp{o}" for o in owner_of],
            "region": [REGIONS[h] for h in home],
            "credit_term_days": [30] * accounts,
            "credit_limit": [Decimal(100_000)] * accounts,
            "src_file": ["bench.xlsx"] * accounts,
            "src_sheet": ["customers"] * accounts,
            "src_row": list(range(2, accounts + 2)),
        },
        schema=dtypes("customers"),
    )
    return Ledger(
        sales=frame,
        payments=payments,
        inventory=empty_frame("inventory"),
        prices=empty_frame("prices"),
        customers=customers,
    )


def build_portfolio(accounts: int) -> Any:
    from workbench.plan.model import Plan
    from workbench.portfolio import LoadedPlan, Portfolio
    from workbench.settings import Settings

    settings = Settings.model_validate(
        {"company": "Bench", "fiscal_year": 2026, "as_of": "2026-09-30", "language": "en"}
    )
    plans = []
    for i in range(accounts):
        aid = f"C{i:04d}"
        plan = Plan.model_validate(
            {
                "account_id": aid,
                "fiscal_year": 2026,
                "language": "en" if i % 2 else "zh",
                "owner": f"sp{i % 50}",
                "customer": {
                    "static": {
                        "legal_name": f"Customer {i} Ltd",
                        "short_name": f"Customer {i}",
                        "region": REGIONS[i % 5],
                        "channel": "distributor",
                    },
                    "credit": {"term_days": 30, "limit": "100000"},
                },
                "goals": {
                    "last_year": [
                        {"id": "L1", "title": "Revenue", "metric": "revenue", "target": "100000", "achieved": "90000"}
                    ],
                    "this_year": [
                        {"id": "G1", "title": "Revenue", "metric": "revenue", "target": "120000"},
                        {"id": "G2", "title": "Margin rate", "metric": "margin_rate", "target": "0.3"},
                        {"id": "G3", "title": "Collection", "metric": "collection", "target": "100000"},
                        {
                            "id": "G4",
                            "title": "H1 lines",
                            "metric": "product_lines",
                            "target": "6",
                            "period": {"start": "2026-01-01", "end": "2026-06-30"},
                        },
                    ],
                },
                "actions": [{"id": "A1", "title": "Visit", "owner": "x", "due": "2026-08-01", "form": "visit"}],
                "classification": {
                    "loyalty": (i % 5) + 1 if i % 3 else None,
                    "financial_health": (i % 5) + 1,
                    "business_initiative": ((i + 2) % 5) + 1,
                    "attractiveness": [
                        {"name": "size", "weight": "2", "score": (i % 5) + 1},
                        {"name": "growth", "weight": "1", "score": 3},
                    ],
                    "ability_to_win": [{"name": "product", "weight": "1", "score": ((i + 1) % 5) + 1}],
                    "last_year": {"abc": "B"},
                },
            }
        )
        plans.append(LoadedPlan(plan, Path(f"{aid}.yaml")))
    return Portfolio(Path("bench"), settings, Path("bench/kam.yaml"), tuple(plans))


def _ingest_seconds(accounts: int, lines: int) -> float | None:
    """The project's ingest median for the same size, as ``benchmarks ingest`` recorded it."""
    path = DATA / "ingest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get(f"{accounts}x{lines}") if isinstance(data, dict) else None
    return float(value) if isinstance(value, int | float) else None


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks facts")
    parser.add_argument("--quick", action="store_true", help="50 accounts × 100,000 lines, 3 runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.quick:
        args.accounts, args.lines, args.runs = 50, 100_000, 3

    from workbench.analyze.compute import compute_facts

    t = time.perf_counter()
    ledger = build_ledger(args.accounts, args.lines)
    portfolio = build_portfolio(args.accounts)
    print(
        f"generated {args.accounts} plans and {ledger.sales.height:,} sales lines "
        f"({ledger.payments.height:,} payments) in memory in {time.perf_counter() - t:.1f} s"
    )

    compute_facts(portfolio, ledger)  # warm-up
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        facts = compute_facts(portfolio, ledger)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(
        f"compute_facts: median {med:.3f} s over {args.runs} runs (min {min(times):.3f}, max {max(times):.3f}); "
        f"{ledger.sales.height / med:,.0f} lines/s; {len(facts.accounts)} accounts"
    )
    ingest = _ingest_seconds(args.accounts, args.lines)
    if ingest is None:
        print("ingest: no recorded ingest figure for this size in benchmarks/.data/ingest.json; ratio not computed")
    else:
        print(
            f"ratio facts / ingest: {med / ingest:.2f} (ingest {ingest:.2f} s; goal < 0.25) "
            f"{'PASS' if med / ingest < 0.25 else 'FAIL'}"
        )
    if (args.accounts, args.lines) == (500, 1_000_000):
        print(f"goal ≤ {GOAL_SECONDS} s: {'PASS' if med <= GOAL_SECONDS else 'FAIL'}")
    else:
        print(f"goal ≤ {GOAL_SECONDS} s applies to 500 × 1,000,000 only (this run: {args.accounts} × {args.lines:,})")
