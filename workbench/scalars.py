"""Constrained scalar types shared by the plan and settings models.

Values arrive from YAML as strings (the loader never lets YAML 1.1 type a scalar), so
every type here converts from text deliberately: money is an exact ``Decimal``, ids keep
leading zeros, free text rejects control characters.

Amounts are read strictly: digits 0–9, an optional sign, commas only as thousands
separators (``1,234,567.89``), and at most the portfolio currency's own symbol or code
(``¥1,234.50``, ``1,234.50 CNY``; the currency comes from the validation context, CNY
when there is none). ``12,34``, ``$100`` in a CNY portfolio, ``1e3``, full-width digits,
``NaN`` and ``Infinity`` are errors with a hint, never a silently different number.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
"""Stable item ids (``G2``, ``A-visit-0312``): safe in paths, sheet titles and diffs."""

ACCOUNT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
"""Customer / account ids as the ERP spells them: text, leading zeros kept."""

CURRENCY_PATTERN = r"^[A-Z]{3}$"
"""ISO 4217 currency codes."""

DEFAULT_CURRENCY = "CNY"

CURRENCY_SYMBOLS: dict[str, tuple[str, ...]] = {
    "CNY": ("¥", "￥", "RMB", "元"),
    "JPY": ("¥", "￥", "円"),
    "USD": ("$", "US$"),
    "EUR": ("€",),
    "GBP": ("£",),
    "HKD": ("HK$",),
    "TWD": ("NT$",),
    "SGD": ("S$",),
    "AUD": ("A$",),
    "CAD": ("C$",),
    "KRW": ("₩",),
    "INR": ("₹",),
}
"""Symbols an amount may carry besides the ISO code, per portfolio currency."""

_SYMBOLS = sorted({s for group in CURRENCY_SYMBOLS.values() for s in group}, key=len, reverse=True)
_CODE = re.compile(r"[A-Z]{3}")
_CODE_FIRST = re.compile(r"(?P<code>[A-Z]{3})\s*(?P<amount>[+-]?[0-9.,]+)")
_CODE_LAST = re.compile(r"(?P<amount>[+-]?[0-9.,]+)\s*(?P<code>[A-Z]{3})")
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?)")
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_NOT_FINITE = frozenset({"nan", "inf", "infinity", ".nan", ".inf"})

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u2028\u2029]")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

DIGITS_HINT = "write the digits 0–9 (half-width); full-width and other scripts' digits are not read as numbers"


def has_foreign_digits(text: str) -> bool:
    """Whether `text` holds decimal digits other than ASCII 0–9 (full-width, Arabic-Indic...)."""
    return any(not ch.isascii() and unicodedata.category(ch) == "Nd" for ch in text)


def _clean_text(value: str) -> str:
    m = _BAD_CHARS.search(value)
    if m:
        raise PydanticCustomError(
            "control-character",
            "control character U+{code} is not allowed in plan text",
            {"code": f"{ord(m.group()):04X}", "hint": "delete it"},
        )
    return unicodedata.normalize("NFC", value)


def _not_reserved(value: str) -> str:
    if value.split(".")[0].upper() in _WINDOWS_RESERVED:
        raise PydanticCustomError(
            "reserved-name",
            "`{value}` is a reserved file name on Windows",
            {"value": value, "hint": "choose another id (ids become file and sheet names)"},
        )
    return value


def _bad_number(message: str, hint: str, **values: Any) -> PydanticCustomError:
    return PydanticCustomError("bad-number", message, {**values, "hint": hint})


def _currency(info: ValidationInfo | None) -> str:
    context = info.context if info is not None else None
    currency = context.get("currency") if isinstance(context, dict) else None
    return currency if isinstance(currency, str) and _CODE.fullmatch(currency) else DEFAULT_CURRENCY


def _strip_currency(text: str, currency: str) -> str:
    """`text` without the portfolio currency's symbol or code; another currency's is an error."""
    allowed = (*CURRENCY_SYMBOLS.get(currency, ()), currency)
    body = text
    sign = ""
    if body[:1] in "+-":
        sign, body = body[0], body[1:].lstrip()
    found = None
    for sym in _SYMBOLS:
        if body.startswith(sym):
            found, body = sym, body[len(sym) :].lstrip()
            break
        if body.endswith(sym):
            found, body = sym, body[: -len(sym)].rstrip()
            break
    if found is None:
        m = _CODE_FIRST.fullmatch(body) or _CODE_LAST.fullmatch(body)
        if m is not None:
            found, body = m.group("code"), m.group("amount")
    if found is not None and found not in allowed:
        shown = "`, `".join(allowed[:2])
        raise _bad_number(
            "`{value}` is written in another currency (`{symbol}`); this portfolio's amounts are in {currency}",
            f"convert it to {currency} and write the number alone (or with `{shown}`)",
            value=text,
            symbol=found,
            currency=currency,
        )
    return sign + body


def _decimal_text(value: object, info: ValidationInfo | None, symbols: bool) -> object:
    if isinstance(value, bool):
        raise _bad_number("`{value}` is not a number", "write digits, e.g. 1200000", value=str(value))
    if isinstance(value, float):
        return Decimal(repr(value))
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower().lstrip("+-") in _NOT_FINITE:
        raise _bad_number(
            "`{value}` is not a number: NaN and Infinity are not allowed", "write a finite amount", value=text
        )
    if has_foreign_digits(text):
        raise _bad_number("`{value}` is written with full-width or non-Latin digits", DIGITS_HINT, value=text)
    if symbols:
        text = _strip_currency(text, _currency(info))
    elif text.endswith("%"):
        raise _bad_number(
            "`{value}` is a percentage; rates are written as fractions",
            f"write {_fraction(text[:-1])} for {text}",
            value=text,
        )
    if _EXPONENT.fullmatch(text):
        raise _bad_number(
            "`{value}` is written in exponent notation", "write the digits out, e.g. 1000 for 1e3", value=value.strip()
        )
    if not _AMOUNT.fullmatch(text):
        if "," in text and re.fullmatch(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?", text):
            raise _bad_number(
                "`{value}` is not a number: a comma may only separate thousands (1,234,567.89)",
                "write the decimal point as `.` and group digits by three, or leave the commas out",
                value=value.strip(),
            )
        raise _bad_number(
            "`{value}` is not a number",
            "write digits, e.g. 1200000 or 1,200,000.50" if symbols else "write a fraction, e.g. 0.25 for 25 %",
            value=value.strip(),
        )
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise _bad_number("`{value}` is not a number", "write digits", value=value.strip()) from None


def _fraction(text: str) -> str:
    try:
        return format(Decimal(text.strip()) / 100, "f")
    except InvalidOperation:
        return "0.25"


def _money_text(value: object, info: ValidationInfo) -> object:
    """Amounts: ``1234.50``, ``1,234.50``, ``¥1,234.50`` (the portfolio currency's symbol)."""
    return _decimal_text(value, info, symbols=True)


def _ratio_text(value: object) -> object:
    """Fractions such as ``0.25``: no currency, no percent sign."""
    return _decimal_text(value, None, symbols=False)


def _exact(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise _bad_number(
            "`{value}` is not a number: NaN and Infinity are not allowed", "write a finite amount", value=str(value)
        )
    if value.as_tuple().exponent > 0:  # type: ignore[operator]  # Decimal("1E+3") → Decimal("1000")
        value = value.quantize(Decimal(1))
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
    AfterValidator(_exact),
]
"""An amount in the portfolio's currency, exact to the cent."""

Number = Annotated[
    Decimal, BeforeValidator(_money_text), Field(max_digits=18, decimal_places=6), AfterValidator(_exact)
]
"""A target or measured quantity (money, percent, count): exact decimal."""

Score5 = Annotated[int, Field(ge=1, le=5)]
"""A 1–5 score (1 = poor, 5 = excellent)."""

Ratio = Annotated[
    Decimal,
    BeforeValidator(_ratio_text),
    Field(ge=-10, le=10, max_digits=12, decimal_places=6),
    AfterValidator(_exact),
]
"""A fraction such as 0.80 for 80 %."""


_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def _day(value: object) -> object:
    """Dates are written ``YYYY-MM-DD``; anything else (numbers, timestamps) is an error."""
    if isinstance(value, dt.datetime):
        raise _bad_date("give a date without a time, as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if has_foreign_digits(text):
            raise _bad_date(f"`{text}` is written with full-width or non-Latin digits", DIGITS_HINT)
        m = _ISO_DAY.fullmatch(text)
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


def _bad_date(message: str, hint: str | None = None) -> PydanticCustomError:
    context: dict[str, Any] = {"message": message}
    if hint:
        context["hint"] = hint
    return PydanticCustomError("bad-date", "{message}", context)


Day = Annotated[dt.date, BeforeValidator(_day)]
"""A calendar date written ``YYYY-MM-DD`` (never a number, never with a time)."""
