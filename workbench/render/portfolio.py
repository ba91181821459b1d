"""The portfolio booklet: every key account on a few pages, in the portfolio's language.

Sections: executive summary, ABC analysis (Pareto curve and table), customer matrices
(screening matrix and value × loyalty), star ratings, top risks, customer activity by
salesperson and month, goal attainment ranking, and one summary row per account.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location

if TYPE_CHECKING:
    from workbench.analyze.facts import PortfolioFacts
    from workbench.portfolio import Portfolio
    from workbench.render.charts import Chart, Charts
    from workbench.render.document import Page, Stage

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


MATRIX_CLASSES = ("core", "core_potential", "maintain", "general", "unscored")
QUADRANT_CLASSES = ("protect", "dangerous", "rising_star", "phase_out")


def _charts(facts: PortfolioFacts, t: Any, settings: Any, draw: Charts) -> dict[str, Chart]:
    """Draws the page's charts; returns them by name, the name the templates place
    (``charts.monthly``) and the page's fetcher serves (``kam-chart:monthly``)."""
    from workbench.render import axes
    from workbench.render.scatter import log_ticks, scatter

    loc = draw.loc
    draw.monthly(facts.monthly, {"revenue": t("label.revenue"), "margin": t("label.margin")})
    abc = settings.classify.abc
    draw.pareto(
        facts.pareto,
        {
            "rank": t("label.rank"),
            "revenue": t("label.revenue"),
            "cumulative": t("label.cumulative"),
            "abc": t("scheme.abc"),
        },
        [float(abc.a_cut), float(abc.b_cut)],
    )
    keys = {a.account_id: str(i) for i, a in enumerate(facts.accounts, 1)}
    one_to_five = [1.0, 2.0, 3.0, 4.0, 5.0]
    matrix_rows = [
        {
            "x": _score(a.classes.matrix, "attractiveness"),
            "y": _score(a.classes.matrix, "ability_to_win"),
            "key": keys[a.account_id],
            "klass": a.classes.matrix.value,
        }
        for a in facts.accounts
    ]
    threshold = float(settings.classify.matrix_threshold)
    scatter(
        draw,
        "matrix",
        matrix_rows,
        t("label.attractiveness"),
        t("label.ability"),
        classes=[(k, t(f"class.{k}")) for k in MATRIX_CLASSES],
        x_rule=threshold,
        y_rule=threshold,
        x_ticks=(one_to_five, [loc.number(int(v)) for v in one_to_five]),
        y_ticks=(one_to_five, [loc.number(int(v)) for v in one_to_five]),
    )
    quad_rows: list[dict[str, Any]] = []
    revenues = [float(facts.value_threshold) or 1.0]
    for a in facts.accounts:
        q = a.classes.quadrant
        loyalty = _score(q, "loyalty_score")
        loyalty = loyalty / 5 if loyalty is not None else _score(q, "regularity")
        revenue = max(float(a.ytd.revenue), 1.0)
        revenues.append(revenue)
        quad_rows.append({"x": revenue, "y": loyalty, "key": keys[a.account_id], "klass": q.value})
    xt = log_ticks(min(revenues), max(revenues))
    yt = axes.nice_ticks(0, 1, 4)
    scatter(
        draw,
        "quadrant",
        quad_rows,
        t("label.revenue"),
        t("label.loyalty"),
        classes=[(k, t(f"class.{k}")) for k in QUADRANT_CLASSES],
        x_rule=float(facts.value_threshold),
        y_rule=float(settings.classify.loyalty_threshold),
        x_ticks=(xt, [axes.money_compact(loc, v) for v in xt]),
        y_ticks=(yt.values, axes.pct_labels(loc, yt)),
        x_log=True,
    )
    stars = [
        {
            "label": t(f"class.{k}"),
            "value": sum(1 for a in facts.accounts if a.classes.stars.value == k),
            "color": draw.palette.primary,
        }
        for k in ("4", "3", "2", "1")
    ]
    draw.bars("stars", stars, t("label.count"), kind="number", width=300)
    return draw.drawn


def portfolio_context(
    facts: PortfolioFacts, portfolio: Portfolio, findings: Sequence[Diagnostic], stage: Stage | None = None
) -> dict[str, Any]:
    from workbench.messages import Messages
    from workbench.render.booklet import logo, page_of
    from workbench.render.charts import Charts
    from workbench.render.document import Stage
    from workbench.render.heat import activity_table
    from workbench.render.locale import Locale
    from workbench.render.progress import progress_bar

    stage = stage or Stage.of(portfolio)
    settings = portfolio.settings
    lang = settings.language.value
    t = Messages(lang)
    loc = Locale(lang, facts.currency)
    draw = Charts(loc, stage.palette, Location(file=str(portfolio.settings_path)))
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
    key_grades = {k: sum(1 for a in facts.accounts if a.classes.abc.value == k) for k in ("A", "B", "C")}
    plan_ids = {a.account_id for a in facts.accounts}
    alert = settings.activity.alert_below
    return {
        "t": t,
        "loc": loc,
        "lang": lang,
        "facts": facts,
        "company": facts.company,
        "title": f"{facts.company} · {t('booklet.portfolio')} {facts.fiscal_year}",
        "sections": PORTFOLIO_SECTIONS,
        "charts": _charts(facts, t, settings, draw),
        "activity": activity_table(
            facts.activity.cells,
            [(p, p) for p in facts.activity.salespeople if p != "*"] + [("*", t("label.all_salespeople"))],
            loc,
            alert,
        ),
        "keys": {a.account_id: i for i, a in enumerate(facts.accounts, 1)},
        "risks": risks[:25],
        "ranking": ranking,
        "grade_counts": grade_counts,
        "key_grades": key_grades,
        "plan_ids": plan_ids,
        "findings_count": {s: sum(1 for d in findings if d.severity.value == s) for s in ("error", "warning", "info")},
        "growth": (facts.totals.revenue / facts.last_totals.revenue - 1) if facts.last_totals.revenue else None,
        "alert": loc.pct(alert, 0),
        "alert_good": loc.pct((alert + 1) / 2, 0),
        "progress": lambda done, projected: progress_bar(done, projected, stage.palette),
        "lst": lambda items: t("list.separator").join(str(x) for x in items if x not in (None, "")),
        "logo": logo(stage),
        "page_of": page_of(t),
    }


def portfolio_booklet_page(
    facts: PortfolioFacts, portfolio: Portfolio, findings: Sequence[Diagnostic], stage: Stage | None = None
) -> Page:
    """The portfolio booklet's HTML and its charts (drawing in the background)."""
    from workbench.render.document import Page, Stage, render_html

    stage = stage or Stage.of(portfolio)
    context = portfolio_context(facts, portfolio, findings, stage)
    return Page(render_html(stage, "portfolio.html.j2", context), context["charts"])


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
    page = portfolio_booklet_page(facts, portfolio, findings, stage)
    lang = portfolio.settings.language.value
    return write_pdf(
        page,
        stage,
        font_css or font_css_for(portfolio, stage, facts, findings),
        title=f"{facts.company} — {Messages(lang)('booklet.portfolio')} {facts.fiscal_year}",
        author=portfolio.settings.branding.author or facts.company,
        language=lang,
        as_of=facts.as_of,
    )
