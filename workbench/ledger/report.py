"""The data-quality report of a ledger (`kam ledger inspect`, ``output/ledger-report.txt``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.ledger.model import Ledger

RULE_TEXT = {
    "cancelled": "cancelled lines",
    "non_product": "non-product lines (postage, fees, adjustments)",
    "missing_customer": "sales lines without a customer id",
    "duplicates": "exact duplicate lines",
    "returns": "returns (negative quantities)",
    "zero_price": "zero-price lines",
    "amount_mismatch": "amount ≠ quantity × unit price",
    "no_invoice_payment": "payments naming no invoice",
    "unknown_invoice_payment": "payments naming an unknown invoice",
    "foreign_currency": "rows in another currency without a rate",
}
POLICY_TEXT = {"keep": "kept", "exclude": "excluded", "error": "rejected"}
ROUNDING_NOTE = (
    "amounts are kept to 2 decimals, prices and quantities to 4; a value with more is rounded half away from zero"
)


def ledger_summary(ledger: Ledger) -> dict[str, Any]:
    """Figures of the ledger as plain data (the JSON form of the report)."""
    import polars as pl

    sales = ledger.sales
    dates = (
        sales.select(pl.col("date").min().alias("first"), pl.col("date").max().alias("last")).row(0)
        if sales.height
        else (None, None)
    )
    unapplied = ledger.payments.filter(pl.col("invoice").is_null()).height if ledger.payments.height else 0
    return {
        "files": [
            {
                "path": s.path,
                "sha256": s.sha256,
                "cached": s.cached,
                "sheets": [{"name": n, "kind": k, "rows": r} for n, k, r in s.sheets],
            }
            for s in ledger.sources
        ],
        "rows": {
            "sales": sales.height,
            "payments": ledger.payments.height,
            "inventory": ledger.inventory.height,
            "prices": ledger.prices.height,
            "customers": ledger.customers.height,
        },
        "first_date": dates[0].isoformat() if dates[0] else None,
        "last_date": dates[1].isoformat() if dates[1] else None,
        "customers_in_sales": sales.get_column("customer").n_unique() if sales.height else 0,
        "customers_source": "workbook" if ledger.customers_from_workbook else "plans",
        "salespeople": sorted(set(sales.get_column("salesperson").drop_nulls().to_list())) if sales.height else [],
        "product_lines": sorted(set(sales.get_column("product_line").drop_nulls().to_list())) if sales.height else [],
        "unapplied_payments": unapplied,
        "notes": list(ledger.notes),
        "rules": [
            {"rule": r.rule, "policy": r.policy, "rows": r.rows, "amount": r.amount, "examples": list(r.examples)}
            for r in ledger.rules
        ],
    }


def format_ledger_report(ledger: Ledger) -> str:
    s = ledger_summary(ledger)
    out = ["Ledger", ""]
    for f in s["files"]:
        sheets = ", ".join(f"{sh['name'] or '(csv)'} → {sh['kind']} ({sh['rows']:,} rows)" for sh in f["sheets"])
        out.append(f"  {f['path']}{' (cached)' if f['cached'] else ''}: {sheets}")
    rows = s["rows"]
    out += [
        "",
        f"  sales lines     {rows['sales']:>10,}   {s['first_date']} … {s['last_date']}",
        f"  payments        {rows['payments']:>10,}   ({s['unapplied_payments']:,} without an invoice: applied oldest first)",
        f"  inventory rows  {rows['inventory']:>10,}",
        f"  price checks    {rows['prices']:>10,}",
        f"  customers       {rows['customers']:>10,}   (master from the {s['customers_source']}; {s['customers_in_sales']} buy)",
        f"  salespeople     {len(s['salespeople']):>10}   {', '.join(s['salespeople'])}",
        f"  product lines   {len(s['product_lines']):>10}   {', '.join(s['product_lines'])}",
        "",
        "Data-quality rules",
        "",
    ]
    for r in s["rules"]:
        what = RULE_TEXT.get(r["rule"], r["rule"])
        amount = f", {r['amount']}" if r["amount"] else ""
        example = f"   e.g. {r['examples'][0]}" if r["examples"] else ""
        out.append(f"  {what:<48} {r['rows']:>6,} {POLICY_TEXT[r['policy']]}{amount}{example}")
    out += ["", "Notes", ""]
    out += [f"  {note}" for note in s["notes"]]
    out.append(f"  {ROUNDING_NOTE}")
    return "\n".join(out)


def ledger_report_json(ledger: Ledger) -> str:
    return json.dumps(ledger_summary(ledger), ensure_ascii=False, indent=2)
