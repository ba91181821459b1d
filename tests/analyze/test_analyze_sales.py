"""Sales metrics against small hand-computed ledgers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl

from workbench.analyze import sales
from workbench.analyze.compute import compute_facts

D = Decimal


def line(date: str, qty: str, price: str, cost: str = "0", customer: str = "C1", **kw: str) -> dict[str, str]:
    return {
        "date": date,
        "invoice": kw.pop("invoice", f"I-{date}-{qty}"),
        "customer": customer,
        "salesperson": "ann",
        "sku": "S1",
        "product_line": kw.pop("product_line", "P1"),
        "quantity": qty,
        "unit_price": price,
        "unit_cost": cost,
        **kw,
    }


def period_row(frame, start: dt.date, end: dt.date) -> dict:
    out = sales.line_values(frame).group_by("customer").agg(sales.period_aggs({"p": (start, end)})).collect()
    return out.row(0, named=True)


def test_zero_revenue_has_margin_rate_none_not_a_division_error():
    fig = sales.sales_figures(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert fig.revenue == D("0.00") and fig.margin_rate is None


def test_revenue_sums_exact_line_values_before_rounding_to_the_cent(frame):
    # 3 lines of 1 × 0.3333 = 0.9999 → 1.00 (rounding each line first would give 0.99)
    f = frame("sales", [line("2026-01-05", "1", "0.3333", invoice=f"I{i}") for i in range(3)])
    fig = sales.figures_from_row(
        period_row(f, dt.date(2026, 1, 1), dt.date(2026, 1, 31)), "p", dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    )
    assert fig.revenue == D("1.00")
    assert fig.lines == 3 and fig.invoices == 3


def test_margin_and_margin_rate_of_two_lines(frame):
    # 2 × 10.00 (cost 6.00) + 1 × 5.00 (cost 4.00): revenue 25, cost 16, margin 9, rate 0.36
    f = frame(
        "sales", [line("2026-02-01", "2", "10", "6", invoice="A"), line("2026-02-02", "1", "5", "4", invoice="A")]
    )
    fig = sales.figures_from_row(
        period_row(f, dt.date(2026, 2, 1), dt.date(2026, 2, 28)), "p", dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    )
    assert (fig.revenue, fig.cost, fig.margin, fig.margin_rate) == (D("25.00"), D("16.00"), D("9.00"), D("0.360000"))
    assert fig.invoices == 1 and fig.returns == D("0.00")


def test_returns_larger_than_sales_make_a_negative_month(frame):
    # March: sold 1 × 100 (cost 60), returned 3 × 100 (cost 60) → revenue −200, cost −120, margin −80
    f = frame("sales", [line("2026-03-02", "1", "100", "60"), line("2026-03-20", "-3", "100", "60")])
    fig = sales.figures_from_row(
        period_row(f, dt.date(2026, 3, 1), dt.date(2026, 3, 31)), "p", dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    assert fig.revenue == D("-200.00") and fig.returns == D("-300.00") and fig.margin == D("-80.00")
    assert fig.margin_rate == D("0.400000")  # −80 / −200
    points = sales.monthly_points([202603], {202603: (-200 * 10**8, -120 * 10**8)}, 202501)
    assert points[0].revenue == D("-200.00") and points[0].revenue_last_year == D("0.00") and points[0].yoy is None


def test_month_boundary_line_on_the_31st_and_on_the_1st_fall_in_their_own_months(frame):
    f = frame("sales", [line("2026-03-31", "1", "10"), line("2026-04-01", "1", "20")])
    months = sales.line_values(f).group_by("ym").agg(pl.col("rev").sum()).sort("ym").collect()
    assert months.rows() == [(202603, 10 * 10**8), (202604, 20 * 10**8)]
    mar = period_row(f, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert sales.money(mar["p_rev"]) == D("10.00")


def test_leap_day_last_ytd_ends_on_28_february():
    assert sales.shift_year(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert sales.shift_year(dt.date(2026, 3, 1)) == dt.date(2025, 3, 1)


def test_leap_day_as_of_compares_with_last_year_to_28_february(make_plan, make_portfolio, make_settings, make_ledger):
    settings = make_settings(fiscal_year=2024, as_of="2024-02-29")
    ledger = make_ledger(
        sales=[
            line("2024-02-29", "1", "50"),  # in YTD
            line("2023-02-28", "1", "40"),  # in last YTD
            line("2023-03-01", "1", "999"),  # after last YTD
        ]
    )
    a = compute_facts(make_portfolio([make_plan("C1", fiscal_year=2024)], settings), ledger).account("C1")
    assert a.last_ytd.end == dt.date(2023, 2, 28)
    assert (a.ytd.revenue, a.last_ytd.revenue) == (D("50.00"), D("40.00"))
    assert a.trend.growth_yoy == D("0.250000")


def test_monthly_yoy_and_unknown_last_year_before_the_ledger_starts():
    by_month = {202503: (100 * 10**8, 0), 202603: (150 * 10**8, 0)}
    p = sales.monthly_points([202602, 202603], by_month, first_month=202503)
    assert p[0].revenue_last_year is None and p[0].yoy is None  # 2025-02 is before the ledger
    assert p[1].revenue_last_year == D("100.00") and p[1].yoy == D("0.500000")


def test_monthly_yoy_against_a_month_of_net_returns_or_nothing_is_undefined():
    # 2025-04 netted −50 (returns larger than sales), 2025-05 nothing: growth against them means nothing
    by_month = {202501: (1, 0), 202504: (-50 * 10**8, 0), 202604: (80 * 10**8, 0), 202605: (30 * 10**8, 0)}
    p = sales.monthly_points([202604, 202605], by_month, first_month=202501)
    assert (p[0].revenue_last_year, p[0].yoy) == (D("-50.00"), None)
    assert (p[1].revenue_last_year, p[1].yoy) == (D("0.00"), None)


def test_trend_slope_of_a_straight_line_is_its_step_and_growth_is_ytd_over_last_ytd():
    series = [(sales.add_months(202510, i), D(100 * (i + 1))) for i in range(12)]  # 2025-10 .. 2026-09: 100..1200
    t = sales.fit_trend(D("1100"), D("1000"), series, dt.date(2026, 9, 30), first_month=202501)
    assert t.slope_per_month == D("100.00") and t.months == 12 and t.growth_yoy == D("0.100000")


def test_trend_without_last_year_has_no_growth_and_one_month_has_no_slope():
    t = sales.fit_trend(D("10"), D("0"), [(202609, D("10"))], dt.date(2026, 9, 30), first_month=202609)
    assert t.growth_yoy is None and t.slope_per_month is None and t.months == 1


def test_cross_region_share_counts_revenue_delivered_outside_home():
    q = sales.sales_quality("north", {"north": 50 * 10**8, "south": 40 * 10**8, None: 10 * 10**8}, 100 * 10**8)
    assert q.cross_region_revenue == D("40.00") and q.cross_region_share == D("0.400000")
    assert [(r.region, r.revenue) for r in q.regions] == [("north", D("60.00")), ("south", D("40.00"))]


def test_cross_region_without_home_region_is_unknown():
    q = sales.sales_quality(None, {"south": 10**8}, 10**8)
    assert q.cross_region_share is None and q.cross_region_revenue == D("0.00")


def test_penetration_counts_lines_with_positive_net_revenue_and_the_rest_is_whitespace():
    pen = sales.penetration(("P1", "P2", "P3"), {"P1": (10**9, 0), "P2": (-(10**8), 0)})
    assert pen.bought == ("P1",) and pen.whitespace == ("P2", "P3") and pen.share == D("0.333333")
    assert [x.product_line for x in pen.by_line] == ["P1", "P2"]


def test_penetration_without_product_lines_is_undefined():
    assert sales.penetration((), {}).share is None


def test_regularity_is_share_of_the_last_12_months_with_a_line():
    # window 2025-10 .. 2026-09; 2025-09 is outside
    active = {202509, 202510, 202601, 202609}
    assert sales.regularity(active, dt.date(2026, 9, 30)) == D("0.250000")
