"""Checks across rows and sheets, after every file is typed and before the rules run.

* A customer listed twice in the customers sheets with different details (owner, credit
  limit …): which one holds is a guess, so it is an error naming both rows. Identical
  copies are kept once.
* Customer ids that differ only by leading zeros (``231`` and ``00231``): a number cell in
  one export and a text cell in another split one customer in two. An error naming a row
  of each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import Diagnostic, Location

if TYPE_CHECKING:
    import polars as pl

ERROR_LIMIT = 50


def _where(row: dict[str, object]) -> Location:
    return Location(file=str(row["src_file"]), sheet=str(row["src_sheet"]) or None, row=int(row["src_row"]))  # type: ignore[call-overload]


def _place(row: dict[str, object]) -> str:
    return _where(row).short()


def check_customers(frames: dict[str, pl.DataFrame]) -> tuple[dict[str, pl.DataFrame], list[Diagnostic]]:
    """The frames with exact duplicate customers dropped, and the conflicts found."""
    import polars as pl

    problems: list[Diagnostic] = []
    customers = frames["customers"]
    if customers.height:
        details = [c for c in customers.columns if not c.startswith("src_")]
        distinct = customers.unique(subset=details, keep="first", maintain_order=True)
        repeated = distinct.filter(pl.col("customer").is_duplicated())
        for cid in repeated.get_column("customer").unique(maintain_order=True).head(ERROR_LIMIT).to_list():
            rows = repeated.filter(pl.col("customer") == cid).head(2).to_dicts()
            differ = [c for c in details if c != "customer" and rows[0][c] != rows[1][c]]
            problems.append(
                Diagnostic(
                    "duplicate-customer",
                    f"customer `{cid}` is listed twice with different {', '.join(differ)}: "
                    f"here and at {_place(rows[1])}",
                    _where(rows[0]),
                    hint="keep one row per customer in the customer master",
                )
            )
        frames = {**frames, "customers": distinct}
    return frames, problems + _leading_zeros(frames)


def _leading_zeros(frames: dict[str, pl.DataFrame]) -> list[Diagnostic]:
    import polars as pl

    firsts = []
    for frame in frames.values():
        if frame.height and "customer" in frame.columns:
            firsts.append(
                frame.filter(pl.col("customer").is_not_null())
                .unique(subset="customer", keep="first", maintain_order=True)
                .select("customer", "src_file", "src_sheet", "src_row")
            )
    if not firsts:
        return []
    ids = pl.concat(firsts).unique(subset="customer", keep="first", maintain_order=True)
    digits = ids.filter(pl.col("customer").str.contains(r"^\d+$"))
    digits = digits.with_columns(pl.col("customer").str.strip_chars_start("0").alias("_bare"))
    clashes = digits.filter(pl.col("_bare").is_duplicated())
    problems = []
    for bare in clashes.get_column("_bare").unique(maintain_order=True).head(ERROR_LIMIT).to_list():
        rows = clashes.filter(pl.col("_bare") == bare).to_dicts()
        forms = " and ".join(f"`{r['customer']}`" for r in rows)
        problems.append(
            Diagnostic(
                "id-leading-zeros",
                f"customer ids {forms} differ only by leading zeros (`{rows[1]['customer']}` at {_place(rows[1])})",
                _where(rows[0]),
                hint="a number cell drops leading zeros: format the customer id column as text in the ERP "
                "export, so that every sheet and file writes the id the same way",
            )
        )
    return problems
