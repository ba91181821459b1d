"""Typing every cell deliberately, a whole column at a time.

Cells arrive as text (see ``read``). Each canonical column is parsed by its declared type:

* dates: ``2025-01-03``, ``2025-3-2``, with a time (``2025-01-03 14:30``,
  ``2025-01-03T14:30:00``; a date cell's hidden time is dropped), ``20250103``, Excel serial
  numbers (1900 or 1904 date system) mapping to 1990–2100, and the settings' text formats;
* numbers: exact decimals at the column's scale (2 decimals for money, 4 for prices and
  quantities; more are rounded half away from zero: ``1020.005`` → 1020.01), from text with currency symbols and proper thousands grouping
  (``1,020.50``; with ``ledger.decimal_comma``: ``1.020,50`` and ``1 020,50``) — never through
  binary floats; ``42,50`` without that setting is an error, never 4250;
* ids and names: text as written, leading zeros kept (``231.0`` from a number cell → ``231``);
  a numeric id beyond 2^53 lost digits in Excel and is an error.

Each column is parsed once by a fast vectorised path that fits clean exports; only the cells
it rejects go through the slower, more lenient path, and what still fails becomes a
diagnostic naming ``file › sheet › row N › header``, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location
from workbench.ledger.columns import EXTRA_COLUMNS
from workbench.ledger.model import COLUMNS, MONEY_SCALE, PRICE_SCALE, QTY_SCALE

if TYPE_CHECKING:
    import polars as pl

EXCEL_1900 = dt.date(1899, 12, 30)
EXCEL_1904 = dt.date(1904, 1, 1)
SERIAL_WINDOW = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
"""Excel serial numbers are read as dates only inside this window: a bare 5 or 2025 in a
date column is a mistake, not 1900-01-04 or 1905-07-17."""
SCALES = {"qty": QTY_SCALE, "price": PRICE_SCALE, "money": MONEY_SCALE}
EXTRA_DIGITS = 8  # text is parsed this many decimals finer than the column, then rounded half away from zero
MAX_EXACT_ID = 2**53  # beyond this a number cell cannot hold every digit
EXPECTED = {
    "date": "a date (a date cell, YYYY-MM-DD or one of `ledger.date_formats`)",
    "qty": "a number",
    "price": "a number",
    "money": "an amount (a number; `1,234.50` and `¥1,234.50` are fine)",
    "int": "a whole number",
}
ERROR_LIMIT = 50
RULE_DECIDES = {("sales", "customer")}
"""Empty required cells that a data-quality rule handles by its policy (``missing_customer``)."""
ID_COLUMNS = {"invoice", "customer", "sku"}

_CURRENCY = r"^(?:[¥￥$€£]|RMB|CNY|USD|EUR)\s*|\s*(?:[¥￥$€£]|元)$"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"


@dataclass(frozen=True)
class TypeOptions:
    date1904: bool = False
    date_formats: Sequence[str] = ()
    decimal_comma: bool = False
    from_text: bool = False  # CSV: every cell is text (`1.020` cannot be a number cell)


@dataclass
class TypedSheet:
    frame: pl.DataFrame
    diagnostics: list[Diagnostic] = field(default_factory=list)  # at most ERROR_LIMIT
    counts: dict[str, int] = field(default_factory=dict)  # every bad cell by code


def column_types(kind: str) -> dict[str, str]:
    return {
        **COLUMNS[kind],
        **{k: v for k, v in EXTRA_COLUMNS.items() if kind in ("sales", "payments") or k != "currency"},
    }


# ------------------------------------------------------------------------------ dates


def _date_fast(col: str) -> pl.Expr:
    """Date cells (calamine writes them as ``2025-01-03 00:00:00``) and ISO text."""
    import polars as pl

    text = pl.col(col)
    return pl.coalesce(text.str.to_date("%Y-%m-%d %H:%M:%S", strict=False), text.str.to_date("%Y-%m-%d", strict=False))


def _date_slow(values: pl.Series, opts: TypeOptions) -> pl.Series:
    """Every other way a date is written, for the cells the fast path rejected."""
    import polars as pl

    frame = pl.DataFrame({"t": values.str.strip_chars()})
    day = pl.col("t").str.extract(rf"^(.+?){_TIME}$", 1)
    epoch = EXCEL_1904 if opts.date1904 else EXCEL_1900
    serial = pl.col("t").str.extract(r"^(\d{1,6})(?:\.\d+)?$", 1).cast(pl.Int64, strict=False)
    from_serial = pl.lit(epoch, dtype=pl.Date) + pl.duration(days=serial)
    low, high = SERIAL_WINDOW
    plausible = from_serial.is_between(pl.lit(low), pl.lit(high))
    formats = ["%Y-%m-%d", *(f for f in opts.date_formats if f != "%Y-%m-%d")]
    candidates = [day.str.to_date(fmt, strict=False) for fmt in formats]
    candidates.append(pl.when(day.str.contains(r"^\d{8}$")).then(day.str.to_date("%Y%m%d", strict=False)))
    candidates.append(pl.when(plausible).then(from_serial))
    return frame.select(pl.coalesce(candidates).alias("d")).get_column("d")


def _is_serial(value: str) -> bool:
    text = value.strip()
    head = text.split(".", 1)[0]
    return head.isdigit() and len(head) <= 6 and (text == head or text[len(head) + 1 :].isdigit())


# ---------------------------------------------------------------------------- numbers

_GAPS = " \u00a0\u202f\u2009"  # spaces that group thousands: plain, no-break, narrow, thin
_PLAIN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def _number_fast(col: str, scale: int) -> pl.Expr:
    """Plain numbers (what number cells become): parsed finely, rounded half away from zero."""
    import polars as pl

    fine = pl.col(col).str.to_decimal(scale=scale + EXTRA_DIGITS)
    return fine.round(scale, mode="half_away_from_zero").cast(pl.Decimal(38, scale))


def _number_slow(values: pl.Series, scale: int, opts: TypeOptions) -> pl.Series:
    """Numbers written as text, for the cells the fast path rejected: a currency symbol,
    thousands grouped by commas or spaces (``1,020.50``, ``1 020.50``) or, with
    ``decimal_comma``, a decimal comma (``42,50``, ``1.020,50``, ``1 020,50``). Anything
    else (``42,50`` without the setting, ``1,2``, ``10%``) stays null."""
    import polars as pl

    text = pl.col("t").str.strip_chars().str.replace_all(_CURRENCY, "")
    gap = f"[{_GAPS}]"
    if opts.decimal_comma:
        rules = [
            (rf"^[+-]?\d{{1,3}}(?:{gap}\d{{3}})+(?:,\d+)?$", text.str.replace_all(gap, "").str.replace(",", ".")),
            (r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$", text.str.replace_all(".", "", literal=True).str.replace(",", ".")),
            (r"^[+-]?\d+,\d+$", text.str.replace(",", ".")),
        ]
        if opts.from_text:  # `1.020` in a CSV: thousands (a number cell would never read so)
            rules.insert(0, (r"^[+-]?\d{1,3}(?:\.\d{3})+$", text.str.replace_all(".", "", literal=True)))
    else:
        rules = [
            (r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$", text.str.replace_all(",", "")),
            (rf"^[+-]?\d{{1,3}}(?:{gap}\d{{3}})+(?:\.\d+)?$", text.str.replace_all(gap, "")),
        ]
    rules.append((_PLAIN, text))
    pattern, result = rules[0]
    cleaned: Any = pl.when(text.str.contains(pattern)).then(result)
    for pattern, result in rules[1:]:
        cleaned = cleaned.when(text.str.contains(pattern)).then(result)
    value = cleaned.otherwise(None).str.to_decimal(scale=scale + EXTRA_DIGITS)
    value = value.round(scale, mode="half_away_from_zero").cast(pl.Decimal(38, scale))
    return pl.DataFrame({"t": values}).select(value.alias("v")).get_column("v")


def _int_fast(col: str) -> pl.Expr:
    import polars as pl

    return pl.col(col).str.strip_chars().str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)


# -------------------------------------------------------------------------------- text


def _text_expr(col: str) -> pl.Expr:
    import polars as pl

    text = pl.col(col).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _whole_number_text(col: str) -> pl.Expr:
    """``231.0`` (a whole number written with its decimal) → ``231``; applied only to the
    columns that hold such a value at all (a regex over every cell costs more than the rest
    of the typing)."""
    import polars as pl

    text = pl.col(col)
    return (
        pl.when(text.str.ends_with(".0") & text.str.contains(r"^\d+\.0+$"))
        .then(text.str.replace(r"\.0+$", ""))
        .otherwise(text)
    )


def _lost_digits(values: pl.Series) -> pl.Series:
    """Positions of ids that are the digits of a binary float beyond 2^53 (a number cell
    whose last digits Excel dropped). Only ids of 16 characters or more are looked at."""
    import polars as pl

    long = (values.str.len_bytes() >= 16).fill_null(False).arg_true()
    if not long.len():
        return long
    frame = pl.DataFrame({"t": values.gather(long)})
    digits = pl.col("t").str.contains(r"^\d{16,}$")
    whole = pl.col("t").cast(pl.Decimal(38, 0), strict=False)
    as_float = pl.col("t").cast(pl.Float64, strict=False).cast(pl.Decimal(38, 0), strict=False)
    lost = digits & (whole > pl.lit(MAX_EXACT_ID, dtype=pl.Decimal(38, 0))) & (as_float == whole)
    return long.filter(frame.select(lost.fill_null(False).alias("x")).get_column("x"))


# ------------------------------------------------------------------------------ sheets


def type_sheet(
    raw: pl.DataFrame,
    kind: str,
    columns: Mapping[str, str],
    headers: Mapping[str, str],
    first_row: int,
    file: str,
    sheet: str,
    opts: TypeOptions,
) -> TypedSheet:
    """Typed canonical frame of the data rows of one sheet.

    `raw` holds the data rows only (text); `columns` maps canonical names to its column
    names, `headers` canonical names to the header text the user sees; `first_row` is the
    sheet row number (1-based) of the first data row. Returns the frame (with provenance
    columns), the diagnostics (at most ERROR_LIMIT) and the count of every bad cell by code."""
    import polars as pl

    from workbench.ledger.model import dtypes

    types = column_types(kind)
    schema = dtypes(kind)
    raw = raw.with_row_index("src_row", offset=first_row)
    # drop rows that are completely empty (blank lines inside a sheet, trailing rows)
    used = list(columns.values())
    if used:
        raw = raw.filter(pl.any_horizontal([pl.col(c).str.len_bytes().fill_null(0) > 0 for c in used]))
    exprs: list[pl.Expr] = []
    parsed: list[tuple[str, str, str]] = []  # canonical, base type, source column
    slow_only = opts.decimal_comma and opts.from_text  # `1.020` must not be taken as 1.02
    for name, typ in types.items():
        base = typ.rstrip("?")
        src = columns.get(name)
        target = schema.get(name, pl.String() if base == "str" else pl.Decimal(38, MONEY_SCALE))
        if src is None:
            exprs.append(pl.lit(None, dtype=target).alias(name))
            continue
        if base == "date":
            value = _date_fast(src)
        elif base in SCALES:
            value = pl.lit(None, dtype=target) if slow_only else _number_fast(src, SCALES[base])
        elif base == "int":
            value = _int_fast(src)
        else:
            value = _text_expr(src)
        exprs.append(value.cast(target).alias(name))
        parsed.append((name, base, src))
    typed = TypedSheet(
        raw.select(
            [*exprs, pl.lit(file).alias("src_file"), pl.lit(sheet).alias("src_sheet"), pl.col("src_row").cast(pl.Int64)]
        )
    )
    bad: dict[tuple[str, str], pl.Series] = {}  # (canonical, code) → positions of its bad cells
    for name, base, src in parsed:
        column = typed.frame.get_column(name)
        if base != "str" and column.null_count():
            text = raw.get_column(src)
            rejected = (column.is_null() & (text.str.len_bytes() > 0)).fill_null(False).arg_true()
            if rejected.len():
                still = _retry(typed, raw, name, base, src, rejected, opts)
                if still.len():
                    bad[(name, f"bad-{'date' if base == 'date' else 'number'}")] = still
            column = typed.frame.get_column(name)
        elif base == "str" and column.str.ends_with(".0").any():
            typed.frame = typed.frame.with_columns(_whole_number_text(name).alias(name))
            column = typed.frame.get_column(name)
        if base == "str" and name in ID_COLUMNS:
            lost = _lost_digits(column)
            if lost.len():
                bad[(name, "bad-id")] = lost
        if not types[name].endswith("?") and (kind, name) not in RULE_DECIDES and column.null_count():
            empty = column.is_null()
            for (other, _), positions in bad.items():
                if other == name:
                    empty = empty.scatter(positions, False)
            empty_at = empty.arg_true()
            if empty_at.len():
                bad[(name, "missing-value")] = empty_at
    if bad:
        _describe(typed, raw, bad, columns, headers, types, file, sheet)
    return typed


def _retry(
    typed: TypedSheet, raw: pl.DataFrame, name: str, base: str, src: str, rejected: pl.Series, opts: TypeOptions
) -> pl.Series:
    """Parse the cells the fast path rejected by the lenient path; return the positions still
    bad (a cell of only spaces is empty, not bad)."""
    import polars as pl

    values = raw.get_column(src).gather(rejected)
    if base == "date":
        fixed = _date_slow(values, opts)
    elif base in SCALES:
        fixed = _number_slow(values, SCALES[base], opts)
    else:
        fixed = values.str.strip_chars().str.replace(r"\.0+$", "").cast(typed.frame.schema[name], strict=False)
    good = fixed.is_not_null()
    if good.any():  # put the fixed values in place (a join: Series.scatter lacks decimals before polars 2)
        dtype = typed.frame.schema[name]
        fix = pl.DataFrame({"_at": rejected.filter(good).cast(pl.UInt32), "_fixed": fixed.filter(good).cast(dtype)})
        typed.frame = (
            typed.frame.with_row_index("_at")
            .join(fix, on="_at", how="left", maintain_order="left")
            .with_columns(pl.coalesce(name, "_fixed").alias(name))
            .drop("_at", "_fixed")
        )
    blank = values.str.strip_chars() == ""
    return rejected.filter(~good & ~blank)


_HINTS = {
    "bad-number": "correct the cell in the workbook and export again",
    "bad-date": "correct the cell in the workbook and export again",
}


def _describe(
    typed: TypedSheet,
    raw: pl.DataFrame,
    bad: dict[tuple[str, str], pl.Series],
    columns: Mapping[str, str],
    headers: Mapping[str, str],
    types: Mapping[str, str],
    file: str,
    sheet: str,
) -> None:
    """Diagnostics for the bad cells in sheet order (at most ERROR_LIMIT); counts of all."""
    found: list[tuple[int, int, Diagnostic]] = []
    order = list(types)
    for (name, code), positions in bad.items():
        typed.counts[code] = typed.counts.get(code, 0) + positions.len()
        head = positions.head(ERROR_LIMIT)
        rows = raw.get_column("src_row").gather(head).to_list()
        cells = raw.get_column(columns[name]).gather(head).to_list()
        for row, cell in zip(rows, cells, strict=True):
            loc = Location(file=file, sheet=sheet or None, row=row, column=headers.get(name, name))
            found.append((row, order.index(name), _cell_diagnostic(code, name, types[name].rstrip("?"), cell, loc)))
    found.sort(key=lambda f: (f[0], f[1]))
    typed.diagnostics = [d for _, _, d in found[:ERROR_LIMIT]]


def _cell_diagnostic(code: str, name: str, base: str, cell: object, loc: Location) -> Diagnostic:
    if code == "missing-value":
        return Diagnostic(
            code,
            f"`{name}` is empty",
            loc,
            hint="every line needs this value; fill it in or delete the line",
        )
    if code == "bad-id":
        return Diagnostic(
            code,
            f"`{cell}` is a number too long for Excel: its last digits are lost",
            loc,
            hint="format the id column as text in the ERP export (Excel keeps 15 significant digits of a number)",
        )
    text = str(cell).strip()
    hint = _HINTS[code]
    if code == "bad-date" and _is_serial(text):
        hint = (
            "a bare number in a date column is read as an Excel date serial only between 1990 and 2100; "
            "write the date as YYYY-MM-DD or format the cell as a date"
        )
    elif code == "bad-number" and re.search(r"\d,(?:\d{1,2}|\d{4,})(?!\d)", text):
        hint = (
            f"decimal comma? `{text}` is read with a decimal comma only with `ledger.decimal_comma: true` in "
            "kam.yaml; otherwise a comma must group thousands (`1,020.50`)"
        )
    return Diagnostic(code, f"`{text}` is not {EXPECTED[base]}", loc, hint=hint)
