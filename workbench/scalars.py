"""Constrained scalar types shared by the plan and settings models.

Values arrive from YAML as strings (the loader never lets YAML 1.1 type a scalar), so
every type here converts from text deliberately: money is an exact ``Decimal``, ids keep
leading zeros, free text rejects control characters.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
"""Stable item ids (``G2``, ``A-visit-0312``): safe in paths, sheet titles and diffs."""

ACCOUNT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
"""Customer / account ids as the ERP spells them: text, leading zeros kept."""

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u2028\u2029]")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _clean_text(value: str) -> str:
    m = _BAD_CHARS.search(value)
    if m:
        raise ValueError(f"control character U+{ord(m.group()):04X} at position {m.start() + 1}; remove it")
    return unicodedata.normalize("NFC", value)


def _not_reserved(value: str) -> str:
    if value.split(".")[0].upper() in _WINDOWS_RESERVED:
        raise ValueError(f"`{value}` is a reserved file name on Windows; choose another id")
    return value


def _money_text(value: object) -> object:
    """Accept ``1,234.50``, ``¥1,234.50`` and plain numbers; reject floats' noise."""
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        for sym in ("¥", "￥", "$", "€", "£"):
            text = text.replace(sym, "")
        return text
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number (NaN and Infinity are not allowed)")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
"""Free text (Chinese or English). Control characters are rejected."""

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_clean_text)]
LongText = Annotated[str, StringConstraints(max_length=20000), AfterValidator(_clean_text)]

ItemId = Annotated[str, StringConstraints(pattern=ID_PATTERN), AfterValidator(_not_reserved)]
AccountId = Annotated[str, StringConstraints(pattern=ACCOUNT_ID_PATTERN), AfterValidator(_not_reserved)]

Money = Annotated[
    Decimal,
    BeforeValidator(_money_text),
    Field(max_digits=18, decimal_places=2),
    AfterValidator(_finite),
]
"""An amount in the portfolio's currency, exact to the cent."""

Number = Annotated[
    Decimal, BeforeValidator(_money_text), Field(max_digits=18, decimal_places=6), AfterValidator(_finite)
]
"""A target or measured quantity (money, percent, count): exact decimal."""

Score5 = Annotated[int, Field(ge=1, le=5)]
"""A 1–5 score (1 = poor, 5 = excellent)."""

Ratio = Annotated[
    Decimal,
    BeforeValidator(_money_text),
    Field(ge=-10, le=10, max_digits=12, decimal_places=6),
    AfterValidator(_finite),
]
"""A fraction such as 0.80 for 80 %."""


_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _day(value: object) -> object:
    """Dates are written ``YYYY-MM-DD``; anything else (numbers, timestamps) is an error."""
    if isinstance(value, dt.datetime):
        raise _bad_date("give a date without a time, as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _ISO_DAY.fullmatch(value.strip())
        if not m:
            raise _bad_date(f"`{value}` is not a date; write it as YYYY-MM-DD")
        year, month, day = (int(g) for g in m.groups())
        if not 1 <= month <= 12:
            raise _bad_date(f"`{value}` is not a date: there is no month {month}")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise _bad_date(f"`{value}` is not a date: {calendar.month_name[month]} {year} has {last} days")
        return dt.date(year, month, day)
    raise _bad_date("write the date as YYYY-MM-DD")


def _bad_date(message: str) -> PydanticCustomError:
    return PydanticCustomError("bad-date", "{message}", {"message": message})


Day = Annotated[dt.date, BeforeValidator(_day)]
"""A calendar date written ``YYYY-MM-DD`` (never a number, never with a time)."""
