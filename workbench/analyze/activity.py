"""Customer activity rate (客户活跃率) per salesperson per month, under both credit rules.

DOMAIN.md: the activity rate of a salesperson in a month is the number of customers
assigned to that salesperson with at least one sales line in that month, divided by the
number of customers assigned to that salesperson. Precisely, for a month *m* of the
fiscal year up to the as-of month (lines dated after the as-of date never count; a return
line is a sales line):

* **owner** (default): the customers assigned to *s* are the customers whose owner in
  ``ledger.customers`` is *s*. A customer is active for *s* in *m* when it has ≥ 1 sales
  line in *m*, whoever took the order. Customers that appear in sales but not in the
  customers universe have no owner: they count for nobody (nor in the company rate).
* **taker**: the customers assigned to *s* are the customers *s* took at least one order
  from (a sales line whose ``salesperson`` is *s*) in the fiscal year up to the as-of date
  — the salesperson's book of the year. A customer is active for *s* in *m* when it has
  ≥ 1 sales line taken by *s* in *m*. A customer served by two takers is in both books.
* **company** (salesperson ``"*"``), identical under both rules: every customer of the
  customers universe; active when it has ≥ 1 sales line in *m*.

The salespeople listed are the owners of the customers universe together with the order
takers of the fiscal year, so a salesperson with no customers under a rule still gets a
row with ``assigned = 0`` and rate None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from workbench.analyze.facts import Activity, ActivityCell
from workbench.analyze.sales import month_label, ratio

if TYPE_CHECKING:
    import polars as pl

Credit = Literal["owner", "taker"]


def compute_activity(
    lines: pl.DataFrame,
    owners: Mapping[str, str],
    months: Sequence[int],
    credit: Credit,
) -> Activity:
    """Activity of every salesperson and the company, month by month.

    `lines` holds the ``customer``, ``salesperson`` and ``ym`` (year × 100 + month) of the
    sales lines of the fiscal year up to the as-of date; `owners` maps every customer of
    the universe to its owner (``""`` when unknown: such a customer counts only in the
    company rate); `months` are the month keys to report.
    """
    import polars as pl

    pairs = lines.lazy().filter(pl.col("ym").is_in(list(months))).select("customer", "salesperson", "ym").unique()
    owner_frame = pl.DataFrame(
        {"customer": list(owners), "owner": list(owners.values())}, schema={"customer": pl.String, "owner": pl.String}
    ).lazy()
    cust_month = pairs.select("customer", "ym").unique()
    company_q = cust_month.join(owner_frame, on="customer").group_by("ym").agg(pl.len().alias("n"))
    takers_q = pairs.filter(pl.col("salesperson").fill_null("") != "")
    book_q = takers_q.group_by("salesperson").agg(pl.col("customer").n_unique().alias("n"))
    if credit == "owner":
        active_q = (
            cust_month.join(owner_frame.filter(pl.col("owner") != ""), on="customer")
            .group_by("owner", "ym")
            .agg(pl.len().alias("n"))
        )
    else:
        active_q = takers_q.group_by("salesperson", "ym").agg(pl.col("customer").n_unique().alias("n"))
    company, book, active = pl.collect_all([company_q, book_q, active_q])

    if credit == "owner":
        assigned: dict[str, int] = {}
        for owner in owners.values():
            if owner:
                assigned[owner] = assigned.get(owner, 0) + 1
    else:
        assigned = {sp: int(n) for sp, n in book.iter_rows()}
    active_of = {(sp, ym): int(n) for sp, ym, n in active.iter_rows()}
    people = sorted({o for o in owners.values() if o} | set(book["salesperson"].to_list()))

    cells = []
    for person in people:
        n_assigned = assigned.get(person, 0)
        for ym in months:
            n_active = active_of.get((person, ym), 0)
            cells.append(
                ActivityCell(
                    salesperson=person,
                    month=month_label(ym),
                    assigned=n_assigned,
                    active=n_active,
                    rate=ratio(n_active, n_assigned),
                )
            )
    company_of = {ym: int(n) for ym, n in company.iter_rows()}
    for ym in months:
        n_active = company_of.get(ym, 0)
        cells.append(
            ActivityCell(
                salesperson="*",
                month=month_label(ym),
                assigned=len(owners),
                active=n_active,
                rate=ratio(n_active, len(owners)),
            )
        )
    return Activity(
        credit=credit, months=tuple(month_label(m) for m in months), salespeople=tuple(people), cells=tuple(cells)
    )
