"""Assembly of every fact: plans + ledger + settings + as-of date → ``PortfolioFacts``.

Two columnar passes over the sales lines cover all customers at once
(``workbench.analyze.passes``): the cells that period figures, months, delivery regions,
product lines, activity and goal windows are small group_bys of, and the invoices the
receivables are built on; dealer stock and prices go through their own modules. Then each
account is assembled from small grouped dicts — never by filtering the whole ledger per
account (``workbench.analyze.account``).

Three threads share the work: the dealer data (independent of everything else) and the
receivables (once the invoices are known) are computed beside the sales figures and the
accounts' drafts. Polars releases the interpreter while its queries run, so one thread's
Python runs while another's queries do; each part is a pure function of its inputs, so the
result does not depend on the timing.

Customers universe: ``ledger.customers`` (the customers sheet, or built from the plans by
the ledger loader) plus every customer that appears in sales (for revenue and ABC).
Credit terms: the plan's ``customer.credit`` when there is a plan, else the customers
sheet's term and limit (null → 0).
"""

from __future__ import annotations

import datetime as dt
import queue
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from workbench.analyze import classify, goals, passes, sales
from workbench.analyze.account import draft_account, finish_account
from workbench.analyze.activity import compute_activity
from workbench.analyze.facts import (
    AgingBucket,
    CreditTerms,
    InventoryLine,
    Period,
    PortfolioFacts,
    PriceLine,
    Receivables,
    SalesFigures,
)

if TYPE_CHECKING:
    import polars as pl

    from workbench.ledger.model import Ledger
    from workbench.plan.model import Plan
    from workbench.portfolio import Portfolio
    from workbench.settings import CreditSettings, Settings

SUMS = ("rev", "cost", "ret", "lines")  # the per-period sums of the cells


def compute_facts(
    portfolio: Portfolio,
    ledger: Ledger,
    as_of: dt.date | None = None,
    period: tuple[str, dt.date | None, dt.date | None] | None = None,
) -> PortfolioFacts:
    """Every metric and classification of DOMAIN.md for the portfolio, as of `as_of`
    (default ``settings.as_of``; it must lie in the fiscal year) over `period` (a label and
    its first and last day, see ``workbench.analyze.period``; default the fiscal year to
    date). Raises a usage error for an as-of date outside the fiscal year or a period
    starting after it."""
    import gc

    # Assembly allocates some 10⁵ small frozen models and Decimals and no reference cycles;
    # the cyclic collector would walk them again and again (a third of the time), so it
    # pauses until the facts are built.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _compute(portfolio, ledger, as_of, period)
    finally:
        if paused:
            gc.enable()


def _compute(
    portfolio: Portfolio,
    ledger: Ledger,
    as_of: dt.date | None,
    period: tuple[str, dt.date | None, dt.date | None] | None,
) -> PortfolioFacts:
    from workbench.analyze.period import resolve

    settings = portfolio.settings
    as_of, per = resolve(settings, portfolio.settings_path, as_of, period)
    start, end = settings.fiscal_period()
    p_start, p_end = per.start, per.through
    last_start, last_end = sales.shift_year(start), start - dt.timedelta(days=1)
    periods = {
        "ytd": (p_start, p_end),
        "lytd": (per.comparison_start, per.comparison_end),
        "ly": (last_start, last_end),
    }
    plans = {lp.plan.account_id: lp.plan for lp in sorted(portfolio.plans, key=lambda lp: lp.plan.account_id)}

    # the dealer data (stock, prices) needs nothing else: it is computed beside the sales,
    # and the receivables beside the accounts' drafts (see the module docstring)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="facts") as pool:
        dealers = pool.submit(_dealers, ledger, settings, as_of, p_start, p_end)
        return _assemble(portfolio, ledger, as_of, per, periods, plans, pool, dealers)


