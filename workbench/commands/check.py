"""`kam check`: findings about the plans, against themselves and against the ledger."""

from __future__ import annotations

from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, FormatOpt, PortfolioOpt, run
from workbench.commands.facts import FromOpt, PeriodOpt, ToOpt

FAIL_ON = ("error", "warning", "info", "never")


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        portfolio: PortfolioOpt = DEFAULT_PORTFOLIO,
        fmt: FormatOpt = "human",
        fail_on: Annotated[
            str,
            typer.Option(
                "--fail-on", help="Exit 1 when a finding has this severity or worse: error, warning, info or never."
            ),
        ] = "error",
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of", help="Check as of this date (YYYY-MM-DD, in the fiscal year) instead of the settings' as_of."
            ),
        ] = None,
        period: PeriodOpt = None,
        start: FromOpt = None,
        end: ToOpt = None,
        list_rules: Annotated[
            bool, typer.Option("--list-rules", help="Print every rule with its code and default severity, and exit.")
        ] = False,
    ) -> None:
        """Check every plan against itself and against the ledger: overdue actions, goals
        without strategies, credit holds with shipments planned, receivables, inventory
        band, price discipline, activity rate, class changes, figures that disagree. Activity
        and prices are judged over the period (default the fiscal year to date)."""
        from workbench.check import RULES
        from workbench.errors import Severity, format_diagnostics

        if list_rules:
            for r in RULES:
                typer.echo(f"{r.code:<24} {r.severity.value:<8} {r.description}")
            return
        if fail_on not in FAIL_ON:
            typer.echo(f"error: --fail-on must be one of {', '.join(FAIL_ON)}", err=True)
            raise typer.Exit(2)
        findings = run(lambda: _findings(portfolio, as_of, period, start, end), fmt)
        if fmt == "human":
            typer.echo(format_diagnostics(findings, fmt) if findings else "no findings")
        else:
            typer.echo(format_diagnostics(findings, fmt))
        if fail_on != "never":
            threshold = Severity(fail_on).rank
            if any(d.severity.rank >= threshold for d in findings):
                raise typer.Exit(1)


def _findings(
    root: object,
    as_of_text: str | None,
    period_text: str | None = None,
    from_text: str | None = None,
    to_text: str | None = None,
) -> list:
    from pathlib import Path

    from workbench.analyze.compute import compute_facts
    from workbench.analyze.period import period_option, resolve
    from workbench.check import run_checks
    from workbench.ledger.ingest import load_ledger
    from workbench.options import parse_as_of
    from workbench.plan.load import load_portfolio

    as_of = parse_as_of(as_of_text)
    portfolio = load_portfolio(Path(str(root)))
    period = period_option(period_text, from_text, to_text, portfolio.settings.fiscal_year_start_month)
    resolve(portfolio.settings, portfolio.settings_path, as_of, period)  # refuse a bad date before reading the ledger
    ledger = load_ledger(portfolio)
    facts = compute_facts(portfolio, ledger, as_of, period)
    return run_checks(portfolio, ledger, facts)
