"""The account booklet: one key account's plan and numbers, in the plan's language.

Sections (each an ``<h1>``, a PDF bookmark and a table-of-contents line), in DOMAIN.md's
order: summary, customer file, performance, report card, opportunities and threats, goals,
strategies, resources, action timeline, long-term issues, work logs, reviews, then the
ledger pages (receivables and credit, dealer inventory and prices, activity), the
classification and the check findings as an appendix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location, UsageError
from workbench.render.explain import explain

if TYPE_CHECKING:
    from workbench.analyze.facts import AccountFacts, PortfolioFacts
    from workbench.portfolio import Portfolio
    from workbench.render.charts import Chart, Charts
    from workbench.render.document import Page, Stage

ACCOUNT_SECTIONS = (
    "summary",
    "customer",
    "performance",
    "report_card",
    "swot",
    "goals",
    "strategies",
    "resources",
    "actions",
    "issues",
    "logs",
    "reviews",
    "credit",
    "dealer",
    "activity",
    "classes",
    "findings",
)
"""Message keys (``section.<key>``) of the account booklet's sections, in order."""


def account_findings(findings: Sequence[Diagnostic], account_id: str, plan_path: str) -> list[Diagnostic]:
    """The findings about one account: located in its plan, or naming it first."""
    return [d for d in findings if d.location.file == plan_path or d.message.startswith(f"{account_id} ")]


def _charts(a: AccountFacts, plan: Any, t: Any, settings: Any, facts: PortfolioFacts, draw: Charts) -> dict[str, Chart]:
    """Draws the page's charts; returns them by name, the name the templates place
    (``charts.monthly``) and the page's fetcher serves (``kam-chart:monthly``)."""
    p = draw.palette
    if a.monthly:
        draw.monthly(a.monthly, {"revenue": t("label.revenue"), "margin": t("label.margin")})
    rec = a.receivables
    if rec.outstanding > 0:
        rows = [
            {
                "label": t("label.not_due") if b.label == "not_due" else t("label.days_range", range=b.label),
                "value": b.amount,
                "color": p.good if b.label == "not_due" else p.bad,
            }
            for b in rec.buckets
        ]
        draw.bars(
            "aging",
            rows,
            t("label.outstanding"),
            width=280,
            legend=[(p.good, t("label.not_due")), (p.bad, t("label.past_due"))],
        )
    if a.inventory:
        colour = {"above": p.bad, "below": p.warn}
        rows = [{"label": i.sku, "value": i.days or 0, "color": colour.get(i.status, p.primary)} for i in a.inventory]
        band = settings.inventory
        draw.bars(
            "inventory",
            rows,
            t("label.inventory"),
            kind="number",
            width=280,
            rules=[
                {"value": band.band_low_days, "label": str(band.band_low_days), "color": p.muted, "align": "right"},
                {"value": band.band_high_days, "label": str(band.band_high_days), "color": p.muted, "align": "left"},
            ],
            legend=[(p.warn, t("band.below")), (p.primary, t("label.within_band")), (p.bad, t("band.above"))],
        )
    priced = [x for x in a.prices if x.deviation is not None]
    if priced:
        floor, ceiling = settings.prices.floor, settings.prices.ceiling
        rows = [
            {"label": x.sku, "value": x.deviation, "color": p.bad if not floor <= x.deviation <= ceiling else p.primary}
            for x in priced
        ]
        draw.bars(
            "prices",
            rows,
            t("label.deviation"),
            kind="pct",
            width=280,
            rules=[
                {"value": floor, "label": t("label.floor", value=draw.loc.pct(floor, 0, True)), "align": "right"},
                {"value": ceiling, "label": t("label.ceiling", value=draw.loc.pct(ceiling, 0, True)), "align": "left"},
            ],
        )
    dated = [x for x in plan.actions if x.due is not None]
    if dated:
        rows = [
            {
                "label": f"{x.id}",
                "start": x.start or x.due,
                "end": x.due,
                "status": t(f"status.{x.status.value}"),
                "status_key": x.status.value,
            }
            for x in sorted(dated, key=lambda x: (x.start or x.due, x.id))
        ]
        draw.gantt(rows, facts.as_of, t("label.today"))
    return draw.drawn


def owner_activity(a: AccountFacts) -> str:
    """The salesperson credited with this account's activity: its owner in the customers
    sheet (whom the activity rate credits), else the plan's owner."""
    return a.ledger_owner or a.owner


