"""Numbers, money and dates as a Chinese or an English reader expects them.

zh: ¥1,234,567.00 · 12.3% · 2026年3月 · 2026年3月2日; en: ¥1,234,567.00 · 12.3% · Mar 2026 · 2 Mar 2026.
Missing values (a margin rate of zero revenue) are shown as "—", never as an error.

Money in booklets follows one rule: amounts a reader reconciles against another document
(receivables, invoices, goal targets and actuals, budgets, prices) carry two decimals;
overview figures (KPI cards, revenue by line or region, rankings, chart labels) are whole
currency units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "¥"}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DASH = "—"


def _group(value: Decimal, places: int) -> str:
    q = Decimal(1).scaleb(-places)
    return f"{value.quantize(q, rounding=ROUND_HALF_UP):,.{places}f}"


@dataclass(frozen=True)
class Locale:
    language: str  # "zh" or "en"
    currency: str = "CNY"

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.currency, self.currency + " ")

    def money(self, value: Decimal | int | None, places: int = 2) -> str:
        if value is None:
            return DASH
        value = Decimal(value)
        sign = "-" if value < 0 else ""
        return f"{sign}{self.symbol}{_group(abs(value), places)}"

    def money_short(self, value: Decimal | int | None) -> str:
        """Compact money for captions and tight tables: ¥1,234.6万 / ¥12.35M / ¥12.3K."""
        if value is None:
            return DASH
        value = Decimal(value)
        if self.language == "zh":
            if abs(value) >= 10_000:
                return f"{self.symbol}{_group(value / 10_000, 1)}万"
            return self.money(value, 0)
        if abs(value) >= 1_000_000:
            return f"{self.symbol}{_group(value / 1_000_000, 2)}M"
        if abs(value) >= 1_000:
            return f"{self.symbol}{_group(value / 1_000, 1)}K"
        return self.money(value, 0)

    def number(self, value: Decimal | int | None, places: int = 0) -> str:
        return DASH if value is None else _group(Decimal(value), places)

    def pct(self, value: Decimal | None, places: int = 1, signed: bool = False) -> str:
        if value is None:
            return DASH
        text = _group(Decimal(value) * 100, places)
        if signed and value > 0:
            text = "+" + text
        return text + "%"

    def month(self, value: dt.date | str) -> str:
        day = dt.date.fromisoformat(value + "-01") if isinstance(value, str) else value
        return f"{day.year}年{day.month}月" if self.language == "zh" else f"{MONTHS_EN[day.month - 1]} {day.year}"

    def month_short(self, value: str) -> str:
        day = dt.date.fromisoformat(value + "-01")
        return f"{day.month}月" if self.language == "zh" else MONTHS_EN[day.month - 1]

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return DASH
        return (
            f"{value.year}年{value.month}月{value.day}日"
            if self.language == "zh"
            else f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
        )
