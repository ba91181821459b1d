"""The columnar passes against plain computations: invoices found from runs are exactly
the groups of (customer, invoice), whatever the sheet's order; line values stay exact
when they need Int128; the oldest-first order and the pair join agree with a plain sort
and a plain join."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest

from workbench.analyze import passes
from workbench.analyze.keys import match_pairs, pair_key
from workbench.analyze.receivables import order_oldest_first

AS_OF = dt.date(2026, 3, 31)
PERIODS = {"q1": (dt.date(2026, 1, 1), AS_OF), "feb": (dt.date(2026, 2, 1), dt.date(2026, 2, 28))}


def _random_lines(rng: random.Random, n: int, *, huge: bool = False, spread: bool = True) -> list[dict]:
    """Invoices of 1–4 lines, of one date each or (`spread`) some over two dates; the
    invoice number I0007 is used by several customers; a few lines after the as-of date."""
    rows = []
    start = dt.date(2025, 12, 1)
    for k in range(n):
        customer = f"C{rng.randrange(6)}"
        invoice = "I0007" if k % 50 == 7 else f"I{k:04d}"
        day = start + dt.timedelta(days=rng.randrange(150))
        for j in range(rng.randint(1, 4)):
            qty = Decimal(rng.randint(-3, 40)) / (10 if j == 1 else 1)
            price = Decimal(rng.randint(1, 99_999)) / 1000
            if huge:
                qty *= 10**9
            rows.append(
                {
                    "date": day + dt.timedelta(days=1 if spread and j == 2 and k % 3 == 0 else 0),
                    "invoice": invoice,
                    "customer": customer,
                    "salesperson": f"S{rng.randrange(3)}",
                    "product_line": rng.choice(["A", "B", None]),
                    "region": rng.choice(["north", "south"]),
                    "quantity": str(qty),
                    "unit_price": str(price),
                    "unit_cost": str(price / 2),
                }
            )
    return rows


def _expected_invoices(sales: pl.DataFrame) -> dict[tuple[str, str], tuple]:
    out: dict[tuple[str, str], list] = {}
    for i, r in enumerate(sales.iter_rows(named=True)):
        if r["date"] > AS_OF:
            continue
        key = (r["customer"], r["invoice"])
        value = r["quantity"] * r["unit_price"]
        if key not in out:
            out[key] = [r["date"], Decimal(0), i, set()]
        e = out[key]
        e[0] = min(e[0], r["date"])
        e[1] += value
        e[2] = min(e[2], i)
        e[3] |= {name for name, (s, t) in PERIODS.items() if s <= r["date"] <= t}
    return {
        k: (d, int((v * 100).to_integral_value(rounding=ROUND_HALF_UP)), line, frozenset(flags))
        for k, (d, v, line, flags) in out.items()
    }


def _found_invoices(sp: passes.SalesPass) -> dict[tuple[str, str], tuple]:
    return {
        (r["customer"], r["invoice"]): (
            r["date"],
            r["cents"],
            r["line"],
            frozenset(name for name in PERIODS if r[f"in_{name}"]),
        )
        for r in sp.invoices.iter_rows(named=True)
    }


@pytest.mark.parametrize(("order", "spread"), [("sheet", False), ("sheet", True), ("shuffled", True)])
def test_invoices_are_exactly_the_groups_of_customer_and_invoice(frame, order, spread):
    rng = random.Random(7)
    rows = _random_lines(rng, 300, spread=spread)
    if order == "shuffled":  # invoices split over the sheet: runs repeat, grouped again by their texts
        rng.shuffle(rows)
    sales = frame("sales", rows)
    sp = passes.sales_pass(sales, dt.date(2025, 1, 1), AS_OF, PERIODS)
    assert _found_invoices(sp) == _expected_invoices(sales)
    assert sp.invoices.height == len(_expected_invoices(sales))


def test_line_values_beyond_int64_are_summed_exactly_in_int128(frame):
    sales = frame("sales", _random_lines(random.Random(3), 60, huge=True))
    sp = passes.sales_pass(sales, dt.date(2025, 1, 1), AS_OF, PERIODS)
    assert sp.lines.schema["rev"] == pl.Int128
    assert _found_invoices(sp) == _expected_invoices(sales)
    cells = sp.cells.group_by("customer").agg(pl.col("rev").sum(), pl.col("lines").sum())
    direct: dict[str, list] = {}
    for r in sales.iter_rows(named=True):
        if r["date"] <= AS_OF:
            d = direct.setdefault(r["customer"], [0, 0])
            d[0] += int(r["quantity"] * r["unit_price"] * 10**8)
            d[1] += 1
    assert {c: [rev, n] for c, rev, n in cells.iter_rows()} == direct


def test_cells_hold_every_line_once_with_its_periods(frame):
    sales = frame("sales", _random_lines(random.Random(11), 200))
    sp = passes.sales_pass(sales, dt.date(2026, 1, 10), AS_OF, PERIODS, detail="q1")
    for name, (s, e) in PERIODS.items():
        want: dict[str, int] = {}
        for r in sales.iter_rows(named=True):
            if s <= r["date"] <= e and r["date"] >= dt.date(2026, 1, 10):
                want[r["customer"]] = want.get(r["customer"], 0) + int(r["quantity"] * r["unit_price"] * 10**8)
        got = sp.cells.filter(sp.bit(name)).group_by("customer").agg(pl.col("rev").sum())
        assert dict(got.iter_rows()) == {c: v for c, v in want.items()}
    assert sp.detail is not None
    assert sp.detail["rev"].sum() == sp.cells.filter(sp.bit("q1"))["rev"].sum()


def test_month_keys_match_the_calendar(frame):
    days = [dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1)]
    f = frame("sales", [{"date": d} for d in days])
    assert f.select(passes.month_keys(f["date"])).to_series().to_list() == [202402, 202403, 202512, 202601]


def test_oldest_first_is_customer_then_date_then_invoice_text(frame):
    rng = random.Random(5)
    rows = [
        {
            "customer": f"C{rng.randrange(4)}",
            "invoice": f"N{rng.randrange(10_000):05d}",
            "date": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(5)),  # many invoices a day
        }
        for _ in range(400)
    ]
    invoices = pl.DataFrame(rows).unique(["customer", "invoice"], keep="first", maintain_order=True)
    got = order_oldest_first(invoices)
    per_customer = {c: g.select("date", "invoice").rows() for (c,), g in got.group_by("customer", maintain_order=True)}
    assert all(rows == sorted(rows) for rows in per_customer.values())
    assert got.height == invoices.height and got["cid"].n_unique() == invoices["customer"].n_unique()
    assert got.select((pl.col("cid").diff().fill_null(0) >= 0).all()).item()  # each customer's rows together


def test_pair_join_matches_a_join_on_the_texts():
    left = pl.DataFrame({"customer": ["A", "A", "B", "C"], "invoice": ["1", "2", "1", "9"], "n": [1, 2, 3, 4]})
    right = pl.DataFrame({"customer": ["A", "B", "B", "D"], "invoice": ["2", "1", "7", "1"], "paid": [5, 6, 7, 8]})
    found, matched = match_pairs(
        left.with_columns(pair_key().alias("key")), right.with_columns(pair_key().alias("key"))
    )
    assert found.to_list() == [None, 0, 1, None]
    assert matched.to_list() == [True, True, False, False]


def test_goal_windows_measured_by_period_match_the_join_of_every_window(frame, monkeypatch):
    from workbench.analyze import goals, sales

    lines = frame("sales", _random_lines(random.Random(9), 200))
    payments = frame(
        "payments",
        [
            {"date": dt.date(2026, 1, 1) + dt.timedelta(days=d), "customer": f"C{d % 6}", "amount": str(d)}
            for d in range(0, 90, 3)
        ],
    )
    values = sales.line_values(lines).filter(pl.col("date") <= AS_OF)
    spans = [(dt.date(2026, 1, 1), AS_OF), (dt.date(2026, 2, 1), dt.date(2026, 2, 28)), (dt.date(2026, 1, 5), AS_OF)]
    windows = [(f"C{c}", s, e) for c in range(7) for s, e in spans]  # C6 has neither lines nor payments
    by_period = goals.measure_windows(values, payments, windows, AS_OF)
    monkeypatch.setattr(goals, "MAX_SPANS", 0)
    by_join = goals.measure_windows(values, payments, windows, AS_OF)
    assert by_period == by_join
    assert by_period[("C6", *spans[0])] == goals.Measures()


def test_a_failing_pass_is_reported_not_waited_for(make_portfolio, make_plan, make_ledger, monkeypatch):
    # the receivables' thread waits for the invoices: a failure before them must not hang
    from workbench.analyze import compute

    def broken(*_args, **_kwargs):
        raise RuntimeError("pass failed")

    monkeypatch.setattr(compute.passes, "sales_lines", broken)
    with pytest.raises(RuntimeError, match="pass failed"):
        compute.compute_facts(make_portfolio([make_plan("C1")]), make_ledger(sales=[{"customer": "C1"}]))
