"""compute_facts end to end on a small hand-computed portfolio."""

from __future__ import annotations

from decimal import Decimal

from workbench.analyze.compute import compute_facts


def test_smoke(make_plan, make_portfolio, make_ledger):
    plans = [make_plan("C1"), make_plan("C2", owner="bob")]
    ledger = make_ledger(
        sales=[
            {
                "date": "2026-03-31",
                "invoice": "I1",
                "customer": "C1",
                "salesperson": "ann",
                "sku": "S1",
                "product_line": "P",
                "quantity": "2",
                "unit_price": "10.005",
                "unit_cost": "6",
                "region": "north",
            },
            {
                "date": "2025-03-01",
                "invoice": "I0",
                "customer": "C1",
                "salesperson": "ann",
                "sku": "S1",
                "product_line": "P",
                "quantity": "1",
                "unit_price": "10",
                "unit_cost": "6",
                "region": "north",
            },
        ],
        customers=[
            {"customer": "C1", "name": "One", "owner": "ann", "region": "north"},
            {"customer": "C2", "name": "Two", "owner": "bob", "region": "north"},
        ],
    )
    facts = compute_facts(make_portfolio(plans), ledger)
    print(facts.model_dump_json(indent=1)[:6000])
    a = facts.account("C1")
    assert a.ytd.revenue == Decimal("20.01")
