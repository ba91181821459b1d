"""Benchmark: rendering the sample portfolio's booklets (one warm worker).

For each account booklet and the portfolio booklet: the project's time from facts to PDF
bytes (HTML with charts, then WeasyPrint) and, on the same final HTML and charts,
WeasyPrint alone (the baseline: ``HTML(string=…).write_pdf`` with the same stylesheets and
fonts, its fetcher serving the charts already drawn). The project draws its charts in a
worker process while WeasyPrint parses and styles the page, so the overhead is what the
page costs beyond WeasyPrint's own work on this two-core machine; ``--one-core`` pins the
process (and the chart worker it starts) to one CPU to show the cost without that overlap.
The two run in turns, ``--repeat`` times each (default 5), and each one's median is
kept, so a machine whose speed drifts during the run weighs on both sides of the overhead
alike (with 3 runs, one slow baseline run on this noisy machine put a booklet's overhead
10 points off). Prints per-booklet and per-page times, each booklet's time normalised to
10 pages, English and Chinese medians per 10 pages, and the pipeline overhead (project /
WeasyPrint alone − 1).

Goals (ISSUE 5), judged on the medians *and* on every booklet: ≤ 1.5 s per 10-page
English booklet, Chinese ≤ 1.5 × the English median, overhead ≤ 15 %. Returns False when
a goal fails (``python -m benchmarks`` then exits non-zero).

Usage: ``python -m benchmarks booklet [-- --accounts 00231,01012 --repeat 5 --no-portfolio --one-core]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EN_PER_10 = 1.5
ZH_RATIO = 1.5
OVERHEAD = 0.15


def _paired_medians(
    project: Callable[[], bytes], alone: Callable[[], bytes], repeat: int
) -> tuple[float, float, bytes]:
    """Median times of the project's render and of WeasyPrint alone, run in turns (project,
    alone, project, alone…) so that a machine slowing down or speeding up during the run
    weighs on both sides of the ratio alike; and the project's PDF."""
    project_times, alone_times, pdf = [], [], b""
    for _ in range(repeat):
        t = time.perf_counter()
        pdf = project()
        project_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        alone()
        alone_times.append(time.perf_counter() - t)
    return statistics.median(project_times), statistics.median(alone_times), pdf


def main(argv: list[str]) -> bool:
    parser = argparse.ArgumentParser(prog="benchmarks booklet")
    parser.add_argument("--accounts", default="", help="comma-separated account ids (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per booklet; the median is kept")
    parser.add_argument("--no-portfolio", action="store_true", help="leave the portfolio booklet out")
    parser.add_argument("--one-core", action="store_true", help="run on one CPU (charts cannot overlap WeasyPrint)")
    args = parser.parse_args(argv)
    if args.one_core:
        import os

        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        print("pinned to one CPU")

    from pypdf import PdfReader
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from workbench.analyze.compute import compute_facts
    from workbench.check import run_checks
    from workbench.ledger.ingest import load_ledger
    from workbench.plan.load import load_portfolio
    from workbench.render.booklet import account_booklet_page, render_account_booklet
    from workbench.render.document import BOOKLET, Page, Stage, font_css_for, stylesheets
    from workbench.render.fetcher import ConfinedFetcher
    from workbench.render.portfolio import portfolio_booklet_page, render_portfolio_booklet

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

    def weasy_alone(page: Page) -> bytes:
        fetcher = ConfinedFetcher(stage.fetcher_roots, page.charts)
        fc = FontConfiguration()
        pdf = HTML(string=page.html, base_url=str(BOOKLET) + "/", url_fetcher=fetcher).write_pdf(
            stylesheets=stylesheets(stage, fonts, fc, fetcher), font_config=fc
        )
        assert isinstance(pdf, bytes)
        return pdf

    jobs: list[tuple[str, str, Callable[[], bytes], Callable[[], Page]]] = []
    for account in wanted:
        lp = portfolio.plan(account)
        assert lp is not None, account
        jobs.append(
            (
                account,
                lp.plan.language.value,
                lambda a=account: render_account_booklet(facts, a, portfolio, findings, stage, fonts),
                lambda a=account: account_booklet_page(facts, a, portfolio, findings, stage),
            )
        )
    if not args.no_portfolio:
        jobs.append(
            (
                "portfolio",
                portfolio.settings.language.value,
                lambda: render_portfolio_booklet(facts, portfolio, findings, stage, fonts),
                lambda: portfolio_booklet_page(facts, portfolio, findings, stage),
            )
        )

    rows = []
    for name, lang, render, page_of in jobs:
        page = page_of()
        assert not page.chart_problems()  # every chart drawn before the baseline is timed
        project, alone, pdf = _paired_medians(render, lambda p=page: weasy_alone(p), args.repeat)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        per10 = project / pages * 10
        rows.append((name, lang, pages, project, alone, per10))
        print(
            f"  {name:>9} {lang}  {pages:2d} pages  project {project:5.2f} s ({project / pages * 1000:4.0f} ms/page,"
            f" {per10:4.2f} s per 10 pages)  weasyprint alone {alone:5.2f} s  overhead {project / alone - 1:+5.0%}",
            flush=True,
        )
    per10_median = {
        lang: statistics.median(r[5] for r in rows if r[1] == lang)
        for lang in ("en", "zh")
        if any(r[1] == lang for r in rows)
    }
    overhead = statistics.median(r[3] / r[4] - 1 for r in rows)
    print("medians per 10 pages: " + ", ".join(f"{lang} {v:.2f} s" for lang, v in per10_median.items()))

    checks: list[tuple[str, float, bool]] = []
    en = per10_median.get("en")
    if en is not None:
        checks.append((f"English ≤ {EN_PER_10} s per 10 pages (median), s", en, en <= EN_PER_10))
        checks += [
            (f"  {r[0]} English ≤ {EN_PER_10} s per 10 pages, s", r[5], r[5] <= EN_PER_10) for r in rows if r[1] == "en"
        ]
    if en is not None and "zh" in per10_median:
        zh = per10_median["zh"]
        checks.append((f"Chinese ≤ {ZH_RATIO} × English (medians), ×", zh / en, zh / en <= ZH_RATIO))
        checks += [
            (f"  {r[0]} Chinese ≤ {ZH_RATIO} × English median, ×", r[5] / en, r[5] / en <= ZH_RATIO)
            for r in rows
            if r[1] == "zh"
        ]
    checks.append((f"pipeline overhead ≤ {OVERHEAD:.0%} (median), %", overhead * 100, overhead <= OVERHEAD))
    checks += [
        (f"  {r[0]} pipeline overhead ≤ {OVERHEAD:.0%}, %", (r[3] / r[4] - 1) * 100, r[3] / r[4] - 1 <= OVERHEAD)
        for r in rows
    ]
    for label, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {value:.2f}")
    return all(ok for _label, _value, ok in checks)
