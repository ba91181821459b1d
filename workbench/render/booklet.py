"""The account booklet: one key account's plan and numbers, in the plan's language.

Sections (each an ``<h1>``, a PDF bookmark and a table-of-contents line), in DOMAIN.md's
order: summary, customer file, performance, report card, opportunities and threats, goals,
strategies, resources, action timeline, long-term issues, work logs, reviews, then the
ledger pages (receivables and credit, dealer inventory and prices), the classification and
the check findings as an appendix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location, UsageError

if TYPE_CHECKING:
    from workbench.analyze.facts import AccountFacts, PortfolioFacts
    from workbench.portfolio import Portfolio
from workbench.messages import finding_text
from workbench.render.document import Stage
from workbench.render.explain import explain

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
    "classes",
    "findings",
)
"""Message keys (``section.<key>``) of the account booklet's sections, in order."""


def account_findings(findings: Sequence[Diagnostic], account_id: str, plan_path: str) -> list[Diagnostic]:
    """The findings about one account: located in its plan, or naming it first."""
    return [d for d in findings if d.location.file == plan_path or d.message.startswith(f"{account_id} ")]


def percent_class(value: Decimal | None) -> int:
    """A 0–100 step of 5 for the progress-bar CSS classes (no data in style attributes)."""
    if value is None:
        return 0
    return int(max(0, min(100, round(float(value) * 20) * 5)))


def _charts(a: AccountFacts, plan: Any, loc: Any, t: Any, settings: Any, as_of: dt.date) -> dict[str, Any]:
    from workbench.render import charts, palette

    out: dict[str, Any] = {}
    if a.monthly:
        out["monthly"] = charts.monthly(
            a.monthly, {"revenue": t("label.revenue"), "margin": t("label.margin")}, loc.month_short
        )
    rec = a.receivables
    if rec.outstanding > 0:
        rows = [
            {
                "label": t("label.not_due") if b.label == "not_due" else b.label,
                "value": b.amount,
                "color": palette.GOOD if b.label == "not_due" else palette.BAD,
            }
            for b in rec.buckets
        ]
        out["aging"] = charts.bars(rows, t("label.outstanding"), width=280)
    if a.inventory:
        rows = [
            {
                "label": i.sku,
                "value": i.days or 0,
                "color": palette.BAD
                if i.status == "above"
                else palette.WARN
                if i.status == "below"
                else palette.PRIMARY,
            }
            for i in a.inventory
        ]
        band = settings.inventory
        out["inventory"] = charts.bars(
            rows,
            t("label.inventory"),
            width=280,
            fmt="d",
            rules=[
                {"value": band.band_low_days, "color": palette.GREY},
                {"value": band.band_high_days, "color": palette.GREY},
            ],
        )
    priced = [p for p in a.prices if p.deviation is not None]
    if priced:
        rows = [
            {"label": p.sku, "value": p.deviation, "color": palette.BAD if p.status != "within" else palette.PRIMARY}
            for p in priced
        ]
        out["prices"] = charts.bars(
            rows,
            t("label.deviation"),
            width=280,
            fmt=".0%",
            rules=[{"value": settings.prices.floor}, {"value": settings.prices.ceiling}],
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
        out["gantt"] = charts.gantt(rows, as_of, t("label.today"))
    return out


def account_context(
    facts: PortfolioFacts, account_id: str, portfolio: Portfolio, findings: Sequence[Diagnostic]
) -> dict[str, Any]:
    from workbench.messages import Messages
    from workbench.render.locale import Locale

    lp = portfolio.plan(account_id)
    a = facts.account(account_id)
    if lp is None or a is None:
        known = ", ".join(p.plan.account_id for p in portfolio.plans)
        raise UsageError(
            Diagnostic(
                "unknown-account", f"no plan for account `{account_id}`", Location(), hint=f"known accounts: {known}"
            )
        )
    plan = lp.plan
    lang = plan.language.value
    t = Messages(lang)
    loc = Locale(lang, facts.currency)
    revenue_goal = next((g for g in a.goals if g.metric == "revenue"), None)
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
        "charts": _charts(a, plan, loc, t, portfolio.settings, facts.as_of),
        "revenue_goal": revenue_goal,
        "bar": percent_class,
        "band": portfolio.settings.inventory,
        "logo": _logo(portfolio),
        "why": explain,
        "finding": finding_text,
        "potential_growth": portfolio.settings.classify.potential_growth,
    }


def _logo(portfolio: Portfolio) -> str | None:
    """The branding folder's logo as a file URL inside the fetcher's allowed roots."""
    folder = portfolio.settings.branding.folder
    if not folder:
        return None
    for name in ("logo.svg", "logo.png"):
        path = (portfolio.root / folder / name).resolve()
        if path.is_file():
            return path.as_uri()
    return None


def account_booklet_html(
    facts: PortfolioFacts,
    account_id: str,
    portfolio: Portfolio,
    findings: Sequence[Diagnostic],
    stage: Stage | None = None,
) -> str:
    from workbench.render.document import Stage, render_html

    stage = stage or Stage.of(portfolio)
    return render_html(stage, "account.html.j2", account_context(facts, account_id, portfolio, findings))


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
    html = account_booklet_html(facts, account_id, portfolio, findings, stage)
    lp = portfolio.plan(account_id)
    assert lp is not None
    plan = lp.plan
    title = f"{plan.customer.static.short_name} — {plan.fiscal_year}"
    return write_pdf(
        html,
        stage,
        font_css or font_css_for(portfolio, stage, facts, findings),
        title=title,
        author=portfolio.settings.branding.author or facts.company,
        language=plan.language.value,
        as_of=facts.as_of,
    )
