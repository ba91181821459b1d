"""Naming what the reader found wrong in a sheet, once its header row and columns are known.

The reader reports cells by sheet coordinates (error cells such as ``#N/A``, formulas
without a cached value, over-long text, CSV rows with more fields than the header) and
merged ranges. Only those inside the data (below the header row) and in a column the
ledger reads matter; each becomes a diagnostic naming ``file › sheet › row N › header
(cell)`` and what to do. Over-long text and extra CSV fields matter in any column.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench.errors import Diagnostic, Location
from workbench.ledger.read import CellIssue, RawSheet
from workbench.ledger.zipscan import column_name

ANY_COLUMN = {"text-too-long", "extra-fields"}


def cell_ref(row: int, col: int) -> str:
    return f"{column_name(col)}{row}"


def reader_issues(raw: RawSheet, header_row: int, used: Mapping[int, str]) -> tuple[list[Diagnostic], dict[str, int]]:
    """Diagnostics for the reader's findings in the data rows of `raw` (below `header_row`,
    1-based) and in the `used` columns (index → header text), with the count by code."""
    out: list[Diagnostic] = []
    counts: dict[str, int] = {}
    listed: dict[str, int] = {}
    for issue in raw.issues:
        listed[issue.code] = listed.get(issue.code, 0) + 1
        if issue.row <= header_row or (issue.code not in ANY_COLUMN and issue.col not in used):
            continue
        counts[issue.code] = counts.get(issue.code, 0) + 1
        out.append(_diagnostic(raw, issue, used.get(issue.col)))
    for code, total in raw.issue_counts.items():
        beyond = total - listed.get(code, 0)  # not listed by the reader: counted, not placed
        if beyond > 0:
            counts[code] = counts.get(code, 0) + beyond
    for r1, c1, r2, c2 in sorted(raw.merges):
        if r2 <= header_row:
            continue
        columns = [c for c in range(c1, c2 + 1) if c in used]
        if not columns:
            continue
        counts["merged-cells"] = counts.get("merged-cells", 0) + 1
        ref = cell_ref(r1, c1) + (f":{cell_ref(r2, c2)}" if (r1, c1) != (r2, c2) else "")
        out.append(
            Diagnostic(
                "merged-cells",
                f"cells {ref} are merged: every row of the range but the first reads as empty",
                Location(file=raw.file, sheet=raw.name or None, row=max(r1, header_row + 1), column=used[columns[0]]),
                hint="unmerge them and fill the value into every row (Excel: Merge & Center › Unmerge Cells, then "
                "Find & Select › Go To Special › Blanks, type = and the cell above, Ctrl+Enter)",
            )
        )
    beyond = raw.merges_count - len(raw.merges)
    if beyond > 0:
        counts["merged-cells"] = counts.get("merged-cells", 0) + beyond
    return out, counts


def _diagnostic(raw: RawSheet, issue: CellIssue, header: str | None) -> Diagnostic:
    ref = cell_ref(issue.row, issue.col)
    column = f"{header} ({ref})" if header else ref
    loc = Location(file=raw.file, sheet=raw.name or None, row=issue.row, column=column)
    if issue.code == "error-cell":
        return Diagnostic(
            "error-cell",
            f"`{issue.value}` is an Excel error, not a value",
            loc,
            hint="correct the formula or the value in the workbook (or delete the line) and export again",
        )
    if issue.code == "formula-without-value":
        return Diagnostic(
            "formula-without-value",
            f"the formula `{issue.value}` has no saved value (the file was written by a program that does not"
            " calculate formulas)",
            loc,
            hint="open the file in Excel or LibreOffice and save it, so that every formula is calculated;"
            " or replace the formulas by their values",
        )
    if issue.code == "text-too-long":
        return Diagnostic(
            "text-too-long",
            f"the cell holds {issue.value}; Excel allows at most 32,767",
            loc,
            hint="the workbook is damaged or was not written by a spreadsheet program: export it again",
        )
    return Diagnostic(
        "extra-fields",
        f"the row has {issue.value}, the header has {issue.col}",
        Location(file=raw.file, sheet=raw.name or None, row=issue.row),
        hint='unquoted thousands separator? In a CSV a value such as 1,020.00 must be quoted ("1,020.00")'
        " or written without the comma; otherwise a comma inside a value splits it in two",
    )
