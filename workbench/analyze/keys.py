"""Integer stand-ins for text columns, so that sorts, joins and groupings over 10⁵–10⁶
rows work on integers (polars sorts, joins and moves text several times slower) while
every result stays exactly that of the texts.

* ``text_ids``: an integer per text of one column of one frame (its categorical code);
  ``customer_ids``: an integer per customer text that is the same in several frames (its
  position among the customers they name, sorted).
* ``pair_key`` and ``match_pairs``: a 64-bit hash of (customer, invoice); a join on it is
  checked against the texts of every matched pair, and redone on the texts if any differ,
  so a collision never pairs two different invoices.
* ``oldest_first``: rows grouped by customer, each oldest first — by date, then invoice
  text — from one stable sort on an integer key; only the days whose rows are not yet in
  invoice order are re-sorted by their texts.
* ``segmented_cum_sum``: a running total restarting with each group of sorted rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


def text_ids(col: str) -> pl.Expr:
    """An integer per text of column `col`, valid within one frame only."""
    import polars as pl

    return pl.col(col).cast(pl.Categorical).to_physical().cast(pl.Int64)


def customer_names(*columns: pl.Series) -> pl.Series:
    """The customers `columns` name, sorted: the categories of ``customer_ids``."""
    import polars as pl

    return pl.concat([c.unique() for c in columns]).drop_nulls().unique().sort()


def customer_ids(names: pl.Series) -> pl.Expr:
    """The ``customer`` column as integers (its position in `names`), the same in every
    frame whose customers `names` holds."""
    import polars as pl

    return pl.col("customer").cast(pl.Enum(names)).to_physical().cast(pl.Int64)


def pair_key() -> pl.Expr:
    """A 64-bit hash of (``customer``, ``invoice``): equal pairs have equal keys."""
    import polars as pl

    return pl.col("customer").hash(seed=1) ^ pl.col("invoice").hash(seed=2)


def match_pairs(left: pl.DataFrame, right: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """For each row of `left`, the row of `right` with the same customer and invoice (None
    when there is none), and for each row of `right` whether a row of `left` matched it.
    Both frames have ``customer``, ``invoice`` and ``key`` (``pair_key``); `right`'s pairs
    are distinct."""
    import polars as pl

    def rows_of_right(keys: list[str]) -> pl.DataFrame:
        positions = pl.int_range(pl.len(), dtype=pl.Int64)
        return (
            left.select(*keys, positions.alias("pos"))
            .join(right.select(*keys, positions.alias("ridx")), on=keys, how="left", maintain_order="left")
            .drop(keys)
        )

    found = rows_of_right(["key"])
    pairs = found.filter(pl.col("ridx").is_not_null())
    exact = found.height == left.height and all(
        bool((left[col].gather(pairs["pos"]) == right[col].gather(pairs["ridx"])).all())
        for col in ("customer", "invoice")
    )
    if not exact:  # a hash collision: match on the texts
        found = rows_of_right(["customer", "invoice"])
        pairs = found.filter(pl.col("ridx").is_not_null())
    matched = pl.Series("matched", [False] * right.height, dtype=pl.Boolean).scatter(pairs["ridx"], True)
    return found["ridx"], matched


def segmented_cum_sum(value: pl.Expr, first: pl.Expr) -> pl.Expr:
    """Running total of `value` restarting on each row where `first` holds (rows sorted by
    group): one pass, no hashing."""
    import polars as pl

    total = value.cum_sum()
    return total - pl.when(first).then(total - value).forward_fill()


def oldest_first(rows: pl.DataFrame, texts: pl.Series) -> pl.DataFrame:
    """`rows` (with ``cid``, ``date`` and ``pos``, the index of the row's invoice text in
    `texts`) grouped by customer, each oldest first: by date, then invoice text.

    One stable sort on an integer key (customer, day) keeps the given order within a day,
    which is usually the invoice numbers' already; only the days where it is not are
    re-sorted by their texts (sorting every text would cost several times more)."""
    import polars as pl

    if not rows.height:
        return rows
    day = pl.col("date").cast(pl.Int32).cast(pl.Int64)
    first_day, last_day = rows.select(day.min().alias("first"), day.max().alias("last")).row(0)
    order = pl.col("cid") * (last_day - first_day + 1) + day - first_day
    ordered = rows[rows.select(pl.arg_sort_by(order, maintain_order=True)).to_series()]
    same_day = ordered.select((order == order.shift()).fill_null(False)).to_series()
    tied = (same_day | same_day.shift(-1, fill_value=False)).arg_true()  # rows sharing their day with another
    if not tied.len():
        return ordered
    group = (~same_day).cum_sum()
    sub = pl.DataFrame({"row": tied, "group": group.gather(tied), "text": texts.gather(ordered["pos"].gather(tied))})
    out_of_order = sub.select(
        ((pl.col("group") == pl.col("group").shift()) & (pl.col("text") < pl.col("text").shift())).fill_null(False)
    ).to_series()
    if not out_of_order.any():
        return ordered
    sub = sub.filter(pl.col("group").is_in(sub["group"].filter(out_of_order).unique().implode()))
    # re-sort those days' rows by text: a stable sort by day of the rows sorted by text
    by_text = sub["text"].arg_sort()
    within = by_text.gather(
        sub.select(pl.col("group").gather(by_text)).select(pl.arg_sort_by("group", maintain_order=True)).to_series()
    )
    rows_at = sub["row"].cast(pl.Int64)
    perm = pl.int_range(ordered.height, eager=True).scatter(rows_at, rows_at.gather(within))
    return ordered[perm]
