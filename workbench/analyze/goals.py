"""Goal progress (DOMAIN.md "Goal progress") and last year's achieved figures.

A goal is measured over its period (default: the plan's fiscal year; last year's goals:
the fiscal year before) up to the as-of date, from the ledger:

* ``revenue``: Σ quantity × unit price; ``gross_margin``: revenue − cost;
  ``margin_rate``: margin / revenue (None when revenue is 0: no actual, no percent, no
  projection);
* ``product_lines``: number of product lines with positive net revenue in the window;
* ``activity``: months with purchases (calendar months with ≥ 1 sales line in the window);
* ``collection``: payments received (Σ payment amounts dated in the window).

Straight-line projection to the period end: cumulative metrics (revenue, gross margin,
activity, collection) are scaled by period days / elapsed days (activity capped at the
months of the period); levels (margin rate, product lines) project as they stand. Before
the period starts there is no projection. ``on_track`` = projection ≥ target.

Windows are measured for all accounts at once: one join of the distinct
``(customer, start, end)`` windows with the sales lines, grouped (``measure_windows``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from workbench.analyze.facts import GoalProgress, LastYearGoal
from workbench.analyze.sales import CENT, money, ratio

if TYPE_CHECKING:
    import polars as pl

    from workbench.plan.model import Goal

Window = tuple[str, dt.date, dt.date]  # customer, start, end (inclusive, already cut at as-of)

CUMULATIVE = frozenset({"revenue", "gross_margin", "activity", "collection"})
MAX_SPANS = 16  # distinct goal periods measured one by one (more: one join of every window)


@dataclass(frozen=True)
class Measures:
    """Ledger measures of one customer over one window (integer sums at scale 8)."""

    rev: int = 0
    cost: int = 0
    lines_bought: frozenset[str] = field(default_factory=frozenset)
    months: int = 0
    collected: Decimal = Decimal("0.00")

    def value(self, metric: str) -> Decimal | None:
        if metric == "revenue":
            return money(self.rev)
        if metric == "gross_margin":
            return money(self.rev - self.cost)
        if metric == "margin_rate":
            return ratio(self.rev - self.cost, self.rev)
        if metric == "product_lines":
            return Decimal(len(self.lines_bought))
        if metric == "activity":
            return Decimal(self.months)
        if metric == "collection":
            return self.collected.quantize(CENT)
        return None


def monthly_lines(values: pl.LazyFrame) -> pl.LazyFrame:
    """Sales lines summed per customer, month and product line (``rev``, ``cost``)."""
    import polars as pl

    return values.group_by("customer", "ym", "product_line").agg(pl.col("rev").sum(), pl.col("cost").sum())


def _month_aligned(w: Window, as_of: dt.date) -> bool:
    """A window covering whole months of `values` (which end at the as-of date)."""
    _c, start, end = w
    return start.day == 1 and (end >= as_of or (end + dt.timedelta(days=1)).day == 1)


def measure_windows(
    values: pl.LazyFrame,
    payments: pl.DataFrame,
    windows: Iterable[Window],
    as_of: dt.date,
    monthly: pl.LazyFrame | None = None,
) -> dict[Window, Measures]:
    """Measures of every window, all at once. `values` are the sales lines of
    ``workbench.analyze.sales.line_values`` up to `as_of`; windows made of whole months
    are measured on `monthly` (``monthly_lines(values)``, computed when not given), the
    others on the lines themselves: one join per source, never a filter per window."""
    import polars as pl

    wins = sorted(set(windows))
    if not wins:
        return {}
    spans = sorted({(s, e) for _c, s, e in wins})
    if len(spans) <= MAX_SPANS:
        return _measure_spans(values, payments, wins, spans, as_of, monthly)
    keys = ["customer", "w_start", "w_end"]
    schema = {"customer": pl.String, "w_start": pl.Date, "w_end": pl.Date}

    def frame(ws: list[Window]) -> pl.LazyFrame:
        return pl.DataFrame(
            {"customer": [w[0] for w in ws], "w_start": [w[1] for w in ws], "w_end": [w[2] for w in ws]}, schema=schema
        ).lazy()

    aligned = [w for w in wins if _month_aligned(w, as_of)]
    other = [w for w in wins if not _month_aligned(w, as_of)]
    parts = []
    if aligned:
        ym = pl.col("w_start").dt.year().cast(pl.Int32) * 100 + pl.col("w_start").dt.month().cast(pl.Int32)
        ym_end = pl.col("w_end").dt.year().cast(pl.Int32) * 100 + pl.col("w_end").dt.month().cast(pl.Int32)
        src = monthly if monthly is not None else monthly_lines(values)
        parts.append(src.join(frame(aligned), on="customer").filter(pl.col("ym").is_between(ym, ym_end)))
    if other:
        parts.append(
            values.join(frame(other), on="customer")
            .filter(pl.col("date").is_between(pl.col("w_start"), pl.col("w_end")))
            .select(*keys, "ym", "product_line", "rev", "cost")
        )
    joined = pl.concat([p.select(*keys, "ym", "product_line", "rev", "cost") for p in parts])
    totals_q = joined.group_by(keys).agg(
        pl.col("rev").sum(), pl.col("cost").sum(), pl.col("ym").n_unique().alias("months")
    )
    lines_q = joined.group_by([*keys, "product_line"]).agg(pl.col("rev").sum()).filter(pl.col("rev") > 0)
    pay_q = (
        payments.lazy()
        .select("customer", "date", "amount")
        .join(frame(wins), on="customer")
        .filter(pl.col("date").is_between(pl.col("w_start"), pl.col("w_end")))
        .group_by(keys)
        .agg(pl.col("amount").sum())
    )
    totals, lines, pays = pl.collect_all([totals_q, lines_q, pay_q])
    bought: dict[Window, set[str]] = {}
    for c, s, e, line, _rev in lines.iter_rows():
        bought.setdefault((c, s, e), set()).add(line)
    paid = {(c, s, e): Decimal(a) for c, s, e, a in pays.iter_rows()}
    zero = Decimal("0.00")
    out = {w: Measures(lines_bought=frozenset(bought.get(w, ())), collected=paid.get(w, zero)) for w in wins}
    for c, s, e, rev, cost, months in totals.iter_rows():
        w = (c, s, e)
        out[w] = Measures(int(rev or 0), int(cost or 0), frozenset(bought.get(w, ())), int(months), paid.get(w, zero))
    return out


def _measure_spans(
    values: pl.LazyFrame,
    payments: pl.DataFrame,
    wins: list[Window],
    spans: list[tuple[dt.date, dt.date]],
    as_of: dt.date,
    monthly: pl.LazyFrame | None,
) -> dict[Window, Measures]:
    """``measure_windows`` when the windows have few distinct periods (goals mostly use the
    fiscal year, a half or a quarter): each period is measured for every customer at
    once, instead of joining every window with the customer's lines."""
    import polars as pl

    src = monthly if monthly is not None else monthly_lines(values)
    queries = []
    for start, end in spans:
        if _month_aligned(("", start, end), as_of):
            part = src.filter(pl.col("ym").is_between(start.year * 100 + start.month, end.year * 100 + end.month))
        else:
            part = values.filter(pl.col("date").is_between(start, end))
        part = part.select("customer", "ym", "product_line", "rev", "cost")
        queries += [
            part.group_by("customer").agg(
                pl.col("rev").sum(), pl.col("cost").sum(), pl.col("ym").n_unique().alias("months")
            ),
            part.group_by("customer", "product_line").agg(pl.col("rev").sum()).filter(pl.col("rev") > 0),
            payments.lazy()
            .filter(pl.col("date").is_between(start, end))
            .group_by("customer")
            .agg(pl.col("amount").sum()),
        ]
    found = pl.collect_all(queries)
    zero = Decimal("0.00")
    by_span: dict[tuple[dt.date, dt.date], dict[str, Measures]] = {}
    for i, span in enumerate(spans):
        totals, lines, pays = found[3 * i : 3 * i + 3]
        bought: dict[str, set[str]] = {}
        for c, line, _rev in lines.iter_rows():
            bought.setdefault(c, set()).add(line)
        paid = {c: Decimal(a) for c, a in pays.iter_rows()}
        measures = {c: Measures(lines_bought=frozenset(bought.get(c, ())), collected=paid.get(c, zero)) for c in paid}
        for c, rev, cost, months in totals.iter_rows():
            measures[c] = Measures(
                int(rev or 0), int(cost or 0), frozenset(bought.get(c, ())), int(months), paid.get(c, zero)
            )
        by_span[span] = measures
    nothing = Measures()
    return {w: by_span[(w[1], w[2])].get(w[0], nothing) for w in wins}


