"""Check findings worded for a booklet: the catalogue's text in the booklet's language,
with the finding's arguments (kept as plain text by ``kam check``) formatted by the
booklet's locale — ``¥1,234.50`` and ``251.8%`` rather than ``1,234.50`` and
``251.8 %`` — and the location written in the same language (``第 812 行`` / ``row 812``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from workbench.errors import Diagnostic, Location
from workbench.messages import Messages
from workbench.render.locale import Locale

MONEY = frozenset({"outstanding", "limit", "overdue", "price", "guideline", "latest"})
PERCENT = frozenset({"used", "spread", "mean", "alert"})
SIGNED_PERCENT = frozenset({"deviation"})
DATES = frozenset({"due", "date", "latest_date"})
NUMBERS = frozenset({"days", "order", "count", "observations", "period"})
GOAL_VALUES = frozenset({"reported", "ledger"})


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("%", "").replace("¥", "").strip())
    except InvalidOperation:
        return None


def format_arg(name: str, value: str, t: Messages, loc: Locale, goal_metric: str | None = None) -> str:
    """`value` of argument `name` in the booklet's formats; unknown names, and values
    that do not parse as their kind, stay as they are."""
    if name in MONEY or (name in GOAL_VALUES and goal_metric in (None, "revenue", "gross_margin", "collection")):
        number = _decimal(value)
        return loc.money(number) if number is not None else value
    if name in GOAL_VALUES:
        number = _decimal(value)
        if number is None:
            return value
        return (
            loc.pct(number)
            if goal_metric == "margin_rate"
            else loc.number(number, 0 if number == number.to_integral() else 1)
        )
    if name in PERCENT or name in SIGNED_PERCENT:
        number = _decimal(value)
        if number is None:
            return value
        return loc.pct(number / 100, 1, signed=name in SIGNED_PERCENT)
    if name in DATES:
        try:
            return loc.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if name in NUMBERS:
        number = _decimal(value)
        if number is None:
            return value
        return loc.number(number, 0 if number == number.to_integral() else 1)
    if name == "months":
        months = [m.strip() for m in value.split(",") if m.strip()]
        try:
            return t("list.separator").join(loc.month(m) for m in months)
        except ValueError:
            return value
    return value


def finding_words(
    d: Diagnostic, t: Messages, loc: Locale, goal_metric: Callable[[str], str | None] | None = None
) -> tuple[str, str | None]:
    """The finding's message and hint in `t`'s language and `loc`'s formats. Findings
    without a catalogue text keep their own words."""
    if f"finding.{d.code}" not in t:
        return d.message, d.hint
    args = dict(d.args)
    metric = goal_metric(args["id"]) if goal_metric is not None and "id" in args else None
    values: dict[str, str] = {}
    for name, value in d.args:
        if name.endswith("_key"):
            values[name[:-4]] = t("list.separator").join(t(k) for k in value.split(",") if k)
        else:
            values[name] = format_arg(name, value, t, loc, metric)
    hint = t(f"hint.{d.code}", **values) if f"hint.{d.code}" in t else d.hint
    return t(f"finding.{d.code}", **values), hint


def where(location: Location, t: Messages) -> str:
    """``销售台账.xlsx › 销售 › 第 812 行 › 数量`` / ``sales.xlsx › Sales › row 812 › qty``;
    text files as ``plans/acme.yaml:12:5``."""
    if location.sheet is not None or location.row is not None:
        parts = [p for p in (location.file, location.sheet) if p]
        if location.row is not None:
            parts.append(t("where.row", row=location.row))
        if location.column:
            parts.append(location.column)
        return " › ".join(parts)
    return location.short()
