"""Booklets of the sample portfolio, rendered once per session (rendering is the slow part)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def stage_and_fonts(sample_portfolio, sample_facts, sample_findings):
    from workbench.render.document import Stage, font_css_for

    stage = Stage.of(sample_portfolio)
    return stage, font_css_for(sample_portfolio, stage, sample_facts, sample_findings)


@pytest.fixture(scope="session")
def booklet_pdf(sample_portfolio, sample_facts, sample_findings, stage_and_fonts):
    from workbench.render.booklet import render_account_booklet

    cache: dict[str, bytes] = {}

    def get(account_id: str) -> bytes:
        if account_id not in cache:
            stage, fonts = stage_and_fonts
            cache[account_id] = render_account_booklet(
                sample_facts, account_id, sample_portfolio, sample_findings, stage, fonts
            )
        return cache[account_id]

    return get


@pytest.fixture(scope="session")
def portfolio_pdf(sample_portfolio, sample_facts, sample_findings, stage_and_fonts):
    from workbench.render.portfolio import render_portfolio_booklet

    stage, fonts = stage_and_fonts
    return render_portfolio_booklet(sample_facts, sample_portfolio, sample_findings, stage, fonts)
