"""`kam facts`: every metric and class of the portfolio (or one account), for reading or
scripting."""

from __future__ import annotations

from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, PortfolioOpt, run


def register(app: typer.Typer) -> None:
    @app.command()
    def facts(
        account: Annotated[str | None, typer.Argument(help="Account id; default: the whole portfolio.")] = None,
        portfolio: PortfolioOpt = DEFAULT_PORTFOLIO,
        as_json: Annotated[bool, typer.Option("--json", help="Print the facts model as JSON (sorted keys).")] = False,
        as_of: Annotated[
            str | None,
            typer.Option("--as-of", help="Compute as of this date (YYYY-MM-DD) instead of the settings' as_of."),
        ] = None,
    ) -> None:
        """Compute the facts (revenue, growth, margin, receivables, classes, risk flags) from the
        plans and the ledger and print a summary table, or the model as JSON with --json."""
        typer.echo(run(lambda: facts_text(portfolio, account, as_json, as_of)))


def facts_text(root: object, account: str | None, as_json: bool, as_of_text: str | None) -> str:
    from pathlib import Path

    from workbench.analyze.compute import compute_facts
    from workbench.analyze.summary import account_summary, facts_json, portfolio_summary
    from workbench.ledger.ingest import load_ledger
    from workbench.options import parse_as_of
    from workbench.plan.load import load_portfolio

    as_of = parse_as_of(as_of_text)
    portfolio = load_portfolio(Path(str(root)))
    if account is not None and portfolio.plan(account) is None:
        raise _unknown_account(account, [lp.plan.account_id for lp in portfolio.plans])
    result = compute_facts(portfolio, load_ledger(portfolio), as_of)
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
