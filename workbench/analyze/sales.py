"""Sales metrics (DOMAIN.md "Metrics"): revenue, cost, margin and margin rate per customer
and period; monthly series with year-on-year growth; the fitted trend; sales quality
(cross-region share); product penetration and whitespace; purchase regularity.

Money is computed exactly in integers: quantity (scale 4) × unit price (scale 4) is an
integer at scale 8 (``LINE_SCALE``), summed as Int128 by polars and turned into a
``Decimal`` rounded half-up to the cent only at the end. No floats touch money.

The polars part works on all customers at once (``line_values`` then one ``group_by`` per
family, see ``workbench.analyze.compute``); the functions taking plain numbers assemble
the frozen result models of one customer from those small grouped results.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from workbench.analyze.facts import (
    LineRevenue,
    MonthPoint,
    Penetration,
    RegionShare,
    SalesFigures,
    SalesQuality,
    Trend,
)

if TYPE_CHECKING:
    import polars as pl

LINE_SCALE = 8  # decimal places of a line value (quantity scale 4 + price scale 4)
CENT = Decimal("0.01")
RATE = Decimal("0.000001")


# ------------------------------------------------------------------------- numbers


CENT_UNIT = 10 ** (LINE_SCALE - 2)  # one cent at LINE_SCALE
_HALF_CENT = CENT_UNIT // 2


def money(value: int | None) -> Decimal:
    """An integer sum at ``LINE_SCALE`` → Decimal rounded half-up (away from zero) to the
    cent. Integer arithmetic: exact, and several times faster than ``Decimal.quantize``."""
    if not value:
        return Decimal("0.00")
    if value > 0:
        return Decimal((value + _HALF_CENT) // CENT_UNIT).scaleb(-2)
    return Decimal(-((_HALF_CENT - value) // CENT_UNIT)).scaleb(-2)


def ratio(num: Decimal | int, den: Decimal | int) -> Decimal | None:
    """num / den to six places, rounded half-up; None when den is 0 (an undefined rate,
    shown as "—"). Integers are divided exactly, in integer arithmetic."""
    if not den:
        return None
    if isinstance(num, int) and isinstance(den, int):
        if num >= 0 and den > 0:
            q, r = divmod(num * 1_000_000, den)
            return Decimal(q + 1 if 2 * r >= den else q).scaleb(-6)
        return Decimal(_half_up(num * 1_000_000, den)).scaleb(-6)
    return (Decimal(num) / Decimal(den)).quantize(RATE, rounding=ROUND_HALF_UP)


class Scaled(dict[int, Decimal]):
    """Decimals of integers at a fixed scale (``Scaled(4)[12345]`` is 1.2345), each made
    once: a run's deviations, prices and days repeat a lot, and Decimals are immutable."""

    def __init__(self, places: int):
        super().__init__()
        self.exponent = -places

    def __missing__(self, value: int) -> Decimal:
        made = self[value] = Decimal(value).scaleb(self.exponent)
        return made


def divide(num: int, den: int, places: int) -> Decimal:
    """Integers num / den (den ≠ 0) as a Decimal rounded half up (away from zero) to
    `places` decimals, exactly."""
    return Decimal(_half_up(num * 10**places, den)).scaleb(-places)


def _half_up(num: int, den: int) -> int:
    """num / den rounded to the nearest integer, halves away from zero."""
    q, r = divmod(abs(num), abs(den))
    if 2 * r >= abs(den):
        q += 1
    return q if (num < 0) == (den < 0) else -q


