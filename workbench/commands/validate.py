"""`kam validate`: plans and settings against the model, every problem at once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli import DEFAULT_PORTFOLIO, FormatOpt, run


def register(app: typer.Typer) -> None:
    @app.command()
    def validate(
        paths: Annotated[
            list[Path] | None,
            typer.Argument(
                help="Plan files (.yaml, .yml, .json), kam.yaml files or portfolio folders (default: plans/)."
            ),
        ] = None,
        portfolio: Annotated[
            Path | None,
            typer.Option(
                "--portfolio",
                "--plans",
                "-p",
                help="Portfolio folder to check (default: plans/ when no PATHS are given).",
                file_okay=False,
            ),
        ] = None,
        fmt: FormatOpt = "human",
    ) -> None:
        """Check plans and settings: YAML traps, the model's types and enumerations, unique ids
        and references. Exit 0 when clean, 1 on findings, 2 on usage errors."""
        from workbench.errors import format_diagnostics
        from workbench.plan.validate import validate_paths

        targets = [*(paths or []), *([portfolio] if portfolio is not None else [])] or [DEFAULT_PORTFOLIO]
        report = run(lambda: validate_paths(targets), fmt)
        if report.diagnostics:
            out = format_diagnostics(report.diagnostics, fmt, color=sys.stderr.isatty() and fmt == "human")
            typer.echo(out, err=fmt == "human")
            raise typer.Exit(1)
        if fmt == "json":
            typer.echo("[]")
        elif fmt == "human":
            typer.echo(report.summary())
