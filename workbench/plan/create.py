"""Creating a plan file from the skeleton (``kam new``)."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import Diagnostic, Location, UsageError, WorkbenchError

SCHEMA_FILE = Path("schemas") / "plan.schema.json"


def schema_ref(folder: Path) -> str:
    """Relative path from `folder` to the nearest ``schemas/plan.schema.json`` above it,
    else to the one shipped with this source tree."""
    folder = folder.resolve()
    for base in (folder, *folder.parents):
        if (base / SCHEMA_FILE).is_file():
            return Path(os.path.relpath(base / SCHEMA_FILE, folder)).as_posix()
    shipped = Path(__file__).resolve().parents[2] / SCHEMA_FILE
    return Path(os.path.relpath(shipped, folder)).as_posix()


def create_plan(
    portfolio: Path, account_id: str, name: str, language: str | None, owner: str, year: int | None
) -> Path:
    from pydantic import TypeAdapter, ValidationError

    from workbench.plan.load import display_path, load_settings
    from workbench.plan.model import Plan
    from workbench.plan.reader import read_text_file
    from workbench.plan.skeleton import skeleton_plan
    from workbench.scalars import AccountId, ShortText
    from workbench.settings import SETTINGS_FILE

    problems = []
    for value, kind, label in (
        (account_id, AccountId, "ACCOUNT_ID"),
        (name, ShortText, "--name"),
        (owner, ShortText, "--owner"),
    ):
        try:
            TypeAdapter(kind).validate_python(value)
        except ValidationError as exc:
            problems.append(
                Diagnostic(
                    "bad-argument",
                    f"{label} `{value}`: {exc.errors()[0]['msg']}",
                    Location(),
                    hint="account ids are letters, digits, `-` and `_`, as the ERP spells them",
                )
            )
    if language not in (None, "zh", "en"):
        problems.append(Diagnostic("bad-argument", f"--lang `{language}`: use zh or en", Location()))
    if problems:
        raise UsageError(problems)
    settings = None
    if (portfolio / SETTINGS_FILE).is_file():
        settings, _ = load_settings(portfolio)
    fiscal_year = year or (settings.fiscal_year if settings else None)
    if fiscal_year is None:
        raise UsageError(
            Diagnostic(
                "no-fiscal-year",
                f"`{display_path(portfolio)}` has no kam.yaml to take the fiscal year from",
                Location(),
                hint="pass --year or create the portfolio's kam.yaml first",
            )
        )
    lang = language or (settings.language.value if settings else "zh")
    target = portfolio / f"{account_id}.yaml"
    if target.exists():
        raise UsageError(
            Diagnostic(
                "exists",
                f"`{display_path(target)}` already exists",
                Location(file=display_path(target)),
                hint="edit it, or choose another account id",
            )
        )
    portfolio.mkdir(parents=True, exist_ok=True)
    text = skeleton_plan(account_id, name, lang, fiscal_year, owner, schema_ref(portfolio))
    src = read_text_file(text.encode("utf-8"), display_path(target))
    if src.ok:
        from workbench.plan.load import validate_source

        validate_source(src, Plan)
    if not src.ok:  # pragma: no cover - the skeleton is tested to validate
        raise WorkbenchError(src.diagnostics)
    # exclusive create: never overwrite a plan that appeared meanwhile
    with open(target, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return Path(display_path(target))
