"""Price discipline (DOMAIN.md): deviation of observed resale prices from the guideline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.analyze.facts import PriceLine, SourceRef

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import PriceSettings

RATIO = Decimal("0.0001")


def assess_prices(
    prices: pl.DataFrame, guideline: Mapping[str, Decimal], settings: PriceSettings, start: dt.date, as_of: dt.date
) -> dict[str, tuple[PriceLine, ...]]:
    """Every dealer × SKU observed between `start` and `as_of`.

    The guideline is the row's own guideline column when given, else the settings' price
    list. Deviation = price / guideline − 1; the status is that of the latest observation;
    the spread is max − min deviation over the period."""
    import polars as pl

    rows = (
        prices.lazy()
        .filter((pl.col("date") >= start) & (pl.col("date") <= as_of))
        .sort("customer", "sku", "date", "src_row")
        .collect()
    )
    out: dict[str, list[PriceLine]] = {}
    for (c, sku), group in rows.group_by(["customer", "sku"], maintain_order=True):
        obs = list(group.select("date", "price", "guideline", "src_file", "src_sheet", "src_row").iter_rows())
        devs: list[tuple[Decimal, tuple[object, ...]]] = []
        for o in obs:
            g = o[2] if o[2] is not None else guideline.get(str(sku))
            if g:
                devs.append(((o[1] / g - 1).quantize(RATIO), o))
        last = obs[-1]
        g_last = last[2] if last[2] is not None else guideline.get(str(sku))
        if not devs or not g_last:
            out.setdefault(str(c), []).append(
                PriceLine(
                    sku=str(sku),
                    guideline=None,
                    observations=len(obs),
                    latest_date=last[0],
                    latest_price=last[1],
                    deviation=None,
                    min_deviation=None,
                    max_deviation=None,
                    spread=None,
                    status="no_guideline",
                    unstable=False,
                    worst=None,
                )
            )
            continue
        dev = (last[1] / g_last - 1).quantize(RATIO)
        lo, hi = min(d for d, _ in devs), max(d for d, _ in devs)
        worst = max(devs, key=lambda d: abs(d[0]))[1]
        status = "below_floor" if dev < settings.floor else "above_ceiling" if dev > settings.ceiling else "within"
        out.setdefault(str(c), []).append(
            PriceLine(
                sku=str(sku),
                guideline=g_last,
                observations=len(obs),
                latest_date=last[0],
                latest_price=last[1],
                deviation=dev,
                min_deviation=lo,
                max_deviation=hi,
                spread=hi - lo,
                status=status,
                unstable=(hi - lo) > settings.spread_alert,
                worst=SourceRef(file=str(worst[3]), sheet=str(worst[4]), row=int(worst[5])),  # type: ignore[call-overload]
            )
        )
    return {c: tuple(lines) for c, lines in out.items()}
