"""Benchmark: ``compute_facts`` for 500 accounts over a 1,000,000-line ledger, against the
ingest of the same ledger measured in the same run.

1. The ledger is the ingest benchmark's workbook in ``benchmarks/.data/`` (written once by
   the scale generator of ``kam ledger sample`` when missing). It is ingested in-process
   with ``load_ledger`` (read, type, rules; customers from the plans when the workbook has
   no customers sheet; no cache) ``--ingest-runs`` times: that median is the baseline.
2. Dealer reports are generated in memory and added to that ledger (deterministic, seed
   2026): every account × 20 SKUs × a monthly stock report over the 21 months to the as-of
   date (210,000 inventory rows for 500 accounts) and as many observed resale prices, with
   the 20 SKUs in the price list, so inventory days and price discipline run on real
   volume. (Their reading is not part of the ingest baseline, which only makes the ratio
   harder to meet.)
3. 500 plans are built in code (goals of every ledger metric, classification inputs).
4. ``compute_facts`` runs once to warm up, then ``--runs`` times; the median is compared
   with the goal (≤ 1.5 s for 500 × 1,000,000) and with a quarter of the in-process
   ingest median. Inventory and prices alone are timed too.

Usage: ``python -m benchmarks facts [-- --quick] [-- --runs N --lines N --accounts N --ingest-runs N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

GOAL_SECONDS = 1.5
GOAL_RATIO = 0.25
DATA = Path(__file__).parent / ".data"
AS_OF = dt.date(2026, 9, 30)
REPORT_MONTHS = 21  # 2025-01 .. 2026-09
EXTRA_SKUS = (("QH-X01", "29.00"), ("QH-X02", "39.00"), ("QH-X03", "49.00"), ("QH-X04", "79.00"))


def dealer_skus() -> list[tuple[str, Decimal]]:
    """The 20 SKUs dealers report: the sample catalogue and four more, with guidelines."""
    from workbench.ledger.sample_data import CATALOGUE

    return [(s.code, s.guideline) for s in CATALOGUE] + [(c, Decimal(p)) for c, p in EXTRA_SKUS]


def settings_for(workbook: Path, accounts: int) -> Any:
    from workbench.settings import Settings

    return Settings.model_validate(
        {
            "company": "Bench",
            "fiscal_year": 2026,
            "as_of": AS_OF.isoformat(),
            "language": "en",
            "price_list": [{"sku": code, "price": str(price)} for code, price in dealer_skus()],
            "ledger": {
                "files": [workbook.name],
                "policies": {"duplicates": "keep", "amount_mismatch": "keep"},
            },
        }
    )


def build_plans(ids: list[str], owners: dict[str, str], regions: dict[str, str]) -> list[Any]:
    from workbench.plan.model import Plan
    from workbench.portfolio import LoadedPlan

    plans = []
    for i, aid in enumerate(ids):
        plan = Plan.model_validate(
            {
                "account_id": aid,
                "fiscal_year": 2026,
                "language": "en" if i % 2 else "zh",
                "owner": owners.get(aid, f"sp{i % 25}"),
                "customer": {
                    "static": {
                        "legal_name": f"Customer {i} Ltd",
                        "short_name": f"Customer {i}",
                        "region": regions.get(aid, "华东"),
                        "channel": "distributor",
                    },
                    "credit": {"term_days": (30, 30, 45, 60)[i % 4], "limit": "500000"},
                },
                "goals": {
                    "last_year": [
                        {"id": "L1", "title": "Revenue", "metric": "revenue", "target": "100000", "achieved": "90000"}
                    ],
                    "this_year": [
                        {"id": "G1", "title": "Revenue", "metric": "revenue", "target": "120000"},
                        {"id": "G2", "title": "Margin rate", "metric": "margin_rate", "target": "0.3"},
                        {"id": "G3", "title": "Collection", "metric": "collection", "target": "100000"},
                        {"id": "G5", "title": "Active months", "metric": "activity", "target": "10"},
                        {
                            "id": "G4",
                            "title": "H1 lines",
                            "metric": "product_lines",
                            "target": "4",
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
    return plans


def dealer_frames(ids: list[str], seed: int = 2026) -> tuple[Any, Any]:
    """(inventory, prices): a monthly stock report and a resale price per account × SKU."""
    import numpy as np
    import polars as pl

    from workbench.ledger.model import dtypes

    rng = np.random.default_rng(seed)
    skus = dealer_skus()
    n_c, n_s, n_m = len(ids), len(skus), REPORT_MONTHS
    n = n_c * n_s * n_m
    cust = np.repeat(np.arange(n_c), n_s * n_m)
    sku = np.tile(np.repeat(np.arange(n_s), n_m), n_c)
    month = np.tile(np.arange(n_m), n_c * n_s)
    firsts = [dt.date(2025 + (m // 12), m % 12 + 1, 1) for m in range(n_m + 1)]
    month_end = [(firsts[m + 1] - dt.timedelta(days=1)) for m in range(n_m)]
    epoch = dt.date(1970, 1, 1)
    report_day = np.array([(d - epoch).days for d in month_end])[month]
    price_day = np.array([(f - epoch).days + 14 for f in firsts[:n_m]])[month]
    # sell-out about 1–40 units a day; stock between 5 and 50 days of it
    daily = rng.integers(1, 40, n_c * n_s)[cust * n_s + sku]
    sold = np.maximum(0, (daily * 30 * rng.normal(1, 0.2, n)).round()).astype(np.int64)
    on_hand = (daily * rng.uniform(5, 50, n)).round().astype(np.int64)
    guideline = np.array([int(p * 100) for _c, p in skus])[sku]
    # most dealers within ±4 %, one in ten dumps now and then
    noise = rng.normal(0, 0.04, n) - np.where((cust % 10 == 0) & (rng.random(n) < 0.3), 0.1, 0)
    price_cents = (guideline * (1 + noise)).round().astype(np.int64)
    customer = pl.Series(np.array(ids)[cust])
    sku_code = pl.Series(np.array([c for c, _p in skus])[sku])
    rows = pl.int_range(2, n + 2, eager=True).cast(pl.Int64)
    inv_schema, price_schema = dtypes("inventory"), dtypes("prices")
    inventory = pl.DataFrame(
        {
            "date": pl.Series(report_day, dtype=pl.Int32).cast(pl.Date),
            "customer": customer,
            "sku": sku_code,
            "on_hand": pl.Series(on_hand).cast(inv_schema["on_hand"]),
            "sold": pl.Series(sold).cast(inv_schema["sold"]),
            "src_file": "dealers.xlsx",
            "src_sheet": "inventory",
            "src_row": rows,
        }
    ).select(list(inv_schema))
    prices = pl.DataFrame(
        {
            "date": pl.Series(price_day, dtype=pl.Int32).cast(pl.Date),
            "customer": customer,
            "sku": sku_code,
            "price": (pl.Series(price_cents).cast(pl.Decimal(38, 0)) / 100).cast(price_schema["price"]),
            "guideline": pl.Series([None] * n, dtype=price_schema["guideline"]),
            "src_file": "dealers.xlsx",
            "src_sheet": "prices",
            "src_row": rows,
        }
    ).select(list(price_schema))
    return inventory, prices


def _median_time(fn: Any, runs: int, *, pause_gc: bool = False) -> tuple[float, list[float], Any, float]:
    """Median wall time of `runs` calls (the cyclic collector paused around each call when
    `pause_gc`, as ``compute_facts`` does itself), the times, the last result and the
    median process CPU time (every thread's). The previous call's result is released
    before the clock starts: freeing 10⁵ facts is not part of computing the next ones."""
    import gc

    times, cpu, result = [], [], None
    for _ in range(runs):
        result = None
        if pause_gc:
            gc.disable()
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        gc.enable()
        result = out
    return statistics.median(times), times, result, statistics.median(cpu)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks facts")
    parser.add_argument("--quick", action="store_true", help="500 accounts × 100,000 lines, 3 runs, 1 ingest run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ingest-runs", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.quick:
        args.lines, args.runs, args.ingest_runs = 100_000, 3, 1

    import polars as pl

    from benchmarks.ingest import scale_workbook
    from workbench.analyze.compute import compute_facts
    from workbench.analyze.inventory import assess_inventory
    from workbench.analyze.prices import assess_prices
    from workbench.ledger.ingest import load_ledger
    from workbench.portfolio import Portfolio

    workbook = scale_workbook(args.accounts, args.lines)
    settings = settings_for(workbook, args.accounts)
    ids = [f"{i + 1:05d}" for i in range(args.accounts)]

    def portfolio_of(plans: list[Any]) -> Portfolio:
        return Portfolio(DATA, settings, DATA / "kam.yaml", tuple(plans))

    # a first ingest (also warms the file cache) gives each account's usual taker and region
    first = load_ledger(portfolio_of(build_plans(ids, {}, {})), use_cache=False)
    usual = (
        first.sales.group_by("customer")
        .agg(pl.col("salesperson").mode().min().alias("owner"), pl.col("region").mode().min().alias("region"))
        .rows()
    )
    portfolio = portfolio_of(
        build_plans(ids, {c: o for c, o, _r in usual}, {c: r for c, _o, r in usual if r is not None})
    )
    ingest_med, ingest_times, ingested, _cpu = _median_time(
        lambda: load_ledger(portfolio, use_cache=False), args.ingest_runs
    )
    inventory, prices = dealer_frames(ids)
    ledger = dataclasses.replace(ingested, inventory=inventory, prices=prices)
    print(
        f"ledger: {ledger.sales.height:,} sales lines, {ledger.payments.height:,} payments (ingested from "
        f"{workbook.name}); {inventory.height:,} stock reports and {prices.height:,} resale prices (generated); "
        f"{len(portfolio.plans)} plans"
    )
    print(
        f"ingest (in-process load_ledger, no cache): median {ingest_med:.3f} s over {args.ingest_runs} run(s) "
        f"({', '.join(f'{x:.2f}' for x in ingest_times)})"
    )

    compute_facts(portfolio, ledger)  # warm-up
    med, times, facts, cpu_med = _median_time(lambda: compute_facts(portfolio, ledger), args.runs)
    print(
        f"compute_facts: median {med:.3f} s over {args.runs} runs (min {min(times):.3f}, max {max(times):.3f}); "
        f"process CPU median {cpu_med:.3f} s (all threads); {ledger.sales.height / med:,.0f} lines/s; "
        f"{len(facts.accounts)} accounts"
    )
    inv_med, _, _, _ = _median_time(
        lambda: assess_inventory(ledger.inventory, settings.inventory, AS_OF), args.runs, pause_gc=True
    )
    guideline = {p.sku: p.price for p in settings.price_list}
    price_med, _, _, _ = _median_time(
        lambda: assess_prices(ledger.prices, guideline, settings.prices, dt.date(2026, 1, 1), AS_OF),
        args.runs,
        pause_gc=True,
    )
    print(f"  of which dealer inventory {inv_med:.3f} s, price discipline {price_med:.3f} s (medians, alone)")
    ratio = med / ingest_med
    print(
        f"ratio facts / ingest: {ratio:.3f} (goal < {GOAL_RATIO}) {'PASS' if ratio < GOAL_RATIO else 'FAIL'}"
        " — both in-process, measured in this run"
    )
    if (args.accounts, args.lines) == (500, 1_000_000):
        print(f"goal ≤ {GOAL_SECONDS} s: {'PASS' if med <= GOAL_SECONDS else 'FAIL'}")
    else:
        print(f"goal ≤ {GOAL_SECONDS} s applies to 500 × 1,000,000 only (this run: {args.accounts} × {args.lines:,})")
