"""The columnar passes over the sales lines: two, for every customer at once.

* **cells** — the lines dated from a horizon to the as-of date, summed per customer,
  month, period membership (``flags``: bit *k* is set when the line's date lies in the
  *k*-th named period) and product line; the lines of one period (``detail``) also per
  customer, month, delivery region and order taker. Period figures, months, product
  lines, regions, activity and the trailing revenue of the receivables are small
  group_bys of these (some ten thousand rows for a million lines) instead of passes of
  their own over the lines.
* **invoices** — one row per customer × invoice of the lines up to the as-of date: the
  first line's date, the total in integer ``cents`` (the exact sum of the line values,
  rounded half up once per invoice as revenue is), the first line's index in the sales
  sheet (``line``) and ``in_<name>``: whether a line of it falls in the named period.

Money stays exact: a line's value is quantity (scale 4) × unit price (scale 4), an
integer at scale 8 (``workbench.analyze.sales.LINE_SCALE``). It is an Int64 when the
ledger's total absolute value leaves room for any sum of line values (below 2^62 at
scale 8, some 46 billion currency units), else an Int128 — the same integers either way.

Invoices come from runs rather than from hashing a million (customer, invoice) strings:
an export lists an invoice's lines together, so the rows where the customer or the
invoice changes cut the sheet into runs, each summed in order. When no two runs share the
hash of their (customer, invoice), no two runs are the same invoice (equal texts hash
equally), so the runs are the invoices; runs that do share one (an invoice listed in two
places, or a hash collision) are grouped again by their exact texts. Either way the result
is exactly that of grouping the lines by customer and invoice.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import polars as pl

ROOM = 2**62  # bound of Σ|line value| (scale 8) under which Int64 holds every sum
CELL_KEYS = ("customer", "ym", "flags", "product_line")
DETAIL_KEYS = ("customer", "ym", "region", "salesperson")
MAX_CALENDAR_DAYS = 36_600  # months looked up in a day table up to a century of dates
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class SalesPass:
    lines: (
        pl.DataFrame
    )  # line, date, customer, invoice, salesperson, product_line, region, rev, cost, ret, ym, flags (≤ as-of)
    cells: pl.DataFrame  # CELL_KEYS + rev, cost, ret, lines (horizon .. as-of)
    detail: pl.DataFrame | None  # DETAIL_KEYS + rev, the lines of the `detail` period
    invoices: pl.DataFrame  # customer, invoice, date, cents, line, in_<name> (≤ as-of)
    names: tuple[str, ...]  # the periods of the flag bits, in bit order

    def bit(self, name: str) -> pl.Expr:
        """Cells (or lines) of period `name`."""
        import polars as pl

        return (pl.col("flags") & (1 << self.names.index(name))) != 0


@functools.cache
def _physical_is_scaled() -> bool:
    """Whether a Decimal column's physical values are its scaled integers (Int128), as in
    every polars the project supports; otherwise the slower arithmetic is used."""
    from decimal import Decimal

    import polars as pl

    try:
        phys = pl.Series([Decimal("-1.5")], dtype=pl.Decimal(38, 4)).to_physical()
        return phys.dtype == pl.Int128 and phys.to_list() == [-15000]
    except Exception:  # pragma: no cover - a polars without it
        return False


def scaled(frame: pl.DataFrame | pl.LazyFrame, col: str) -> pl.Expr:
    """A Decimal column as an Int128 integer at scale 4 (quantities and prices)."""
    import polars as pl

    dtype = frame.collect_schema()[col]
    if isinstance(dtype, pl.Decimal) and dtype.scale == 4 and _physical_is_scaled():
        return pl.col(col).to_physical()
    return (pl.col(col) * 10_000).cast(pl.Int64).cast(pl.Int128)


def value_exprs(sales: pl.DataFrame | pl.LazyFrame) -> tuple[pl.Expr, pl.Expr]:
    """(rev, cost) of each line, exact integers at scale 8: Int64 when every factor is
    below 2^31 and the sheet's total absolute value below ``ROOM``, else (and for a lazy
    frame, whose values are not looked at) Int128."""
    import polars as pl

    q, p, c = (scaled(sales, col) for col in ("quantity", "unit_price", "unit_cost"))
    narrow = isinstance(sales, pl.DataFrame) and _fits_int64(sales.lazy().select(_room_checks(sales)).collect())
    if narrow:
        q, p, c = (x.cast(pl.Int64) for x in (q, p, c))
    return (q * p).alias("rev"), (q * c).alias("cost")


def _room_checks(sales: pl.DataFrame | pl.LazyFrame) -> list[pl.Expr]:
    """The bounds ``_fits_int64`` judges: the factors' extremes and, with every factor
    below 2^31 (each product then exact in Int64), the absolute sums of the products in
    floats (they only bound the integers, with an error far inside the factor 2 to 2^63)."""
    import polars as pl

    q, p, c = (scaled(sales, col) for col in ("quantity", "unit_price", "unit_cost"))
    q64, p64, c64 = (x.cast(pl.Int64, strict=False) for x in (q, p, c))
    return [
        pl.min_horizontal(x.min() for x in (q, p, c)).alias("lo"),
        pl.max_horizontal(x.max() for x in (q, p, c)).alias("hi"),
        (q64 * p64).abs().cast(pl.Float64).sum().alias("rev"),
        (q64 * c64).abs().cast(pl.Float64).sum().alias("cost"),
    ]


def _fits_int64(checks: pl.DataFrame) -> bool:
    limit = 2**31
    lo, hi, rev, cost = checks.row(0)
    return lo is None or (-limit < lo and hi < limit and rev < ROOM and cost < ROOM)


def month_keys(dates: pl.Series) -> pl.Expr:
    """``ym`` (year × 100 + month) of the ``date`` column: one lookup in a table of the
    days `dates` span (a calendar computation per day, not per line)."""
    import polars as pl

    ym = pl.col("date").dt.year().cast(pl.Int32) * 100 + pl.col("date").dt.month().cast(pl.Int32)
    if not dates.len() or dates.null_count():
        return ym
    lo, hi = cast("dt.date", dates.min()), cast("dt.date", dates.max())
    if (hi - lo).days > MAX_CALENDAR_DAYS:
        return ym
    days = pl.DataFrame({"date": pl.date_range(lo, hi, "1d", eager=True)}).select(ym).to_series()
    return pl.lit(days).gather(pl.col("date").to_physical() - (lo - EPOCH).days)


@dataclass(frozen=True)
class SalesLines:
    """The sales lines up to the as-of date with their exact values, month and period
    flags: what both passes start from."""

    lines: pl.DataFrame  # line, date, customer, invoice, salesperson, product_line, region, rev, cost, ret, ym, flags
    names: tuple[str, ...]  # the periods of the flag bits, in bit order

    def bit(self, name: str) -> pl.Expr:
        """Lines (or cells) of period `name`."""
        import polars as pl

        return (pl.col("flags") & (1 << self.names.index(name))) != 0

    def invoices(self) -> pl.DataFrame:
        """One row per customer × invoice: customer, invoice, date (the earliest line's),
        cents, line (the first line's index in the sheet), in_<period> for each flag and
        ``key`` (``workbench.analyze.keys.pair_key``)."""
        import polars as pl

        from workbench.analyze.sales import cents

        runs = _runs(self.lines)
        if runs.height and runs["shared"][0]:
            shared = runs["key"].is_duplicated()
            merged = (
                runs.filter(shared)
                .group_by("customer", "invoice")
                .agg(
                    pl.col("line").min(),
                    pl.col("date").min(),
                    pl.col("rev").sum(),
                    pl.col("flags").bitwise_or(),
                    pl.col("key").first(),
                )
            )
            runs = pl.concat([runs.filter(~shared).drop("shared"), merged.select(runs.drop("shared").columns)])
        return runs.select(
            "customer",
            "invoice",
            "date",
            cents(pl.col("rev")).alias("cents"),
            "line",
            *(((pl.col("flags") & (1 << k)) != 0).alias(f"in_{name}") for k, name in enumerate(self.names)),
            "key",
        )

    def cells(self, horizon: dt.date, detail: str | None = None) -> tuple[pl.DataFrame, pl.DataFrame | None]:
        """The cells of the lines from `horizon` on, and those of period `detail` by
        region and taker (None without `detail`)."""
        import polars as pl

        first = self.lines["date"].min() if self.lines.height else None
        in_window = self.lines.lazy()
        if first is not None and first < horizon:  # type: ignore[operator]
            in_window = in_window.filter(pl.col("date") >= horizon)
        queries = [
            in_window.group_by(*CELL_KEYS).agg(
                pl.col("rev").sum(), pl.col("cost").sum(), pl.col("ret").sum(), pl.len().cast(pl.Int64).alias("lines")
            )
        ]
        if detail is not None:
            queries.append(in_window.filter(self.bit(detail)).group_by(*DETAIL_KEYS).agg(pl.col("rev").sum()))
        found = pl.collect_all(queries)
        return found[0], found[1] if detail is not None else None


def sales_lines(sales: pl.DataFrame, as_of: dt.date, periods: Mapping[str, tuple[dt.date, dt.date]]) -> SalesLines:
    """The lines of `sales` up to `as_of`, with a flag bit per period of `periods` (at
    most 8)."""
    import polars as pl

    flags: pl.Expr = pl.lit(0, dtype=pl.UInt8)
    for k, (start, end) in enumerate(periods.values()):
        flags = flags | pl.when(pl.col("date").is_between(start, end)).then(pl.lit(1 << k, dtype=pl.UInt8)).otherwise(0)
    base = sales.lazy().with_row_index("line")
    last = sales["date"].max() if sales.height else None
    if last is not None and last > as_of:  # type: ignore[operator]
        base = base.filter(pl.col("date") <= as_of)

    def lines_of(rev: pl.Expr, cost: pl.Expr) -> pl.LazyFrame:
        return (
            base.select(
                "line",
                "date",
                "customer",
                "invoice",
                "salesperson",
                "product_line",
                "region",
                rev,
                cost,
                (pl.col("quantity") < 0).alias("is_return"),
                month_keys(sales["date"]).alias("ym"),
                flags.cast(pl.UInt8).alias("flags"),
            )
            .with_columns(pl.when(pl.col("is_return")).then(pl.col("rev")).otherwise(0).alias("ret"))
            .drop("is_return")
        )

    # optimistically in Int64, with the bounds that allow it checked in the same run
    q, p, c = (scaled(sales, col).cast(pl.Int64, strict=False) for col in ("quantity", "unit_price", "unit_cost"))
    lines, checks = pl.collect_all(
        [lines_of((q * p).alias("rev"), (q * c).alias("cost")), base.select(_room_checks(sales))]
    )
    if not _fits_int64(checks):
        q, p, c = (scaled(sales, col) for col in ("quantity", "unit_price", "unit_cost"))
        lines = lines_of((q * p).alias("rev"), (q * c).alias("cost")).collect()
    return SalesLines(lines, tuple(periods))


def sales_pass(
    sales: pl.DataFrame,
    horizon: dt.date,
    as_of: dt.date,
    periods: Mapping[str, tuple[dt.date, dt.date]],
    detail: str | None = None,
) -> SalesPass:
    """Both passes at once: the cells of the lines from `horizon` to `as_of` and the
    invoices of the lines up to `as_of`, with a flag bit per period of `periods` (at most
    8); `detail` names the period whose lines are also summed by delivery region and
    order taker."""
    found = sales_lines(sales, as_of, periods)
    cells, by_detail = found.cells(horizon, detail)
    return SalesPass(lines=found.lines, cells=cells, detail=by_detail, invoices=found.invoices(), names=found.names)


def _runs(lines: pl.DataFrame) -> pl.DataFrame:
    """One row per run of consecutive lines of the same customer and invoice, in sheet
    order: customer, invoice, the first line's index, the earliest date, Σ rev, the union
    of the period flags and ``key`` (``workbench.analyze.keys.pair_key``). When every
    run's lines share one date (the usual case) a run is its first line, with Σ rev the
    difference of running totals — one query, whose ``shared`` column also tells whether
    two runs share a key; else a sorted group_by."""
    import polars as pl

    from workbench.analyze.keys import pair_key

    columns = ["customer", "invoice", "line", "date", "rev", "flags", "key"]
    if not lines.height:
        return lines.with_columns(pair_key().alias("key")).select(columns)
    new = pl.col("customer").ne_missing(pl.col("customer").shift()) | pl.col("invoice").ne_missing(
        pl.col("invoice").shift()
    )
    if lines.schema["rev"] == pl.Int64:
        runs = (
            lines.lazy()
            .with_columns(
                new.alias("new"),
                (pl.col("rev").cum_sum() - pl.col("rev")).alias("before"),
                pl.col("rev").sum().alias("total"),
            )
            .with_columns((pl.col("date").ne_missing(pl.col("date").shift()) & ~pl.col("new")).any().alias("mixed"))
            .filter(pl.col("new"))
            .with_columns(
                (pl.col("before").shift(-1).fill_null(pl.col("total")) - pl.col("before")).alias("rev"),
                pair_key().alias("key"),
            )
            .with_columns((pl.col("key").n_unique() < pl.len()).alias("shared"))
            .collect()
        )
        if not runs["mixed"][0]:
            return runs.select(*columns, "shared")
    marks = lines.select(new.alias("new"))["new"]
    per_run = (
        lines.lazy()
        .select("date", "rev", "flags", marks.cum_sum().alias("run"))
        .group_by("run")
        .agg(pl.col("date").min(), pl.col("rev").sum(), pl.col("flags").bitwise_or())
        .sort("run")
        .collect()
    )
    at_start = lines.select("customer", "invoice", "line").filter(marks)
    runs = at_start.hstack(per_run.select("date", "rev", "flags")).with_columns(pair_key().alias("key"))
    return runs.with_columns((pl.col("key").n_unique() < pl.len()).alias("shared"))
