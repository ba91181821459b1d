"""`kam validate`: check plan files, settings files and whole portfolio folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import Diagnostic, Location, UsageError, WorkbenchError, sort_key


@dataclass
class ValidationReport:
    files: int = 0
    plans: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def validate_paths(paths: list[Path]) -> ValidationReport:
    """Validate every path (folders as portfolios, single plan or settings files).

    Usage problems (a path that does not exist) raise UsageError; findings are returned."""
    from workbench.plan.load import (
        _load_plan,
        display_path,
        load_portfolio,
        load_settings,
        plan_files,
    )
    from workbench.settings import SETTINGS_FILE

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(
            [
                Diagnostic(
                    "no-such-path",
                    f"`{display_path(p)}` does not exist",
                    Location(file=display_path(p)),
                    hint="give plan files or portfolio folders",
                )
                for p in missing
            ]
        )
    report = ValidationReport()
    years: dict[Path, int | None] = {}

    def fiscal_year_of(folder: Path) -> int | None:
        """The fiscal year of the portfolio a lone plan file sits in (its settings' errors reported once)."""
        if folder not in years:
            years[folder] = None
            if (folder / SETTINGS_FILE).is_file():
                try:
                    years[folder] = load_settings(folder)[0].fiscal_year
                except WorkbenchError as exc:
                    report.diagnostics.extend(exc.diagnostics)
        return years[folder]

    for path in paths:
        if path.is_dir():
            files = plan_files(path)
            if (path / SETTINGS_FILE).is_file():
                report.files += 1 + len(files)
                try:
                    portfolio = load_portfolio(path)
                    report.plans += len(portfolio.plans)
                except WorkbenchError as exc:
                    report.diagnostics += exc.diagnostics
                continue
            plan_paths = files
        else:
            plan_paths = [path]
        for plan_path in plan_paths:
            report.files += 1
            fiscal_year = fiscal_year_of(plan_path.parent)
            if plan_path.name == SETTINGS_FILE:
                continue
            loaded, found = _load_plan(plan_path, fiscal_year)
            report.diagnostics += found
            report.plans += loaded is not None and not found
    report.diagnostics.sort(key=sort_key)
    return report
