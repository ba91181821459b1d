"""A portfolio folder: its settings (``kam.yaml``) and its plans, loaded together.

The loader (``workbench.plan.load``) fills these; everything downstream takes a
:class:`Portfolio`. Positions let ``check`` point at ``plans/x.yaml:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import Location

if TYPE_CHECKING:
    from workbench.plan.model import Plan
    from workbench.settings import Settings


@dataclass(frozen=True)
class LoadedPlan:
    plan: Plan
    path: Path  # as given/displayed (relative to cwd when possible)
    # id-path (e.g. "actions[A1].due", "customer.credit.limit") → (line, col), 1-based
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    lines: tuple[str, ...] = field(default=(), repr=False)  # source text lines for carets

    def locate(self, id_path: str = "") -> Location:
        """Location of `id_path`, falling back to the nearest located ancestor, then line 1."""
        probe = id_path
        while True:
            if probe in self.positions:
                line, col = self.positions[probe]
                src = self.lines[line - 1] if 0 < line <= len(self.lines) else None
                return Location(file=str(self.path), line=line, col=col, path=id_path or None, source_line=src)
            if not probe:
                return Location(file=str(self.path), line=1, col=1, path=id_path or None)
            probe = _parent(probe)


def _parent(id_path: str) -> str:
    cut = max(id_path.rfind("."), id_path.rfind("["))
    return id_path[:cut] if cut > 0 else ""


@dataclass(frozen=True)
class Portfolio:
    root: Path
    settings: Settings
    settings_path: Path
    plans: tuple[LoadedPlan, ...]

    def plan(self, account_id: str) -> LoadedPlan | None:
        return next((p for p in self.plans if p.plan.account_id == account_id), None)
