"""Periods: `--period` / `--from` / `--to`, the as-of date inside the fiscal year, and the
figures of a period other than the fiscal year to date, hand-computed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from workbench.analyze.compute import compute_facts
from workbench.analyze.period import parse_period, period_option, resolve
from workbench.errors import UsageError, WorkbenchError

D = Decimal
day = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("text", "start_month", "expected"),
    [
        ("2026", 1, ("2026", "2026-01-01", "2026-12-31")),
        ("2026Q2", 1, ("2026Q2", "2026-04-01", "2026-06-30")),
        ("2026q4", 1, ("2026Q4", "2026-10-01", "2026-12-31")),
        ("2026H1", 1, ("2026H1", "2026-01-01", "2026-06-30")),
        ("2026-03", 1, ("2026-03", "2026-03-01", "2026-03-31")),
        ("2024-2", 1, ("2024-02", "2024-02-01", "2024-02-29")),
        # a fiscal year starting in April: fiscal 2026 runs 2025-04 .. 2026-03, quarters follow it
        ("2026", 4, ("2026", "2025-04-01", "2026-03-31")),
        ("2026Q1", 4, ("2026Q1", "2025-04-01", "2025-06-30")),
        ("2026H2", 4, ("2026H2", "2025-10-01", "2026-03-31")),
        ("2026-03", 4, ("2026-03", "2026-03-01", "2026-03-31")),  # a month is a calendar month
    ],
)
def test_period_forms(text, start_month, expected):
    label, start, end = parse_period(text, start_month)
    assert (label, start.isoformat(), end.isoformat()) == expected


@pytest.mark.parametrize("text", ["2026H3", "26Q1", "2026-13", "Q2", "2026Q0", "last year"])
def test_bad_periods_are_usage_errors_naming_the_option(text):
    with pytest.raises(UsageError) as err:
        parse_period(text)
    d = err.value.diagnostics[0]
    assert d.message.startswith(f"--period `{text}`") and "2026Q2" in (d.hint or "")


def test_period_and_dates_do_not_mix_and_dates_must_be_in_order():
    with pytest.raises(UsageError, match="cannot be combined"):
        period_option("2026Q1", "2026-01-01", None)
    with pytest.raises(UsageError, match="is before --from"):
        period_option(None, "2026-03-01", "2026-02-01")
    with pytest.raises(UsageError, match="is not a date"):
        period_option(None, "2026-02-30", None)
    assert period_option(None, None, None) is None
    assert period_option(None, "2026-02-01", None) == ("2026-02-01..", day("2026-02-01"), None)


def test_as_of_outside_the_fiscal_year_is_refused(make_settings):
    s = make_settings()  # fiscal year 2026, as of 2026-09-30
    for bad in ("2027-06-30", "2025-06-30"):
        with pytest.raises(UsageError) as err:
            resolve(s, None, day(bad), None)
        d = err.value.diagnostics[0]
        assert d.message == f"--as-of {bad} is outside fiscal year 2026"
        assert "2026-01-01 to 2026-12-31" in (d.hint or "")
    as_of, p = resolve(s, None, day("2026-12-31"), None)
    assert (as_of, p.start, p.through) == (day("2026-12-31"), day("2026-01-01"), day("2026-12-31"))


def test_settings_as_of_outside_the_fiscal_year_is_a_located_error(make_settings, tmp_path):
    (tmp_path / "kam.yaml").write_text("company: X\nfiscal_year: 2026\nas_of: 2027-06-30\n", encoding="utf-8")
    s = make_settings(as_of="2027-06-30")
    with pytest.raises(WorkbenchError) as err:
        resolve(s, tmp_path / "kam.yaml", None, None)
    assert not isinstance(err.value, UsageError)
    d = err.value.diagnostics[0]
    assert d.code == "as-of-outside-fiscal-year" and (d.location.line, d.location.col) == (3, 8)
    assert "as_of 2027-06-30 is outside fiscal year 2026" in d.message


def test_a_period_starting_after_the_as_of_date_is_refused(make_settings):
    s = make_settings()
    with pytest.raises(UsageError, match=r"--period 2026Q4 starts 2026-10-01, after the as-of date 2026-09-30"):
        resolve(s, None, None, parse_period("2026Q4"))
    with pytest.raises(UsageError, match=r"--from 2026-10-02\.\. starts"):
        resolve(s, None, None, period_option(None, "2026-10-02", None))


def test_comparison_is_the_same_span_a_year_earlier(make_settings):
    s = make_settings(as_of="2026-03-31")
    _, p = resolve(s, None, None, parse_period("2026Q1"))  # complete
    assert (p.start, p.end, p.through) == (day("2026-01-01"), day("2026-03-31"), day("2026-03-31"))
    assert (p.comparison_start, p.comparison_end) == (day("2025-01-01"), day("2025-03-31"))
    # a whole February compares with the whole February a year earlier, leap day included
    _, p = resolve(s, None, None, parse_period("2025-02"))
    assert (p.comparison_start, p.comparison_end) == (day("2024-02-01"), day("2024-02-29"))
    # a period running past the as-of date is measured to it, and compared to the same day
    _, p = resolve(s, None, None, parse_period("2026H1"))
    assert (p.through, p.comparison_end) == (day("2026-03-31"), day("2025-03-31"))
    _, p = resolve(s, None, day("2026-03-15"), period_option(None, "2026-03-01", None))
    assert (p.label, p.start, p.through, p.comparison_start, p.comparison_end) == (
        "2026-03-01..",
        day("2026-03-01"),
        day("2026-03-15"),
        day("2025-03-01"),
        day("2025-03-15"),
    )


def _line(date, invoice, customer, qty, price, cost="0", salesperson="ann", line="P1", region="north"):
    return {
        "date": date,
        "invoice": invoice,
        "customer": customer,
        "salesperson": salesperson,
        "sku": "S1",
        "product_line": line,
        "quantity": qty,
        "unit_price": price,
        "unit_cost": cost,
        "region": region,
    }


def test_facts_of_a_quarter_hand_computed(make_plan, make_portfolio, make_settings, make_ledger):
    """Q2 2026 as of 2026-09-30 (the quarter is complete), compared with Q2 2025."""
    plans = [
        make_plan(
            "C1",
            goals={"this_year": [{"id": "G1", "title": "Revenue", "metric": "revenue", "target": 1000}]},
        ),
        make_plan("C2", owner="bob"),
    ]
    settings = make_settings(price_list=[{"sku": "S1", "price": "100"}])
    ledger = make_ledger(
        sales=[
            _line("2025-05-10", "A0", "C1", "2", "100", "60"),  # Q2 2025: C1 200 (cost 120)
            _line("2025-06-30", "A1", "C2", "1", "50", "20"),  # Q2 2025: C2 50
            _line("2026-03-31", "B0", "C1", "5", "100", "60"),  # Q1: outside the period
            _line("2026-04-01", "B1", "C1", "3", "100", "60", line="P2"),  # Q2: C1 300 (cost 180)
            _line("2026-06-30", "B2", "C1", "-1", "100", "60", line="P2"),  # Q2: return −100 (−60)
            _line("2026-05-15", "B3", "C2", "4", "50", "20", salesperson="ann", region="south"),  # Q2: C2 200
            _line("2026-07-01", "B4", "C2", "9", "50", "20"),  # Q3: outside
        ],
        prices=[
            {"date": "2026-03-31", "customer": "C1", "sku": "S1", "price": "80"},  # outside the period
            {"date": "2026-05-01", "customer": "C1", "sku": "S1", "price": "97"},
        ],
        customers=[
            {"customer": "C1", "name": "C1", "owner": "ann", "region": "north"},
            {"customer": "C2", "name": "C2", "owner": "bob", "region": "north"},
        ],
    )
    facts = compute_facts(make_portfolio(plans, settings), ledger, period=parse_period("2026Q2"))
    p = facts.period
    assert (p.label, p.start, p.through, p.comparison_start, p.comparison_end) == (
        "2026Q2",
        day("2026-04-01"),
        day("2026-06-30"),
        day("2025-04-01"),
        day("2025-06-30"),
    )
    c1, c2 = facts.account("C1"), facts.account("C2")
    # C1: 300 − 100 = 200 revenue, 180 − 60 = 120 cost, margin 80 (0.4); last year's Q2: 200
    assert (c1.ytd.revenue, c1.ytd.margin, c1.ytd.margin_rate, c1.ytd.returns) == (
        D("200.00"),
        D("80.00"),
        D("0.400000"),
        D("-100.00"),
    )
    assert (c1.ytd.start, c1.ytd.end, c1.ytd.invoices) == (day("2026-04-01"), day("2026-06-30"), 2)
    assert (c1.last_ytd.revenue, c1.trend.growth_yoy) == (D("200.00"), D("0.000000"))
    # C2: 200 in Q2 2026, all delivered south (cross-region 100 %); 50 in Q2 2025: growth 3
    assert (c2.ytd.revenue, c2.last_ytd.revenue, c2.trend.growth_yoy) == (D("200.00"), D("50.00"), D("3.000000"))
    assert c2.quality.cross_region_share == D("1.000000")
    assert (facts.totals.revenue, facts.last_totals.revenue) == (D("400.00"), D("250.00"))
    # penetration over the quarter: C1 bought P2 net 200 > 0; P1 only in Q1
    assert c1.penetration.bought == ("P2",)
    # ABC over the period's revenue: a tie at 200, broken by customer id
    assert [(x.customer, x.abc) for x in facts.pareto] == [("C1", "A"), ("C2", "A")]
    # activity over April–June: ann's C1 active in 04 and 06, not 05; bob's C2 in 05 only
    cells = {(c.salesperson, c.month): c.active for c in facts.activity.cells}
    assert facts.activity.months == ("2026-04", "2026-05", "2026-06")
    assert [cells[("ann", m)] for m in facts.activity.months] == [1, 0, 1]
    assert [cells[("bob", m)] for m in facts.activity.months] == [0, 1, 0]
    # under the taker rule ann took C1 and C2's May order: book {C1, C2}
    taker = {(c.salesperson, c.month): (c.assigned, c.active) for c in facts.activity_other.cells}
    assert taker[("ann", "2026-05")] == (2, 1)
    # prices of the quarter only: 97 (−3 %), within; the 80 of March is not seen
    (price,) = c1.prices
    assert (price.observations, price.status, price.deviation) == (1, "within", D("-0.0300"))
    # the monthly series runs from the comparison period's first month to the period's last
    assert (c1.monthly[0].month, c1.monthly[-1].month) == ("2025-04", "2026-06")
    # goals keep their own period (the fiscal year) measured to the as-of date: 500 + 200 = 700
    (g,) = c1.goals
    assert (g.start, g.end, g.actual) == (day("2026-01-01"), day("2026-12-31"), D("700.00"))


def test_cli_refuses_an_as_of_outside_the_fiscal_year_with_exit_2(tmp_path):
    (tmp_path / "kam.yaml").write_text(
        "company: X\nfiscal_year: 2026\nas_of: 2026-09-30\nledger:\n  files: [none.xlsx]\n", encoding="utf-8"
    )
    (tmp_path / "C1.yaml").write_text(
        "account_id: C1\nfiscal_year: 2026\nlanguage: en\nowner: ann\ncustomer:\n  static: {legal_name: C1 Ltd, short_name: C1, "
        "region: north, channel: distributor}\n",
        encoding="utf-8",
    )
    for args, expected in (
        (["facts", "--as-of", "2027-06-30"], "--as-of 2027-06-30 is outside fiscal year 2026"),
        (["check", "--as-of", "2025-06-30"], "--as-of 2025-06-30 is outside fiscal year 2026"),
        (["facts", "--period", "2026Q4"], "--period 2026Q4 starts 2026-10-01, after the as-of date 2026-09-30"),
        (["check", "--period", "2026", "--from", "2026-01-01"], "--period cannot be combined with --from/--to"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "workbench", *args, "--portfolio", str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert expected in run.stderr, run.stderr