def _assemble(
    portfolio: Portfolio,
    ledger: Ledger,
    as_of: dt.date,
    per: Period,
    periods: dict[str, tuple[dt.date, dt.date]],
    plans: dict[str, Plan],
    pool: ThreadPoolExecutor,
    dealers: Future[tuple[dict[str, tuple[InventoryLine, ...]], dict[str, tuple[PriceLine, ...]]]],
) -> PortfolioFacts:
    import polars as pl

    settings = portfolio.settings
    start, end = settings.fiscal_period()
    p_start, p_end = per.start, per.through
    last_start = periods["ly"][0]

    # ------------------------------------------------------------ customers universe
    customers = ledger.customers
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    sheet_terms: dict[str, CreditTerms] = {}
    for row in customers.iter_rows(named=True):
        c = row["customer"]
        names[c] = row.get("name") or c
        owners[c] = row.get("owner") or ""
        sheet_terms[c] = CreditTerms(
            term_days=row.get("credit_term_days") or 0, limit=row.get("credit_limit") or Decimal(0)
        )
    for c, plan in plans.items():
        names.setdefault(c, plan.customer.static.short_name)
    terms = dict(sheet_terms)
    for c, plan in plans.items():
        cr = plan.customer.credit
        terms[c] = CreditTerms(term_days=cr.term_days, limit=cr.limit, blacklisted=cr.blacklisted)

    # ------------------------------------------------------------ columnar passes
    goal_plan = _goal_windows(plans, settings, as_of)
    horizon = min(
        [
            sales.shift_year(per.comparison_start.replace(day=1), -1),
            sales.shift_year(p_end.replace(day=1), -2),
            last_start,
        ]
        + [w[1] for per_goal in goal_plan.values() for (_s, _e, w) in per_goal.values()]
    )
    p_ym = (sales.month_key(p_start), sales.month_key(p_end))
    recent = as_of - dt.timedelta(days=89)  # the trailing 90 days of DSO
    horizon = min(horizon, recent)
    # the receivables start on the payments while the invoices are found
    handover: queue.SimpleQueue[tuple[pl.DataFrame, pl.LazyFrame] | None] = queue.SimpleQueue()
    receivables_job = pool.submit(_receivables, ledger, terms, settings.credit, as_of, handover.get)
    try:
        sp = passes.sales_lines(ledger.sales, as_of, {**periods, "d90": (recent, as_of)})
        invoices = sp.invoices()
    except BaseException:
        handover.put(None)  # the receivables give up instead of waiting
        raise
    trailing = sp.lines.lazy().filter(sp.bit("d90")).group_by("customer").agg(sales.cents(pl.col("rev").sum()))
    handover.put((invoices, trailing.rename({"rev": "rev90"})))
    found_cells, found_detail = sp.cells(horizon, detail="ytd")
    cells = found_cells.lazy()
    detail = found_detail.lazy() if found_detail is not None else cells
    in_period = sp.bit("ytd")
    monthly = cells.group_by("customer", "ym", "product_line").agg(pl.col("rev").sum(), pl.col("cost").sum())
    sums = [pl.col(col).filter(sp.bit(name)).sum().alias(f"{name}_{col}") for name in periods for col in SUMS]
    by_period, by_month, by_line, by_region, activity_lines, invoice_counts = pl.collect_all(
        [
            cells.group_by("customer").agg(sums),
            cells.group_by("customer", "ym").agg(pl.col("rev").sum(), pl.col("cost").sum()),
            cells.filter(in_period).group_by("customer", "product_line").agg(pl.col("rev").sum(), pl.col("cost").sum()),
            detail.group_by("customer", "region").agg(pl.col("rev").sum()),
            detail.select("customer", "salesperson", "ym").unique(),
            # the invoices with a line in each period
            invoices.lazy()
            .group_by("customer")
            .agg(pl.col(f"in_{name}").sum().cast(pl.Int64).alias(f"{name}_inv") for name in periods),
        ]
    )
    by_period = by_period.join(invoice_counts, on="customer", how="left")
    measured = goals.measure_windows(
        sp.lines.lazy().filter(pl.col("date") >= horizon),
        ledger.payments,
        [w for per_goal in goal_plan.values() for (_s, _e, w) in per_goal.values()],
        as_of,
        monthly,
    )

    first_date = ledger.sales["date"].min() if ledger.sales.height else None
    first_month = sales.month_key(first_date) if first_date is not None else None  # type: ignore[arg-type]
    product_lines = tuple(settings.product_lines) or tuple(
        x for x in ledger.sales["product_line"].unique().sort().to_list() if x
    )

    period_rows = {r["customer"]: r for r in by_period.iter_rows(named=True)}
    months_of: dict[str, dict[int, tuple[int, int]]] = {}
    for c, ym, rev, cost in by_month.iter_rows():
        months_of.setdefault(c, {})[ym] = (int(rev), int(cost))
    regions_of: dict[str, dict[str | None, int]] = {}
    for c, region, rev in by_region.iter_rows():
        regions_of.setdefault(c, {})[region] = int(rev)
    lines_of: dict[str, dict[str, tuple[int, int]]] = {}
    for c, line, rev, cost in by_line.iter_rows():
        lines_of.setdefault(c, {})[line] = (int(rev), int(cost))

    # ------------------------------------------------------------ portfolio level
    ytd_rev = {c: sales.money(int(r.get("ytd_rev") or 0)) for c, r in period_rows.items()}
    universe = set(names) | set(period_rows)
    classification_revenue = {c: ytd_rev.get(c, Decimal("0.00")) for c in universe}
    cls = settings.classify
    pareto = classify.rank_abc(classification_revenue, names, frozenset(plans), cls.abc.a_cut, cls.abc.b_cut)
    pareto_of = {p.customer: p for p in pareto}
    threshold = classify.value_threshold([classification_revenue[c] for c in plans], cls.value_threshold)
    standard_term = classify.standard_term([terms[c].term_days for c in plans], cls.stars.standard_term_days)

    def total(name: str) -> SalesFigures:
        sums = {
            col: sum(int(r.get(f"{name}_{col}") or 0) for r in period_rows.values())
            for col in ("rev", "cost", "ret", "lines", "inv")
        }
        return sales.sales_figures(*periods[name], sums["rev"], sums["cost"], sums["ret"], sums["lines"], sums["inv"])

    all_months: dict[int, tuple[int, int]] = {}
    for per_month in months_of.values():
        for ym, (rev, cost) in per_month.items():
            r0, c0 = all_months.get(ym, (0, 0))
            all_months[ym] = (r0 + rev, c0 + cost)
    shown_months = sales.month_range(sales.month_key(per.comparison_start), sales.month_key(p_end))
    period_months = sales.month_range(*p_ym)
    primary = settings.activity.credit
    other: Literal["owner", "taker"] = "taker" if primary == "owner" else "owner"

    # ------------------------------------------------------------ accounts
    drafts = [
        draft_account(
            plan,
            c,
            settings,
            as_of,
            p_end,
            periods,
            period_rows.get(c, {}),
            months_of.get(c, {}),
            regions_of.get(c, {}),
            lines_of.get(c, {}),
            shown_months,
            first_month,
            product_lines,
            pareto_of[c],
            threshold,
            goal_plan[c],
            measured,
            owners.get(c) or None,
        )
        for c, plan in plans.items()
    ]
    portfolio_parts = {
        "totals": total("ytd"),
        "last_totals": total("lytd"),
        "monthly": sales.monthly_points(shown_months, all_months, first_month),
        "activity": compute_activity(activity_lines, owners, period_months, primary),
        "activity_other": compute_activity(activity_lines, owners, period_months, other),
    }
    receivables = receivables_job.result()
    inventory, prices = dealers.result()
    accounts = tuple(
        finish_account(
            d,
            settings,
            standard_term,
            receivables.get(d.account_id)
            or empty_receivables(terms.get(d.account_id, CreditTerms()), settings.credit, as_of),
            inventory.get(d.account_id, ()),
            prices.get(d.account_id, ()),
        )
        for d in drafts
    )
    return PortfolioFacts(
        company=settings.company,
        currency=settings.currency,
        language=settings.language.value,
        fiscal_year=settings.fiscal_year,
        as_of=as_of,
        start=start,
        end=end,
        period=per,
        product_lines=product_lines,
        value_threshold=threshold,
        pareto=pareto,
        accounts=accounts,
        **portfolio_parts,
    )


