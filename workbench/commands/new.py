"""`kam new`: start a plan from a complete, commented skeleton."""

from __future__ import annotations

from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, PortfolioOpt, run


def register(app: typer.Typer) -> None:
    @app.command()
    def new(
        account_id: Annotated[
            str, typer.Argument(help="Customer id exactly as the ERP ledger spells it (leading zeros kept).")
        ],
        name: Annotated[str, typer.Option("--name", "-n", help="Customer's short name.")],
        lang: Annotated[
            str, typer.Option("--lang", help="Language of the plan: zh or en (default: the portfolio's).")
        ] = "",
        owner: Annotated[str, typer.Option("--owner", help="Account manager who owns the plan.")] = "TBD",
        year: Annotated[int | None, typer.Option("--year", help="Fiscal year (default: the portfolio's).")] = None,
        portfolio: PortfolioOpt = DEFAULT_PORTFOLIO,
    ) -> None:
        """Write PORTFOLIO/ACCOUNT_ID.yaml: every section, each field explained, ready for
        an editor with the YAML language server (the first line names the schema)."""
        from workbench.plan.create import create_plan

        path = run(lambda: create_plan(portfolio, account_id, name, lang or None, owner, year))
        typer.echo(f"wrote {path}; replace the `# TODO:` placeholders, fill in the rest and run `kam validate {path}`")