def half_up_div(value: pl.Expr, divisor: int) -> pl.Expr:
    """Integer `value` / `divisor` (a positive even number) rounded half away from zero, in
    polars (Int128 has no negation, so each sign has its own floor division)."""
    import polars as pl

    half = divisor // 2
    return pl.when(value >= 0).then((value + half) // divisor).otherwise((value + half - 1) // divisor)


def cents(value: pl.Expr) -> pl.Expr:
    """A sum of line values (integer at ``LINE_SCALE``) → integer cents, rounded half up
    like ``money``."""
    import polars as pl

    return half_up_div(value, 10 ** (LINE_SCALE - 2)).cast(pl.Int64)


def month_key(day: dt.date) -> int:
    return day.year * 100 + day.month


_LABELS: dict[int, str] = {}


def month_label(key: int) -> str:
    label = _LABELS.get(key)
    if label is None:
        label = _LABELS[key] = f"{key // 100:04d}-{key % 100:02d}"
    return label


def add_months(key: int, n: int) -> int:
    y, m = divmod(key // 100 * 12 + key % 100 - 1 + n, 12)
    return y * 100 + m + 1


def month_range(first: int, last: int) -> list[int]:
    out = []
    key = first
    while key <= last:
        out.append(key)
        key = add_months(key, 1)
    return out


def shift_year(day: dt.date, years: int = -1) -> dt.date:
    """The same date `years` away; 29 Feb maps to 28 Feb."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# ------------------------------------------------------------------------- columnar


def line_values(sales: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Sales lines with exact integer values: ``rev`` and ``cost`` (at scale 8, as
    ``workbench.analyze.passes.value_exprs`` computes them), ``ret`` (rev of return lines,
    else 0) and ``ym`` (year × 100 + month)."""
    import polars as pl

    from workbench.analyze.passes import value_exprs

    rev, cost = value_exprs(sales)
    return (
        sales.lazy()
        .with_columns(
            rev,
            cost,
            (pl.col("date").dt.year().cast(pl.Int32) * 100 + pl.col("date").dt.month().cast(pl.Int32)).alias("ym"),
        )
        .with_columns(pl.when(pl.col("quantity") < 0).then(pl.col("rev")).otherwise(0).alias("ret"))
    )


def period_aggs(periods: Mapping[str, tuple[dt.date, dt.date]], *, invoices: bool = True) -> list[pl.Expr]:
    """Aggregations of one ``group_by``: for each named period, ``<name>_rev``, ``_cost``,
    ``_ret``, ``_lines`` and ``_inv`` (distinct invoices)."""
    import polars as pl

    out: list[pl.Expr] = []
    for name, (start, end) in periods.items():
        inside = pl.col("date").is_between(start, end)
        out += [
            pl.col("rev").filter(inside).sum().alias(f"{name}_rev"),
            pl.col("cost").filter(inside).sum().alias(f"{name}_cost"),
            pl.col("ret").filter(inside).sum().alias(f"{name}_ret"),
            inside.sum().cast(pl.Int64).alias(f"{name}_lines"),
        ]
        if invoices:
            out.append(pl.col("invoice").filter(inside).n_unique().cast(pl.Int64).alias(f"{name}_inv"))
    return out


# ------------------------------------------------------------------------- assembly


def sales_figures(
    start: dt.date,
    end: dt.date,
    rev: int = 0,
    cost: int = 0,
    ret: int = 0,
    lines: int = 0,
    invoices: int = 0,
) -> SalesFigures:
    """Figures of one period from exact integer sums (scale 8)."""
    return SalesFigures(
        start=start,
        end=end,
        revenue=money(rev),
        cost=money(cost),
        margin=money(rev - cost),
        margin_rate=ratio(rev - cost, rev),
        lines=lines,
        invoices=invoices,
        returns=money(ret),
    )


def figures_from_row(row: Mapping[str, int | None], name: str, start: dt.date, end: dt.date) -> SalesFigures:
    """Figures of period `name` from a ``period_aggs`` result row (missing → zero)."""

    def get(col: str) -> int:
        return int(row.get(f"{name}_{col}") or 0)

    return sales_figures(start, end, get("rev"), get("cost"), get("ret"), get("lines"), get("inv"))


def monthly_points(
    months: Sequence[int],
    by_month: Mapping[int, tuple[int, int]],
    first_month: int | None,
    revenue: Mapping[int, Decimal] | None = None,
) -> tuple[MonthPoint, ...]:
    """One point per month of `months` from ``{ym: (rev, cost)}`` (and `revenue`, ``{ym:
    money(rev)}``, when the caller has it). Last year's value is None for months whose
    previous-year month lies before `first_month` (the first month of the ledger) or when
    there is no ledger at all; year-on-year growth is None unless last year's revenue is
    positive (growth against nothing, or against a month of net returns, means nothing)."""
    make = MonthPoint.from_fields()
    if revenue is None:
        revenue = month_revenue(by_month)
    zero = Decimal("0.00")
    nothing = (0, 0)
    points = []
    for key in months:
        rev, cost = by_month.get(key, nothing)
        margin = rev - cost
        prev_key = key - 100  # the same month a year earlier
        known = first_month is not None and prev_key >= first_month
        prev = by_month.get(prev_key, nothing)[0] if known else 0
        points.append(
            make(
                {
                    "month": month_label(key),
                    "revenue": revenue.get(key, zero),
                    "margin": money(margin) if margin else zero,
                    "margin_rate": ratio(margin, rev) if rev else None,
                    "revenue_last_year": revenue.get(prev_key, zero) if known else None,
                    "yoy": ratio(rev - prev, prev) if known and prev > 0 else None,
                }
            )
        )
    return tuple(points)


def month_revenue(by_month: Mapping[int, tuple[int, int]]) -> dict[int, Decimal]:
    """``{ym: revenue}`` (money) of ``{ym: (rev, cost)}``."""
    return {key: money(rev) for key, (rev, _cost) in by_month.items()}


def fit_trend(
    ytd_revenue: Decimal,
    last_ytd_revenue: Decimal,
    series: Sequence[tuple[int, Decimal]],
    as_of: dt.date,
    first_month: int | None,
) -> Trend:
    """Year-on-year growth (None when last YTD revenue ≤ 0) and the least-squares slope of
    monthly revenue over the 12 months ending with the as-of month (months before the
    ledger's first month are left out; fewer than 2 months → no slope).

    `series` maps month keys to revenue (missing months count as 0)."""
    growth = ratio(ytd_revenue - last_ytd_revenue, last_ytd_revenue) if last_ytd_revenue > 0 else None
    months = _trend_months(month_key(as_of), first_month)
    values = dict(series)
    ys = [values.get(k, Decimal(0)) for k in months]
    n = len(ys)
    if n < 2:
        return Trend(growth_yoy=growth, slope_per_month=None, months=n)
    dx, den = _trend_x(n)
    y_mean = sum(ys, Decimal(0)) / n
    num = sum((d * (y - y_mean) for d, y in zip(dx, ys, strict=True)), Decimal(0))
    slope = (num / den).quantize(CENT, rounding=ROUND_HALF_UP)
    return Trend(growth_yoy=growth, slope_per_month=slope, months=n)


@functools.cache
def _trend_months(last: int, first_month: int | None) -> tuple[int, ...]:
    """The months of the trend: the 12 ending with `last`, from the ledger's first on."""
    return tuple(k for k in month_range(add_months(last, -11), last) if first_month is not None and k >= first_month)


@functools.cache
def _trend_x(n: int) -> tuple[tuple[Decimal, ...], Decimal]:
    """The centred month numbers of an n-month fit and the sum of their squares."""
    x_mean = Decimal(n - 1) / 2
    dx = tuple(Decimal(i) - x_mean for i in range(n))
    return dx, sum((d**2 for d in dx), Decimal(0))


def sales_quality(home: str | None, by_region: Mapping[str | None, int], ytd_rev: int) -> SalesQuality:
    """Cross-region sales from YTD revenue by delivery region (``{region: rev}``).

    A line without a delivery region counts as delivered at home. Without a home region
    nothing can be called cross-region: cross revenue 0, share None."""
    merged: dict[str, int] = {}
    for region, rev in by_region.items():
        key = region if region else (home or "")
        merged[key] = merged.get(key, 0) + rev
    cross = sum(rev for region, rev in merged.items() if home is not None and region != home)
    regions = tuple(
        RegionShare(region=region, revenue=money(rev), share=ratio(rev, ytd_rev))
        for region, rev in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return SalesQuality(
        home_region=home,
        cross_region_revenue=money(cross),
        cross_region_share=ratio(cross, ytd_rev) if home is not None else None,
        regions=regions,
    )


def penetration(all_lines: Sequence[str], by_line: Mapping[str, tuple[int, int]]) -> Penetration:
    """Product lines bought (positive net YTD revenue) out of `all_lines`; the rest of
    `all_lines` is whitespace. `by_line` is ``{product_line: (rev, cost)}``; lines without
    a product line (non-product codes kept by policy) are left out."""
    by_line = {line: v for line, v in by_line.items() if line}
    bought_set = {line for line, (rev, _cost) in by_line.items() if rev > 0}
    bought = tuple(line for line in all_lines if line in bought_set) + tuple(sorted(bought_set - set(all_lines)))
    whitespace = tuple(line for line in all_lines if line not in bought_set)
    known = sum(1 for line in all_lines if line in bought_set)
    return Penetration(
        bought=bought,
        whitespace=whitespace,
        share=ratio(known, len(all_lines)),
        by_line=tuple(
            LineRevenue(product_line=line, revenue=money(rev), margin=money(rev - cost))
            for line, (rev, cost) in sorted(by_line.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ),
    )


def regularity(active_months: set[int] | frozenset[int], as_of: dt.date) -> Decimal:
    """Share of the 12 calendar months ending with the as-of month that have ≥ 1 sales line
    (lines dated after the as-of date do not count)."""
    last = month_key(as_of)
    window = month_range(add_months(last, -11), last)
    hits = sum(1 for k in window if k in active_months)
    return (Decimal(hits) / 12).quantize(RATE, rounding=ROUND_HALF_UP)
