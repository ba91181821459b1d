"""One account's facts, in two steps so that the slow parts of a run can overlap.

``draft_account`` needs only the sales figures, the goals' measures and the plan: the
figures, months, trend, sales quality, penetration, goals and every class but the star
rating. ``finish_account`` adds what the receivables, stock reports and resale prices say:
the star rating (it looks at late payments), the risk flags and the finished
``AccountFacts``. ``workbench.analyze.compute`` drafts every account while the
receivables and dealer data are still being computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workbench.analyze import classify, goals, sales
from workbench.analyze.facts import (
    AccountFacts,
    Classes,
    ClassResult,
    FrozenMap,
    GoalProgress,
    InventoryLine,
    LastYearGoal,
    MonthPoint,
    Penetration,
    PriceLine,
    Receivables,
    RiskFlag,
    SalesFigures,
    SalesQuality,
    Scheme,
    Trend,
)

if TYPE_CHECKING:
    from workbench.plan.model import Plan
    from workbench.settings import ClassifySettings, Settings


@dataclass(frozen=True)
class AccountDraft:
    """Everything of one account that the sales figures, goals and plan decide."""

    plan: Plan
    account_id: str
    ledger_owner: str | None
    ytd: SalesFigures
    last_ytd: SalesFigures
    last_year: SalesFigures
    monthly: tuple[MonthPoint, ...]
    trend: Trend
    quality: SalesQuality
    penetration: Penetration
    regularity: Decimal | None
    active_months: tuple[str, ...]
    goals: tuple[GoalProgress, ...]
    last_year_goals: tuple[LastYearGoal, ...]
    abc: ClassResult
    quadrant: ClassResult
    matrix: ClassResult
    manual: Mapping[str, tuple[str, str]]
    overdue_actions: tuple[str, ...]


def draft_account(
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
    goal_plan: Mapping[str, tuple[dt.date, dt.date, goals.Window]],
    measured: Mapping[goals.Window, goals.Measures],
    ledger_owner: str | None,
) -> AccountDraft:
    ytd = sales.figures_from_row(row, "ytd", *periods["ytd"])
    last_ytd = sales.figures_from_row(row, "lytd", *periods["lytd"])
    last_year = sales.figures_from_row(row, "ly", *periods["ly"])
    revenue = sales.month_revenue(by_month)
    monthly = sales.monthly_points(shown_months, by_month, first_month, revenue)
    trend = sales.fit_trend(ytd.revenue, last_ytd.revenue, list(revenue.items()), through, first_month)
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

    # classes (the star rating waits for the receivables)
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
    mat = classify.override(
        classify.matrix(
            classify.weighted_score([(k.weight, k.score) for k in ci.attractiveness]),
            classify.weighted_score([(k.weight, k.score) for k in ci.ability_to_win]),
            cls.matrix_threshold,
        ),
        manual,
    )
    overdue_actions = tuple(
        a.id for a in plan.actions if a.due is not None and a.due < as_of and a.status.value not in ("done", "dropped")
    )
    return AccountDraft(
        plan=plan,
        account_id=c,
        ledger_owner=ledger_owner,
        ytd=ytd,
        last_ytd=last_ytd,
        last_year=last_year,
        monthly=monthly,
        trend=trend,
        quality=quality,
        penetration=pen,
        regularity=regularity,
        active_months=tuple(p.month for k, p in zip(shown_months, monthly, strict=True) if k in by_month),
        goals=tuple(this_year),
        last_year_goals=tuple(last_year_goals),
        abc=abc,
        quadrant=quad,
        matrix=mat,
        manual=manual,
        overdue_actions=overdue_actions,
    )


def finish_account(
    draft: AccountDraft,
    settings: Settings,
    standard_term: int,
    rec: Receivables,
    inv: tuple[InventoryLine, ...],
    price_lines: tuple[PriceLine, ...],
) -> AccountFacts:
    plan = draft.plan
    ci = plan.classification
    cls = settings.classify
    star = classify.override(
        classify.stars(
            draft.abc.value,
            ci.financial_health,
            ci.business_initiative,
            rec.late_invoices_12m == 0,
            plan.customer.credit.term_days,
            standard_term,
            cls.stars,
        ),
        draft.manual,
    )
    current: dict[Scheme, ClassResult] = {
        "abc": draft.abc,
        "quadrant": draft.quadrant,
        "stars": star,
        "matrix": draft.matrix,
    }
    last_classes = FrozenMap((k.value, v) for k, v in ci.last_year.items())
    potential, potential_reason = classify.potential_key(draft.trend.growth_yoy, draft.abc.value, cls.potential_growth)
    classes = Classes(
        abc=draft.abc,
        quadrant=draft.quadrant,
        stars=star,
        matrix=draft.matrix,
        star_controls=classify.STAR_CONTROLS.get(star.value, ()),
        potential_key=potential,
        potential_reason=potential_reason,
        last_year=last_classes,
        changed=classify.changed(current, last_classes),
    )
    static = plan.customer.static
    return AccountFacts(
        account_id=draft.account_id,
        name=static.short_name,
        owner=plan.owner,
        ledger_owner=draft.ledger_owner,
        region=static.region,
        channel=static.channel.value,
        language=plan.language.value,
        ytd=draft.ytd,
        last_ytd=draft.last_ytd,
        last_year=draft.last_year,
        monthly=draft.monthly,
        trend=draft.trend,
        quality=draft.quality,
        penetration=draft.penetration,
        regularity=draft.regularity,
        active_months=draft.active_months,
        receivables=rec,
        inventory=inv,
        prices=price_lines,
        goals=draft.goals,
        last_year_goals=draft.last_year_goals,
        classes=classes,
        overdue_actions=draft.overdue_actions,
        risk_flags=risk_flags(
            rec,
            inv,
            price_lines,
            draft.quality.cross_region_share,
            draft.trend.growth_yoy,
            draft.overdue_actions,
            settings.classify,
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
