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
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from workbench.analyze.facts import (
    CreditTerms,
    HoldReason,
    OpenInvoice,
    Receivables,
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


def order_oldest_first(invoices: pl.DataFrame) -> pl.DataFrame:
    """`invoices` (``customer``, ``invoice``, ``date``, …) grouped by customer (``cid``, an
    integer per customer, ascending), oldest first within each: by date, then invoice
    number (see ``workbench.analyze.keys.oldest_first``)."""
    import polars as pl

    from workbench.analyze.keys import oldest_first, text_ids

    rows = invoices.with_columns(text_ids("customer").alias("cid"), pl.int_range(pl.len(), dtype=pl.Int64).alias("pos"))
    return oldest_first(rows, invoices["invoice"]).drop("pos")


@dataclass(frozen=True)
class PaymentTotals:
    """The payments up to the as-of date, summed: per customer and invoice named
    (``specific``: paid_here, paid_on, key), per customer (``paid``) and those naming no
    invoice (``unapplied``: customer, date, money) — all that the receivables need of the
    payments sheet, and nothing of the sales."""

    specific: pl.DataFrame
    paid: pl.DataFrame
    unapplied: pl.DataFrame


def payment_totals(payments: pl.DataFrame, as_of: dt.date) -> PaymentTotals:
    import polars as pl

    from workbench.analyze.keys import pair_key

    pay_cents = pl.col("amount").cast(pl.Decimal(38, 2)).mul(100).cast(pl.Int64)
    pays = payments.lazy().filter(pl.col("date") <= as_of).with_columns(pay_cents.alias("cents"))
    specific, paid, unapplied = pl.collect_all(
        [
            pays.filter(pl.col("invoice").is_not_null())
            .group_by("customer", "invoice")
            .agg(pl.col("cents").sum().alias("paid_here"), pl.col("date").max().alias("paid_on"))
            .with_columns(pair_key().alias("key")),
            pays.group_by("customer").agg(pl.col("cents").sum().alias("paid")),
            pays.filter(pl.col("invoice").is_null()).select("customer", "date", pl.col("cents").alias("money")),
        ]
    )
    return PaymentTotals(specific, paid, unapplied)


def age_receivables(
    sales: pl.DataFrame,
    payments: pl.DataFrame,
    terms: Mapping[str, CreditTerms],
    settings: CreditSettings,
    as_of: dt.date,
    *,
    invoices: pl.DataFrame | None = None,
    trailing: pl.DataFrame | None = None,
    paid: PaymentTotals | None = None,
) -> dict[str, Receivables]:
    """Receivables of every customer with an invoice or a payment up to `as_of`.
    `invoices` (``workbench.analyze.passes``: one row per customer × invoice up to
    `as_of`), `trailing` (``customer``, ``rev90``: cents of the 90 days to `as_of`) and
    `paid` (``payment_totals``) are computed from `sales` and `payments` unless the caller
    has them already.

    Money is in integer cents throughout; DSO and limit use are rounded half up (DSO to
    0.1 day, limit use to 0.0001). Customers are integer ids (``cid``) and invoices row
    positions (``pos``) until the end: texts are looked up only for what is shown."""
    import polars as pl

    from workbench.analyze.keys import (
        customer_ids,
        customer_names,
        match_pairs,
        oldest_first,
        pair_key,
        segmented_cum_sum,
    )
    from workbench.analyze.sales import cents, divide

    if invoices is None or trailing is None:
        from workbench.analyze.passes import sales_pass

        recent = as_of - dt.timedelta(days=89)
        sp = sales_pass(sales, recent, as_of, {"d90": (recent, as_of)})
        invoices = sp.invoices
        trailing = sp.cells.group_by("customer").agg(cents(pl.col("rev").sum()).alias("rev90"))
    if paid is None:
        paid = payment_totals(payments, as_of)
    names = customer_names(invoices["customer"], paid.paid["customer"], pl.Series(list(terms), dtype=pl.String))
    cid = customer_ids(names).alias("cid")
    term_frame = pl.DataFrame(
        {"customer": list(terms), "term_days": [t.term_days for t in terms.values()]},
        schema={"customer": pl.String, "term_days": pl.Int32},
    ).select(cid, "term_days")
    specific = paid.specific.with_columns(cid)
    unapplied = paid.unapplied.with_columns(cid)
    paid_total = paid.paid
    tolerance = settings.tolerance_days
    year_ago = as_of - dt.timedelta(days=365)
    edges = bucket_edges(list(settings.aging_buckets))
    in_window = (pl.col("due") > year_ago) & (pl.col("due") <= as_of)
    positive = pl.col("cents") > 0
    # every invoice with what was paid on it
    texts = invoices.select("customer", "invoice", invoices["key"] if "key" in invoices.columns else pair_key())
    paid_on_it, known = match_pairs(texts, specific)
    settled = (
        invoices.lazy()
        .select(
            cid,
            pl.int_range(pl.len(), dtype=pl.Int64).alias("pos"),
            "date",
            "cents",
            "line",
            specific["paid_here"].gather(paid_on_it).fill_null(0).alias("paid_here"),
            specific["paid_on"].gather(paid_on_it).alias("paid_on"),
        )
        .join(term_frame.lazy(), on="cid", how="left", maintain_order="left")
        .with_columns((pl.col("date") + pl.duration(days=pl.col("term_days").fill_null(0))).alias("due"))
        .with_columns((pl.col("cents") - pl.col("paid_here")).alias("net"))
        .with_columns(
            pl.when(positive).then(pl.col("net").clip(lower_bound=0)).otherwise(0).alias("before"),
            # credit notes, and what a payment paid beyond its invoice, join the unapplied pool
            pl.when(pl.col("cents") <= 0)
            .then(-pl.col("net"))
            .when(pl.col("net") < 0)
            .then(-pl.col("net"))
            .otherwise(0)
            .alias("to_pool"),
        )
        .drop("term_days")
        .collect()
    )
    # the unapplied pool: payments naming no invoice or an unknown one, credit notes,
    # overpayments; the first day its running total reached a level (a later refund does
    # not move that day)
    pool_rows = pl.concat(
        [
            unapplied.select("cid", "date", "money"),
            specific.filter(~known).select("cid", pl.col("paid_on").alias("date"), pl.col("paid_here").alias("money")),
            settled.filter(pl.col("to_pool") != 0).select(
                "cid",
                pl.when(positive)
                .then(pl.col("paid_on").fill_null(pl.col("date")))
                .otherwise(pl.col("date"))
                .alias("date"),
                pl.col("to_pool").alias("money"),
            ),
        ]
    )
    pool = pool_rows[pool_rows.select(pl.arg_sort_by("cid", "date", maintain_order=True)).to_series()].with_columns(
        pl.col("money").cum_sum().over("cid").cum_max().over("cid").alias("running")
    )
    pool_total = pool.group_by("cid").agg(pl.col("money").sum().alias("pool"))
    # FIFO in closed form, on the invoices still open after their own payments (the others
    # have nothing the pool could pay): oldest first, invoice i is paid by the pool while
    # the pool covers everything open up to and including it (`reach`)
    first_of_customer = pl.col("cid").ne_missing(pl.col("cid").shift())
    aged = (
        oldest_first(
            settled.filter(pl.col("before") > 0).select("cid", "pos", "date", "due", "cents", "line", "before"),
            invoices["invoice"],
        )
        .lazy()
        .join(pool_total.lazy(), on="cid", how="left", maintain_order="left")
        .with_columns(
            segmented_cum_sum(pl.col("before"), first_of_customer).alias("reach"),
            pl.col("pool").fill_null(0).clip(lower_bound=0),
            (pl.lit(as_of) - pl.col("due")).dt.total_days().clip(lower_bound=0).alias("days"),
        )
        .with_columns(
            pl.min_horizontal(pl.col("before"), (pl.col("reach") - pl.col("pool")).clip(lower_bound=0)).alias("left")
        )
        .with_columns(pl.col("left").gt(0).alias("open"), _bucket_index(edges).alias("bucket"))
        .collect()
    )
    # invoices the pool cleared within the 12 months' window: was the pool late? It cleared
    # one on the day its running total first reached the invoice's `reach` (an as-of join on
    # the integer levels, sorted by level alone; the earliest day among equal levels)
    late_by_pool = (
        aged.lazy()
        .filter((pl.col("left") == 0) & in_window)
        .select("cid", "date", "due", "reach")
        .sort("reach")
        .join_asof(
            pool.lazy()
            .select("cid", pl.col("running").alias("reach"), pl.col("date").alias("pool_day"))
            .sort("reach", maintain_order=True),
            on="reach",
            by="cid",
            strategy="forward",
            check_sortedness=False,
        )
        .group_by("cid")
        .agg(((pl.max_horizontal("date", "pool_day") - pl.col("due")).dt.total_days() > tolerance).sum().alias("late"))
    )
    # paid in full by their own payments, but late (`before` 0: none of them is in `aged`)
    paid_late = (
        positive
        & in_window
        & (pl.col("before") == 0)
        & (pl.col("paid_here") > 0)
        & ((pl.col("paid_on") - pl.col("due")).dt.total_days() > tolerance)
    )
    invoiced_q = (
        settled.lazy()
        .group_by("cid")
        .agg(
            pl.col("cents").sum().alias("invoiced"),
            paid_late.sum().alias("paid_late"),
        )
    )
    open_q = (
        aged.lazy()
        .group_by("cid")
        .agg(
            pl.col("left").sum().alias("outstanding"),
            pl.col("before").sum().alias("before"),
            pl.col("left").filter(pl.col("days") > 0).sum().alias("overdue"),
            pl.col("days").filter(pl.col("open")).max().fill_null(0).alias("max_days"),
            (in_window & pl.col("open") & (pl.col("days") > tolerance)).sum().alias("late"),
            pl.col("open").sum().alias("open_count"),
            *(pl.col("left").filter(pl.col("bucket") == i).sum().alias(f"b{i}") for i in range(len(edges))),
        )
    )
    # the oldest open invoices of each customer (already in order)
    listed_q = (
        aged.lazy()
        .filter(pl.col("open"))
        .filter(segmented_cum_sum(pl.repeat(1, pl.len(), dtype=pl.Int64), first_of_customer) <= OPEN_LISTED)
        .select("cid", "pos", "date", "due", "cents", "left", "days", "line")
    )
    invoiced, still_open, listed, late_pool_frame = pl.collect_all([invoiced_q, open_q, listed_q, late_by_pool])
    summary = (
        invoiced.join(still_open, on="cid", how="left")
        .with_columns(
            names.gather(invoiced["cid"]).alias("customer"),
            pl.col(
                "outstanding",
                "before",
                "overdue",
                "max_days",
                "late",
                "open_count",
                *(f"b{i}" for i in range(len(edges))),
            ).fill_null(0),
        )
        .with_columns(pl.col("late") + pl.col("paid_late"))
    )
    customer_of = dict(enumerate(names.to_list()))
    sources = sales.select("src_file", "src_sheet", "src_row")[listed["line"]]
    pool_by = {customer_of[cid]: money for cid, money in pool_total.iter_rows()}
    late_pool = {customer_of[cid]: n for cid, n in late_pool_frame.iter_rows()}
    rev90 = dict(trailing.select("customer", "rev90").iter_rows())
    paid_by = dict(paid_total.iter_rows())
    make_open = OpenInvoice.from_fields()
    open_by: dict[str, list[OpenInvoice]] = {}
    for cid, inv, day, due, amount, left, dd, f, sh, row in zip(
        listed["cid"].to_list(),
        invoices["invoice"].gather(listed["pos"]).to_list(),
        *(listed[col].to_list() for col in ("date", "due", "cents", "left", "days")),
        *(sources[col].to_list() for col in ("src_file", "src_sheet", "src_row")),
        strict=True,
    ):
        open_by.setdefault(customer_of[cid], []).append(
            make_open(
                {
                    "invoice": inv,
                    "date": day,
                    "due": due,
                    "amount": _money(amount),
                    "outstanding": _money(left),
                    "days_past_due": dd,
                    "source": {"file": f, "sheet": sh, "row": row},
                }
            )
        )
    rows = {r["customer"]: r for r in summary.iter_rows(named=True)}
    make = Receivables.from_fields()
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
        out[c] = make(
            {
                "as_of": as_of,
                "term_days": term.term_days,
                "limit": term.limit,
                "invoiced": _money(r["invoiced"] if r else 0),
                "paid": _money(paid_by.get(c, 0)),
                "outstanding": outstanding,
                "credit_balance": _money(max(0, pool_by.get(c, 0) - before)),
                "overdue": _money(r["overdue"] if r else 0),
                "max_days_past_due": int(r["max_days"]) if r else 0,
                "buckets": [
                    {"label": label, "min_days": low, "max_days": high, "amount": _money(r[f"b{i}"] if r else 0)}
                    for i, (label, low, high) in enumerate(edges)
                ],
                "dso": divide(left * 90, r90, 1) if r90 and r90 > 0 else None,
                "limit_use": divide(left, _cents_of(term.limit), 4) if term.limit > 0 else None,
                "on_hold": bool(reasons),
                "hold_reasons": tuple(reasons),
                "late_invoices_12m": late_count,
                "blacklist_proposed": late_count >= settings.blacklist_after_overdue and not term.blacklisted,
                "open_invoice_count": int(r["open_count"]) if r else 0,
                "open_invoices": tuple(open_by.get(c, ())),
            }
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
