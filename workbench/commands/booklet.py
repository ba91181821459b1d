"""`kam booklet`: PDF booklets for accounts and for the portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, OutOpt, PlansOpt, run


def register(app: typer.Typer) -> None:
    @app.command()
    def booklet(
        accounts: Annotated[list[str] | None, typer.Argument(help="Account ids to render.")] = None,
        portfolio_booklet: Annotated[bool, typer.Option("--portfolio", help="Render the portfolio booklet.")] = False,
        all_: Annotated[
            bool, typer.Option("--all", help="Render every account's booklet and the portfolio booklet.")
        ] = False,
        plans: PlansOpt = DEFAULT_PORTFOLIO,
        out: OutOpt = None,
        as_of: Annotated[
            str | None,
            typer.Option("--as-of", help="Compute as of this date (YYYY-MM-DD) instead of the settings' as_of."),
        ] = None,
    ) -> None:
        """Render PDF booklets into OUT/booklets/ (default output/booklets/): ACCOUNT... for
        account booklets, --portfolio for the portfolio booklet, --all for everything. The
        portfolio folder is given with --plans (because --portfolio names the booklet)."""
        if not accounts and not portfolio_booklet and not all_:
            typer.echo("error: name account ids, or pass --portfolio or --all", err=True)
            raise typer.Exit(2)
        target = out or Path("output")
        written = run(lambda: _render(plans, accounts or [], portfolio_booklet or all_, all_, target, as_of))
        for path in written:
            typer.echo(f"wrote {path}")


def _render(
    root: Path, accounts: list[str], with_portfolio: bool, everything: bool, out: Path, as_of_text: str | None
) -> list[Path]:
    from workbench.analyze.compute import compute_facts
    from workbench.check import run_checks
    from workbench.errors import Diagnostic, Location, UsageError
    from workbench.ledger.ingest import load_ledger
    from workbench.options import parse_as_of
    from workbench.plan.load import load_portfolio
    from workbench.render.batch import render_booklets
    from workbench.write import OutputWriter

    portfolio = load_portfolio(root)
    known = [lp.plan.account_id for lp in portfolio.plans]
    unknown = [a for a in accounts if a not in known]
    if unknown:
        raise UsageError(
            [
                Diagnostic(
                    "unknown-account",
                    f"no plan for account `{a}`",
                    Location(),
                    hint=f"known accounts: {', '.join(known)}",
                )
                for a in unknown
            ]
        )
    wanted = known if everything else accounts
    ledger = load_ledger(portfolio)
    facts = compute_facts(portfolio, ledger, parse_as_of(as_of_text))
    findings = run_checks(portfolio, ledger, facts)
    writer = OutputWriter(out)
    for name, pdf in render_booklets(facts, portfolio, findings, wanted, with_portfolio).items():
        writer.add(name, pdf)
    return list(writer.commit())
