"""Rendering several booklets of one portfolio with shared fonts and stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.analyze.facts import PortfolioFacts
    from workbench.errors import Diagnostic
    from workbench.portfolio import Portfolio


def render_booklets(
    facts: PortfolioFacts,
    portfolio: Portfolio,
    findings: Sequence[Diagnostic],
    accounts: Sequence[str],
    with_portfolio: bool,
    progress: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """``booklets/<account>.pdf`` (and ``booklets/portfolio.pdf``) → PDF bytes."""
    from workbench.render import drawer
    from workbench.render.booklet import render_account_booklet
    from workbench.render.document import Stage, font_css_for
    from workbench.render.portfolio import render_portfolio_booklet

    drawer.start()  # the chart worker starts up while the fonts are prepared
    say = progress or (lambda _m: None)
    stage = Stage.of(portfolio)
    fonts = font_css_for(portfolio, stage, facts, findings)
    out: dict[str, bytes] = {}
    for account_id in accounts:
        out[f"booklets/{account_id}.pdf"] = render_account_booklet(facts, account_id, portfolio, findings, stage, fonts)
        say(f"rendered booklets/{account_id}.pdf")
    if with_portfolio:
        out["booklets/portfolio.pdf"] = render_portfolio_booklet(facts, portfolio, findings, stage, fonts)
        say("rendered booklets/portfolio.pdf")
    return out
