"""`kam facts`: every metric and class of the portfolio (or one account), for reading or
scripting."""

from __future__ import annotations

from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, PortfolioOpt, run

PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="Period of the figures: a fiscal year (2026), half (2026H1), quarter (2026Q2) or calendar month "
        "(2026-03); default the fiscal year to date.",
    ),
]
FromOpt = Annotated[str | None, typer.Option("--from", help="Period start date (YYYY-MM-DD), instead of --period.")]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Period end date (YYYY-MM-DD); measured up to the as-of date at most.")
]


def register(app: typer.Typer) -> None:
    @app.command()
    def facts(
        account: Annotated[str | None, typer.Argument(help="Account id; default: the whole portfolio.")] = None,
        portfolio: PortfolioOpt = DEFAULT_PORTFOLIO,
        as_json: Annotated[bool, typer.Option("--json", help="Print the facts model as JSON (sorted keys).")] = False,
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of",
                help="Compute as of this date (YYYY-MM-DD, in the fiscal year) instead of the settings' as_of.",
            ),
        ] = None,
        period: PeriodOpt = None,
        start: FromOpt = None,
        end: ToOpt = None,
    ) -> None:
        """Compute the facts (revenue, growth, margin, receivables, classes, risk flags) from the
        plans and the ledger for a period (default the fiscal year to date), compared with the
        same span a year earlier, and print a summary table, or the model as JSON with --json."""
        typer.echo(run(lambda: facts_text(portfolio, account, as_json, as_of, period, start, end)))


def facts_text(
    root: object,
    account: str | None,
    as_json: bool,
    as_of_text: str | None,
    period_text: str | None = None,
    from_text: str | None = None,
    to_text: str | None = None,
) -> str:
    from pathlib import Path

    from workbench.analyze.compute import compute_facts
    from workbench.analyze.period import period_option, resolve
    from workbench.analyze.summary import account_summary, facts_json, portfolio_summary
    from workbench.ledger.ingest import load_ledger
    from workbench.options import parse_as_of
    from workbench.plan.load import load_portfolio

    as_of = parse_as_of(as_of_text)
    portfolio = load_portfolio(Path(str(root)))
    period = period_option(period_text, from_text, to_text, portfolio.settings.fiscal_year_start_month)
    resolve(portfolio.settings, portfolio.settings_path, as_of, period)  # refuse a bad date before reading the ledger
    if account is not None and portfolio.plan(account) is None:
        raise _unknown_account(account, [lp.plan.account_id for lp in portfolio.plans])
    result = compute_facts(portfolio, load_ledger(portfolio), as_of, period)
    if as_json:
        return facts_json(result, account)
    return account_summary(result, account) if account else portfolio_summary(result)


def _unknown_account(account: str, known: list[str]) -> Exception:
    import difflib

    from workbench.errors import Diagnostic, Location, UsageError

    close = difflib.get_close_matches(account, known, n=5, cutoff=0.5)
    hint = (
        f"did you mean {', '.join(close)}?" if close else f"known accounts: {', '.join(sorted(known)[:10]) or 'none'}"
    )
    return UsageError(Diagnostic("unknown-account", f"no plan for account `{account}`", Location(), hint=hint))
