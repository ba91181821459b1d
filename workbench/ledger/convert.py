"""Typing every cell deliberately, a whole column at a time.

Cells arrive as text (see ``read``). Each canonical column is parsed by its declared type:

* dates: ``2025-01-03`` / ``2025-01-03 14:30:00`` (a date cell, hidden time dropped),
  Excel serial numbers (1900 or 1904 date system), and the settings' text formats;
* numbers: exact decimals at the column's scale, from text with thousands separators,
  spaces or currency symbols (never through binary floats);
* ids and names: text as written, leading zeros kept (``231.0`` from a number cell → ``231``).

A cell that does not fit becomes a diagnostic naming ``file › sheet › row N › header``,
the value and what was expected. Only failing rows are ever looked at one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from workbench.errors import Diagnostic, Location
from workbench.ledger.columns import EXTRA_COLUMNS
from workbench.ledger.model import COLUMNS, MONEY_SCALE, PRICE_SCALE, QTY_SCALE

if TYPE_CHECKING:
    import polars as pl

EXCEL_1900 = dt.date(1899, 12, 30)
EXCEL_1904 = dt.date(1904, 1, 1)
SCALES = {"qty": QTY_SCALE, "price": PRICE_SCALE, "money": MONEY_SCALE}
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


def column_types(kind: str) -> dict[str, str]:
    return {
        **COLUMNS[kind],
        **{k: v for k, v in EXTRA_COLUMNS.items() if kind in ("sales", "payments") or k != "currency"},
    }


def _date_expr(col: str, date1904: bool, formats: Sequence[str]) -> pl.Expr:
    import polars as pl

    text = pl.col(col).str.strip_chars()
    epoch = EXCEL_1904 if date1904 else EXCEL_1900
    serial = text.str.extract(r"^(\d{1,6})(?:\.0+)?$", 1).cast(pl.Int64, strict=False)
    candidates = [
        text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        pl.lit(epoch, dtype=pl.Date) + pl.duration(days=serial),
    ]
    candidates += [text.str.strptime(pl.Date, fmt, strict=False) for fmt in formats if fmt != "%Y-%m-%d"]
    # "2025-01-03 14:30:00" is a date cell with a time: the first candidate takes its date;
    # anything else of length > 10 must not be read as a date by its first ten characters
    iso_ok = text.str.contains(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d+)?)?$")
    first = pl.when(iso_ok).then(candidates[0])
    return pl.coalesce([first, *candidates[1:]])


def _number_expr(col: str, scale: int) -> pl.Expr:
    import polars as pl

    text = pl.col(col).str.replace_all(r"[,\s¥￥$€£_]", "")
    text = pl.when(text.str.ends_with("%")).then(None).otherwise(text)
    return text.str.to_decimal(scale=scale)


def _int_expr(col: str) -> pl.Expr:
    import polars as pl

    return pl.col(col).str.strip_chars().str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)


def _text_expr(col: str) -> pl.Expr:
    import polars as pl

    text = pl.col(col).str.strip_chars()
    text = text.str.replace(r"^(\d+)\.0$", "${1}")
    return pl.when(text == "").then(None).otherwise(text)


def type_sheet(
    raw: pl.DataFrame,
    kind: str,
    columns: Mapping[str, str],
    headers: Mapping[str, str],
    first_row: int,
    file: str,
    sheet: str,
    *,
    date1904: bool,
    date_formats: Sequence[str],
) -> tuple[pl.DataFrame, list[Diagnostic], int]:
    """Typed canonical frame of the data rows of one sheet.

    `raw` holds the data rows only (text); `columns` maps canonical names to its column
    names, `headers` canonical names to the header text the user sees; `first_row` is the
    sheet row number (1-based) of the first data row. Returns the frame (with provenance
    columns), the diagnostics (at most ERROR_LIMIT, plus one counting the rest) and the
    number of bad cells."""
    import polars as pl

    from workbench.ledger.model import dtypes

    types = column_types(kind)
    schema = dtypes(kind)
    raw = raw.with_row_index("src_row", offset=first_row)
    # drop rows that are completely empty (blank lines inside a sheet, trailing rows)
    used = [c for c in columns.values()]
    if used:
        raw = raw.filter(~pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in used]))
    exprs: list[pl.Expr] = []
    checks: list[tuple[str, str, pl.Expr]] = []  # canonical, kind, "bad" expression
    for name, typ in types.items():
        base = typ.rstrip("?")
        src = columns.get(name)
        target = schema.get(name, pl.String() if base == "str" else pl.Decimal(38, MONEY_SCALE))
        if src is None:
            exprs.append(pl.lit(None, dtype=target).alias(name))
            continue
        given = pl.col(src).is_not_null() & (pl.col(src).str.strip_chars() != "")
        if base == "date":
            value = _date_expr(src, date1904, date_formats)
        elif base in SCALES:
            value = _number_expr(src, SCALES[base])
        elif base == "int":
            value = _int_expr(src)
        else:
            value = _text_expr(src)
        exprs.append(value.cast(target).alias(name))
        if base != "str":
            checks.append((name, base, given & value.is_null()))
        if not typ.endswith("?") and (kind, name) not in RULE_DECIDES:
            checks.append((name, "missing", ~given))
    typed = raw.select(
        [*exprs, pl.lit(file).alias("src_file"), pl.lit(sheet).alias("src_sheet"), pl.col("src_row").cast(pl.Int64)]
    )
    if not checks:
        return typed, [], 0
    flags = raw.select([pl.col("src_row"), *[c[2].alias(f"bad{i}") for i, c in enumerate(checks)]])
    bad_any = flags.filter(pl.any_horizontal([pl.col(f"bad{i}") for i in range(len(checks))]))
    diagnostics: list[Diagnostic] = []
    total = 0
    if bad_any.height:
        values = raw.join(bad_any.select("src_row"), on="src_row")
        for i, (name, base, _) in enumerate(checks):
            hits = bad_any.filter(pl.col(f"bad{i}")).get_column("src_row")
            total += hits.len()
            for row in hits.head(ERROR_LIMIT).to_list():
                if len(diagnostics) >= ERROR_LIMIT:
                    break
                loc = Location(file=file, sheet=sheet, row=row, column=headers.get(name, name))
                if base == "missing":
                    diagnostics.append(
                        Diagnostic(
                            "missing-value",
                            f"`{name}` is empty",
                            loc,
                            hint="every line needs this value; fill it in or delete the line (merged cells leave all but their first cell empty: unmerge them)",
                        )
                    )
                else:
                    cell = values.filter(pl.col("src_row") == row).get_column(columns[name]).item()
                    diagnostics.append(
                        Diagnostic(
                            f"bad-{'date' if base == 'date' else 'number'}",
                            f"`{cell}` is not {EXPECTED[base]}",
                            loc,
                            hint="correct the cell in the workbook and export again",
                        )
                    )
    return typed, diagnostics, total
