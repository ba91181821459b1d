"""Plain-text views of the facts for ``kam facts``: a compact table per portfolio, a short
card per account, and the stable JSON dump. Pure functions returning text."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from workbench.analyze.facts import AccountFacts, PortfolioFacts


def facts_json(facts: PortfolioFacts, account_id: str | None = None) -> str:
    """The model as JSON with sorted keys (stable for diffs and scripts)."""
    model = facts.account(account_id) if account_id else facts
    assert model is not None
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True)


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _classes(a: AccountFacts) -> list[str]:
    c = a.classes
    out = []
    for r in (c.abc, c.quadrant, c.stars, c.matrix):
        text = r.value + ("★" if r.scheme == "stars" else "")
        if r.manual:
            text += f" (computed {r.computed})"
        out.append(text)
    return out


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = []
        for i, cell in enumerate(r):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _period(facts: PortfolioFacts) -> str:
    p = facts.period
    return f"period {p.label} ({p.start} to {p.through}, compared with {p.comparison_start} to {p.comparison_end})"


def portfolio_summary(facts: PortfolioFacts) -> str:
    """Header with the totals, then one row per account."""
    t, lt = facts.totals, facts.last_totals
    growth = (t.revenue / lt.revenue - 1) if lt.revenue > 0 else None
    head = (
        f"{facts.company} · fiscal year {facts.fiscal_year} · {_period(facts)} · as of {facts.as_of} · "
        f"{facts.currency}\n"
        f"revenue {_money(t.revenue)} (same span last year {_money(lt.revenue)}, growth {_pct(growth)}), "
        f"margin rate {_pct(t.margin_rate)}, {len(facts.pareto)} customers, {len(facts.accounts)} planned accounts, "
        f"value threshold {_money(facts.value_threshold)}"
    )
    rows = [
        [
            "account",
            "name",
            "owner",
            "revenue",
            "growth",
            "margin",
            "ABC",
            "quadrant",
            "stars",
            "matrix",
            "potential",
            "risk flags",
        ]
    ]
    for a in facts.accounts:
        rows.append(
            [
                a.account_id,
                a.name,
                a.owner,
                _money(a.ytd.revenue),
                _pct(a.trend.growth_yoy),
                _pct(a.ytd.margin_rate),
                *_classes(a),
                "yes" if a.classes.potential_key else "",
                ", ".join(a.risk_flags) or "—",
            ]
        )
    return head + "\n\n" + _table(rows, right={3, 4, 5})


def account_summary(facts: PortfolioFacts, account_id: str) -> str:
    """A short card of one account: figures, classes with their reasons, goals, flags."""
    a = facts.account(account_id)
    assert a is not None
    r = a.receivables
    lines = [
        f"{a.account_id} · {a.name} · owner {a.owner} · region {a.region or '—'} · as of {facts.as_of}",
        _period(facts),
        f"revenue {_money(a.ytd.revenue)} (same span last year {_money(a.last_ytd.revenue)}, "
        f"growth {_pct(a.trend.growth_yoy)}), "
        f"margin {_money(a.ytd.margin)} ({_pct(a.ytd.margin_rate)}), last year {_money(a.last_year.revenue)}",
        f"trend {a.trend.slope_per_month if a.trend.slope_per_month is not None else '—'} per month over {a.trend.months} months; "
        f"regularity {_pct(a.regularity)}; cross-region {_pct(a.quality.cross_region_share)}; "
        f"penetration {_pct(a.penetration.share)} (whitespace: {', '.join(a.penetration.whitespace) or '—'})",
        f"receivables {_money(r.outstanding)} outstanding, {_money(r.overdue)} overdue, limit use {_pct(r.limit_use)}"
        + (f", ON HOLD ({', '.join(r.hold_reasons)})" if r.on_hold else ""),
        "",
        "classes:",
    ]
    c = a.classes
    for res in (c.abc, c.quadrant, c.stars, c.matrix):
        line = f"  {res.scheme:<8} {res.value:<14} {res.explanation}"
        if res.manual:
            line += f" — manual override of {res.computed}: {res.reason}"
        lines.append(line)
    lines.append(f"  controls {', '.join(c.star_controls)}")
    if c.potential_key:
        lines.append(f"  potential key account: {c.potential_reason}")
    if c.changed:
        changes = ", ".join(f"{s} {c.last_year[s]}→{getattr(c, s).value}" for s in c.changed)
        lines.append(f"  changed since last year: {changes}")
    if a.goals:
        lines += ["", "goals:"]
        for g in a.goals:
            lines.append(
                f"  {g.goal_id:<8} {g.metric:<14} actual {g.actual if g.actual is not None else '—'} of {g.target} "
                f"({_pct(g.percent)}), projected {g.projection if g.projection is not None else '—'} ({_pct(g.projected_percent)})"
            )
    if a.inventory:
        lines += ["", "stock (latest report per SKU):"]
        for i in a.inventory:
            rate = (
                f"{i.daily_sellout}/day over {i.covered_days} days" + (" (assumed)" if i.span_assumed else "")
                if i.daily_sellout is not None
                else "no sell-out"
            )
            lines.append(
                f"  {i.sku:<10} {i.report_date} on hand {i.on_hand.normalize():f}, {rate}, "
                f"{i.days if i.days is not None else '—'} days ({i.status}), suggested order "
                f"{i.suggested_order if i.suggested_order is not None else '—'}; report {i.age_days} days old"
                + (" — STALE" if i.stale else "")
            )
    if a.prices:
        lines += ["", "prices:"]
        for p in a.prices:
            text = f"  {p.sku:<10} latest {p.latest_price.normalize():f} on {p.latest_date} ({_pct(p.deviation)}), {p.status}"
            if p.below_floor and p.floor_breach:
                text += f"; {p.below_floor} of {p.observations} below the floor, lowest {p.floor_breach.price.normalize():f} on {p.floor_breach.date}"
            if p.above_ceiling and p.ceiling_breach:
                text += f"; {p.above_ceiling} of {p.observations} above the ceiling, highest {p.ceiling_breach.price.normalize():f} on {p.ceiling_breach.date}"
            if p.unstable:
                text += f"; unstable (spread {_pct(p.spread)})"
            lines.append(text)
    lines += ["", f"risk flags: {', '.join(a.risk_flags) or '—'}"]
    if a.overdue_actions:
        lines.append(f"overdue actions: {', '.join(a.overdue_actions)}")
    return "\n".join(lines)
