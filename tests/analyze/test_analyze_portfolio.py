"""A tiny portfolio with every sheet, computed end to end and checked against hand
computation (the audit's portfolio): four customers, two with plans, as of 2026-03-31."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workbench.analyze.compute import compute_facts
from workbench.check import run_checks

D = Decimal
day = dt.date.fromisoformat


def sale(date, invoice, customer, salesperson, sku, line, qty, price, cost, region):
    return {
        "date": date,
        "invoice": invoice,
        "customer": customer,
        "salesperson": salesperson,
        "sku": sku,
        "product_line": line,
        "quantity": qty,
        "unit_price": price,
        "unit_cost": cost,
        "region": region,
    }


SALES = [
    sale("2025-03-10", "I0", "T1", "ann", "S1", "P1", "1", "100", "60", "north"),  # last year, never paid
    sale("2026-01-31", "I1", "T1", "ann", "S1", "P1", "2", "100", "60", "north"),  # 200, cost 120
    sale("2026-02-01", "I2", "T1", "ann", "S2", "P2", "6", "50", "20", "south"),  # 300, cost 120, cross-region
    sale("2026-03-15", "I3", "T1", "ann", "S1", "P1", "-1", "100", "60", "north"),  # credit note −100, cost −60
    sale("2026-03-05", "I5", "T2", "ann", "S1", "P1", "1", "10", "4", "north"),  # 10
    sale("2026-03-06", "I6", "T2", "ann", "S1", "P1", "-1", "10", "4", "north"),  # returned: T2 nets 0
    sale("2026-02-10", "I7", "T3", "cat", "S1", "P1", "10", "30", "10", "east"),  # 300 (no plan)
    sale("2026-02-20", "I8", "T4", "bob", "S1", "P1", "1", "50", "10", "east"),  # 50 (no plan)
    sale("2026-04-02", "I9", "T1", "ann", "S1", "P1", "5", "100", "60", "north"),  # after the as-of date
]
PAYMENTS = [
    {"date": "2026-02-15", "customer": "T1", "invoice": "I1", "amount": "150"},  # partial
    {"date": "2026-03-01", "customer": "T1", "invoice": None, "amount": "100"},  # unapplied: FIFO
    {"date": "2026-03-01", "customer": "T3", "invoice": "I7", "amount": "400"},  # overpaid by 100
]
INVENTORY = [
    {"date": "2026-01-31", "customer": "T1", "sku": "S1", "on_hand": "100", "sold": "62"},
    {"date": "2026-02-28", "customer": "T1", "sku": "S1", "on_hand": "90", "sold": "60"},
    {"date": "2026-03-31", "customer": "T1", "sku": "S1", "on_hand": "300", "sold": "30"},
    {"date": "2026-01-31", "customer": "T1", "sku": "S2", "on_hand": "50", "sold": "60"},
    {"date": "2026-02-28", "customer": "T1", "sku": "S2", "on_hand": "40", "sold": "56"},
]
PRICES = [
    {"date": "2026-02-01", "customer": "T1", "sku": "S1", "price": "93", "src_row": 2},
    {"date": "2026-03-01", "customer": "T1", "sku": "S1", "price": "99", "src_row": 3},
    {"date": "2026-03-10", "customer": "T1", "sku": "S2", "price": "56", "src_row": 4},
]
CUSTOMERS = [
    {
        "customer": "T1",
        "name": "T1 Ltd",
        "owner": "ann",
        "region": "north",
        "credit_term_days": 30,
        "credit_limit": "1000",
    },
    {"customer": "T2", "name": "T2 Ltd", "owner": "ann", "region": "north", "credit_term_days": 0, "credit_limit": "0"},
    {
        "customer": "T3",
        "name": "T3 Ltd",
        "owner": "bob",
        "region": "east",
        "credit_term_days": 30,
        "credit_limit": "5000",
    },
    {
        "customer": "T4",
        "name": "T4 Ltd",
        "owner": "bob",
        "region": "east",
        "credit_term_days": 30,
        "credit_limit": "5000",
    },
]


@pytest.fixture
def tiny(make_plan, make_portfolio, make_settings, make_ledger):
    t1 = make_plan(
        "T1",
        customer={
            "contacts": [{"id": "C1", "name": "Mr One", "role": "decision_maker"}],
            "credit": {"term_days": 30, "limit": 1000},
        },
        goals={
            "last_year": [{"id": "LY-rev", "title": "rev 2025", "metric": "revenue", "target": 100, "achieved": 100}],
            "this_year": [
                {"id": "G-rev", "title": "rev", "metric": "revenue", "target": 2000},
                {"id": "G-col", "title": "collect", "metric": "collection", "target": 1000},
            ],
        },
        strategies=[{"id": "S1", "title": "grow", "goals": ["G-rev", "G-col"]}],
        actions=[
            {"id": "A1", "title": "visit", "owner": "ann", "due": "2026-03-20", "form": "visit", "strategy": "S1"},
            {"id": "A2", "title": "ship", "owner": "ann", "due": "2026-04-20", "form": "delivery", "strategy": "S1"},
        ],
        classification={
            "loyalty": 2,
            "financial_health": 4,
            "business_initiative": 4,
            "attractiveness": [{"name": "a", "weight": 1, "score": 2}],
            "ability_to_win": [{"name": "b", "weight": 1, "score": 4}],
            "last_year": {"abc": "B"},
            "manual": [{"scheme": "quadrant", "value": "protect", "reason": "strategic"}],
        },
    )
    t2 = make_plan(
        "T2",
        customer={"contacts": [{"id": "C1", "name": "X", "role": "user"}]},
        goals={"this_year": [{"id": "G1", "title": "r", "metric": "margin_rate", "target": "0.3"}]},
        strategies=[{"id": "S1", "title": "s", "goals": ["G1"]}],
        actions=[{"id": "A1", "title": "a", "owner": "ann", "due": "2026-06-01", "form": "visit", "strategy": "S1"}],
    )
    settings = make_settings(
        as_of="2026-03-31",
        product_lines=["P1", "P2", "P3"],
        price_list=[{"sku": "S1", "price": 100}, {"sku": "S2", "price": 50}],
    )
    portfolio = make_portfolio([t1, t2], settings)
    ledger = make_ledger(sales=SALES, payments=PAYMENTS, inventory=INVENTORY, prices=PRICES, customers=CUSTOMERS)
    facts = compute_facts(portfolio, ledger)
    return portfolio, ledger, facts


def test_sales_figures_and_trend(tiny):
    _, _, facts = tiny
    t1, t2 = facts.account("T1"), facts.account("T2")
    # T1 to 03-31: 200 + 300 − 100 = 400; cost 120 + 120 − 60 = 180; margin 220 = 55 %; I9 is after as-of
    assert (t1.ytd.revenue, t1.ytd.cost, t1.ytd.margin, t1.ytd.margin_rate) == (
        D("400.00"),
        D("180.00"),
        D("220.00"),
        D("0.550000"),
    )
    assert (t1.ytd.returns, t1.ytd.lines, t1.ytd.invoices) == (D("-100.00"), 3, 3)
    # last year to 03-31: I0 100 → growth 400 / 100 − 1 = 3
    assert (t1.last_ytd.revenue, t1.trend.growth_yoy) == (D("100.00"), D("3.000000"))
    # T2 nets to 0: the margin rate is undefined
    assert (t2.ytd.revenue, t2.ytd.margin_rate) == (D("0.00"), None)
    # the portfolio: 400 + 0 + 300 + 50
    assert facts.totals.revenue == D("750.00")
    # cross-region: 300 of T1's 400 went south
    assert t1.quality.cross_region_share == D("0.750000")
    # penetration: P1 (net 100) and P2 (300) of P1–P3
    assert (t1.penetration.bought, t1.penetration.whitespace, t1.penetration.share) == (
        ("P1", "P2"),
        ("P3",),
        D("0.666667"),
    )
    # 2026-03: −100 against 100 in 2025-03 → −2.0; 2026-01 against 2025-01, before the ledger's first month
    months = {m.month: m for m in t1.monthly}
    assert (months["2026-03"].revenue, months["2026-03"].yoy) == (D("-100.00"), D("-2.000000"))
    assert months["2026-01"].yoy is None


def test_receivables_aging_dso_and_holds(tiny):
    _, _, facts = tiny
    r = facts.account("T1").receivables
    # FIFO oldest first, pool = 100 unapplied + 100 credit note (I3) = 200:
    #   I0 (2025) 100 open → paid by the pool; I1 200 − 150 = 50 → paid by the pool (150 of 200 used);
    #   I2 300: 50 left in the pool → 250 open, due 03-03, 28 days past due
    assert [(i.invoice, i.amount, i.outstanding, i.days_past_due) for i in r.open_invoices] == [
        ("I2", D("300.00"), D("250.00"), 28)
    ]
    assert (r.invoiced, r.paid, r.outstanding, r.credit_balance, r.overdue) == (
        D("500.00"),  # 100 + 200 + 300 − 100
        D("250.00"),
        D("250.00"),
        D("0.00"),
        D("250.00"),
    )
    assert [(b.label, b.amount) for b in r.buckets] == [
        ("not_due", D("0.00")),
        ("1-30", D("250.00")),
        ("31-60", D("0.00")),
        ("61-90", D("0.00")),
        ("90+", D("0.00")),
    ]
    # DSO: 250 / 400 (revenue since 2026-01-01, the trailing 90 days) × 90 = 56.25 → 56.3 (half up)
    assert r.dso == D("56.3")
    assert r.limit_use == D("0.2500")  # 250 / 1000
    assert (r.on_hold, r.hold_reasons) == (True, ("overdue",))
    # late in 12 months: I0 (cleared by the pool on 03-01, due 2025-04-09), I1 (cleared 03-15, due
    # 03-02), I2 (open past due): 3 → proposed for the blacklist
    assert (r.late_invoices_12m, r.blacklist_proposed) == (3, True)
    # T2: the return cleared I5 through the pool; cash only (limit 0), nothing outstanding
    r2 = facts.account("T2").receivables
    assert (r2.outstanding, r2.on_hold, r2.dso, r2.limit_use) == (D("0.00"), False, None, None)


def test_inventory_days_and_a_customer_without_reports(tiny):
    _, _, facts = tiny
    s1, s2 = facts.account("T1").inventory
    # S1: only 03-31 is in the window (03-01, 03-31]; it covers 31 days since 02-28: 30 / 31 =
    # 0.9677 a day; 300 × 31 / 30 = 310.0 days, above the band; order 0
    assert (s1.sku, s1.daily_sellout, s1.covered_days, s1.days, s1.status, s1.suggested_order) == (
        "S1",
        D("0.9677"),
        31,
        D("310.0"),
        "above",
        D("0"),
    )
    # S2: 01-31 (first report, left out) and 02-28: 56 over 28 days = 2; 40 / 2 = 20.0 days, within;
    # order 22.5 × 2 − 40 = 5; the report is 31 days old on 03-31: stale
    assert (s2.daily_sellout, s2.days, s2.status, s2.suggested_order, s2.age_days, s2.stale) == (
        D("2.0000"),
        D("20.0"),
        "within",
        D("5"),
        31,
        True,
    )
    assert facts.account("T2").inventory == ()


def test_prices_look_at_every_observation(tiny):
    _, _, facts = tiny
    s1, s2 = facts.account("T1").prices
    # S1: 93 (−7 %, below the −5 % floor) then 99 (−1 %): the period is below the floor
    assert (s1.status, s1.latest_status, s1.below_floor, s1.floor_breach.price, s1.spread) == (
        "below_floor",
        "within",
        1,
        D("93.0000"),
        D("0.0600"),
    )
    # S2: 56 against 50: +12 %, above the +10 % ceiling
    assert (s2.status, s2.deviation, s2.above_ceiling) == ("above_ceiling", D("0.1200"), 1)
    assert facts.account("T2").prices == ()


def test_classes(tiny):
    _, _, facts = tiny
    # ABC over T1 400, T3 300, T4 50, T2 0 (total 750): T1 A (0 above); T3 A (53.3 % above);
    # T4 B (93.3 % above, below 95 %); T2 C (no revenue)
    assert [(p.customer, p.abc) for p in facts.pareto] == [("T1", "A"), ("T3", "A"), ("T4", "B"), ("T2", "C")]
    t1, t2 = facts.account("T1").classes, facts.account("T2").classes
    # value threshold: median of the planned 400 and 0 = 200; T1 big, loyalty 2 < 4: dangerous,
    # overridden to protect
    assert facts.value_threshold == D("200.00")
    assert (t1.quadrant.computed, t1.quadrant.manual, t1.quadrant.reason, t1.quadrant.value) == (
        "dangerous",
        "protect",
        "strategic",
        "protect",
    )
    # T1 stars: class A and health 4 but 3 late invoices (not clean) → not 4; term 30 ≤ the
    # standard 30 (median of the granted terms: T1's 30; T2 pays cash) → 3 stars
    assert (t1.stars.computed, t1.stars.inputs["term_need"], t1.stars.inputs["standard_term_days"]) == (
        "3",
        "some",
        "30",
    )
    # matrix: attractiveness 2 < 3, ability 4 ≥ 3 → maintain; T2 has no criteria
    assert (t1.matrix.computed, t2.matrix.computed) == ("maintain", "unscored")
    # T2: small (0 < 200), no score, bought in 1 of 12 months → phase out; scores missing (3) → 2 stars
    assert (t2.abc.computed, t2.quadrant.computed, t2.stars.computed) == ("C", "phase_out", "2")
    assert t1.changed == ("abc",) and t1.last_year == {"abc": "B"}
    with pytest.raises(TypeError):
        t1.last_year["abc"] = "A"  # type: ignore[index]


def test_activity_under_both_rules(tiny):
    _, _, facts = tiny
    owner = {(c.salesperson, c.month): c.rate for c in facts.activity.cells}
    # owners: ann T1, T2; bob T3, T4. Jan: T1; Feb: T1, T3, T4; Mar: T1, T2
    assert [owner[("ann", m)] for m in ("2026-01", "2026-02", "2026-03")] == [D("0.5"), D("0.5"), D("1")]
    assert [owner[("bob", m)] for m in ("2026-01", "2026-02", "2026-03")] == [D("0"), D("1"), D("0")]
    assert owner[("cat", "2026-02")] is None  # cat owns no customer
    assert [owner[("*", m)] for m in ("2026-01", "2026-02", "2026-03")] == [D("0.25"), D("0.75"), D("0.5")]
    # takers: ann's book {T1, T2}, cat's {T3}, bob's {T4}
    taker = {(c.salesperson, c.month): c.rate for c in facts.activity_other.cells}
    assert [taker[("cat", m)] for m in ("2026-01", "2026-02", "2026-03")] == [D("0"), D("1"), D("0")]
    assert [taker[("bob", m)] for m in ("2026-01", "2026-02", "2026-03")] == [D("0"), D("1"), D("0")]
    assert [taker[("ann", m)] for m in ("2026-01", "2026-02", "2026-03")] == [D("0.5"), D("0.5"), D("1")]


def test_goal_progress_and_last_year(tiny):
    _, _, facts = tiny
    rev, col = facts.account("T1").goals
    # 400 of 2000 in 90 days of 365: projection 400 × 365 / 90 = 1622.22, which is 81.111 % of 2000
    assert (rev.actual, rev.percent, rev.projection, rev.projected_percent, rev.on_track) == (
        D("400.00"),
        D("0.200000"),
        D("1622.22"),
        D("0.811110"),
        False,
    )
    # collected 150 + 100 = 250: projection 250 × 365 / 90 = 1013.89 ≥ 1000
    assert (col.actual, col.projection, col.on_track) == (D("250.00"), D("1013.89"), True)
    (ly,) = facts.account("T1").last_year_goals
    assert (ly.reported, ly.ledger, ly.agrees) == (D("100"), D("100.00"), True)
    # T2's margin-rate goal: no revenue, so no rate, no percent, no projection
    (g,) = facts.account("T2").goals
    assert (g.actual, g.percent, g.projection, g.on_track) == (None, None, None, None)


def test_findings(tiny):
    portfolio, ledger, facts = tiny
    found = {(d.code, d.location.path or d.location.sheet or "") for d in run_checks(portfolio, ledger, facts)}
    assert found == {
        ("action-overdue", "actions[A1].due"),
        ("hold-ships-goods", "actions[A2].form"),  # a delivery ships goods without saying so
        ("blacklist-proposed", "customer.credit.blacklisted"),
        ("overdue-receivables", "sales"),
        ("class-changed", "classification.last_year.abc"),
        ("inventory-above-band", "inventory"),
        ("price-below-floor", "prices"),
        ("price-above-ceiling", "prices"),
        ("activity-below-alert", "activity.alert_below"),  # ann (Jan, Feb at 50 %) and bob
    }
    activity = sorted(d.message for d in run_checks(portfolio, ledger, facts) if d.code == "activity-below-alert")
    assert activity == [
        "ann: customer activity rate below 60.0 % in 2 of 3 months: 2026-01 (50.0 %), 2026-02 (50.0 %) (66.7 % on average)",
        "bob: customer activity rate below 60.0 % in 2 of 3 months: 2026-01 (0.0 %), 2026-03 (0.0 %) (33.3 % on average)",
    ]
