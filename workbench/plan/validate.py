"""`kam validate`: check plan files, settings files and whole portfolio folders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import Diagnostic, Location, UsageError, WorkbenchError, sort_key


@dataclass
class ValidationReport:
    files: int = 0
    plans: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def summary(self) -> str:
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        plans = f"{self.plans} plan{'s' if self.plans != 1 else ''}"
        return f"{files} checked ({plans}): clean"


def _usage_problems(paths: Sequence[Path]) -> list[Diagnostic]:
    """Paths that do not exist, files that are not plans, folders that hold no plans."""
    from workbench.plan.load import PLAN_SUFFIXES, display_path, plan_files
    from workbench.settings import SETTINGS_FILE

    problems = []
    for p in paths:
        shown = display_path(p)
        if not p.exists():
            problems.append(
                Diagnostic(
                    "no-such-path",
                    f"`{shown}` does not exist",
                    Location(file=shown),
                    hint="give plan files or portfolio folders",
                )
            )
        elif p.is_dir():
            if not (p / SETTINGS_FILE).is_file() and not plan_files(p):
                problems.append(
                    Diagnostic(
                        "no-plans",
                        f"`{shown}` holds no plans (.yaml, .yml or .json files) and no {SETTINGS_FILE}",
                        Location(file=shown),
                        hint="give a portfolio folder (the one with kam.yaml) or plan files",
                    )
                )
        elif p.suffix.lower() not in PLAN_SUFFIXES:
            problems.append(
                Diagnostic(
                    "not-a-plan",
                    f"`{shown}` is not a plan or settings file",
                    Location(file=shown),
                    hint="plans and kam.yaml are .yaml, .yml or .json files",
                )
            )
    return problems


def validate_paths(paths: list[Path]) -> ValidationReport:
    """Validate every path (folders as portfolios, single plan or settings files).

    The plans of one folder are checked together (one plan per account), whether the
    folder or its files were named. Usage problems raise UsageError; findings are returned."""
    from workbench.plan.load import check_accounts, load_plan_file, load_settings, plan_files
    from workbench.settings import SETTINGS_FILE

    problems = _usage_problems(paths)
    if problems:
        raise UsageError(problems)
    report = ValidationReport()
    settings: dict[Path, Any] = {}
    groups: dict[Path, list[Any]] = {}
    seen: set[Path] = set()

    def settings_of(folder: Path) -> Any:
        """The settings of the portfolio folder `folder` (None without kam.yaml), each checked once."""
        key = folder.resolve()
        if key not in settings:
            settings[key] = None
            if (folder / SETTINGS_FILE).is_file():
                report.files += 1
                seen.add((folder / SETTINGS_FILE).resolve())
                try:
                    settings[key] = load_settings(folder)[0]
                except WorkbenchError as exc:
                    report.diagnostics.extend(exc.diagnostics)
        return settings[key]

    for path in paths:
        if path.is_dir():
            settings_of(path)
            files = plan_files(path)
        else:
            settings_of(path.parent)
            files = [] if path.name == SETTINGS_FILE else [path]
        for plan_path in files:
            if plan_path.resolve() in seen:
                continue
            seen.add(plan_path.resolve())
            report.files += 1
            portfolio = settings_of(plan_path.parent)
            loaded, found = load_plan_file(
                plan_path,
                portfolio.fiscal_year if portfolio is not None else None,
                portfolio.currency if portfolio is not None else None,
            )
            report.diagnostics += found
            if loaded is not None:
                report.plans += not found
                groups.setdefault(plan_path.parent.resolve(), []).append(loaded)
    for group in groups.values():
        report.diagnostics += check_accounts(group)[1]
    report.diagnostics.sort(key=sort_key)
    return report
