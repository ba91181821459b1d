"""Creating a plan file from the skeleton (``kam new``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from workbench.errors import Diagnostic, Location, UsageError, WorkbenchError
from workbench.resources import SCHEMAS

SCHEMA_FILE = Path("schemas") / "plan.schema.json"
SHIPPED_SCHEMA = SCHEMAS / "plan.schema.json"
"""The schema committed with the workbench's source, or the copy an installed wheel carries."""

_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def schema_ref(folder: Path) -> str:
    """What the new plan's ``$schema`` line names, in order of preference:

    * the nearest ``schemas/plan.schema.json`` in `folder` or above it, relative (a team
      repository commits one with ``kam schema --out schemas``, so the reference works
      for every clone);
    * else the workbench's own schema as an absolute ``file://`` URI (works on this machine
      wherever the portfolio lives);
    * else (an installed workbench without its source tree) a copy written now into
      ``folder/schemas/``."""
    folder = folder.resolve()
    for base in (folder, *folder.parents):
        if (base / SCHEMA_FILE).is_file():
            return Path(os.path.relpath(base / SCHEMA_FILE, folder)).as_posix()
    if SHIPPED_SCHEMA.is_file():
        return SHIPPED_SCHEMA.as_uri()
    from workbench.plan.reference import plan_schema
    from workbench.write import atomic_write

    atomic_write(folder / SCHEMA_FILE, plan_schema().encode("utf-8"))
    return SCHEMA_FILE.as_posix()


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
    try:
        TypeAdapter(AccountId).validate_python(account_id)
    except ValidationError:
        problems.append(
            Diagnostic(
                "bad-argument",
                f"ACCOUNT_ID `{account_id}` is not a valid customer id",
                Location(),
                hint="account ids are letters, digits, `-` and `_` (at most 32), spelt as in the ERP ledger",
            )
        )
    for value, label in ((name, "--name"), (owner, "--owner")):
        if _ONE_LINE.search(value):
            problems.append(
                Diagnostic(
                    "bad-argument",
                    f"{label} {value!r} contains a line break or a control character",
                    Location(),
                    hint=f"give {label} on one line, e.g. {label} 'Acme Trading'",
                )
            )
            continue
        try:
            TypeAdapter(ShortText).validate_python(value)
        except ValidationError:
            problems.append(
                Diagnostic(
                    "bad-argument",
                    f"{label} `{value}` must be 1 to 200 characters",
                    Location(),
                    hint=f"give {label} as a short one-line name",
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
    from workbench.plan.load import validate_source

    validate_source(src, Plan, {"currency": settings.currency if settings else None})
    if not src.ok:  # pragma: no cover - the skeleton is tested to validate
        raise WorkbenchError(src.diagnostics)
    # exclusive create: never overwrite a plan that appeared meanwhile
    with open(target, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return Path(display_path(target))
