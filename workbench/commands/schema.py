"""`kam schema`: the JSON Schemas of plans and settings, and the plan-format reference."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def schema(
        out: Annotated[
            Path, typer.Option("--out", "-o", help="Folder for plan.schema.json and settings.schema.json.")
        ] = Path("schemas"),
        docs: Annotated[
            Path | None,
            typer.Option(
                "--docs", help="Also write the Markdown plan-format reference to this file (docs/plan-format.md)."
            ),
        ] = None,
        check: Annotated[
            bool, typer.Option("--check", help="Write nothing; exit 1 when a file is missing or stale (for CI).")
        ] = False,
    ) -> None:
        """Write schemas/plan.schema.json (and settings.schema.json) from the model, for editors
        that complete and check YAML; with --docs also the plan-format reference."""
        from workbench.plan.reference import plan_reference_markdown, plan_schema, settings_schema
        from workbench.write import atomic_write

        files = {out / "plan.schema.json": plan_schema(), out / "settings.schema.json": settings_schema()}
        if docs is not None:
            files[docs] = plan_reference_markdown()
        stale = [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        if check:
            for p in stale:
                typer.echo(f"stale: {p} (run `kam schema{' --docs ' + str(docs) if docs else ''}`)", err=True)
            raise typer.Exit(1 if stale else 0)
        for p in stale:
            atomic_write(p, files[p].encode("utf-8"))
        typer.echo(
            f"wrote {len(stale)} of {len(files)} files"
            + (f": {', '.join(map(str, stale))}" if stale else " (all up to date)")
        )
