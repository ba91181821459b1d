"""Builders for plan-loader tests: a small valid plan as text, and a portfolio folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from plan_texts import SETTINGS


@pytest.fixture
def portfolio_dir(tmp_path: Path) -> Callable[..., Path]:
    """``portfolio_dir(**{"a.yaml": text})``: a portfolio folder with kam.yaml and those files."""

    def make(**files: str | bytes) -> Path:
        root = tmp_path / "pf"
        root.mkdir(exist_ok=True)
        (root / "kam.yaml").write_text(SETTINGS, encoding="utf-8")
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (root / name.replace("__", ".")).write_bytes(data)
        return root

    return make


@pytest.fixture
def load_errors(portfolio_dir: Callable[..., Path]) -> Callable[[str | bytes], list]:
    """Load BASE-like plan text in a portfolio and return its diagnostics (as dicts)."""
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_portfolio

    def run(text: str | bytes, name: str = "p.yaml") -> list:
        """Every diagnostic of loading the portfolio (as dicts with `where` = file:line:col)."""
        root = portfolio_dir(**{name: text})
        try:
            load_portfolio(root)
        except WorkbenchError as exc:
            return [
                d.to_dict()
                | {
                    "line": d.location.line,
                    "col": d.location.col,
                    "path": d.location.path,
                    "file": Path(d.location.file or "").name,
                    "where": f"{Path(d.location.file or '').name}:{d.location.line}:{d.location.col}",
                }
                for d in exc.diagnostics
            ]
        return []

    return run
