"""Real-data rules: what ERP exports contain besides clean invoice lines.

Each rule finds its rows with one vectorised expression, counts them (rows and money) for
the data-quality report, and applies the portfolio's policy: ``keep`` (count only),
``exclude`` (drop the rows) or ``error`` (stop, naming the rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.errors import Diagnostic, Location
from workbench.ledger.model import RuleCount

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import LedgerSettings

EXAMPLES = 3
ERROR_ROWS = 50  # rows named for all rules set to `error` together; the rest are counted
MISMATCH = "_amount_mismatch"


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # sheet kind it applies to
    describe: str  # what a matched row is, for messages
    hint: str
    match: Callable[[LedgerSettings, dict[str, pl.DataFrame], str], pl.Expr]


def _sales_value() -> pl.Expr:
    import polars as pl

    return (pl.col("quantity") * pl.col("unit_price")).cast(pl.Decimal(38, 2))


def _cancelled(s: LedgerSettings, _f: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    markers = [m.lower() for m in s.cancelled_markers]
    return pl.col("status").str.to_lowercase().str.strip_chars().is_in(markers).fill_null(False)


def _non_product(s: LedgerSettings, _f: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    codes = [c.upper() for c in s.non_product_codes]
    return pl.col("sku").str.to_uppercase().is_in(codes).fill_null(False)


def _missing_customer(_s: LedgerSettings, _f: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    return pl.col("customer").is_null()


def _duplicates(_s: LedgerSettings, frames: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    sales = frames["sales"]
    keys = [c for c in sales.columns if not c.startswith("src_") and c != MISMATCH]
    # identical lines share their invoice and sku: when no pair repeats (each SKU once per
    # invoice, as most ERPs write), no line can be a copy, and the wide check is skipped
    if not sales.select(pl.struct("invoice", "sku").is_duplicated().any()).item():
        return pl.col("invoice").is_null() & pl.lit(False)
    return ~pl.struct(keys).is_first_distinct()  # every copy after the first of an identical line


def _returns(_s: LedgerSettings, _f: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    return (pl.col("quantity") < 0).fill_null(False)


def _zero_price(_s: LedgerSettings, _f: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    return (pl.col("unit_price") == 0).fill_null(False)


def _mismatch_before_conversion() -> pl.Expr:
    """amount ≠ quantity × unit price by more than 0.01, in the currency of the export (a
    converted price is rounded to 4 decimals, so converted values need not agree exactly)."""
    import polars as pl

    diff = (pl.col("amount") - _sales_value()).abs()
    return (diff > pl.lit(Decimal("0.01"))).fill_null(False)


def _amount_mismatch(_s: LedgerSettings, _f: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    return pl.col(MISMATCH)


def _no_invoice(_s: LedgerSettings, _f: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    return pl.col("invoice").is_null()


def _unknown_invoice(_s: LedgerSettings, frames: dict[str, pl.DataFrame], _c: str) -> pl.Expr:
    import polars as pl

    known = frames["sales"].get_column("invoice").unique()
    return pl.col("invoice").is_not_null() & ~pl.col("invoice").is_in(known.implode())


def _foreign(s: LedgerSettings, _f: dict[str, pl.DataFrame], currency: str) -> pl.Expr:
    import polars as pl

    known = [currency, *(k.upper() for k in s.currency_rates)]
    code = pl.col("currency").str.strip_chars().str.to_uppercase()
    return pl.col("currency").is_not_null() & (code != "") & ~code.is_in(known)


RULES: tuple[Rule, ...] = (
    Rule(
        "cancelled", "sales", "cancelled invoice line", "the line is marked cancelled in its status column", _cancelled
    ),
    Rule(
        "non_product",
        "sales",
        "non-product line (postage, fees, adjustments)",
        "listed in `ledger.non_product_codes`",
        _non_product,
    ),
    Rule(
        "missing_customer",
        "sales",
        "sales line without a customer id",
        "fill in the customer id in the ERP",
        _missing_customer,
    ),
    Rule(
        "duplicates",
        "sales",
        "exact duplicate of an earlier line",
        "delete the copy, or set `ledger.policies.duplicates: keep`",
        _duplicates,
    ),
    Rule("returns", "sales", "return (negative quantity)", "returns reduce revenue", _returns),
    Rule("zero_price", "sales", "line with a unit price of 0", "samples and free goods", _zero_price),
    Rule(
        "amount_mismatch",
        "sales",
        "amount differs from quantity × unit price by more than 0.01",
        "correct the amount, quantity or unit price",
        _amount_mismatch,
    ),
    Rule(
        "no_invoice_payment",
        "payments",
        "payment naming no invoice",
        "applied to the customer's oldest open invoices first",
        _no_invoice,
    ),
    Rule(
        "unknown_invoice_payment",
        "payments",
        "payment naming an invoice that is not in the sales",
        "kept as an unapplied payment of the customer",
        _unknown_invoice,
    ),
    Rule(
        "foreign_currency",
        "sales",
        "line in another currency without a rate",
        "add its rate to `ledger.currency_rates`",
        _foreign,
    ),
    Rule(
        "foreign_currency",
        "payments",
        "payment in another currency without a rate",
        "add its rate to `ledger.currency_rates`",
        _foreign,
    ),
)


def apply_rules(
    frames: dict[str, pl.DataFrame], settings: LedgerSettings, currency: str
) -> tuple[dict[str, pl.DataFrame], list[RuleCount], list[Diagnostic], list[str]]:
    """Apply every rule in order (a row excluded by one rule is not seen by the next);
    return the frames, what each rule did, the errors (rules set to `error`) and notes for
    the report (currency conversions)."""
    import polars as pl

    counts: list[RuleCount] = []
    hits_by_rule: list[tuple[Rule, pl.DataFrame]] = []
    policies = settings.policies
    frames = dict(frames)
    if frames["sales"].height:
        frames["sales"] = frames["sales"].with_columns(_mismatch_before_conversion().alias(MISMATCH))
    else:
        frames["sales"] = frames["sales"].with_columns(pl.lit(False).alias(MISMATCH))
    frames, notes = _convert_currency(frames, settings, currency)
    for rule in RULES:
        frame = frames[rule.kind]
        policy = getattr(policies, rule.name).value
        if frame.height == 0:
            counts.append(RuleCount(rule.name, policy, 0))
            continue
        mask = frame.select(rule.match(settings, frames, currency).alias("m")).get_column("m")
        hits = frame.filter(mask)
        n = hits.height
        amount = None
        if n and rule.kind == "sales":
            amount = str(hits.select(_sales_value().sum()).item())
        elif n and "amount" in hits.columns:
            amount = str(hits.get_column("amount").sum())
        examples = tuple(_where(r) for r in hits.head(EXAMPLES).iter_rows(named=True))
        counts.append(RuleCount(rule.name, policy, n, amount if n else None, examples))
        if not n:
            continue
        if policy == "exclude":
            frames[rule.kind] = frame.filter(~mask)
        elif policy == "error":
            hits_by_rule.append((rule, hits))
    frames["sales"] = frames["sales"].drop(MISMATCH)
    return frames, _merge_counts(counts), _errors(hits_by_rule), notes


def _errors(hits_by_rule: list[tuple[Rule, pl.DataFrame]]) -> list[Diagnostic]:
    """The rows matched by rules set to `error`: the first ERROR_ROWS in sheet order, and a
    count of the rest by rule."""
    from workbench.errors import sort_key

    problems = []
    for rule, hits in hits_by_rule:
        for r in hits.head(ERROR_ROWS).iter_rows(named=True):
            problems.append(
                Diagnostic(
                    f"ledger-{rule.name.replace('_', '-')}",
                    f"{rule.describe}",
                    Location(file=r["src_file"], sheet=r["src_sheet"] or None, row=r["src_row"]),
                    hint=f"{rule.hint} (policy `ledger.policies.{rule.name}: error`)",
                )
            )
    problems.sort(key=sort_key)
    shown = problems[:ERROR_ROWS]
    rest: dict[str, int] = {}
    for rule, hits in hits_by_rule:
        code = f"ledger-{rule.name.replace('_', '-')}"
        left = hits.height - sum(1 for d in shown if d.code == code)
        if left > 0:
            rest[rule.name] = rest.get(rule.name, 0) + left
    if rest:
        parts = ", ".join(f"{n:,} {name}" for name, n in sorted(rest.items(), key=lambda kv: (-kv[1], kv[0])))
        shown.append(
            Diagnostic(
                "more-errors",
                f"… and {sum(rest.values()):,} more rows not shown ({parts})",
                hint="fix the ones above first, or change the rules' policies in `ledger.policies`",
            )
        )
    return shown


def _merge_counts(counts: list[RuleCount]) -> list[RuleCount]:
    """One count per rule (a rule that applies to two sheet kinds is reported once)."""
    merged: dict[str, RuleCount] = {}
    for c in counts:
        prev = merged.get(c.rule)
        if prev is None:
            merged[c.rule] = c
            continue
        amounts = [Decimal(a) for a in (prev.amount, c.amount) if a]
        merged[c.rule] = RuleCount(
            c.rule,
            c.policy,
            prev.rows + c.rows,
            str(sum(amounts)) if amounts else None,
            (prev.examples + c.examples)[:EXAMPLES],
        )
    return list(merged.values())


def _convert_currency(
    frames: dict[str, pl.DataFrame], settings: LedgerSettings, currency: str
) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """Amounts in a currency with a rate are converted into the portfolio currency; one
    note per currency and sheet kind says how many rows."""
    import polars as pl

    if not settings.currency_rates:
        return frames, []
    rates = {k.upper(): v for k, v in settings.currency_rates.items() if k.upper() != currency}
    out = dict(frames)
    notes = []
    for kind, cols in (("sales", ("unit_price", "unit_cost", "amount")), ("payments", ("amount",))):
        frame = out[kind]
        if frame.height == 0 or "currency" not in frame.columns:
            continue
        code = pl.col("currency").str.strip_chars().str.to_uppercase()
        rate = code.replace_strict({k: str(v) for k, v in rates.items()}, default=None).cast(pl.Decimal(38, 12))
        converted = [
            pl.when(rate.is_not_null()).then((pl.col(c) * rate).cast(frame.schema[c])).otherwise(pl.col(c)).alias(c)
            for c in cols
        ]
        found = frame.select(code.alias("c")).get_column("c").value_counts(sort=True)
        for value, n in found.iter_rows():
            if value in rates:
                what = "sales lines" if kind == "sales" else "payments"
                notes.append(f"{n:,} {what} converted from {value} at {rates[value]} {currency}")
        out[kind] = frame.with_columns(converted).with_columns(
            pl.when(rate.is_not_null()).then(pl.lit(currency)).otherwise(pl.col("currency")).alias("currency")
        )
    return out, notes


def _where(row: dict[str, object]) -> str:
    parts = [str(row["src_file"])]
    if row.get("src_sheet"):
        parts.append(str(row["src_sheet"]))
    parts.append(f"row {row['src_row']}")
    return " › ".join(parts)
