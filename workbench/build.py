"""The whole build of a portfolio: load → ingest → analyze → check → render → write.

Everything is gathered in memory first; only when every plan, workbook and booklet has
succeeded does :class:`~workbench.write.OutputWriter` write the outputs, each atomically.
A bad input therefore stops the run before anything lands in the output folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import Diagnostic, Severity


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Path, ...]
    findings: tuple[Diagnostic, ...]
    accounts: int
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.findings if d.severity == severity)


def build_portfolio(
    root: Path,
    out: Path,
    *,
    as_of: dt.date | None = None,
    booklets: bool = True,
    accounts: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build every output of the portfolio in `root` into `out`.

    Writes ``facts.json`` (every metric and class), ``check.txt``/``check.json`` (the
    findings), ``ledger-report.txt`` (what ingestion read and what each data-quality rule
    did) and, unless `booklets` is false, ``booklets/<account>.pdf`` for every plan (or
    the given `accounts`) plus ``booklets/portfolio.pdf``.
    """
    from time import perf_counter

    from workbench.analyze.compute import compute_facts
    from workbench.check import run_checks
    from workbench.errors import format_human, format_json
    from workbench.ledger.ingest import load_ledger
    from workbench.ledger.report import format_ledger_report
    from workbench.plan.load import load_portfolio
    from workbench.write import OutputWriter

    say = progress or (lambda _msg: None)
    seconds: dict[str, float] = {}
    t0 = perf_counter()

    portfolio = load_portfolio(root)
    seconds["load"] = perf_counter() - t0
    say(f"loaded {len(portfolio.plans)} plans from {root}")

    t = perf_counter()
    ledger = load_ledger(portfolio)
    seconds["ledger"] = perf_counter() - t
    say(f"read the ledger: {ledger.sales.height:,} sales lines from {len(ledger.sources)} files")

    t = perf_counter()
    facts = compute_facts(portfolio, ledger, as_of)
    findings = run_checks(portfolio, ledger, facts)
    seconds["analyze"] = perf_counter() - t
    say(f"computed facts and {len(findings)} findings as of {facts.as_of.isoformat()}")

    writer = OutputWriter(out)
    writer.add("facts.json", (facts.model_dump_json(indent=2) + "\n").encode())
    writer.add("check.json", (format_json(findings) + "\n").encode())
    writer.add("check.txt", ((format_human(findings) or "no findings") + "\n").encode())
    writer.add("ledger-report.txt", (format_ledger_report(ledger) + "\n").encode())

    if booklets:
        from workbench.render.batch import render_booklets

        t = perf_counter()
        wanted = list(accounts) if accounts else [lp.plan.account_id for lp in portfolio.plans]
        for name, pdf in render_booklets(facts, portfolio, findings, wanted, not accounts, say).items():
            writer.add(name, pdf)
        seconds["booklets"] = perf_counter() - t

    written = writer.commit()
    seconds["total"] = perf_counter() - t0
    return BuildResult(tuple(written), tuple(findings), len(portfolio.plans), seconds)
