"""The period the figures cover, and the as-of date they are judged on.

``kam facts`` and ``kam check`` take one period:

* ``--period 2026``: fiscal year 2026 (as ``fiscal_year_start_month`` defines it);
* ``--period 2026H1`` / ``2026H2``: the first or second half of fiscal year 2026;
* ``--period 2026Q1`` … ``2026Q4``: a quarter of fiscal year 2026;
* ``--period 2026-03``: the calendar month;
* ``--from 2026-02-01 --to 2026-04-15``: any dates (``--from`` alone runs to the as-of
  date; ``--to`` alone starts with the fiscal year);
* nothing: the fiscal year to date (the default).

The as-of date (``--as-of``, else ``as_of`` in kam.yaml) must lie in the settings' fiscal
year: the plans are that year's, and goals, actions and receivables are judged on it. A
period must start on or before the as-of date; a period running past it is measured
through the as-of date ("to date"). The comparison period is the same span one year
earlier (29 Feb maps to 28 Feb; a period measured through a month end compares through
the same month's end, so February 2025 compares with all of February 2024).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from workbench.analyze.facts import Period
from workbench.analyze.sales import shift_year
from workbench.errors import Diagnostic, Location, UsageError, WorkbenchError

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.settings import Settings

DEFAULT_LABEL = "fiscal year to date"
FORMS = "2026, 2026H1, 2026Q2 or 2026-03"


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(y, m + 1, 1)


def fiscal_year_bounds(year: int, start_month: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year `year` (it starts in `start_month` of `year`, or of
    the year before when the fiscal year does not start in January)."""
    start = dt.date(year if start_month == 1 else year - 1, start_month, 1)
    return start, _add_months(start, 12) - dt.timedelta(days=1)


def _usage(option: str, message: str, hint: str) -> UsageError:
    return UsageError(Diagnostic("bad-option", f"{option} {message}", Location(), hint=hint))


def parse_period(text: str, fiscal_year_start_month: int = 1) -> tuple[str, dt.date, dt.date]:
    """`--period` text → (label, first day, last day); bad text is a usage error."""
    raw = text.strip()
    m = re.fullmatch(r"(\d{4})(?:([QqHh])([1-4]))?", raw)
    if m:
        year = int(m.group(1))
        fy_start, fy_end = fiscal_year_bounds(year, fiscal_year_start_month)
        if not m.group(2):
            return raw, fy_start, fy_end
        kind, n = m.group(2).upper(), int(m.group(3))
        months = 3 if kind == "Q" else 6
        if kind == "H" and n > 2:
            raise _usage(
                f"--period `{text}`", "names a half-year that does not exist", f"halves are H1 and H2; forms: {FORMS}"
            )
        first = _add_months(fy_start, months * (n - 1))
        return f"{year}{kind}{n}", first, _add_months(first, months) - dt.timedelta(days=1)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    if m and 1 <= int(m.group(2)) <= 12:
        first = dt.date(int(m.group(1)), int(m.group(2)), 1)
        return f"{first.year:04d}-{first.month:02d}", first, month_end(first)
    raise _usage(
        f"--period `{text}`",
        "is not a period",
        f"write a fiscal year, half, quarter or calendar month: {FORMS}; or use --from/--to with dates",
    )


def _date(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _usage(f"{option} `{text}`", "is not a date", "write it as YYYY-MM-DD, e.g. 2026-03-31") from None


def period_option(
    period: str | None, start: str | None, end: str | None, fiscal_year_start_month: int = 1
) -> tuple[str, dt.date | None, dt.date | None] | None:
    """The period of ``--period`` or ``--from``/``--to`` (None when none is given): a label
    and its bounds (None bounds are filled in by :func:`resolve`)."""
    if period is not None and (start is not None or end is not None):
        raise _usage("--period", "cannot be combined with --from/--to", f"give either --period ({FORMS}) or dates")
    if period is not None:
        return parse_period(period, fiscal_year_start_month)
    if start is None and end is None:
        return None
    first = _date("--from", start) if start is not None else None
    last = _date("--to", end) if end is not None else None
    if first is not None and last is not None and last < first:
        raise _usage(f"--to {last}", f"is before --from {first}", "give the earlier date with --from")
    return f"{first or ''}..{last or ''}", first, last


def resolve(
    settings: Settings,
    settings_path: Path | None,
    as_of: dt.date | None,
    period: tuple[str, dt.date | None, dt.date | None] | None,
) -> tuple[dt.date, Period]:
    """The checked as-of date and period. An as-of date outside the fiscal year, or a
    period starting after it, is refused: a usage error for ``--as-of``/``--period``, a
    located error for ``as_of`` in kam.yaml."""
    fy_start, fy_end = fiscal_year_bounds(settings.fiscal_year, settings.fiscal_year_start_month)
    span = f"fiscal year {settings.fiscal_year} runs {fy_start} to {fy_end}"
    if as_of is not None:
        if not fy_start <= as_of <= fy_end:
            raise _usage(
                f"--as-of {as_of}",
                f"is outside fiscal year {settings.fiscal_year}",
                f"give a date from {fy_start} to {fy_end}, or change fiscal_year in kam.yaml",
            )
    else:
        as_of = settings.as_of
        if not fy_start <= as_of <= fy_end:
            raise WorkbenchError(
                Diagnostic(
                    "as-of-outside-fiscal-year",
                    f"as_of {as_of} is outside fiscal year {settings.fiscal_year} ({span})",
                    settings_location(settings_path, "as_of"),
                    hint=f"set as_of to a date from {fy_start} to {fy_end}, or change fiscal_year",
                )
            )
    if period is None:
        label, start, end = DEFAULT_LABEL, fy_start, fy_end
    else:
        label, first, last = period
        start, end = first or fy_start, last or max(as_of, first or fy_start)
        if end < start:
            raise _usage(f"--to {end}", f"is before the start of the period ({start})", "give a later date")
    if start > as_of:
        option = "--from" if ".." in label else "--period"
        raise _usage(
            f"{option} {label}",
            f"starts {start}, after the as-of date {as_of}",
            f"choose a period that starts on or before {as_of}, or a later --as-of (up to {fy_end})",
        )
    through = min(end, as_of)
    comparison_end = month_end(shift_year(through)) if through == end and month_end(through) == through else None
    return as_of, Period(
        label=label,
        start=start,
        end=end,
        through=through,
        comparison_start=shift_year(start),
        comparison_end=comparison_end or shift_year(through),
    )


def settings_location(path: Path | None, key: str) -> Location:
    """Where the dotted `key` (``activity.alert_below``) is written in kam.yaml: its value,
    else its nearest written ancestor, else line 1; the file alone when it cannot be read."""
    if path is None:
        return Location()
    from workbench.plan.load import display_path, read_source

    src = read_source(path)
    if not src.ok:
        return Location(file=display_path(path))
    return src.location(src.value_pos(tuple(key.split("."))), key)
