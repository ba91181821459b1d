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
