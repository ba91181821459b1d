"""Heat tables: activity rates by salesperson and month, months with purchases by fiscal
year. They are HTML tables whose cells carry a level class (``low``/``mid``/``high``,
``active``/``idle``/``future``) coloured by booklet.css with light fills and dark text —
crisper and much cheaper to lay out than a chart of hundreds of SVG elements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workbench.render.axes import month_label
from workbench.render.locale import Locale


@dataclass(frozen=True)
class Cell:
    text: str
    level: str


@dataclass(frozen=True)
class HeatTable:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]


def level(rate: Decimal | None, alert: Decimal) -> str:
    """``low`` below the alert, ``mid`` below halfway from the alert to 100 %, else ``high``."""
    if rate is None:
        return "none"
    if rate < alert:
        return "low"
    return "mid" if rate < (alert + 1) / 2 else "high"


def month_columns(loc: Locale, months: Sequence[str]) -> tuple[str, ...]:
    out = []
    for i, key in enumerate(months):
        label = month_label(loc, key, i == 0, lines=False)
        out.append(label if isinstance(label, str) else " ".join(label))
    return tuple(out)


def activity_table(
    cells: Sequence[Any], people: Sequence[tuple[str, str]], loc: Locale, alert: Decimal
) -> HeatTable | None:
    """Rates of `people` ((salesperson key, row label)) by month; None without any rate."""
    months = sorted({c.month for c in cells})
    by = {(c.salesperson, c.month): c for c in cells}
    rows = []
    for key, label in people:
        row = []
        for m in months:
            c = by.get((key, m))
            rate = c.rate if c is not None else None
            row.append(Cell(loc.pct(rate, 0), level(rate, alert)))
        if any(cell.level != "none" for cell in row):
            rows.append((label, tuple(row)))
    if not rows:
        return None
    return HeatTable(month_columns(loc, months), tuple(rows))


def months_table(
    loc: Locale, active: Sequence[str], first_month: str, last_month: str, years: Sequence[tuple[int, str]]
) -> HeatTable:
    """A row per fiscal year ((months offset from `first_month`, label)), a column per
    month of the fiscal year: ``active`` with purchases, ``idle`` without, ``future``
    after `last_month`. Months are ``2026-03`` keys."""
    from workbench.analyze.sales import add_months
    from workbench.analyze.sales import month_label as key_label

    start, last = _key(first_month), _key(last_month)
    bought = set(active)
    rows = []
    for offset, label in years:
        row = []
        for i in range(12):
            key = add_months(start, offset + i)
            state = "future" if key > last else "active" if key_label(key) in bought else "idle"
            row.append(Cell("", state))
        rows.append((label, tuple(row)))
    columns = tuple(loc.month_short(key_label(add_months(start, i))) for i in range(12))
    return HeatTable(columns, tuple(rows))


def _key(label: str) -> int:
    """``2026-03`` → 202603."""
    return int(label[:4]) * 100 + int(label[5:7])
