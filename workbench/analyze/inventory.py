"""Dealer inventory days (DOMAIN.md): on hand / average daily sell-out over the trailing
window, judged against the band, with the suggested next order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.analyze.facts import InventoryLine, SourceRef

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import InventorySettings


def assess_inventory(
    inventory: pl.DataFrame, settings: InventorySettings, as_of: dt.date
) -> dict[str, tuple[InventoryLine, ...]]:
    """The latest report (up to `as_of`) of every dealer × SKU.

    Daily sell-out = Σ ``sold`` of the reports dated in the window ending on the latest
    report (``window_days`` long) / ``window_days``; days = on hand / daily sell-out;
    suggested next order = max(0, band midpoint × daily sell-out − on hand)."""
    import polars as pl

    window = settings.window_days
    reports = inventory.lazy().filter(pl.col("date") <= as_of)
    latest = (
        reports.sort("date", "src_row")
        .group_by("customer", "sku")
        .agg(
            pl.col("date").last().alias("report_date"),
            pl.col("on_hand").last(),
            pl.col("src_file").last(),
            pl.col("src_sheet").last(),
            pl.col("src_row").last(),
        )
    )
    sold = (
        reports.join(latest.select("customer", "sku", "report_date"), on=["customer", "sku"])
        .filter(
            (pl.col("date") <= pl.col("report_date"))
            & (pl.col("date") > pl.col("report_date") - pl.duration(days=window))
        )
        .group_by("customer", "sku")
        .agg(pl.col("sold").sum().alias("sold"))
    )
    rows = latest.join(sold, on=["customer", "sku"], how="left").sort("customer", "sku").collect()
    low, high = Decimal(settings.band_low_days), Decimal(settings.band_high_days)
    mid = (low + high) / 2
    out: dict[str, list[InventoryLine]] = {}
    for c, sku, day, on_hand, f, sh, row, total in rows.select(
        "customer", "sku", "report_date", "on_hand", "src_file", "src_sheet", "src_row", "sold"
    ).iter_rows():
        daily = (Decimal(total) / window).quantize(Decimal("0.0001")) if total else None
        if not daily:
            days, status, order = None, "no_sellout", None
        else:
            days = (on_hand / daily).quantize(Decimal("0.1"))
            status = "below" if days < low else "above" if days > high else "within"
            order = max(Decimal(0), (mid * daily - on_hand)).quantize(Decimal("1"))
        out.setdefault(c, []).append(
            InventoryLine(
                sku=sku,
                report_date=day,
                on_hand=on_hand,
                daily_sellout=daily,
                days=days,
                status=status,
                suggested_order=order,
                source=SourceRef(file=f, sheet=sh, row=row),
            )
        )
    return {c: tuple(lines) for c, lines in out.items()}
