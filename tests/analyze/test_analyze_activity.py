"""Customer activity rate under both credit rules (owner, taker)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from workbench.analyze.activity import compute_activity
from workbench.analyze.compute import compute_facts

D = Decimal

# owners: C1, C2 → ann; C3 → bob; C4 has no owner; C5 buys but is not in the universe.
OWNERS = {"C1": "ann", "C2": "ann", "C3": "bob", "C4": ""}
LINES = pl.DataFrame(
    {
        "customer": ["C1", "C1", "C3", "C5", "C2", "C1"],
        "salesperson": ["ann", "ann", "ann", "cat", "bob", "ann"],
        "ym": [202601, 202601, 202601, 202601, 202602, 202603],  # 2026-03 is outside the months asked
    }
)
MONTHS = [202601, 202602]


def cells(activity):
    return {(c.salesperson, c.month): (c.assigned, c.active, c.rate) for c in activity.cells}


def test_owner_rule_counts_assigned_customers_active_in_the_month_whoever_took_the_order():
    got = cells(compute_activity(LINES, OWNERS, MONTHS, "owner"))
    assert got[("ann", "2026-01")] == (2, 1, D("0.500000"))  # C1 active, C2 not
    assert got[("ann", "2026-02")] == (2, 1, D("0.500000"))  # C2 (taken by bob) counts for ann
    assert got[("bob", "2026-01")] == (1, 1, D("1.000000"))  # C3 (taken by ann) counts for bob
    assert got[("bob", "2026-02")] == (1, 0, D("0.000000"))


def test_salesperson_with_no_customers_has_an_undefined_rate():
    got = cells(compute_activity(LINES, OWNERS, MONTHS, "owner"))
    assert got[("cat", "2026-01")] == (0, 0, None)


def test_taker_rule_assigns_the_customers_taken_in_the_year_and_credits_the_taker():
    act = compute_activity(LINES, OWNERS, MONTHS, "taker")
    got = cells(act)
    assert got[("ann", "2026-01")] == (2, 2, D("1.000000"))  # book {C1, C3}
    assert got[("ann", "2026-02")] == (2, 0, D("0.000000"))
    assert got[("bob", "2026-02")] == (1, 1, D("1.000000"))  # book {C2}
    assert got[("bob", "2026-01")] == (1, 0, D("0.000000"))
    assert got[("cat", "2026-01")] == (1, 1, D("1.000000"))  # C5, outside the universe, is in cat's book
    assert act.credit == "taker" and act.salespeople == ("ann", "bob", "cat")


def test_company_rate_is_the_same_under_both_rules_over_the_customer_universe():
    for rule in ("owner", "taker"):
        got = cells(compute_activity(LINES, OWNERS, MONTHS, rule))
        assert got[("*", "2026-01")] == (4, 2, D("0.500000"))  # C1, C3 of C1..C4
        assert got[("*", "2026-02")] == (4, 1, D("0.250000"))


def test_cells_cover_every_salesperson_and_month_then_the_company():
    act = compute_activity(LINES, OWNERS, MONTHS, "owner")
    assert [(c.salesperson, c.month) for c in act.cells] == [
        (p, m) for p in ("ann", "bob", "cat", "*") for m in ("2026-01", "2026-02")
    ]


def test_facts_carry_both_rules_and_ignore_lines_after_as_of(make_plan, make_portfolio, make_settings, make_ledger):
    ledger = make_ledger(
        sales=[
            {
                "date": "2026-01-10",
                "invoice": "I1",
                "customer": "C1",
                "salesperson": "bob",
                "quantity": "1",
                "unit_price": "1",
            },
            {
                "date": "2026-02-10",
                "invoice": "I2",
                "customer": "C1",
                "salesperson": "ann",
                "quantity": "1",
                "unit_price": "1",
            },
        ],
        customers=[{"customer": "C1", "name": "One", "owner": "ann"}],
    )
    facts = compute_facts(make_portfolio([make_plan("C1")], make_settings(as_of="2026-02-05")), ledger)
    assert facts.activity.credit == "owner" and facts.activity_other.credit == "taker"
    assert facts.activity.months == ("2026-01", "2026-02")
    owner = cells(facts.activity)
    assert owner[("ann", "2026-01")] == (1, 1, D("1.000000"))
    assert owner[("ann", "2026-02")] == (1, 0, D("0.000000"))  # the 10 Feb line is after as-of
    taker = cells(facts.activity_other)
    assert taker[("ann", "2026-01")] == (0, 0, None)  # ann took nothing up to as-of
    assert taker[("bob", "2026-01")] == (1, 1, D("1.000000"))
