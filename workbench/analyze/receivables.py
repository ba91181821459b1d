"""Receivables, aging and credit control (DOMAIN.md).

Each invoice (the sum of its sales lines, returns included) is due ``term_days`` after its
date. Payments up to the as-of date apply to the invoice they name; what they pay beyond
that invoice, and payments naming no (or an unknown) invoice, form the customer's
unapplied pool, which pays the oldest open invoices first (FIFO). Negative invoices
(credit notes) add to the pool too. Money left after every invoice is paid is the credit
balance. Outstanding amounts fall in aging buckets by days past due; a customer is on hold
when any amount is more than ``tolerance_days`` past due, when the outstanding balance
exceeds the limit, or when it is blacklisted.

Everything runs in polars for all customers at once, in integer cents. FIFO has a closed
form: with invoices oldest first, `reach` the running total of what is open on them after
their own payments, and `pool` the customer's unapplied money, an invoice keeps
``min(open, max(0, reach − pool))``. The day an invoice was cleared by the pool (for late
payment counts) is the first day the pool's running total reached its `reach`. A refund out
of the pool (a negative unapplied payment) takes money back: the newest invoices the pool
had paid are open again, so outstanding − credit balance = invoiced − paid always holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

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

OPEN_LISTED = 20  # open invoices listed per customer, oldest first; the count covers all


def bucket_edges(edges: list[int]) -> list[tuple[str, int | None, int | None]]:
    """(label, min days past due, max days) of every bucket: not due, 1–30, …, 90+."""
    out: list[tuple[str, int | None, int | None]] = [("not_due", None, None)]
    low = 1
    for edge in edges:
        out.append((f"{low}-{edge}", low, edge))
        low = edge + 1
    out.append((f"{edges[-1]}+", low, None))
    return out


def invoice_totals(
    values: pl.LazyFrame, as_of: dt.date, periods: Mapping[str, tuple[dt.date, dt.date]] | None = None
) -> pl.LazyFrame:
    """One row per customer and invoice of the sales up to `as_of`: the first line's date,
    the total in integer ``cents`` (Σ of the exact line values of
    ``workbench.analyze.sales.line_values``, returns included, rounded half up once per
    invoice as revenue is), the first line's index in the sales sheet, and for each named
    period ``in_<name>``: whether a line of it falls inside. `values` must be the line
    values of the whole sales sheet, unfiltered, so that the indices are the sheet's."""
    import polars as pl

    from workbench.analyze.sales import cents

    return (
        values.with_row_index("line")
        .filter(pl.col("date") <= as_of)
        .group_by("customer", "invoice")
        .agg(
            pl.col("date").min(),
            cents(pl.col("rev").sum()).alias("cents"),
            pl.col("line").min(),
            *(pl.col("date").is_between(s, e).any().alias(f"in_{name}") for name, (s, e) in (periods or {}).items()),
        )
    )


