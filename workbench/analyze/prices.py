"""Price discipline (DOMAIN.md): deviation of observed resale prices from the guideline.

For every dealer × SKU observed in the period: the deviation of each observation (price /
guideline − 1, 4 places, rounded half up; the guideline is the row's own guideline column
when given, else the settings' price list), its lowest, highest and latest value, the
spread (highest − lowest), how many observations fell below the floor or above the
ceiling, and the rows that set the lowest and highest deviation, so a finding can point at
the row that caused it. The period's status is "below_floor" when any observation was
below the floor (dumping risk outweighs the rest), else "above_ceiling" when any was above
the ceiling, else "within"; "no_guideline" when no observation has a guideline.

All dealers at once in polars, in integers (prices at scale 4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workbench.analyze.facts import PriceLine, PriceStatus
from workbench.analyze.passes import scaled
from workbench.analyze.sales import Scaled

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import PriceSettings

SCALE = 10_000  # prices are Decimal(38, 4); deviations are kept at 4 places
NO_RANK = 2**127 - 1  # above every rank (the largest Int128)


def _round_div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """Int64 num / den (den > 0) rounded half away from zero."""
    import polars as pl

    return pl.when(num >= 0).then((2 * num + den) // (2 * den)).otherwise(-((-2 * num + den) // (2 * den)))


def _rank(dev4: pl.Expr) -> pl.Expr:
    """`dev4`, ties broken by the observation order ``seq`` (earliest first), as one integer."""
    import polars as pl

    return dev4.cast(pl.Int128) * 10**16 + pl.col("seq").cast(pl.Int128)


def _status(dev4: int | None, floor4: int, ceiling4: int) -> PriceStatus:
    if dev4 is None:
        return "no_guideline"
    return "below_floor" if dev4 < floor4 else "above_ceiling" if dev4 > ceiling4 else "within"


def assess_prices(
    prices: pl.DataFrame, guideline: Mapping[str, Decimal], settings: PriceSettings, start: dt.date, end: dt.date
) -> dict[str, tuple[PriceLine, ...]]:
    """Every dealer × SKU observed between `start` and `end` (inclusive)."""
    import polars as pl

    keys = ["customer", "sku"]
    floor4 = int(settings.floor * SCALE)
    ceiling4 = int(settings.ceiling * SCALE)
    price_list = pl.DataFrame(
        {"sku": list(guideline), "listed": list(guideline.values())},
        schema={"sku": pl.String, "listed": pl.Decimal(38, 4)},
    ).lazy()
    obs = (
        prices.lazy()
        .filter(pl.col("date").is_between(start, end))
        .join(price_list, on="sku", how="left")
        .select(
            *keys,
            "date",
            "src_file",
            "src_sheet",
            "src_row",
            scaled(prices, "price").cast(pl.Int64).alias("p_i"),
            (pl.coalesce("guideline", "listed") * SCALE).cast(pl.Int64).alias("g_i"),
        )
        .with_columns(
            pl.when(pl.col("g_i") > 0)
            .then(_round_div((pl.col("p_i") - pl.col("g_i")) * SCALE, pl.col("g_i")))
            .alias("dev4")
        )
        # the order of observations as one integer: date, then row
        .with_columns((pl.col("date").cast(pl.Int64) * 10**10 + pl.col("src_row")).alias("seq"))
        .with_columns(_rank(pl.col("dev4")).alias("rank_lo"), _rank(-pl.col("dev4")).alias("rank_hi"))
        .with_row_index("i")
        .collect()
    )

    def first_of_min(col: str) -> pl.Expr:
        # the first observation of the smallest value (a row without a guideline has no
        # rank: it sorts last, and the result is dropped where no row has a guideline)
        return pl.col("i").get(pl.col(col).fill_null(NO_RANK).arg_min())

    per = (
        obs.lazy()
        .group_by(keys)
        .agg(
            pl.len().alias("n"),
            pl.col("i").get(pl.col("seq").arg_max()).alias("latest"),
            pl.col("dev4").min().alias("lo"),
            pl.col("dev4").max().alias("hi"),
            (pl.col("dev4") < floor4).sum().alias("below"),
            (pl.col("dev4") > ceiling4).sum().alias("above"),
            # the lowest (highest) deviation, the earliest of equals: one Int128 key each
            first_of_min("rank_lo").alias("lowest"),
            first_of_min("rank_hi").alias("highest"),
        )
        .with_columns(pl.when(pl.col("lo").is_not_null()).then(pl.col(c)).alias(c) for c in ("lowest", "highest"))
        .sort(keys)
        .collect()
    )
    row = ["date", "p_i", "g_i", "dev4", "src_file", "src_sheet", "src_row"]
    cols: dict[str, list[Any]] = per.select(*keys, "n", "lo", "hi", "below", "above").to_dict(as_series=False)
    for prefix, index, names in (("latest_", "latest", row[:4]), ("lo_", "lowest", row), ("hi_", "highest", row)):
        picked = obs.select(names)[per[index]]
        cols.update({f"{prefix}{c}": picked[c].to_list() for c in names})
    out: dict[str, list[PriceLine]] = {}
    spread_alert = settings.spread_alert
    dec = Scaled(4)
    breach_lo = _observations(cols, "lo_", cols["below"], dec)
    breach_hi = _observations(cols, "hi_", cols["above"], dec)
    make = PriceLine.from_fields()
    for i, (c, sku, n, latest_date, latest_price, latest_g, latest_dev, lo, hi, below, above) in enumerate(
        zip(
            cols["customer"],
            cols["sku"],
            cols["n"],
            cols["latest_date"],
            cols["latest_p_i"],
            cols["latest_g_i"],
            cols["latest_dev4"],
            cols["lo"],
            cols["hi"],
            cols["below"],
            cols["above"],
            strict=True,
        )
    ):
        below, above = below or 0, above or 0
        status: PriceStatus = (
            "no_guideline" if lo is None else "below_floor" if below else "above_ceiling" if above else "within"
        )
        worst = None
        if lo is not None:
            prefix = "lo_" if abs(lo) >= abs(hi) else "hi_"
            breach = (breach_lo if prefix == "lo_" else breach_hi)[i]
            worst = breach["source"] if breach is not None else _source(cols, prefix, i)
        spread = dec[hi - lo] if lo is not None else None
        out.setdefault(c, []).append(
            make(
                {
                    "sku": sku,
                    "guideline": dec[latest_g] if latest_dev is not None else None,
                    "observations": n,
                    "latest_date": latest_date,
                    "latest_price": dec[latest_price],
                    "deviation": None if latest_dev is None else dec[latest_dev],
                    "min_deviation": None if lo is None else dec[lo],
                    "max_deviation": None if hi is None else dec[hi],
                    "spread": spread,
                    "status": status,
                    "latest_status": _status(latest_dev, floor4, ceiling4),
                    "below_floor": below,
                    "above_ceiling": above,
                    "floor_breach": breach_lo[i],
                    "ceiling_breach": breach_hi[i],
                    "unstable": spread is not None and spread > spread_alert,
                    "worst": worst,
                }
            )
        )
    return {c: tuple(lines) for c, lines in out.items()}


def _source(cols: Mapping[str, list[Any]], prefix: str, i: int) -> dict[str, Any]:
    return {
        "file": cols[f"{prefix}src_file"][i],
        "sheet": cols[f"{prefix}src_sheet"][i],
        "row": cols[f"{prefix}src_row"][i],
    }


def _observations(
    cols: Mapping[str, list[Any]], prefix: str, wanted: list[Any], dec: Scaled
) -> list[dict[str, Any] | None]:
    """The fields of the observation named by `prefix` (``lo_``/``hi_``) of the rows of
    `cols` where `wanted` is a positive count (None elsewhere)."""
    out: list[dict[str, Any] | None] = [None] * len(wanted)
    day, price, g, dev4, f, sh, row = (
        cols[f"{prefix}{c}"] for c in ("date", "p_i", "g_i", "dev4", "src_file", "src_sheet", "src_row")
    )
    for i, want in enumerate(wanted):
        if want and dev4[i] is not None:
            out[i] = {
                "date": day[i],
                "price": dec[price[i]],
                "guideline": dec[g[i]],
                "deviation": dec[dev4[i]],
                "source": {"file": f[i], "sheet": sh[i], "row": row[i]},
            }
    return out
