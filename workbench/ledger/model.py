"""The canonical ledger: what ingestion produces and analytics consume.

Every sheet kind becomes one polars DataFrame with the canonical columns below, whatever
the workbook called them. Money and quantities are exact decimals; ids are text. Each row
keeps its provenance (``src_file``, ``src_sheet``, ``src_row``) so that findings can name
``file › sheet › row``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

QTY_SCALE = 4
PRICE_SCALE = 4
MONEY_SCALE = 2

SHEET_KINDS = ("sales", "payments", "inventory", "prices", "customers")

# canonical column → polars dtype name (see `dtypes()`); `?` marks nullable-by-design columns
SALES_COLUMNS = {
    "date": "date",
    "invoice": "str",
    "customer": "str",
    "salesperson": "str",  # order taker
    "sku": "str",
    "product_line": "str?",  # empty on non-product lines (postage, fees)
    "quantity": "qty",  # negative = return
    "unit_price": "price",
    "unit_cost": "price",
    "amount": "money?",  # as exported; checked against quantity × unit_price
    "region": "str?",  # region of the delivery
}
PAYMENTS_COLUMNS = {
    "date": "date",
    "customer": "str",
    "invoice": "str?",  # empty: unapplied
    "amount": "money",
}
INVENTORY_COLUMNS = {
    "date": "date",
    "customer": "str",
    "sku": "str",
    "on_hand": "qty",
    "sold": "qty",  # sell-out since the last report
}
PRICES_COLUMNS = {
    "date": "date",
    "customer": "str",
    "sku": "str",
    "price": "price",
    "guideline": "price?",  # when the workbook carries one; else the settings' price list
}
CUSTOMERS_COLUMNS = {
    "customer": "str",
    "name": "str",
    "owner": "str",  # assigned salesperson (account owner)
    "region": "str?",
    "credit_term_days": "int?",
    "credit_limit": "money?",
}
PROVENANCE_COLUMNS = {"src_file": "str", "src_sheet": "str", "src_row": "int"}

COLUMNS: dict[str, dict[str, str]] = {
    "sales": SALES_COLUMNS,
    "payments": PAYMENTS_COLUMNS,
    "inventory": INVENTORY_COLUMNS,
    "prices": PRICES_COLUMNS,
    "customers": CUSTOMERS_COLUMNS,
}


def dtypes(kind: str) -> dict[str, pl.DataType]:
    """The polars schema of a canonical sheet kind, provenance columns included."""
    import polars as pl

    base = {
        "date": pl.Date(),
        "str": pl.String(),
        "int": pl.Int64(),
        "qty": pl.Decimal(38, QTY_SCALE),
        "price": pl.Decimal(38, PRICE_SCALE),
        "money": pl.Decimal(38, MONEY_SCALE),
    }
    out = {name: base[t.rstrip("?")] for name, t in COLUMNS[kind].items()}
    out.update({name: base[t] for name, t in PROVENANCE_COLUMNS.items()})
    return out


def empty_frame(kind: str) -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(schema=dtypes(kind))


@dataclass(frozen=True)
class RuleCount:
    """What one data-quality rule did during ingestion."""

    rule: str  # returns, cancelled, missing_customer, duplicates, zero_price, ...
    policy: str  # keep, exclude, error
    rows: int  # rows matched
    amount: str | None = None  # money affected, as a decimal string, when meaningful
    examples: tuple[str, ...] = ()  # a few `file › sheet › row N` places


@dataclass(frozen=True)
class SourceFile:
    path: str  # as given (relative to the portfolio when inside it)
    sha256: str
    sheets: tuple[tuple[str, str, int], ...]  # (sheet name, kind, data rows)
    cached: bool = False


@dataclass(frozen=True)
class Ledger:
    """All transactions of a portfolio, one canonical DataFrame per sheet kind.

    Sheets a workbook did not provide are empty frames with the canonical schema. When no
    customers sheet exists, `customers` is built from the plans (see `analyze`).
    """

    sales: pl.DataFrame
    payments: pl.DataFrame
    inventory: pl.DataFrame
    prices: pl.DataFrame
    customers: pl.DataFrame
    sources: tuple[SourceFile, ...] = ()
    rules: tuple[RuleCount, ...] = ()
    customers_from_workbook: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def empty(cls) -> Ledger:
        return cls(
            sales=empty_frame("sales"),
            payments=empty_frame("payments"),
            inventory=empty_frame("inventory"),
            prices=empty_frame("prices"),
            customers=empty_frame("customers"),
            customers_from_workbook=False,
        )