def account_context(
    facts: PortfolioFacts,
    account_id: str,
    portfolio: Portfolio,
    findings: Sequence[Diagnostic],
    stage: Stage | None = None,
) -> dict[str, Any]:
    from workbench.messages import Messages
    from workbench.render.charts import Charts
    from workbench.render.document import Stage
    from workbench.render.findings import finding_words, where
    from workbench.render.heat import activity_table, months_table
    from workbench.render.locale import Locale
    from workbench.render.progress import progress_bar

    lp = portfolio.plan(account_id)
    a = facts.account(account_id)
    if lp is None or a is None:
        known = ", ".join(p.plan.account_id for p in portfolio.plans)
        raise UsageError(
            Diagnostic(
                "unknown-account", f"no plan for account `{account_id}`", Location(), hint=f"known accounts: {known}"
            )
        )
    stage = stage or Stage.of(portfolio)
    plan = lp.plan
    lang = plan.language.value
    t = Messages(lang)
    loc = Locale(lang, facts.currency)
    settings = portfolio.settings
    draw = Charts(loc, stage.palette, Location(file=str(lp.path)))
    revenue_goal = next((g for g in a.goals if g.metric == "revenue"), None)
    metric_of = {g.id: g.metric.value for g in plan.all_goals()}
    person = owner_activity(a)
    alert = settings.activity.alert_below
    people = [(person, person), ("*", t("label.all_salespeople"))]
    first_month, last_month = facts.start.isoformat()[:7], facts.as_of.isoformat()[:7]
    years = [
        (-12, t("cover.fiscal_year", year=facts.fiscal_year - 1)),
        (0, t("cover.fiscal_year", year=facts.fiscal_year)),
    ]
    contacts = {c.id: c.name for c in plan.customer.contacts}
    fy_active = [m for m in a.active_months if first_month <= m <= last_month]
    elapsed = (facts.as_of.year - facts.start.year) * 12 + facts.as_of.month - facts.start.month + 1

    def lst(items: Any) -> str:
        return str(t("list.separator")).join(str(x) for x in items if x not in (None, ""))

    return {
        "t": t,
        "loc": loc,
        "lang": lang,
        "plan": plan,
        "a": a,
        "facts": facts,
        "company": facts.company,
        "title": f"{plan.customer.static.short_name} · {t('booklet.account')} {plan.fiscal_year}",
        "sections": ACCOUNT_SECTIONS,
        "findings": account_findings(findings, account_id, str(lp.path)),
        "charts": _charts(a, plan, t, settings, facts, draw),
        "revenue_goal": revenue_goal,
        "activity_goal": next((g for g in a.goals if g.metric == "activity"), None),
        "progress": lambda done, projected: progress_bar(done, projected, stage.palette),
        "band": settings.inventory,
        "logo": logo(stage),
        "why": explain,
        "finding": lambda d: finding_words(d, t, loc, metric_of.get),
        "where": lambda d: where(d.location, t),
        "lst": lst,
        "met": lambda ids: lst(contacts.get(i, i) for i in ids),
        "potential_growth": settings.classify.potential_growth,
        "owner_person": person,
        "owner_heat": activity_table(facts.activity.cells, people, loc, alert),
        "months_heat": months_table(loc, a.active_months, first_month, last_month, years),
        "months_bought": len(fy_active),
        "months_elapsed": elapsed,
        "alert": alert,
        "loyalty_threshold": settings.classify.loyalty_threshold,
        "loyalty_score_threshold": settings.classify.loyalty_score_threshold,
        "page_of": page_of(t),
    }


def page_of(t: Any) -> tuple[str, str, str]:
    """The catalogue's "page x of y" cut around its numbers, for the page footer:
    (before x, between x and y, after y); they reach the footer through attributes
    (``string-set: … attr()``), which keep their spaces."""
    text = t("page_of", page="\x00", pages="\x01")
    before, rest = text.split("\x00")
    middle, after = rest.split("\x01")
    return before, middle, after


def logo(stage: Stage) -> str | None:
    """The branding folder's logo as a file URL inside the fetcher's allowed roots."""
    if stage.branding is None:
        return None
    for name in ("logo.svg", "logo.png"):
        path = stage.branding / name
        if path.is_file() and path.resolve().is_relative_to(stage.branding):
            return path.resolve().as_uri()
    return None


def account_booklet_page(
    facts: PortfolioFacts,
    account_id: str,
    portfolio: Portfolio,
    findings: Sequence[Diagnostic],
    stage: Stage | None = None,
) -> Page:
    """The account booklet's HTML and its charts (drawing in the background)."""
    from workbench.render.document import Page, Stage, render_html

    stage = stage or Stage.of(portfolio)
    context = account_context(facts, account_id, portfolio, findings, stage)
    return Page(render_html(stage, "account.html.j2", context), context["charts"])


def render_account_booklet(
    facts: PortfolioFacts,
    account_id: str,
    portfolio: Portfolio,
    findings: Sequence[Diagnostic],
    stage: Stage | None = None,
    font_css: str | None = None,
) -> bytes:
    from workbench.render.document import Stage, font_css_for, write_pdf

    stage = stage or Stage.of(portfolio)
    page = account_booklet_page(facts, account_id, portfolio, findings, stage)
    lp = portfolio.plan(account_id)
    assert lp is not None
    plan = lp.plan
    title = f"{plan.customer.static.short_name} — {plan.fiscal_year}"
    return write_pdf(
        page,
        stage,
        font_css or font_css_for(portfolio, stage, facts, findings),
        title=title,
        author=portfolio.settings.branding.author or facts.company,
        language=plan.language.value,
        as_of=facts.as_of,
    )
