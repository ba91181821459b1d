"""`kam build`: the main job — every output of a portfolio in one run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, FormatOpt, OutOpt, PortfolioOpt, run


def register(app: typer.Typer) -> None:
    @app.command()
    def build(
        portfolio: PortfolioOpt = DEFAULT_PORTFOLIO,
        out: OutOpt = None,
        as_of: Annotated[
            str | None,
            typer.Option("--as-of", help="Compute as of this date (YYYY-MM-DD) instead of the settings' as_of."),
        ] = None,
        no_booklets: Annotated[bool, typer.Option("--no-booklets", help="Skip the PDF booklets.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary.")] = False,
        fmt: FormatOpt = "human",
    ) -> None:
        """Validate the portfolio, read its ledger, compute every metric and check, and write
        facts.json, check.txt/check.json, ledger-report.txt and the PDF booklets into --out
        (default output/). Nothing is written unless every input is valid."""
        from workbench.build import build_portfolio
        from workbench.errors import Severity
        from workbench.options import parse_as_of

        target = out or Path("output")
        echo = None if quiet else (lambda msg: typer.echo(f"  {msg}", err=True))
        result = run(
            lambda: build_portfolio(
                portfolio, target, as_of=parse_as_of(as_of), booklets=not no_booklets, progress=echo
            ),
            fmt,
        )
        counts = ", ".join(f"{result.count(s)} {s.value}{'s' if result.count(s) != 1 else ''}" for s in Severity)
        typer.echo(
            f"built {len(result.written)} files for {result.accounts} accounts into {target}/ "
            f"in {result.seconds.get('total', 0):.1f} s; check: {counts} (see {target}/check.txt)"
        )
