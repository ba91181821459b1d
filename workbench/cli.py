"""The ``kam`` command: a thin typer app. Each command parses options, calls one library
function, and turns a :class:`~workbench.errors.WorkbenchError` into a message and an
exit code (0 clean, 1 findings or bad input, 2 usage error)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

app = typer.Typer(
    name="kam",
    help="KAM Workbench: key-account plans as validated YAML, merged with ERP ledgers, "
    "turned into metrics, checks, PDF booklets and Excel trackers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PortfolioOpt = Annotated[
    Path,
    typer.Option(
        "--portfolio", "--plans", "-p", help="Portfolio folder (holds kam.yaml and the plans).", file_okay=False
    ),
]
# `kam booklet --portfolio` is the switch for the portfolio booklet (issue 5), so that command
# names its folder only `--plans`/`-p`; every other command accepts all three spellings.
PlansOpt = Annotated[
    Path,
    typer.Option("--plans", "-p", help="Portfolio folder (holds kam.yaml and the plans).", file_okay=False),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: human, github or json.")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Output folder (default: output/ under the current folder).")
]

DEFAULT_PORTFOLIO = Path("plans")

T = TypeVar("T")


def run(fn: Callable[[], T], fmt: str = "human") -> T:
    """Call `fn`; print located diagnostics and exit 1 (2 for usage errors) on failure."""
    from workbench.errors import FORMATS, UsageError, WorkbenchError, format_diagnostics

    if fmt not in FORMATS:
        typer.echo(f"error: unknown format `{fmt}`; use one of: {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    try:
        return fn()
    except UsageError as exc:
        typer.echo(format_diagnostics(exc.diagnostics, fmt, color=sys.stderr.isatty()), err=True)
        raise typer.Exit(2) from None
    except WorkbenchError as exc:
        out = format_diagnostics(exc.diagnostics, fmt, color=sys.stderr.isatty())
        # machine formats go to stdout so that scripts can capture them
        typer.echo(out, err=fmt == "human")
        raise typer.Exit(1) from None


def _register() -> None:
    import importlib
    import pkgutil

    import workbench.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"workbench.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register()


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