def window(customer: str, start: dt.date, end: dt.date, as_of: dt.date) -> Window:
    """The measured window of a period: its start to the earlier of its end and as-of."""
    return (customer, start, min(end, as_of))


def _months_in(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def goal_progress(goal: Goal, start: dt.date, end: dt.date, as_of: dt.date, measures: Measures | None) -> GoalProgress:
    """Progress of one of this year's goals over its period [start, end]."""
    metric = goal.metric.value
    target = goal.target
    started = as_of >= start
    # a margin rate without revenue stays undefined (None, shown as "—"), never 0
    actual = (measures or Measures()).value(metric) if started else None
    projection: Decimal | None = None
    if actual is not None:
        if metric in CUMULATIVE and as_of < end:
            elapsed = (as_of - start).days + 1
            total = (end - start).days + 1
            projection = (actual * total / elapsed).quantize(CENT, rounding=ROUND_HALF_UP)
            if metric == "activity":
                projection = min(projection, Decimal(_months_in(start, end)))
        else:
            projection = actual
    return GoalProgress(
        goal_id=goal.id,
        title=goal.title,
        metric=metric,
        unit=goal.unit,
        target=target,
        start=start,
        end=end,
        actual=actual,
        percent=ratio(actual, target) if actual is not None and target else None,
        projection=projection,
        projected_percent=ratio(projection, target) if projection is not None and target else None,
        on_track=(projection >= target) if projection is not None and target is not None else None,
    )


def last_year_goal(goal: Goal, measures: Measures | None, tolerance: Decimal) -> LastYearGoal:
    """Last year's goal: the plan's reported `achieved` against the ledger's figure.

    Agrees when |reported − ledger| ≤ tolerance × |ledger| (exact equality when the ledger
    figure is 0); None when either side is missing (text goals, nothing reported)."""
    metric = goal.metric.value
    ledger = (measures or Measures()).value(metric) if metric != "text" else None
    reported = goal.achieved
    agrees: bool | None = None
    if ledger is not None and reported is not None:
        agrees = abs(reported - ledger) <= tolerance * abs(ledger) if ledger else reported == 0
    return LastYearGoal(
        goal_id=goal.id,
        title=goal.title,
        metric=metric,
        target=goal.target,
        reported=reported,
        ledger=ledger,
        agrees=agrees,
    )


def goal_windows(
    customer: str, goals: Iterable[Goal], default: tuple[dt.date, dt.date], as_of: dt.date
) -> dict[str, tuple[dt.date, dt.date, Window]]:
    """goal id → (period start, period end, measured window) for every ledger goal."""
    out = {}
    for g in goals:
        if g.metric.value == "text":
            continue
        start, end = (g.period.start, g.period.end) if g.period else default
        out[g.id] = (start, end, window(customer, start, end, as_of))
    return out
