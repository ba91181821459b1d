"""The portfolio booklet: every key account on a few pages, in the portfolio's language.

Sections: executive summary, ABC analysis (Pareto curve and table), customer matrices
(screening matrix and value × loyalty), star ratings, top risks, customer activity by
salesperson and month, goal attainment ranking, and one summary row per account.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic

if TYPE_CHECKING:
    from workbench.analyze.facts import PortfolioFacts
    from workbench.portfolio import Portfolio
    from workbench.render.document import Stage

PORTFOLIO_SECTIONS = ("exec", "pareto", "matrix", "stars", "risks", "activity", "goal_ranking", "accounts")
RISK_ORDER = (
    "credit_hold",
    "over_limit",
    "overdue",
    "blacklist_proposed",
    "price_below_floor",
    "over_stock",
    "overdue_actions",
    "cross_region",
    "declining",
    "under_stock",
    "price_above_ceiling",
    "price_unstable",
)


def _score(result: Any, key: str) -> float | None:
    value = result.inputs.get(key)
    try:
        return float(value) if value not in (None, "", "—", "None") else None
    except ValueError:
        return None


def _charts(facts: PortfolioFacts, t: Any, loc: Any, alert: Decimal) -> dict[str, Any]:
    from workbench.render import charts, palette

    out: dict[str, Any] = {}
    out["monthly"] = charts.monthly(
        facts.monthly, {"revenue": t("label.revenue"), "margin": t("label.margin")}, loc.month_short
    )
    out["pareto"] = charts.pareto(
        facts.pareto, {"rank": t("label.rank"), "revenue": t("label.revenue"), "cumulative": t("label.cumulative")}
    )
    matrix_rows = [
        {
            "x": _score(a.classes.matrix, "attractiveness"),
            "y": _score(a.classes.matrix, "ability_to_win"),
            "label": a.name,
            "color": palette.CLASS.get(a.classes.matrix.value, palette.GREY),
        }
        for a in facts.accounts
    ]
    out["matrix"] = charts.scatter(
        matrix_rows,
        t("label.attractiveness"),
        t("label.ability"),
        x_rule=3.0,
        y_rule=3.0,
        x_domain=(1, 5),
        y_domain=(1, 5),
    )
    quad_rows = []
    for a in facts.accounts:
        q = a.classes.quadrant
        loyalty = _score(q, "loyalty_score")
        loyalty = loyalty / 5 if loyalty is not None else _score(q, "regularity")
        quad_rows.append(
            {
                "x": max(float(a.ytd.revenue), 1.0),
                "y": loyalty,
                "label": a.name,
                "color": palette.CLASS.get(q.value, palette.GREY),
            }
        )
    out["quadrant"] = charts.scatter(
        quad_rows,
        t("label.revenue"),
        t("label.loyalty"),
        x_rule=float(facts.value_threshold),
        y_rule=0.75,
        x_log=True,
        y_domain=(0, 1.05),
    )
    stars = [
        {
            "label": t(f"class.{k}"),
            "value": sum(1 for a in facts.accounts if a.classes.stars.value == k),
            "color": palette.PRIMARY,
        }
        for k in ("4", "3", "2", "1")
    ]
    out["stars"] = charts.bars(stars, t("label.count"), width=300, fmt="d")
    cells = [
        {
            "person": c.salesperson if c.salesperson != "*" else t("label.all_salespeople"),
            "month": loc.month_short(c.month),
            "rate": float(c.rate) if c.rate is not None else None,
            "text": loc.pct(c.rate, 0),
        }
        for c in facts.activity.cells
        if c.rate is not None
    ]
    out["activity"] = charts.heatmap(cells, float(alert))
    return out


def portfolio_context(facts: PortfolioFacts, portfolio: Portfolio, findings: Sequence[Diagnostic]) -> dict[str, Any]:
    from workbench.messages import Messages
    from workbench.render.booklet import percent_class
    from workbench.render.locale import Locale

    lang = portfolio.settings.language.value
    t = Messages(lang)
    loc = Locale(lang, facts.currency)
    risks = []
    for a in facts.accounts:
        for flag in a.risk_flags:
            risks.append((RISK_ORDER.index(flag) if flag in RISK_ORDER else 99, -a.ytd.revenue, a, flag))
    risks.sort(key=lambda r: (r[0], r[1], r[2].account_id))
    ranking = []
    for a in facts.accounts:
        g = next((g for g in a.goals if g.metric == "revenue" and g.percent is not None), None)
        if g is not None:
            ranking.append((a, g))
    ranking.sort(key=lambda ag: (-(ag[1].projected_percent or 0), ag[0].account_id))
    grade_counts = {k: sum(1 for p in facts.pareto if p.abc == k) for k in ("A", "B", "C")}
    plan_ids = {a.account_id for a in facts.accounts}
    return {
        "t": t,
        "loc": loc,
        "lang": lang,
        "facts": facts,
        "company": facts.company,
        "title": f"{facts.company} · {t('booklet.portfolio')} {facts.fiscal_year}",
        "sections": PORTFOLIO_SECTIONS,
        "charts": _charts(facts, t, loc, portfolio.settings.activity.alert_below),
        "risks": risks[:25],
        "ranking": ranking,
        "grade_counts": grade_counts,
        "plan_ids": plan_ids,
        "findings_count": {s: sum(1 for d in findings if d.severity.value == s) for s in ("error", "warning", "info")},
        "growth": (facts.totals.revenue / facts.last_totals.revenue - 1) if facts.last_totals.revenue else None,
        "alert": loc.pct(portfolio.settings.activity.alert_below, 0),
        "alert_good": loc.pct((portfolio.settings.activity.alert_below + 1) / 2, 0),
        "bar": percent_class,
        "logo": None,
    }


def portfolio_booklet_html(
    facts: PortfolioFacts, portfolio: Portfolio, findings: Sequence[Diagnostic], stage: Stage | None = None
) -> str:
    from workbench.render.document import Stage, render_html

    stage = stage or Stage.of(portfolio)
    return render_html(stage, "portfolio.html.j2", portfolio_context(facts, portfolio, findings))


def render_portfolio_booklet(
    facts: PortfolioFacts,
    portfolio: Portfolio,
    findings: Sequence[Diagnostic],
    stage: Stage | None = None,
    font_css: str | None = None,
) -> bytes:
    from workbench.messages import Messages
    from workbench.render.document import Stage, font_css_for, write_pdf

    stage = stage or Stage.of(portfolio)
    html = portfolio_booklet_html(facts, portfolio, findings, stage)
    lang = portfolio.settings.language.value
    return write_pdf(
        html,
        stage,
        font_css or font_css_for(portfolio, stage, facts, findings),
        title=f"{facts.company} — {Messages(lang)('booklet.portfolio')} {facts.fiscal_year}",
        author=portfolio.settings.branding.author or facts.company,
        language=lang,
        as_of=facts.as_of,
    )
