"""Dealer inventory days (DOMAIN.md): on hand / average daily sell-out over the trailing
window, judged against the band, with the suggested next order.

Each stock report's ``sold`` is the sell-out since the dealer's previous report of the SKU,
so the daily sell-out is a sum of ``sold`` over the days those reports cover, not over a
fixed window: for the latest report L (up to the as-of date) of a dealer × SKU, the
reports counted are those dated in the window ``(L − window_days, L]``; they cover the days
from the report preceding the first counted one to L. The very first report of a SKU has
no predecessor, so what it sold covers an unknown span: when later reports are counted it
is left out (the span then starts on its date); when it is the only report, it is assumed
to cover the window (``span_assumed``). Example: reports on 01-31 (sold 60, the first) and
02-28 (sold 56, on hand 40), window 30: the rate is 56 over 28 days = 2 a day, 20 days of
stock.

Everything runs in polars for all dealers at once, in integers (quantities at scale 4):
daily sell-out to 4 places, days to 1 place, the suggested order to whole units, each
rounded half up. The status compares the days as shown (1 place) with the band.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from workbench.analyze.facts import InventoryLine, InventoryStatus
from workbench.analyze.passes import scaled
from workbench.analyze.sales import Scaled

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import InventorySettings

SCALE = 10_000  # quantities are Decimal(38, 4)


def _round_div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """Int64 num / den (den > 0) rounded half away from zero."""
    import polars as pl

    return pl.when(num >= 0).then((2 * num + den) // (2 * den)).otherwise(-((-2 * num + den) // (2 * den)))


def report_order(reports: pl.DataFrame) -> pl.DataFrame:
    """`reports` with ``g`` (an integer per customer × SKU), grouped by it, each group by
    date then sheet row (stable): one integer sort key when the three fit in 63 bits, else
    a sort on the three columns."""
    import polars as pl

    from workbench.analyze.keys import text_ids

    if not reports.height:
        return reports.with_columns(pl.lit(0, dtype=pl.Int64).alias("g"))
    day = pl.col("date").cast(pl.Int32).cast(pl.Int64)
    keyed = reports.with_columns(text_ids("customer").alias("cid"), text_ids("sku").alias("sid"))
    bounds = keyed.select(
        pl.col("sid").max().alias("sid"),
        pl.col("cid").max().alias("cid"),
        day.min().alias("d0"),
        day.max().alias("d1"),
        pl.col("src_row").min().alias("r0"),
        pl.col("src_row").max().alias("r1"),
    ).row(0, named=True)
    skus, days, rows = bounds["sid"] + 1, bounds["d1"] - bounds["d0"] + 1, bounds["r1"] - bounds["r0"] + 1
    keyed = keyed.with_columns((pl.col("cid") * skus + pl.col("sid")).alias("g")).drop("cid", "sid")
    if (bounds["cid"] + 1) * skus * days * rows < 2**63:
        key = (pl.col("g") * days + day - bounds["d0"]) * rows + pl.col("src_row") - bounds["r0"]
        order = keyed.select(pl.arg_sort_by(key, maintain_order=True))
    else:
        order = keyed.select(pl.arg_sort_by("g", "date", "src_row", maintain_order=True))
    return keyed[order.to_series()]


def assess_inventory(
    inventory: pl.DataFrame, settings: InventorySettings, as_of: dt.date
) -> dict[str, tuple[InventoryLine, ...]]:
    """The latest report (up to `as_of`) of every dealer × SKU, judged against the band
    (see the module docstring for the daily sell-out)."""
    import polars as pl

    window = settings.window_days
    low, high = settings.band_low_days, settings.band_high_days
    keys = ["customer", "sku"]
    as_int = pl.Int64
    # Sorted by date, each report knows the date of the one before it (`prev`). The counted
    # reports that have one cover (prev, date]; together they cover from the earliest such
    # `prev` to the latest report. A first report (no `prev`) adds nothing, unless it is
    # the only report counted: then it is assumed to cover the window.
    found = (
        inventory.lazy()
        .filter(pl.col("date") <= as_of)
        .select(
            *keys,
            "date",
            scaled(inventory, "on_hand").cast(as_int).alias("on_hand_i"),
            scaled(inventory, "sold").cast(as_int).alias("sold"),
            "src_file",
            "src_sheet",
            "src_row",
        )
        .collect()
    )
    reports = report_order(found)
    first, last = pl.col("g").ne_missing(pl.col("g").shift()), pl.col("g").ne_missing(pl.col("g").shift(-1))
    per = (
        reports.lazy()
        .with_columns(
            pl.when(~first).then(pl.col("date").shift(1)).alias("prev"),
            pl.when(last).then(pl.col("date")).backward_fill().alias("report_date"),
        )
        .with_columns((pl.col("date") > pl.col("report_date") - pl.duration(days=window)).alias("counted"))
        .with_columns((pl.col("counted") & pl.col("prev").is_not_null()).alias("spanned"))
        .group_by("g")
        .agg(
            *(pl.col(c).first() for c in (*keys, "report_date")),
            *(pl.col(c).last() for c in ("on_hand_i", "src_file", "src_sheet", "src_row")),
            pl.col("sold").filter(pl.col("spanned")).sum().alias("spanned_sold"),
            pl.col("prev").filter(pl.col("spanned")).min().alias("since"),
            pl.col("sold").filter(pl.col("counted")).sum().alias("counted_sold"),
        )
    )
    # (two reports of one day and nothing before them span no time: assumed, as a single one)
    has_span = pl.col("since").is_not_null() & (pl.col("since") < pl.col("report_date"))
    rows = (
        per.with_columns(
            pl.when(has_span).then(pl.col("spanned_sold")).otherwise(pl.col("counted_sold")).alias("sold_i"),
            pl.when(has_span)
            .then((pl.col("report_date") - pl.col("since")).dt.total_days())
            .otherwise(pl.lit(window, dtype=pl.Int64))
            .alias("span"),
            (~has_span).alias("assumed"),
        )
        .with_columns(((pl.col("sold_i") > 0) & (pl.col("span") > 0)).alias("rated"))
        .with_columns(
            pl.when(pl.col("rated")).then(_round_div(pl.col("sold_i"), pl.col("span"))).alias("daily4"),
            pl.when(pl.col("rated"))
            .then(_round_div(pl.col("on_hand_i") * pl.col("span") * 10, pl.col("sold_i")))
            .alias("days10"),
            pl.when(pl.col("rated"))
            .then(
                _round_div(
                    ((low + high) * pl.col("sold_i") - 2 * pl.col("span") * pl.col("on_hand_i")).clip(lower_bound=0),
                    2 * pl.col("span") * SCALE,
                )
            )
            .alias("order"),
            (pl.lit(as_of) - pl.col("report_date")).dt.total_days().alias("age"),
        )
        .sort(keys)
        .select(
            *keys,
            "report_date",
            "on_hand_i",
            "sold_i",
            "span",
            "assumed",
            "daily4",
            "days10",
            "order",
            "age",
            "src_file",
            "src_sheet",
            "src_row",
        )
        .collect()
        .to_dict(as_series=False)
    )
    make = InventoryLine.from_fields()
    qty, tenths, whole = Scaled(4), Scaled(1), Scaled(0)
    out: dict[str, list[InventoryLine]] = {}
    for c, sku, day, on_hand, sold, span, assumed, daily4, days10, order, age, f, sh, row in zip(
        *rows.values(), strict=True
    ):
        status: InventoryStatus
        if daily4 is None:
            daily = days = suggested = None
            status = "no_sellout"
        else:
            daily = qty[daily4]
            days = tenths[days10]
            suggested = whole[order]
            status = "below" if days10 < low * 10 else "above" if days10 > high * 10 else "within"
        out.setdefault(c, []).append(
            make(
                {
                    "sku": sku,
                    "report_date": day,
                    "on_hand": qty[on_hand],
                    "sold": qty[sold],
                    "covered_days": span if span and span > 0 else None,
                    "span_assumed": assumed,
                    "daily_sellout": daily,
                    "days": days,
                    "status": status,
                    "suggested_order": suggested,
                    "age_days": age,
                    "stale": age > window,
                    "source": {"file": f, "sheet": sh, "row": row},
                }
            )
        )
    return {c: tuple(lines) for c, lines in out.items()}
