"""SECURITY.md, "Rendering": escaping, the confined fetcher, no |safe on data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError

ROOT = Path(__file__).resolve().parents[2]


def test_templates_never_mark_data_safe():
    for path in (ROOT / "templates").rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", text), f"{path.name} uses |safe"
        assert "<style" not in text and "style=" not in text, f"{path.name}: keep CSS in static files"


def test_plan_text_is_escaped_and_fetches_nothing(sample_portfolio, sample_facts, sample_findings, tmp_path):
    import dataclasses

    from pypdf import PdfReader

    from workbench.render.booklet import account_booklet_page, render_account_booklet

    evil = '<a rel="attachment" href="file:///etc/passwd">x</a><img src="http://example.com/x.png">'
    lp = sample_portfolio.plan("01012")
    plan = lp.plan.model_copy(update={"customer": lp.plan.customer.model_copy(update={"needs": [evil]})})
    plans = tuple(dataclasses.replace(p, plan=plan) if p is lp else p for p in sample_portfolio.plans)
    portfolio = dataclasses.replace(sample_portfolio, plans=plans)
    html = account_booklet_page(sample_facts, "01012", portfolio, sample_findings).html
    assert "&lt;a rel=&#34;attachment&#34;" in html and '<a rel="attachment"' not in html
    import io

    reader = PdfReader(io.BytesIO(render_account_booklet(sample_facts, "01012", portfolio, sample_findings)))
    assert not reader.attachments
    assert "file:///etc/passwd" in re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def test_a_refused_fetch_produces_no_pdf(sample_portfolio):
    from workbench.render.document import Page, Stage, write_pdf

    stage = Stage.of(sample_portfolio)
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "../../../etc/hostname"):
        html = f'<html><body><img src="{url}"><p>x</p></body></html>'
        with pytest.raises(WorkbenchError) as exc:
            write_pdf(Page(html), stage, "", title="t", author="a", language="en", as_of=dt.date(2026, 9, 30))
        assert exc.value.diagnostics[0].code == "refused-fetch"


def test_symlink_out_of_the_templates_folder_is_refused(tmp_path):
    from workbench.render.fetcher import ConfinedFetcher

    secret = tmp_path / "secret.txt"
    secret.write_text("s")
    root = tmp_path / "templates"
    root.mkdir()
    (root / "link.css").symlink_to(secret)
    fetcher = ConfinedFetcher([root])
    with pytest.raises(ValueError):
        fetcher.fetch((root / "link.css").as_uri())
    assert fetcher.refused == [(root / "link.css").as_uri()]


def test_charts_refuse_svg_with_links():
    from workbench.render.charts import ChartError, Charts
    from workbench.render.locale import Locale

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"a": 1}]},
        "mark": {"type": "point", "href": "http://x"},
        "encoding": {"x": {"field": "a", "type": "quantitative"}, "href": {"value": "http://x"}},
    }
    with pytest.raises(ChartError):
        _ = Charts(Locale("en")).render("links", spec).svg
