"""Loading plans and settings: text → validated models, or every problem at once.

``read_text_file`` (``workbench.plan.reader``) turns the text into plain data with
positions, recovering from parse-level errors; ``workbench.plan.diagnose`` types it
against the model and turns every problem into a located diagnostic (``file:line:col``,
an id-based path such as ``goals.this_year[G2].target``, the source line and a hint);
``workbench.plan.links`` checks ids and references. All three run on every file that is
YAML at all, so one run reports everything. Nothing is returned unless everything is
valid.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from workbench.errors import Diagnostic, Location, UsageError, WorkbenchError, sort_key
from workbench.plan.reader import Source, id_path, read_text_file

PLAN_SUFFIXES = (".yaml", ".yml", ".json")


def display_path(path: Path) -> str:
    """`path` relative to the current folder when it is inside it (what users typed)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_source(path: Path) -> Source:
    """Read and parse one file; I/O problems become diagnostics."""
    shown = display_path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(path)
        with path.open("rb") as fh:
            from workbench.plan.reader import MAX_BYTES

            size = os.fstat(fh.fileno()).st_size
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        src = Source(file=shown)
        src.error("no-such-file", "file not found", None, hint="check the path")
        return src
    except OSError as exc:
        src = Source(file=shown)
        src.error("unreadable", f"cannot read the file: {exc.strerror or exc}", None)
        return src
    return read_text_file(raw, shown, size=size)


# ------------------------------------------------------------------ model validation


def validate_source(src: Source, model: type[Any], context: dict[str, Any] | None = None) -> Any | None:
    """Validate `src.data` against `model` (see :func:`workbench.plan.diagnose.validate_data`)."""
    from workbench.plan.diagnose import validate_data

    return validate_data(src, model, context)


def settings_context(src: Source) -> dict[str, Any]:
    """Validation context of a settings file: its own currency, when it is a valid code."""
    from workbench.scalars import CURRENCY_PATTERN

    currency = src.data.get("currency") if isinstance(src.data, dict) else None
    ok = isinstance(currency, str) and re.fullmatch(CURRENCY_PATTERN, currency)
    return {"currency": currency if ok else None}


# ------------------------------------------------------------------------ positions


def positions(src: Source) -> dict[str, tuple[int, int]]:
    """id-path → (line, col) for every key and value of the file (key position preferred)."""
    out: dict[str, tuple[int, int]] = {}
    for loc, pos in src.values.items():
        out[id_path(src.data, loc)] = (pos.line, pos.col)
    for loc, pos in src.keys.items():
        out[id_path(src.data, loc)] = (pos.line, pos.col)
    return out


# ---------------------------------------------------------------------------- public


def load_settings(root: Path) -> tuple[Any, Path]:
    """The portfolio settings (``kam.yaml``) of folder `root`; raises WorkbenchError."""
    from workbench.settings import SETTINGS_FILE, Settings

    path = root / SETTINGS_FILE
    if not root.is_dir():
        raise UsageError(
            Diagnostic(
                "no-portfolio",
                f"portfolio folder `{display_path(root)}` does not exist",
                Location(file=display_path(root)),
                hint="pass the folder that holds kam.yaml with --portfolio",
            )
        )
    if not path.is_file():
        raise UsageError(
            Diagnostic(
                "no-settings",
                f"`{display_path(root)}` has no {SETTINGS_FILE}",
                Location(file=display_path(path)),
                hint="a portfolio folder holds kam.yaml (see plans/kam.yaml) and the plan files",
            )
        )
    src = read_source(path)
    settings = validate_source(src, Settings, settings_context(src))
    if settings is None:
        raise WorkbenchError(sorted(src.diagnostics, key=sort_key))
    return settings, path


def load_plan(path: Path, fiscal_year: int | None = None, currency: str | None = None) -> Any:
    """One plan file as a :class:`~workbench.portfolio.LoadedPlan`; raises WorkbenchError."""
    loaded, diagnostics = load_plan_file(path, fiscal_year, currency)
    if loaded is None or diagnostics:
        raise WorkbenchError(sorted(diagnostics, key=sort_key))
    return loaded


