"""Assembly of every fact: plans + ledger + settings + as-of date → ``PortfolioFacts``.

A few columnar passes over the ledger cover all customers at once (polars ``group_by``,
collected together): period figures, months, delivery regions, product lines, activity
lines and goal windows over the sales; receivables, inventory and prices through their
own modules. Then each account is assembled from small grouped dicts — never by
filtering the whole ledger per account.

Customers universe: ``ledger.customers`` (the customers sheet, or built from the plans by
the ledger loader) plus every customer that appears in sales (for revenue and ABC).
Credit terms: the plan's ``customer.credit`` when there is a plan, else the customers
sheet's term and limit (null → 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from workbench.analyze import classify, goals, passes, sales
from workbench.analyze.activity import compute_activity
from workbench.analyze.facts import (
    AccountFacts,
    AgingBucket,
    Classes,
    ClassResult,
    CreditTerms,
    FrozenMap,
    InventoryLine,
    PortfolioFacts,
    PriceLine,
    Receivables,
    RiskFlag,
    SalesFigures,
    Scheme,
)

if TYPE_CHECKING:
    import polars as pl

    from workbench.ledger.model import Ledger
    from workbench.plan.model import Plan
    from workbench.portfolio import Portfolio
    from workbench.settings import ClassifySettings, CreditSettings, Settings

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
    import polars as pl

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
    sp = passes.sales_pass(ledger.sales, horizon, as_of, {**periods, "d90": (recent, as_of)}, detail="ytd")
    cells = sp.cells.lazy()
    detail = sp.detail.lazy() if sp.detail is not None else cells
    in_period = sp.bit("ytd")
    monthly = cells.group_by("customer", "ym", "product_line").agg(pl.col("rev").sum(), pl.col("cost").sum())
    sums = [pl.col(col).filter(sp.bit(name)).sum().alias(f"{name}_{col}") for name in periods for col in SUMS]
    by_period, by_month, by_line, by_region, activity_lines, invoice_counts, trailing = pl.collect_all(
        [
            cells.group_by("customer").agg(sums),
            cells.group_by("customer", "ym").agg(pl.col("rev").sum(), pl.col("cost").sum()),
            cells.filter(in_period).group_by("customer", "product_line").agg(pl.col("rev").sum(), pl.col("cost").sum()),
            detail.group_by("customer", "region").agg(pl.col("rev").sum()),
            detail.select("customer", "salesperson", "ym").unique(),
            # the invoices with a line in each period
            sp.invoices.lazy()
            .group_by("customer")
            .agg(pl.col(f"in_{name}").sum().cast(pl.Int64).alias(f"{name}_inv") for name in periods),
            cells.filter(sp.bit("d90")).group_by("customer").agg(sales.cents(pl.col("rev").sum()).alias("rev90")),
        ]
    )
    by_period = by_period.join(invoice_counts, on="customer", how="left")

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

    # ------------------------------------------------------------ customers universe
    customers = ledger.customers
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    regions: dict[str, str | None] = {}
    sheet_terms: dict[str, CreditTerms] = {}
    for row in customers.iter_rows(named=True):
        c = row["customer"]
        names[c] = row.get("name") or c
        owners[c] = row.get("owner") or ""
        regions[c] = row.get("region")
        sheet_terms[c] = CreditTerms(
            term_days=row.get("credit_term_days") or 0, limit=row.get("credit_limit") or Decimal(0)
        )
    for c, plan in plans.items():
        names.setdefault(c, plan.customer.static.short_name)
    terms = dict(sheet_terms)
    for c, plan in plans.items():
        cr = plan.customer.credit
        terms[c] = CreditTerms(term_days=cr.term_days, limit=cr.limit, blacklisted=cr.blacklisted)

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

    # ------------------------------------------------------------ receivables, dealers, prices, goals
    receivables = _receivables(ledger, terms, settings.credit, as_of, sp.invoices, trailing)
    inventory = _inventory(ledger, settings, as_of)
    prices = _prices(ledger, settings, p_start, p_end)
    measured = goals.measure_windows(
        sp.lines.lazy().filter(pl.col("date") >= horizon),
        ledger.payments,
        [w for per_goal in goal_plan.values() for (_s, _e, w) in per_goal.values()],
        as_of,
        monthly,
    )

    accounts = []
    for c, plan in plans.items():
        accounts.append(
            _account(
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
                standard_term,
                receivables.get(c) or empty_receivables(terms.get(c, CreditTerms()), settings.credit, as_of),
                inventory.get(c, ()),
                prices.get(c, ()),
                goal_plan[c],
                measured,
                owners.get(c) or None,
            )
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
        totals=total("ytd"),
        last_totals=total("lytd"),
        monthly=sales.monthly_points(shown_months, all_months, first_month),
        pareto=pareto,
        activity=compute_activity(activity_lines, owners, period_months, primary),
        activity_other=compute_activity(activity_lines, owners, period_months, other),
        accounts=tuple(accounts),
    )


# ---------------------------------------------------------------------- one account


def _account(
    plan: Plan,
    c: str,
    settings: Settings,
    as_of: dt.date,
    through: dt.date,
    periods: Mapping[str, tuple[dt.date, dt.date]],
    row: Mapping[str, Any],
    by_month: dict[int, tuple[int, int]],
    by_region: dict[str | None, int],
    by_line: dict[str, tuple[int, int]],
    shown_months: list[int],
    first_month: int | None,
    product_lines: tuple[str, ...],
    point: Any,
    threshold: Decimal,
    standard_term: int,
    rec: Receivables,
    inv: tuple[InventoryLine, ...],
    price_lines: tuple[PriceLine, ...],
    goal_plan: Mapping[str, tuple[dt.date, dt.date, goals.Window]],
    measured: Mapping[goals.Window, goals.Measures],
    ledger_owner: str | None,
) -> AccountFacts:
    ytd = sales.figures_from_row(row, "ytd", *periods["ytd"])
    last_ytd = sales.figures_from_row(row, "lytd", *periods["lytd"])
    last_year = sales.figures_from_row(row, "ly", *periods["ly"])
    monthly = sales.monthly_points(shown_months, by_month, first_month)
    series = [(ym, sales.money(rev)) for ym, (rev, _cost) in by_month.items()]
    trend = sales.fit_trend(ytd.revenue, last_ytd.revenue, series, through, first_month)
    static = plan.customer.static
    quality = sales.sales_quality(static.region, by_region, int(row.get("ytd_rev") or 0))
    pen = sales.penetration(product_lines, by_line)
    regularity = sales.regularity({ym for ym, _v in by_month.items()}, through)

    # goals
    this_year = []
    last_year_goals = []
    tol = settings.checks.achieved_tolerance
    for g in plan.goals.this_year:
        if g.id in goal_plan and g.metric.value != "text":
            s, e, w = goal_plan[g.id]
            this_year.append(goals.goal_progress(g, s, e, as_of, measured.get(w)))
    for g in plan.goals.last_year:
        key = f"ly:{g.id}"
        ly_window = goal_plan[key][2] if key in goal_plan else None
        last_year_goals.append(goals.last_year_goal(g, measured.get(ly_window) if ly_window else None, tol))

    # classes
    ci = plan.classification
    cls = settings.classify
    manual = {m.scheme.value: (m.value, m.reason) for m in ci.manual}
    abc = classify.override(classify.abc_result(point, cls.abc.a_cut, cls.abc.b_cut), manual)
    quad = classify.override(
        classify.quadrant(
            point.revenue,
            threshold,
            ci.loyalty,
            regularity,
            cls.loyalty_score_threshold,
            cls.loyalty_threshold,
        ),
        manual,
    )
    star = classify.override(
        classify.stars(
            abc.value,
            ci.financial_health,
            ci.business_initiative,
            rec.late_invoices_12m == 0,
            plan.customer.credit.term_days,
            standard_term,
            cls.stars,
        ),
        manual,
    )
    mat = classify.override(
        classify.matrix(
            classify.weighted_score([(k.weight, k.score) for k in ci.attractiveness]),
            classify.weighted_score([(k.weight, k.score) for k in ci.ability_to_win]),
            cls.matrix_threshold,
        ),
        manual,
    )
    current: dict[Scheme, ClassResult] = {
        "abc": abc,
        "quadrant": quad,
        "stars": star,
        "matrix": mat,
    }
    last_classes = FrozenMap((k.value, v) for k, v in ci.last_year.items())
    potential, potential_reason = classify.potential_key(trend.growth_yoy, abc.value, cls.potential_growth)
    classes = Classes(
        abc=abc,
        quadrant=quad,
        stars=star,
        matrix=mat,
        star_controls=classify.STAR_CONTROLS.get(star.value, ()),
        potential_key=potential,
        potential_reason=potential_reason,
        last_year=last_classes,
        changed=classify.changed(current, last_classes),
    )

    overdue_actions = tuple(
        a.id for a in plan.actions if a.due is not None and a.due < as_of and a.status.value not in ("done", "dropped")
    )
    return AccountFacts(
        account_id=c,
        name=static.short_name,
        owner=plan.owner,
        ledger_owner=ledger_owner,
        region=static.region,
        channel=static.channel.value,
        language=plan.language.value,
        ytd=ytd,
        last_ytd=last_ytd,
        last_year=last_year,
        monthly=monthly,
        trend=trend,
        quality=quality,
        penetration=pen,
        regularity=regularity,
        active_months=tuple(sales.month_label(k) for k in shown_months if k in by_month),
        receivables=rec,
        inventory=inv,
        prices=price_lines,
        goals=tuple(this_year),
        last_year_goals=tuple(last_year_goals),
        classes=classes,
        overdue_actions=overdue_actions,
        risk_flags=risk_flags(
            rec, inv, price_lines, quality.cross_region_share, trend.growth_yoy, overdue_actions, settings.classify
        ),
    )


def risk_flags(
    rec: Receivables,
    inv: tuple[InventoryLine, ...],
    price_lines: tuple[PriceLine, ...],
    cross_share: Decimal | None,
    growth: Decimal | None,
    overdue_actions: tuple[str, ...],
    cls: ClassifySettings,
) -> tuple[RiskFlag, ...]:
    """Risk flags of one account, in the order of ``RiskFlag``; cross-region above
    ``classify.cross_region_alert`` of the period's revenue, declining below
    ``classify.declining_below`` growth."""
    found: dict[RiskFlag, bool] = {
        "credit_hold": rec.on_hold,
        "over_limit": "over_limit" in rec.hold_reasons,
        "overdue": rec.overdue > 0,
        "blacklist_proposed": rec.blacklist_proposed,
        "over_stock": any(i.status == "above" for i in inv),
        "under_stock": any(i.status == "below" for i in inv),
        "price_below_floor": any(p.status == "below_floor" for p in price_lines),
        "price_above_ceiling": any(p.status == "above_ceiling" for p in price_lines),
        "price_unstable": any(p.unstable for p in price_lines),
        "cross_region": cross_share is not None and cross_share > cls.cross_region_alert,
        "declining": growth is not None and growth < cls.declining_below,
        "overdue_actions": bool(overdue_actions),
    }
    return tuple(flag for flag, on in found.items() if on)


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
    invoices: pl.DataFrame,
    trailing: pl.DataFrame,
) -> dict[str, Receivables]:
    from workbench.analyze.receivables import age_receivables

    return dict(
        age_receivables(ledger.sales, ledger.payments, terms, credit, as_of, invoices=invoices, trailing=trailing)
    )


def _inventory(ledger: Ledger, settings: Settings, as_of: dt.date) -> dict[str, tuple[InventoryLine, ...]]:
    from workbench.analyze.inventory import assess_inventory

    return dict(assess_inventory(ledger.inventory, settings.inventory, as_of))


def _prices(ledger: Ledger, settings: Settings, start: dt.date, as_of: dt.date) -> dict[str, tuple[PriceLine, ...]]:
    from workbench.analyze.prices import assess_prices

    guideline = {p.sku: p.price for p in settings.price_list}
    return dict(assess_prices(ledger.prices, guideline, settings.prices, start, as_of))
