"""Axis ticks and their labels, computed here rather than by Vega, so that every chart
speaks the booklet's locale: money in 万/亿 for Chinese and K/M for English, percentages
as the tables write them (``-5%``, ``0%``, ``+10%``), months as ``3月``/``Mar`` with the
year on January.

Ticks are "nice" values (1, 2, 2.5 or 5 × 10ⁿ apart) and the axis domain ends on a tick,
so the top of every axis is labelled. Labels reach Vega as an ``indexof`` lookup in
``labelExpr``; they are JSON string literals of text this module formatted (digits,
currency symbols, units), never plan text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.render.locale import Locale


@dataclass(frozen=True)
class Ticks:
    lo: float
    hi: float
    values: tuple[float, ...]
    step: float


def nice_ticks(lo: float, hi: float, count: int = 5, zero: bool = True) -> Ticks:
    """About `count` intervals of a nice step covering [lo, hi] (and 0 when `zero`)."""
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi - lo <= 0:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(1, count)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    values = tuple(_clean(k * step) for k in range(first, last + 1))
    return Ticks(values[0], values[-1], values, step)


def _clean(v: float) -> float:
    return 0.0 if abs(v) < 1e-12 else float(f"{v:.10g}")


def lookup(values: Sequence[Any], labels: Sequence[str | list[str]]) -> str:
    """A Vega expression giving ``labels[i]`` for an axis value equal to ``values[i]``
    (a list of strings is a label on several lines)."""
    numeric = all(isinstance(v, int | float) for v in values)
    probe = "toNumber(datum.value)" if numeric else "datum.value"  # dates reach labelExpr as Date objects
    return (
        f"{json.dumps(list(labels), ensure_ascii=False)}"
        f"[indexof({json.dumps(list(values), ensure_ascii=False)}, {probe})]"
    )


def axis(values: Sequence[Any], labels: Sequence[str | list[str]], **extra: Any) -> dict[str, Any]:
    """Axis properties drawing exactly `values` with `labels` (no labels dropped: Vega's
    overlap check measures with a stand-in font and would thin out labels that fit)."""
    return {"values": list(values), "labelExpr": lookup(values, labels), "labelOverlap": False, **extra}


def money_unit(loc: Locale, top: float) -> tuple[float, str]:
    """The unit of a money axis whose largest tick is `top`: 亿/万 (zh), B/M/K (en)."""
    top = abs(top)
    units = ((1e8, "亿"), (1e4, "万")) if loc.language == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "K"))
    return next(((u, s) for u, s in units if top >= u), (1.0, ""))


def money_labels(loc: Locale, ticks: Ticks) -> list[str]:
    """One unit for the whole axis: 0, 50万, 100万, 150万 / 0, 0.5M, 1M, 1.5M."""
    unit, suffix = money_unit(loc, max(abs(ticks.lo), abs(ticks.hi)))
    out = []
    for v in ticks.values:
        if v == 0:
            out.append("0")
            continue
        x = v / unit
        places = 0 if abs(x - round(x)) < 1e-9 else (1 if abs(x * 10 - round(x * 10)) < 1e-9 else 2)
        out.append(f"{'-' if x < 0 else ''}{abs(x):,.{places}f}{suffix}")
    return out


def pct_labels(loc: Locale, ticks: Ticks, signed: bool = False) -> list[str]:
    places = 0 if ticks.step * 100 >= 1 - 1e-9 and abs(ticks.step * 100 - round(ticks.step * 100)) < 1e-9 else 1
    from decimal import Decimal

    return [loc.pct(Decimal(str(v)), places, signed=signed) for v in ticks.values]


def number_labels(loc: Locale, ticks: Ticks) -> list[str]:
    places = 0 if abs(ticks.step - round(ticks.step)) < 1e-9 else 1
    return [loc.number(_dec(v), places) for v in ticks.values]


def _dec(v: float) -> Any:
    from decimal import Decimal

    return Decimal(str(v))


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from `start`'s month to the month after `end`."""
    out = [dt.date(start.year, start.month, 1)]
    while out[-1] <= end:
        d = out[-1]
        out.append(dt.date(d.year + d.month // 12, d.month % 12 + 1, 1))
    return out


def month_label(loc: Locale, key: str, first: bool, lines: bool = True) -> str | list[str]:
    """``3月`` / ``Mar`` for month `key` (``2026-03``); on January and on the first label
    the year follows on a second line (``2026年`` / ``2026``), or, with `lines` false,
    the whole month is written (``2026年1月`` / ``Jan 2026``)."""
    short = loc.month_short(key)
    if first or key.endswith("-01"):
        if not lines:
            return loc.month(key)
        return [short, f"{key[:4]}年" if loc.language == "zh" else key[:4]]
    return short


def month_ticks(
    loc: Locale, start: dt.date, end: dt.date, max_ticks: int = 12
) -> tuple[list[int], list[str | list[str]]]:
    """Month ticks (UTC milliseconds) from `start` to `end`: one per month, or every 2nd,
    3rd, 6th… month on long spans, labelled in the locale."""
    months = [d for d in month_starts(start, end) if d <= end]
    every = next(n for n in (1, 2, 3, 6, 12, 24) if len(months) / n <= max_ticks)
    chosen = [d for i, d in enumerate(months) if i % every == 0]
    stamps = [utc_ms(d) for d in chosen]
    labels = [month_label(loc, f"{d.year:04d}-{d.month:02d}", i == 0) for i, d in enumerate(chosen)]
    return stamps, labels


def utc_ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


Formatter = Callable[[Locale, Ticks], list[str]]


def money_compact(loc: Locale, value: float) -> str:
    """One money value in its own unit: 1万, 10万, 1,000万 / 10K, 100K, 1M."""
    if value == 0:
        return "0"
    unit, suffix = money_unit(loc, value)
    x = value / unit
    places = 0 if abs(x - round(x)) < 1e-9 else 1
    return f"{'-' if x < 0 else ''}{abs(x):,.{places}f}{suffix}"
