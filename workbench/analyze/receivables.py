"""Receivables, aging and credit control (DOMAIN.md).

Each invoice (the sum of its sales lines, returns included) is due ``term_days`` after its
date. Payments up to the as-of date apply to the invoice they name; what they pay beyond
that invoice, and payments naming no (or an unknown) invoice, form the customer's
unapplied pool, which pays the oldest open invoices first (FIFO). Negative invoices
(credit notes) add to the pool too. Money left after every invoice is paid is the credit
balance. Outstanding amounts fall in aging buckets by days past due; a customer is on hold
when any amount is more than ``tolerance_days`` past due, when the outstanding balance
exceeds the limit, or when it is blacklisted.

Invoices and payments are aggregated with polars for all customers at once; the FIFO walk
is then one pass over each customer's invoices in date order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.analyze.facts import (
    AgingBucket,
    CreditTerms,
    HoldReason,
    OpenInvoice,
    Receivables,
    SourceRef,
)

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import CreditSettings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def bucket_edges(edges: list[int]) -> list[tuple[str, int | None, int | None]]:
    """(label, min days past due, max days) of every bucket: not due, 1–30, …, 90+."""
    out: list[tuple[str, int | None, int | None]] = [("not_due", None, None)]
    low = 1
    for edge in edges:
        out.append((f"{low}-{edge}", low, edge))
        low = edge + 1
    out.append((f"{edges[-1]}+", low, None))
    return out


def _bucket(days: int, edges: list[tuple[str, int | None, int | None]]) -> int:
    if days <= 0:
        return 0
    for i, (_, low, high) in enumerate(edges[1:], start=1):
        if low is not None and days >= low and (high is None or days <= high):
            return i
    return len(edges) - 1


def age_receivables(
    sales: pl.DataFrame,
    payments: pl.DataFrame,
    terms: Mapping[str, CreditTerms],
    settings: CreditSettings,
    as_of: dt.date,
) -> dict[str, Receivables]:
    """Receivables of every customer with an invoice or a payment up to `as_of`."""
    import polars as pl

    invoices = (
        sales.lazy()
        .filter(pl.col("date") <= as_of)
        .group_by("customer", "invoice")
        .agg(
            pl.col("date").min().alias("date"),
            (pl.col("quantity") * pl.col("unit_price")).sum().cast(pl.Decimal(38, 2)).alias("amount"),
            pl.col("src_file").first(), pl.col("src_sheet").first(), pl.col("src_row").min(),
        )
        .sort("customer", "date", "invoice")
        .collect()
    )
    pays = payments.lazy().filter(pl.col("date") <= as_of)
    by_invoice = (
        pays.filter(pl.col("invoice").is_not_null())
        .group_by("customer", "invoice")
        .agg(pl.col("amount").sum().alias("paid"), pl.col("date").max().alias("paid_on"))
        .collect()
    )
    unapplied = (
        pays.filter(pl.col("invoice").is_null())
        .select("customer", "date", "amount")
        .sort("customer", "date")
        .collect()
    )
    trailing = (
        sales.lazy()
        .filter((pl.col("date") <= as_of) & (pl.col("date") > as_of - dt.timedelta(days=90)))
        .group_by("customer")
        .agg((pl.col("quantity") * pl.col("unit_price")).sum().cast(pl.Decimal(38, 2)).alias("rev90"))
        .collect()
    )
    total_paid = pays.group_by("customer").agg(pl.col("amount").sum().alias("paid")).collect()

    specific: dict[tuple[str, str], tuple[Decimal, dt.date]] = {
        (c, i): (p, d) for c, i, p, d in by_invoice.iter_rows()
    }
    pools: dict[str, list[tuple[dt.date, Decimal]]] = {}
    for c, d, a in unapplied.iter_rows():
        pools.setdefault(c, []).append((d, a))
    rev90 = dict(trailing.iter_rows())
    paid_total = dict(total_paid.iter_rows())
    per_customer: dict[str, list[tuple[str, dt.date, Decimal, SourceRef]]] = {}
    for c, inv, day, amount, f, sh, row in invoices.iter_rows():
        per_customer.setdefault(c, []).append((inv, day, amount, SourceRef(file=f, sheet=sh, row=row)))
    # payments naming an invoice that is not in the sales join the pool
    known = {(c, i) for c, items in per_customer.items() for i, *_ in items}
    for (c, i), (p, d) in specific.items():
        if (c, i) not in known:
            pools.setdefault(c, []).append((d, p))

    edges = bucket_edges(list(settings.aging_buckets))
    out: dict[str, Receivables] = {}
    for c in sorted(set(per_customer) | set(pools)):
        out[c] = _customer(c, per_customer.get(c, []), specific, sorted(pools.get(c, [])), terms.get(c, CreditTerms()),
                           settings, as_of, edges, rev90.get(c), paid_total.get(c, ZERO))
    return out


def _customer(
    customer: str,
    invoices: list[tuple[str, dt.date, Decimal, SourceRef]],
    specific: Mapping[tuple[str, str], tuple[Decimal, dt.date]],
    pool_payments: list[tuple[dt.date, Decimal]],
    terms: CreditTerms,
    settings: CreditSettings,
    as_of: dt.date,
    edges: list[tuple[str, int | None, int | None]],
    rev90: Decimal | None,
    paid: Decimal,
) -> Receivables:
    term = dt.timedelta(days=terms.term_days)
    tolerance = settings.tolerance_days
    # pool: unapplied payments (dated) plus credit notes and overpayments (available at once)
    pool_events: list[tuple[dt.date, Decimal]] = list(pool_payments)
    rows: list[list[object]] = []  # invoice, date, due, amount, remaining, cleared_on, source
    for inv, day, amount, src in invoices:
        if amount <= 0:
            pool_events.append((day, -amount))
            continue
        paid_here, paid_on = specific.get((customer, inv), (ZERO, None))
        remaining = amount - paid_here
        if remaining < 0:
            pool_events.append((paid_on or day, -remaining))
            remaining = ZERO
        rows.append([inv, day, day + term, amount, remaining, paid_on if remaining == 0 else None, src])
    # FIFO: the pool pays the oldest open invoices first, in the order money arrived
    pool_events.sort(key=lambda e: e[0])
    k = 0
    for event_day, money in pool_events:
        while money > 0 and k < len(rows):
            row = rows[k]
            rem = row[4]
            assert isinstance(rem, Decimal)
            if rem <= 0:
                k += 1
                continue
            take = min(rem, money)
            row[4] = rem - take
            money -= take
            if row[4] == 0:
                row[5] = max(event_day, row[1])  # type: ignore[type-var]
                k += 1
        if money > 0:
            break
    credit_balance = _leftover(rows, pool_events, specific, customer)

    buckets = [ZERO] * len(edges)
    open_invoices: list[OpenInvoice] = []
    outstanding = overdue = ZERO
    max_days = 0
    late = 0
    year_ago = as_of - dt.timedelta(days=365)
    for inv, day, due, amount, remaining, cleared_on, src in rows:
        assert isinstance(due, dt.date) and isinstance(remaining, Decimal) and isinstance(amount, Decimal)
        days = max(0, (as_of - due).days)
        if remaining > 0:
            outstanding += remaining
            buckets[_bucket(days, edges)] += remaining
            if days > 0:
                overdue += remaining
                max_days = max(max_days, days)
            open_invoices.append(OpenInvoice(invoice=str(inv), date=day, due=due, amount=amount, outstanding=remaining,  # type: ignore[arg-type]
                                             days_past_due=days, source=src))  # type: ignore[arg-type]
        if due > year_ago and due <= as_of:
            paid_late = isinstance(cleared_on, dt.date) and (cleared_on - due).days > tolerance
            still_late = remaining > 0 and days > tolerance
            late += paid_late or still_late
    reasons: list[HoldReason] = []
    if max_days > tolerance:
        reasons.append("overdue")
    if outstanding > terms.limit:
        reasons.append("over_limit")
    if terms.blacklisted:
        reasons.append("blacklisted")
    invoiced = sum((r[3] for r in rows), ZERO) + sum((a for _, _, a, _ in invoices if a <= 0), ZERO)  # type: ignore[misc]
    return Receivables(
        as_of=as_of,
        term_days=terms.term_days,
        limit=terms.limit,
        invoiced=invoiced,
        paid=paid,
        outstanding=outstanding,
        credit_balance=credit_balance,
        overdue=overdue,
        max_days_past_due=max_days,
        buckets=tuple(AgingBucket(label=label, min_days=low, max_days=high, amount=buckets[i])
                      for i, (label, low, high) in enumerate(edges)),
        dso=(outstanding / rev90 * 90).quantize(Decimal("0.1")) if rev90 else None,
        limit_use=(outstanding / terms.limit).quantize(Decimal("0.0001")) if terms.limit > 0 else None,
        on_hold=bool(reasons),
        hold_reasons=tuple(reasons),
        late_invoices_12m=late,
        blacklist_proposed=late >= settings.blacklist_after_overdue and not terms.blacklisted,
        open_invoices=tuple(open_invoices),
    )


def _leftover(rows: list[list[object]], pool_events: list[tuple[dt.date, Decimal]],
              specific: Mapping[tuple[str, str], tuple[Decimal, dt.date]], customer: str) -> Decimal:
    """Pool money not used by any invoice: the customer's credit balance."""
    pool = sum((m for _, m in pool_events), ZERO)
    used = ZERO
    for r in rows:
        amount, remaining = r[3], r[4]
        assert isinstance(amount, Decimal) and isinstance(remaining, Decimal)
        paid_here = specific.get((customer, str(r[0])), (ZERO, None))[0]
        used += amount - min(paid_here, amount) - remaining
    return max(ZERO, pool - used)