def age_receivables(
    sales: pl.DataFrame,
    payments: pl.DataFrame,
    terms: Mapping[str, CreditTerms],
    settings: CreditSettings,
    as_of: dt.date,
    *,
    invoices: pl.DataFrame | None = None,
    values: pl.LazyFrame | None = None,
) -> dict[str, Receivables]:
    """Receivables of every customer with an invoice or a payment up to `as_of`.
    `values` is ``line_values(sales)`` and `invoices` ``invoice_totals(values, as_of)``
    when the caller has them already.

    Money is in integer cents throughout; DSO and limit use are rounded half up (DSO to
    0.1 day, limit use to 0.0001)."""
    import polars as pl

    from workbench.analyze.sales import cents, divide, line_values

    if values is None:
        values = line_values(sales)
    pay_cents = pl.col("amount").cast(pl.Decimal(38, 2)).mul(100).cast(pl.Int64)
    term_frame = pl.DataFrame(
        {"customer": list(terms), "term_days": [t.term_days for t in terms.values()]},
        schema={"customer": pl.String, "term_days": pl.Int32},
    ).lazy()
    pays = payments.lazy().filter(pl.col("date") <= as_of).with_columns(pay_cents.alias("cents"))
    specific = (
        pays.filter(pl.col("invoice").is_not_null())
        .group_by("customer", "invoice")
        .agg(pl.col("cents").sum().alias("paid_here"), pl.col("date").max().alias("paid_on"))
        .collect()
        .lazy()
    )
    oldest_first = ["date", "invoice"]
    invoice_query = (
        (invoice_totals(values, as_of) if invoices is None else invoices.lazy())
        .join(specific, on=["customer", "invoice"], how="left")
        .join(term_frame, on="customer", how="left")
        .with_columns(
            pl.col("paid_here").fill_null(0),
            (pl.col("date") + pl.duration(days=pl.col("term_days").fill_null(0))).alias("due"),
        )
        .with_columns((pl.col("cents") - pl.col("paid_here")).alias("net"))
        .with_columns(
            pl.when(pl.col("cents") > 0).then(pl.col("net").clip(lower_bound=0)).otherwise(0).alias("before"),
            # credit notes, and what a payment paid beyond its invoice, join the unapplied pool
            pl.when(pl.col("cents") <= 0)
            .then(-pl.col("net"))
            .when(pl.col("net") < 0)
            .then(-pl.col("net"))
            .otherwise(0)
            .alias("to_pool"),
        )
        .with_columns(pl.col("before").cum_sum().over("customer", order_by=oldest_first).alias("reach"))
    )
    trailing = (
        values.filter((pl.col("date") <= as_of) & (pl.col("date") > as_of - dt.timedelta(days=90)))
        .group_by("customer")
        .agg(cents(pl.col("rev").sum()).alias("rev90"))
    )
    invoices, trailing_revenue, paid_total = pl.collect_all(
        [invoice_query, trailing, pays.group_by("customer").agg(pl.col("cents").sum().alias("paid"))]
    )
    # the unapplied pool: payments naming no invoice or an unknown one, credit notes, overpayments
    pool = (
        pl.concat(
            [
                pays.filter(pl.col("invoice").is_null()).select("customer", "date", pl.col("cents").alias("money")),
                specific.join(
                    invoices.lazy().select("customer", "invoice"), on=["customer", "invoice"], how="anti"
                ).select("customer", pl.col("paid_on").alias("date"), pl.col("paid_here").alias("money")),
                invoices.lazy()
                .filter(pl.col("to_pool") != 0)
                .select(
                    "customer",
                    pl.when(pl.col("cents") > 0)
                    .then(pl.col("paid_on").fill_null(pl.col("date")))
                    .otherwise(pl.col("date"))
                    .alias("date"),
                    pl.col("to_pool").alias("money"),
                ),
            ]
        )
        .sort("customer", "date")
        # the first day the running total reached a level (a later refund does not move that day)
        .with_columns(pl.col("money").cum_sum().over("customer").cum_max().over("customer").alias("running"))
        .collect()
    )
    pool_total = pool.group_by("customer").agg(pl.col("money").sum().alias("pool"))
    tolerance = settings.tolerance_days
    year_ago = as_of - dt.timedelta(days=365)
    edges = bucket_edges(list(settings.aging_buckets))
    # FIFO in closed form: invoice i (oldest first) is paid by the pool while the pool covers
    # everything open up to and including it; it was cleared on the day the pool's running
    # total first reached its `reach` (an as-of join, sorted by the integer levels alone)
    in_window = (pl.col("due") > year_ago) & (pl.col("due") <= as_of)
    aged = (
        invoices.lazy()
        .join(pool_total.lazy(), on="customer", how="left")
        .with_columns(pl.col("pool").fill_null(0).clip(lower_bound=0).alias("pool"))
        .with_columns(
            pl.min_horizontal(pl.col("before"), (pl.col("reach") - pl.col("pool")).clip(lower_bound=0)).alias("left"),
            (pl.lit(as_of) - pl.col("due")).dt.total_days().clip(lower_bound=0).alias("days"),
        )
        .with_columns(pl.col("left").gt(0).alias("open"))
        .with_columns(_bucket_index(edges).alias("bucket"))
        .collect()
    )
    # invoices the pool cleared within the 12 months' window: was the pool late? It cleared
    # one on the day its running total first reached the invoice's `reach` (an as-of join on
    # the integer levels, sorted by level alone)
    late_by_pool = (
        aged.lazy()
        .filter((pl.col("before") > 0) & (pl.col("left") == 0) & in_window)
        .select("customer", "date", "due", "reach")
        .sort("reach")
        .join_asof(
            pool.lazy()
            .select("customer", pl.col("running").alias("reach"), pl.col("date").alias("pool_day"))
            .sort("reach"),
            on="reach",
            by="customer",
            strategy="forward",
            check_sortedness=False,
        )
        .group_by("customer")
        .agg(((pl.max_horizontal("date", "pool_day") - pl.col("due")).dt.total_days() > tolerance).sum().alias("late"))
        .collect()
    )
    positive = pl.col("cents") > 0
    open_ = positive & pl.col("open")
    paid_late = (
        (pl.col("before") == 0)
        & (pl.col("paid_here") > 0)
        & ((pl.col("paid_on") - pl.col("due")).dt.total_days() > tolerance)
    )
    late = positive & in_window & (paid_late | (pl.col("open") & (pl.col("days") > tolerance)))
    summary = (
        aged.lazy()
        .group_by("customer")
        .agg(
            pl.col("cents").sum().alias("invoiced"),
            pl.col("left").sum().alias("outstanding"),
            pl.col("before").sum().alias("before"),
            pl.col("left").filter(pl.col("days") > 0).sum().alias("overdue"),
            pl.col("days").filter(open_).max().fill_null(0).alias("max_days"),
            late.sum().alias("late"),
            open_.sum().alias("open_count"),
            *(pl.col("left").filter(pl.col("bucket") == i).sum().alias(f"b{i}") for i in range(len(edges))),
        )
        .collect()
    )
    listed = (
        aged.lazy()
        .filter(open_)
        .filter(pl.int_range(pl.len()).over("customer", order_by=oldest_first) < OPEN_LISTED)
        .sort("customer", *oldest_first)
        .collect()
    )
    sources = sales.select("src_file", "src_sheet", "src_row")[listed["line"]]
    pool_by = dict(pool_total.iter_rows())
    late_pool = dict(late_by_pool.iter_rows())
    rev90 = dict(trailing_revenue.iter_rows())
    paid = dict(paid_total.iter_rows())
    open_by: dict[str, list[OpenInvoice]] = {}
    for (c, inv, day, due, amount, left, dd), (f, sh, row) in zip(
        listed.select("customer", "invoice", "date", "due", "cents", "left", "days").iter_rows(),
        sources.iter_rows(),
        strict=True,
    ):
        open_by.setdefault(c, []).append(
            OpenInvoice(
                invoice=str(inv),
                date=day,
                due=due,
                amount=_money(amount),
                outstanding=_money(left),
                days_past_due=dd,
                source=SourceRef(file=f, sheet=sh, row=row),
            )
        )
    rows = {r["customer"]: r for r in summary.iter_rows(named=True)}
    out: dict[str, Receivables] = {}
    for c in sorted(set(rows) | set(pool_by)):
        r = rows.get(c)
        term = terms.get(c, CreditTerms())
        left = int(r["outstanding"]) if r else 0
        outstanding = _money(left)
        before = r["before"] if r else 0
        reasons: list[HoldReason] = []
        if r and r["max_days"] > tolerance:
            reasons.append("overdue")
        if outstanding > term.limit:
            reasons.append("over_limit")
        if term.blacklisted:
            reasons.append("blacklisted")
        late_count = int(r["late"]) if r else 0
        r90 = rev90.get(c)
        late_count += late_pool.get(c, 0)
        out[c] = Receivables(
            as_of=as_of,
            term_days=term.term_days,
            limit=term.limit,
            invoiced=_money(r["invoiced"] if r else 0),
            paid=_money(paid.get(c, 0)),
            outstanding=outstanding,
            credit_balance=_money(max(0, pool_by.get(c, 0) - before)),
            overdue=_money(r["overdue"] if r else 0),
            max_days_past_due=int(r["max_days"]) if r else 0,
            buckets=tuple(
                AgingBucket(label=label, min_days=low, max_days=high, amount=_money(r[f"b{i}"] if r else 0))
                for i, (label, low, high) in enumerate(edges)
            ),
            dso=divide(left * 90, r90, 1) if r90 and r90 > 0 else None,
            limit_use=divide(left, _cents_of(term.limit), 4) if term.limit > 0 else None,
            on_hold=bool(reasons),
            hold_reasons=tuple(reasons),
            late_invoices_12m=late_count,
            blacklist_proposed=late_count >= settings.blacklist_after_overdue and not term.blacklisted,
            open_invoice_count=int(r["open_count"]) if r else 0,
            open_invoices=tuple(open_by.get(c, ())),
        )
    return out


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def _cents_of(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _bucket_index(edges: list[tuple[str, int | None, int | None]]) -> pl.Expr:
    """Index of the aging bucket of `days` past due: 0 while not yet due."""
    import polars as pl

    expr: Any = pl.when(pl.col("days") <= 0).then(0)
    for i, (_, _, high) in enumerate(edges[1:-1], start=1):
        expr = expr.when(pl.col("days") <= high).then(i)
    return expr.otherwise(len(edges) - 1)