def load_plan_file(
    path: Path, fiscal_year: int | None = None, currency: str | None = None
) -> tuple[Any | None, list[Diagnostic]]:
    """(the loaded plan or None, every problem of the file): parse-level, model,
    cross-field and cross-reference errors together. `fiscal_year` and `currency` are
    the portfolio's, when known."""
    from workbench.plan.links import check_links
    from workbench.plan.model import Plan
    from workbench.portfolio import LoadedPlan

    src = read_source(path)
    if src.fatal:
        return None, list(src.diagnostics)
    links = check_links(src) if isinstance(src.data, dict) else []
    plan = validate_source(src, Plan, {"currency": currency})
    diagnostics = src.diagnostics + links
    if plan is None:
        return None, diagnostics
    loaded = LoadedPlan(plan=plan, path=Path(src.file), positions=positions(src), lines=src.lines)
    if fiscal_year is not None and plan.fiscal_year != fiscal_year:
        diagnostics.append(
            Diagnostic(
                "wrong-fiscal-year",
                f"the plan is for fiscal year {plan.fiscal_year}, the portfolio for {fiscal_year}",
                loaded.locate("fiscal_year"),
                hint="keep one fiscal year per portfolio folder (archive last year's plans elsewhere)",
            )
        )
    return loaded, diagnostics


_load_plan = load_plan_file  # the name older callers use


def plan_files(root: Path) -> list[Path]:
    """The plan files of a portfolio folder: ``*.yaml``, ``*.yml``, ``*.json`` except kam.yaml."""
    from workbench.settings import SETTINGS_FILE

    return sorted(
        p
        for p in root.iterdir()
        if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES and p.name != SETTINGS_FILE and not p.name.startswith(".")
    )


def check_accounts(plans: Sequence[Any]) -> tuple[list[Any], list[Diagnostic]]:
    """One plan per account: (the plans kept, in order, a duplicate-account error for
    each later plan of an account already seen)."""
    kept: list[Any] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, Any] = {}
    for loaded in plans:
        first = seen.get(loaded.plan.account_id)
        if first is not None:
            diagnostics.append(
                Diagnostic(
                    "duplicate-account",
                    f"account `{loaded.plan.account_id}` already has a plan in {first.path}",
                    loaded.locate("account_id"),
                    hint="one plan per account and fiscal year: merge the two files",
                )
            )
            continue
        seen[loaded.plan.account_id] = loaded
        kept.append(loaded)
    return kept, diagnostics


def load_portfolio(root: Path, paths: Iterable[Path] | None = None) -> Any:
    """Settings and every plan of folder `root` (or only `paths`), checked together.

    Raises one WorkbenchError carrying every problem of every file."""
    from workbench.portfolio import Portfolio

    root = Path(root)
    diagnostics: list[Diagnostic] = []
    try:
        settings, settings_path = load_settings(root)
    except UsageError:
        raise
    except WorkbenchError as exc:
        diagnostics += exc.diagnostics
        settings, settings_path = None, root / "kam.yaml"
    files = list(paths) if paths is not None else plan_files(root)
    loaded_plans = []
    for path in files:
        loaded, found = load_plan_file(
            path,
            settings.fiscal_year if settings is not None else None,
            settings.currency if settings is not None else None,
        )
        diagnostics += found
        if loaded is not None:
            loaded_plans.append(loaded)
    plans, duplicates = check_accounts(loaded_plans)
    diagnostics += duplicates
    if diagnostics:
        raise WorkbenchError(sorted(diagnostics, key=sort_key))
    assert settings is not None
    plans.sort(key=lambda p: p.plan.account_id)
    return Portfolio(root=root, settings=settings, settings_path=settings_path, plans=tuple(plans))
