"""Benchmark: rendering the sample portfolio's booklets (one warm worker).

For each account booklet (and the portfolio booklet): the project's time from facts to
PDF bytes (HTML with charts, then WeasyPrint) and, on the same final HTML, WeasyPrint
alone (the baseline: ``HTML(string=…).write_pdf`` with the same stylesheets and fonts).
Prints per-booklet and per-page times, English and Chinese medians per 10 pages, and the
pipeline overhead (project / WeasyPrint alone − 1).

Goals (ISSUE 5): ≤ 1.5 s per 10-page English booklet, Chinese ≤ 1.5 × English,
overhead ≤ 15 %.

Usage: ``python -m benchmarks booklet [-- --accounts 00231,01012]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks booklet")
    parser.add_argument("--accounts", default="", help="comma-separated account ids (default: all)")
    args = parser.parse_args(argv)

    from pypdf import PdfReader
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from workbench.analyze.compute import compute_facts
    from workbench.check import run_checks
    from workbench.ledger.ingest import load_ledger
    from workbench.plan.load import load_portfolio
    from workbench.render.booklet import account_booklet_html, render_account_booklet
    from workbench.render.document import BOOKLET, Stage, font_css_for
    from workbench.render.fetcher import ConfinedFetcher

    portfolio = load_portfolio(ROOT / "plans")
    ledger = load_ledger(portfolio)
    facts = compute_facts(portfolio, ledger)
    findings = run_checks(portfolio, ledger, facts)
    stage = Stage.of(portfolio)
    started = time.perf_counter()
    fonts = font_css_for(portfolio, stage, facts, findings)
    print(f"font subset ready in {time.perf_counter() - started:.2f} s (cached after the first build)")
    wanted = [a for a in args.accounts.split(",") if a] or [lp.plan.account_id for lp in portfolio.plans]
    render_account_booklet(facts, wanted[0], portfolio, findings, stage, fonts)  # warm up

    def weasy_alone(html: str) -> float:
        fetcher = ConfinedFetcher(stage.fetcher_roots)
        fc = FontConfiguration()
        t = time.perf_counter()
        HTML(string=html, base_url=str(BOOKLET) + "/", url_fetcher=fetcher).write_pdf(
            stylesheets=[
                CSS(string=fonts, font_config=fc, url_fetcher=fetcher),
                CSS(filename=str(BOOKLET / "booklet.css"), font_config=fc, url_fetcher=fetcher),
            ],
            font_config=fc,
        )
        return time.perf_counter() - t

    rows = []
    for account in wanted:
        lang = portfolio.plan(account).plan.language.value
        t = time.perf_counter()
        pdf = render_account_booklet(facts, account, portfolio, findings, stage, fonts)
        project = time.perf_counter() - t
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        alone = weasy_alone(account_booklet_html(facts, account, portfolio, findings, stage))
        rows.append((account, lang, pages, project, alone))
        print(
            f"  {account} {lang}  {pages:2d} pages  project {project:5.2f} s ({project / pages * 1000:4.0f} ms/page)"
            f"  weasyprint alone {alone:5.2f} s  overhead {project / alone - 1:+5.0%}"
        )
    per10 = {
        lang: statistics.median(r[3] / r[2] * 10 for r in rows if r[1] == lang)
        for lang in ("en", "zh")
        if any(r[1] == lang for r in rows)
    }
    overhead = statistics.median(r[3] / r[4] - 1 for r in rows)
    print("medians per 10 pages: " + ", ".join(f"{lang} {v:.2f} s" for lang, v in per10.items()))
    checks = []
    if "en" in per10:
        checks.append(("English ≤ 1.5 s per 10 pages", per10["en"], per10["en"] <= 1.5))
    if "en" in per10 and "zh" in per10:
        checks.append(("Chinese ≤ 1.5 × English", per10["zh"] / per10["en"], per10["zh"] / per10["en"] <= 1.5))
    checks.append(("pipeline overhead ≤ 15 %", overhead * 100, overhead <= 0.15))
    for label, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {value:.2f}")