# ---------------------------------------------------------------------- neighbours


def _goal_windows(
    plans: Mapping[str, Plan], settings: Settings, as_of: dt.date
) -> dict[str, dict[str, tuple[dt.date, dt.date, goals.Window]]]:
    """Per account: this year's goal id (and ``ly:<id>`` for last year's) → period and window."""
    m = settings.fiscal_year_start_month
    out = {}
    for c, plan in plans.items():
        fy_start = dt.date(plan.fiscal_year if m == 1 else plan.fiscal_year - 1, m, 1)
        fy_end = sales.shift_year(fy_start, 1) - dt.timedelta(days=1)
        ly = (sales.shift_year(fy_start), fy_start - dt.timedelta(days=1))
        per = goals.goal_windows(c, plan.goals.this_year, (fy_start, fy_end), as_of)
        per |= {f"ly:{k}": v for k, v in goals.goal_windows(c, plan.goals.last_year, ly, as_of).items()}
        out[c] = per
    return out


def empty_receivables(terms: CreditTerms, credit: CreditSettings, as_of: dt.date) -> Receivables:
    """Receivables of a customer with nothing invoiced and nothing paid."""
    edges = credit.aging_buckets
    buckets = [AgingBucket(label="not_due", min_days=None, max_days=None, amount=Decimal("0.00"))]
    low = 1
    for edge in edges:
        buckets.append(AgingBucket(label=f"{low}-{edge}", min_days=low, max_days=edge, amount=Decimal("0.00")))
        low = edge + 1
    buckets.append(AgingBucket(label=f"{edges[-1]}+", min_days=low, max_days=None, amount=Decimal("0.00")))
    zero = Decimal("0.00")
    return Receivables(
        as_of=as_of,
        term_days=terms.term_days,
        limit=terms.limit,
        invoiced=zero,
        paid=zero,
        outstanding=zero,
        credit_balance=zero,
        overdue=zero,
        max_days_past_due=0,
        buckets=tuple(buckets),
        dso=None,
        limit_use=None,
        on_hold=terms.blacklisted,
        hold_reasons=("blacklisted",) if terms.blacklisted else (),
        late_invoices_12m=0,
        blacklist_proposed=False,
        open_invoice_count=0,
        open_invoices=(),
    )


