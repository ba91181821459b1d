"""Dealer inventory days against hand-computed cases: each report's `sold` covers the days
since the previous report, so the rate divides by the days the counted reports cover."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workbench.analyze.compute import compute_facts
from workbench.analyze.inventory import assess_inventory

D = Decimal


def report(day: str, on_hand: str, sold: str, sku: str = "A", customer: str = "D1") -> dict:
    return {"date": day, "customer": customer, "sku": sku, "on_hand": on_hand, "sold": sold}


def assess(frame, make_settings, rows, as_of="2026-09-30", **inventory):
    settings = make_settings(inventory=inventory) if inventory else make_settings()
    out = assess_inventory(frame("inventory", rows), settings.inventory, dt.date.fromisoformat(as_of))
    return {(c, i.sku): i for c, lines in out.items() for i in lines}


def test_two_monthly_reports_28_days_apart_the_first_report_is_left_out(frame, make_settings):
    # the audit's case: 01-31 sold 60 (the first report: its span is unknown), 02-28 sold 56,
    # on hand 40. Both are in the 30-day window ending 02-28 (01-31 > 01-29); the first is left
    # out, so the rate is 56 over 02-28 − 01-31 = 28 days = 2 a day; 40 / 2 = 20.0 days,
    # inside the 20–25 band; order 22.5 × 2 − 40 = 5
    got = assess(
        frame, make_settings, [report("2026-01-31", "50", "60"), report("2026-02-28", "40", "56")], "2026-02-28"
    )
    i = got[("D1", "A")]
    assert (i.sold, i.covered_days, i.span_assumed) == (D("56.0000"), 28, False)
    assert (i.daily_sellout, i.days, i.status, i.suggested_order) == (D("2.0000"), D("20.0"), "within", D("5"))
    assert (i.report_date, i.age_days, i.stale) == (dt.date(2026, 2, 28), 0, False)


def test_monthly_reports_with_a_predecessor_divide_by_the_days_since_it(frame, make_settings):
    # 12-31, 01-31 (sold 62), 02-28 (sold 56): window (01-29, 02-28] counts 01-31 and 02-28;
    # the report before 01-31 is 12-31, so they cover 02-28 − 12-31 = 59 days:
    # (62 + 56) / 59 = 2.0000 (2.00000…) a day; on hand 59 → 59 × 59 / 118 = 29.5 days, above
    rows = [report("2025-12-31", "10", "31"), report("2026-01-31", "80", "62"), report("2026-02-28", "59", "56")]
    i = assess(frame, make_settings, rows, "2026-03-10")[("D1", "A")]
    assert (i.sold, i.covered_days) == (D("118.0000"), 59)
    assert (i.daily_sellout, i.days, i.status, i.suggested_order) == (D("2.0000"), D("29.5"), "above", D("0"))
    assert (i.age_days, i.stale) == (10, False)


def test_weekly_reports_are_not_overstated(frame, make_settings):
    # a report every 7 days selling 14 (2 a day): the window (08-31, 09-30] holds 09-02, 09-09,
    # 09-16, 09-23, 09-30; the report before 09-02 is 08-26, so they cover 35 days: 70 / 35 = 2
    # a day (Σ sold / 30 would say 2.33, 17 % too much). On hand 30 → 15.0 days, below the band;
    # order 22.5 × 2 − 30 = 15
    days = [dt.date(2026, 8, 19) + dt.timedelta(days=7 * k) for k in range(7)]  # 08-19 … 09-30
    rows = [report(d.isoformat(), "30", "14") for d in days]
    i = assess(frame, make_settings, rows)[("D1", "A")]
    assert (i.sold, i.covered_days) == (D("70.0000"), 35)
    assert (i.daily_sellout, i.days, i.status, i.suggested_order) == (D("2.0000"), D("15.0"), "below", D("15"))


def test_irregular_reports(frame, make_settings):
    # reports 08-01 (sold 100), 09-12 (sold 84), 09-20 (sold 40), on hand 150 on 09-20.
    # window (08-21, 09-20]: 09-12 and 09-20; before them 08-01: 50 days, 124 sold →
    # 2.48 a day; 150 / 2.48 = 60.48… → 60.5 days, above; order 22.5 × 2.48 − 150 < 0 → 0
    rows = [report("2026-08-01", "10", "100"), report("2026-09-12", "90", "84"), report("2026-09-20", "150", "40")]
    i = assess(frame, make_settings, rows)[("D1", "A")]
    assert (i.sold, i.covered_days, i.daily_sellout) == (D("124.0000"), 50, D("2.4800"))
    assert (i.days, i.status, i.suggested_order) == (D("60.5"), "above", D("0"))
    assert (i.age_days, i.stale) == (10, False)


def test_a_single_report_is_assumed_to_cover_the_window_and_an_old_one_is_stale(frame, make_settings):
    # one report ever, 08-15: sold 45 is assumed to cover the 30-day window: 1.5 a day;
    # on hand 30 → 20.0 days (within); 46 days old on 09-30, older than the window: stale
    i = assess(frame, make_settings, [report("2026-08-15", "30", "45")])[("D1", "A")]
    assert (i.covered_days, i.span_assumed, i.daily_sellout, i.days, i.status) == (
        30,
        True,
        D("1.5000"),
        D("20.0"),
        "within",
    )
    assert (i.age_days, i.stale) == (46, True)


def test_window_is_a_setting_and_rounding_is_half_up(frame, make_settings):
    # window 10 days: 09-30 alone counts (09-20 is not after 09-20); before it 09-20: 10 days,
    # sold 25 → 2.5 a day; on hand 0 → 0.0 days, below; order (20 + 25)/2 × 2.5 = 56.25 → 56
    rows = [report("2026-09-20", "5", "9"), report("2026-09-30", "0", "25")]
    i = assess(frame, make_settings, rows, window_days=10)[("D1", "A")]
    assert (i.covered_days, i.daily_sellout, i.days, i.status, i.suggested_order) == (
        10,
        D("2.5000"),
        D("0.0"),
        "below",
        D("56"),
    )
    # window 20: 09-30 alone counts, 20 days since 09-10, 45 sold = 2.25 a day; days
    # 50.125 / 2.25 = 22.277… → 22.3; order 22.5 × 2.25 − 50.125 = 0.5 → 1 (half up; half to even gives 0)
    rows = [report("2026-09-10", "1", "1"), report("2026-09-30", "50.125", "45")]
    i = assess(frame, make_settings, rows, window_days=20)[("D1", "A")]
    assert (i.covered_days, i.daily_sellout, i.days, i.suggested_order) == (20, D("2.2500"), D("22.3"), D("1"))


def test_no_sell_out_and_reports_after_the_as_of_date(frame, make_settings):
    rows = [
        report("2026-09-01", "10", "5", sku="B"),
        report("2026-09-30", "10", "0", sku="B"),  # nothing sold in 29 days
        report("2026-10-05", "1", "99", sku="B"),  # after as-of: ignored
    ]
    i = assess(frame, make_settings, rows)[("D1", "B")]
    assert (i.report_date, i.daily_sellout, i.days, i.status, i.suggested_order) == (
        dt.date(2026, 9, 30),
        None,
        None,
        "no_sellout",
        None,
    )


def test_a_customer_with_no_inventory_reports_has_empty_inventory(make_plan, make_portfolio, make_ledger):
    plans = [make_plan("C1"), make_plan("C2")]
    ledger = make_ledger(
        sales=[{"date": "2026-03-01", "invoice": "I1", "customer": "C1", "quantity": "1", "unit_price": "10"}],
        inventory=[report("2026-09-30", "40", "60", customer="C1")],
        customers=[{"customer": "C1", "name": "C1", "owner": "ann"}, {"customer": "C2", "name": "C2", "owner": "ann"}],
    )
    facts = compute_facts(make_portfolio(plans), ledger)
    assert facts.account("C2").inventory == ()
    assert [i.sku for i in facts.account("C1").inventory] == ["A"]
    assert "over_stock" not in facts.account("C2").risk_flags and "under_stock" not in facts.account("C2").risk_flags
