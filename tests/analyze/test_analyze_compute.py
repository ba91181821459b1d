"""compute_facts end to end on a small hand-computed portfolio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workbench.analyze.compute import compute_facts

D = Decimal


def sale(day: str, invoice: str, customer: str, qty: str, price: str, cost: str, **kw: str) -> dict:
    return {
        "date": day,
        "invoice": invoice,
        "customer": customer,
        "salesperson": kw.pop("salesperson", "ann"),
        "sku": "S1",
        "product_line": kw.pop("product_line", "P"),
        "quantity": qty,
        "unit_price": price,
        "unit_cost": cost,
        "region": kw.pop("region", "north"),
        **kw,
    }


def test_smoke(make_plan, make_portfolio, make_ledger):
    plans = [make_plan("C1"), make_plan("C2", owner="bob")]
    ledger = make_ledger(
        sales=[
            sale("2026-03-31", "I1", "C1", "2", "10.005", "6"),  # 20.01 (20.010), cost 12
            sale("2025-03-01", "I0", "C1", "1", "10", "6"),  # last year: 10, cost 6
        ],
        customers=[
            {"customer": "C1", "name": "One", "owner": "ann", "region": "north"},
            {"customer": "C2", "name": "Two", "owner": "bob", "region": "north"},
        ],
    )
    facts = compute_facts(make_portfolio(plans), ledger)
    a = facts.account("C1")
    assert (a.ytd.revenue, a.ytd.cost, a.ytd.margin, a.ytd.margin_rate) == (
        D("20.01"),
        D("12.00"),
        D("8.01"),
        D("0.400300"),
    )
    assert (a.last_ytd.revenue, a.last_year.revenue) == (D("10.00"), D("10.00"))
    assert a.trend.growth_yoy == D("1.001000")  # 20.01 / 10 − 1
    assert (facts.totals.revenue, facts.last_totals.revenue) == (D("20.01"), D("10.00"))
    assert facts.period.label == "fiscal year to date"
    assert (facts.period.start, facts.period.through) == (dt.date(2026, 1, 1), dt.date(2026, 9, 30))
    assert [p.customer for p in facts.pareto] == ["C1", "C2"]  # C2 has no sales: revenue 0, class C
    assert (facts.account("C2").classes.abc.computed, facts.account("C2").ytd.margin_rate) == ("C", None)


def test_zero_revenue_account_end_to_end_margin_rate_undefined_and_shown_as_a_dash(
    make_plan, make_portfolio, make_ledger
):
    from workbench.analyze.summary import account_summary, portfolio_summary

    plans = [make_plan("Z1")]
    ledger = make_ledger(
        sales=[
            sale("2026-02-01", "I1", "Z1", "3", "10", "4"),  # 30, cost 12
            sale("2026-02-20", "R1", "Z1", "-3", "10", "4"),  # returned: revenue 0, cost 0
        ],
        customers=[{"customer": "Z1", "name": "Zero", "owner": "ann"}],
    )
    facts = compute_facts(make_portfolio(plans), ledger)
    z = facts.account("Z1")
    assert (z.ytd.revenue, z.ytd.margin, z.ytd.margin_rate, z.ytd.returns) == (D("0.00"), D("0.00"), None, D("-30.00"))
    assert z.receivables.dso is None and z.classes.abc.computed == "C"
    feb = next(p for p in z.monthly if p.month == "2026-02")
    assert (feb.revenue, feb.margin_rate) == (D("0.00"), None)
    row = next(line for line in portfolio_summary(facts).splitlines() if line.startswith("Z1"))
    assert row.split()[3:6] == ["0", "—", "—"]  # revenue, growth, margin rate
    assert "margin 0 (—)" in account_summary(facts, "Z1")