def _receivables(
    ledger: Ledger,
    terms: dict[str, CreditTerms],
    credit: CreditSettings,
    as_of: dt.date,
    wait: Callable[[], tuple[pl.DataFrame, pl.LazyFrame] | None],
) -> dict[str, Receivables]:
    """Receivables of every customer: the payments summed first, then the invoices and
    the trailing revenue `wait` hands over (None: the caller failed, nothing to do)."""
    from workbench.analyze.receivables import age_receivables, payment_totals

    paid = payment_totals(ledger.payments, as_of)
    handed = wait()
    if handed is None:
        return {}
    invoices, trailing = handed
    return dict(
        age_receivables(
            ledger.sales,
            ledger.payments,
            terms,
            credit,
            as_of,
            invoices=invoices,
            trailing=trailing.collect(),
            paid=paid,
        )
    )


def _dealers(
    ledger: Ledger, settings: Settings, as_of: dt.date, start: dt.date, end: dt.date
) -> tuple[dict[str, tuple[InventoryLine, ...]], dict[str, tuple[PriceLine, ...]]]:
    """Dealer stock (as of `as_of`) and resale prices (observed from `start` to `end`)."""
    from workbench.analyze.inventory import assess_inventory
    from workbench.analyze.prices import assess_prices

    guideline = {p.sku: p.price for p in settings.price_list}
    return (
        dict(assess_inventory(ledger.inventory, settings.inventory, as_of)),
        dict(assess_prices(ledger.prices, guideline, settings.prices, start, end)),
    )
