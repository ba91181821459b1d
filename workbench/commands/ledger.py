"""`kam ledger`: inspect the transaction workbooks; write the sample ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, FormatOpt, PortfolioOpt, run

ledger_app = typer.Typer(
    help="The transaction workbooks: inspect them, or write the sample ones.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")


@ledger_app.command()
def inspect(
    portfolio: PortfolioOpt = DEFAULT_PORTFOLIO,
    fmt: FormatOpt = "human",
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every workbook again, ignoring .kam-cache/.")
    ] = False,
) -> None:
    """Read the portfolio's workbooks and print the data-quality report: files, sheets,
    rows, date range, customers, salespeople, product lines and what each rule did."""
    from workbench.ledger.ingest import load_ledger
    from workbench.ledger.report import format_ledger_report, ledger_report_json
    from workbench.plan.load import load_portfolio

    ledger = run(lambda: load_ledger(load_portfolio(portfolio), use_cache=not no_cache), fmt)
    typer.echo(ledger_report_json(ledger) if fmt == "json" else format_ledger_report(ledger))


@ledger_app.command()
def sample(
    portfolio: PortfolioOpt = DEFAULT_PORTFOLIO,
    accounts: Annotated[
        int | None, typer.Option("--accounts", help="Write a benchmark-size workbook with this many customers instead.")
    ] = None,
    lines: Annotated[int, typer.Option("--lines", help="Sales lines of the benchmark-size workbook.")] = 1_000_000,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Target: a folder for the sample workbooks (default PORTFOLIO/ledger), a file for --accounts.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same bytes.")] = 2026,
) -> None:
    """Write the sample portfolio's workbooks (销售台账.xlsx, dealer_reports.xlsx) from its
    plans, deterministically; with --accounts N --lines M a benchmark-size sales workbook."""
    from workbench.ledger.sample import generate_sample_ledger
    from workbench.ledger.sample_scale import generate_scale_ledger
    from workbench.plan.load import load_portfolio

    if accounts is not None:
        target = out or Path(f"ledger-{accounts}x{lines}.xlsx")
        path = generate_scale_ledger(target, accounts, lines, seed)
        typer.echo(f"wrote {path}")
        return
    pf = run(lambda: load_portfolio(portfolio))
    paths = generate_sample_ledger(pf, out or portfolio / "ledger", seed)
    typer.echo("wrote " + ", ".join(str(p) for p in paths))
