"""Receivables, inventory days and price discipline against hand-computed cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workbench.analyze.facts import CreditTerms
from workbench.analyze.inventory import assess_inventory
from workbench.analyze.prices import assess_prices
from workbench.analyze.receivables import age_receivables

AS_OF = dt.date(2026, 3, 31)


def _line(day: str, invoice: str, qty: str, customer: str = "C1", price: str = "100") -> dict:
    return {
        "date": day,
        "invoice": invoice,
        "customer": customer,
        "quantity": qty,
        "unit_price": price,
        "unit_cost": "60",
    }


def test_partial_payments_fifo_credit_note_and_aging(frame, make_settings):
    sales = frame(
        "sales",
        [
            _line("2026-01-01", "I1", "2"),
            _line("2026-02-01", "I2", "3"),
            _line("2026-03-15", "I3", "5"),
            _line("2026-03-20", "R1", "-1"),
            _line("2026-04-02", "I4", "9"),
        ],
    )
    payments = frame(
        "payments",
        [
            {"date": "2026-02-10", "customer": "C1", "invoice": "I1", "amount": "150"},  # partial
            {"date": "2026-03-01", "customer": "C1", "invoice": None, "amount": "120"},  # unapplied: FIFO
            {"date": "2026-03-05", "customer": "C1", "invoice": "X9", "amount": "30"},  # unknown invoice: FIFO
            {"date": "2026-04-01", "customer": "C1", "invoice": None, "amount": "999"},  # after as-of: ignored
        ],
    )
    credit = make_settings().credit
    rec = age_receivables(sales, payments, {"C1": CreditTerms(term_days=30, limit=Decimal(1000))}, credit, AS_OF)["C1"]
    # I1 200 − 150 − 50 (FIFO 03-01) = 0; I2 300 − 70 − 30 − 100 (credit note) = 100, 28 days late; I3 500 not due
    assert [(i.invoice, i.outstanding, i.days_past_due) for i in rec.open_invoices] == [
        ("I2", Decimal("100.00"), 28),
        ("I3", Decimal("500.00"), 0),
    ]
    assert rec.outstanding == Decimal("600.00") and rec.overdue == Decimal("100.00")
    assert [(b.label, b.amount) for b in rec.buckets] == [
        ("not_due", Decimal("500.00")),
        ("1-30", Decimal("100.00")),
        ("31-60", Decimal("0.00")),
        ("61-90", Decimal("0.00")),
        ("90+", Decimal("0.00")),
    ]
    assert rec.invoiced == Decimal("900.00") and rec.paid == Decimal("300.00")
    assert rec.credit_balance == Decimal("0.00")
    assert rec.on_hold and rec.hold_reasons == ("overdue",)
    assert rec.late_invoices_12m == 2  # I1 cleared 29 days late, I2 still open past due
    assert not rec.blacklist_proposed
    assert rec.dso == Decimal("60.0")  # 600 / (200 + 300 + 500 − 100) × 90: the 90 days after 2025-12-31
    assert rec.limit_use == Decimal("0.6000")


def test_overpayment_is_a_credit_balance_and_over_limit_holds(frame, make_settings):
    sales = frame("sales", [_line("2026-03-01", "I5", "1", "C2"), _line("2026-03-20", "I6", "30", "C3")])
    payments = frame(
        "payments",
        [
            {"date": "2026-03-10", "customer": "C2", "invoice": "I5", "amount": "150"},
            {"date": "2026-03-10", "customer": "C4", "invoice": None, "amount": "80"},
        ],
    )
    terms = {"C2": CreditTerms(term_days=30, limit=Decimal(500)), "C3": CreditTerms(term_days=30, limit=Decimal(1000))}
    out = age_receivables(sales, payments, terms, make_settings().credit, AS_OF)
    assert (out["C2"].outstanding, out["C2"].credit_balance, out["C2"].on_hold) == (
        Decimal("0.00"),
        Decimal("50.00"),
        False,
    )
    assert out["C3"].hold_reasons == ("over_limit",) and out["C3"].outstanding == Decimal("3000.00")
    assert out["C4"].credit_balance == Decimal("80.00") and out["C4"].invoiced == Decimal("0.00")


def test_refunded_credit_note_leaves_nothing_in_the_pool(frame, make_settings):
    sales = frame("sales", [_line("2026-01-10", "I1", "2"), _line("2026-01-20", "R1", "-1")])
    payments = frame(
        "payments", [{"date": "2026-01-25", "customer": "C1", "invoice": "R1", "amount": "-100"}]
    )  # refund paid out
    rec = age_receivables(
        sales, payments, {"C1": CreditTerms(term_days=30, limit=Decimal(1000))}, make_settings().credit, AS_OF
    )["C1"]
    # the credit note was settled in cash, so I1 stays open in full: 200 − 0
    assert (rec.outstanding, rec.credit_balance, rec.invoiced, rec.paid) == (
        Decimal("200.00"),
        Decimal("0.00"),
        Decimal("100.00"),
        Decimal("-100.00"),
    )
    assert rec.outstanding - rec.credit_balance == rec.invoiced - rec.paid


def test_pool_pays_oldest_first_and_a_refund_takes_money_back(frame, make_settings):
    sales = frame(
        "sales", [_line("2026-01-01", "I1", "1"), _line("2026-01-02", "I2", "1"), _line("2026-01-03", "I3", "1")]
    )
    payments = frame(
        "payments",
        [
            {"date": "2026-01-15", "customer": "C1", "invoice": None, "amount": "150"},  # I1, half of I2
            {"date": "2026-02-20", "customer": "C1", "invoice": None, "amount": "60"},  # rest of I2, 10 on I3
            {"date": "2026-03-25", "customer": "C1", "invoice": None, "amount": "-20"},  # refund: the pool is 190
        ],
    )
    rec = age_receivables(sales, payments, {"C1": CreditTerms(term_days=0)}, make_settings().credit, AS_OF)["C1"]
    # 190 pays I1 (100) and 90 of I2, oldest first
    assert [(i.invoice, i.outstanding, i.days_past_due) for i in rec.open_invoices] == [
        ("I2", Decimal("10.00"), 88),
        ("I3", Decimal("100.00"), 87),
    ]
    assert rec.outstanding - rec.credit_balance == rec.invoiced - rec.paid == Decimal("110.00")
    assert rec.late_invoices_12m == 3  # I1 cleared by the pool on 01-15, 14 days after its due day; I2, I3 open


def test_only_the_oldest_open_invoices_are_listed_but_all_are_counted(frame, make_settings):
    sales = frame("sales", [_line(f"2026-02-{d:02d}", f"I{d:02d}", "1") for d in range(1, 26)])
    rec = age_receivables(
        sales, frame("payments", []), {"C1": CreditTerms(term_days=30)}, make_settings().credit, AS_OF
    )["C1"]
    assert rec.open_invoice_count == 25 and rec.outstanding == Decimal("2500.00")
    assert [i.invoice for i in rec.open_invoices] == [f"I{d:02d}" for d in range(1, 21)]


def test_inventory_days_band_and_suggested_order(frame, make_settings):
    inv = frame(
        "inventory",
        [
            {"date": "2026-08-31", "customer": "D1", "sku": "A", "on_hand": "100", "sold": "300"},
            {"date": "2026-09-30", "customer": "D1", "sku": "A", "on_hand": "450", "sold": "300"},
            {"date": "2026-09-30", "customer": "D1", "sku": "B", "on_hand": "150", "sold": "300"},
            {"date": "2026-09-30", "customer": "D1", "sku": "C", "on_hand": "10", "sold": "0"},
            {"date": "2026-10-05", "customer": "D1", "sku": "B", "on_hand": "1", "sold": "1"},  # after as-of
        ],
    )
    lines = {i.sku: i for i in assess_inventory(inv, make_settings().inventory, dt.date(2026, 9, 30))["D1"]}
    assert (lines["A"].daily_sellout, lines["A"].days, lines["A"].status, lines["A"].suggested_order) == (
        Decimal("10.0000"),
        Decimal("45.0"),
        "above",
        Decimal("0"),
    )
    assert (lines["B"].days, lines["B"].status, lines["B"].suggested_order) == (Decimal("15.0"), "below", Decimal("75"))
    assert (lines["C"].days, lines["C"].status) == (None, "no_sellout")


def test_price_deviation_floor_ceiling_spread(frame, make_settings):
    prices = frame(
        "prices",
        [
            {"date": "2026-07-01", "customer": "D1", "sku": "A", "price": "97"},
            {"date": "2026-09-01", "customer": "D1", "sku": "A", "price": "88"},
            {"date": "2026-09-01", "customer": "D1", "sku": "B", "price": "56", "guideline": "50"},
            {"date": "2026-09-02", "customer": "D1", "sku": "Z", "price": "9"},
            {"date": "2025-12-31", "customer": "D1", "sku": "A", "price": "10"},  # before the period
        ],
    )
    out = {
        p.sku: p
        for p in assess_prices(
            prices, {"A": Decimal(100)}, make_settings().prices, dt.date(2026, 1, 1), dt.date(2026, 9, 30)
        )["D1"]
    }
    a = out["A"]
    assert (a.deviation, a.min_deviation, a.max_deviation, a.spread, a.status, a.unstable, a.observations) == (
        Decimal("-0.1200"),
        Decimal("-0.1200"),
        Decimal("-0.0300"),
        Decimal("0.0900"),
        "below_floor",
        False,
        2,
    )
    assert (out["B"].deviation, out["B"].status) == (Decimal("0.1200"), "above_ceiling")
    assert out["Z"].status == "no_guideline"


def test_price_status_looks_at_every_observation_of_the_period(frame, make_settings):
    # the audit's case: S1 at 93 on 02-01 (−7 %, below the −5 % floor) then 99 on 03-01 (−1 %):
    # the latest is within, but the period broke the floor once, at 93
    prices = frame(
        "prices",
        [
            {"date": "2026-02-01", "customer": "T1", "sku": "S1", "price": "93", "src_row": 2},
            {"date": "2026-03-01", "customer": "T1", "sku": "S1", "price": "99", "src_row": 3},
            {"date": "2026-03-10", "customer": "T1", "sku": "S2", "price": "56", "src_row": 4},
            {"date": "2026-03-12", "customer": "T1", "sku": "S2", "price": "50", "src_row": 5},
        ],
    )
    guideline = {"S1": Decimal(100), "S2": Decimal(50)}
    out = {p.sku: p for p in assess_prices(prices, guideline, make_settings().prices, dt.date(2026, 1, 1), AS_OF)["T1"]}
    s1 = out["S1"]
    assert (s1.status, s1.latest_status, s1.below_floor, s1.above_ceiling) == ("below_floor", "within", 1, 0)
    assert (s1.deviation, s1.min_deviation, s1.max_deviation) == (
        Decimal("-0.0100"),
        Decimal("-0.0700"),
        Decimal("-0.0100"),
    )
    b = s1.floor_breach
    assert (b.date, b.price, b.guideline, b.deviation, b.source.row) == (
        dt.date(2026, 2, 1),
        Decimal("93.0000"),
        Decimal("100.0000"),
        Decimal("-0.0700"),
        2,
    )
    assert s1.ceiling_breach is None and s1.worst.row == 2
    # S2: 56 on 03-10 (+12 %, above the +10 % ceiling), then 50 (0 %): flagged, pointing at row 4
    s2 = out["S2"]
    assert (s2.status, s2.latest_status, s2.above_ceiling, s2.ceiling_breach.source.row) == (
        "above_ceiling",
        "within",
        1,
        4,
    )
    assert s2.spread == Decimal("0.1200") and s2.unstable is False  # 12 % ≤ the 15 % spread alert


def test_price_findings_point_at_the_row_that_broke_the_floor_and_quote_its_price(
    make_plan, make_portfolio, make_ledger, make_settings
):
    from workbench.analyze.compute import compute_facts
    from workbench.check import run_checks

    settings = make_settings(as_of="2026-03-31", price_list=[{"sku": "S1", "price": "100"}])
    portfolio = make_portfolio([make_plan("T1")], settings)
    ledger = make_ledger(
        sales=[{"date": "2026-02-01", "invoice": "I1", "customer": "T1", "quantity": "1", "unit_price": "1"}],
        prices=[
            {"date": "2026-02-01", "customer": "T1", "sku": "S1", "price": "93", "src_row": 7},
            {"date": "2026-03-01", "customer": "T1", "sku": "S1", "price": "99", "src_row": 8},
        ],
        customers=[{"customer": "T1", "name": "T1", "owner": "ann"}],
    )
    found = [d for d in run_checks(portfolio, ledger, compute_facts(portfolio, ledger)) if d.code.startswith("price")]
    assert [(d.code, d.location.sheet, d.location.row) for d in found] == [("price-below-floor", "prices", 7)]
    assert "sold at 93.00 on 2026-02-01" in found[0].message
    assert "1 of 2 observations" in found[0].message and "the latest 99.00 on 2026-03-01" in found[0].message


def test_invoice_totals_use_the_exact_line_values_rounded_half_up_like_revenue(frame, make_settings):
    # 1 × 2.125 is 2.13 on the invoice as in revenue (half up; half to even would say 2.12);
    # 1 × 0.005 is an invoice of 0.01, not a vanished one
    sales = frame(
        "sales", [_line("2026-03-01", "I1", "1", price="2.125"), _line("2026-03-02", "I2", "1", price="0.005")]
    )
    rec = age_receivables(
        sales,
        frame("payments", []),
        {"C1": CreditTerms(term_days=30, limit=Decimal(1000))},
        make_settings().credit,
        AS_OF,
    )["C1"]
    assert [(i.invoice, i.amount) for i in rec.open_invoices] == [("I1", Decimal("2.13")), ("I2", Decimal("0.01"))]
    assert rec.invoiced == Decimal("2.14") and rec.outstanding == Decimal("2.14")
    # limit use 2.14 / 1000 = 0.00214 → 0.0021; DSO: 90 days' revenue is 2.125 + 0.005 = 2.13,
    # so 2.14 / 2.13 × 90 = 90.42… → 90.4
    assert rec.limit_use == Decimal("0.0021")
    assert rec.dso == Decimal("90.4")


def test_dso_and_limit_use_round_half_up(frame, make_settings):
    # outstanding 56.25 (I2 paid) of 90 days' revenue 56.25 + 33.75 = 90.00: DSO 56.25 / 90 × 90
    # = 56.25 exactly → 56.3 (half to even would give 56.2); limit 450: 56.25 / 450 = 0.125 → 0.1250
    sales = frame(
        "sales", [_line("2026-03-01", "I1", "1", price="56.25"), _line("2026-03-02", "I2", "1", price="33.75")]
    )
    payments = frame("payments", [{"date": "2026-03-05", "customer": "C1", "invoice": "I2", "amount": "33.75"}])
    rec = age_receivables(
        sales, payments, {"C1": CreditTerms(term_days=60, limit=Decimal(450))}, make_settings().credit, AS_OF
    )["C1"]
    assert rec.outstanding == Decimal("56.25") and rec.dso == Decimal("56.3")
    assert rec.limit_use == Decimal("0.1250")
    # 56.25 / 1 125 000 = 0.00005 exactly → 0.0001 (half up; half to even: 0.0000)
    rec = age_receivables(
        sales, payments, {"C1": CreditTerms(term_days=60, limit=Decimal(1_125_000))}, make_settings().credit, AS_OF
    )["C1"]
    assert rec.limit_use == Decimal("0.0001")
