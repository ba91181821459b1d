"""Documentation kept honest: every command is documented, the README's set-up commands
are the ones CI runs, and every capability has a CHANGELOG entry."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from workbench.cli import app

ROOT = Path(__file__).resolve().parents[1]


# Typer vendors its own click (``typer._click``), so walk the command tree by duck typing
# rather than importing click: a group has a ``commands`` mapping, an option has ``opts``.


def _subcommands(cmd: Any) -> dict[str, Any]:
    return dict(getattr(cmd, "commands", None) or {})


def _commands(group: Any, prefix: str = "kam") -> list[str]:
    out = []
    for name, sub in _subcommands(group).items():
        path = f"{prefix} {name}"
        out.append(path)
        out.extend(_commands(sub, path))
    return out


def _docs_text() -> str:
    parts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    parts += [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")) if not p.name.startswith("notes-")
    ]
    return "\n".join(parts)


def test_every_command_is_documented_in_readme_or_docs():
    commands = _commands(typer.main.get_command(app))
    assert len(commands) >= 8, commands
    text = _docs_text()
    missing = [c for c in commands if not re.search(rf"`{re.escape(c)}(\s[^`]*)?`", text)]
    assert not missing, f"commands without documentation (a `{missing[0]} ...` code span): {missing}"


def test_every_option_of_every_command_is_documented():
    text = _docs_text()
    root = typer.main.get_command(app)
    missing = []
    for path in _commands(root):
        cmd: Any = root
        for part in path.split()[1:]:
            cmd = _subcommands(cmd)[part]
        if _subcommands(cmd):
            continue
        for param in cmd.params:
            if getattr(param, "param_type_name", "") == "option" and not param.hidden:
                longest = max(param.opts, key=len)
                if longest != "--help" and longest not in text:
                    missing.append(f"{path} {longest}")
    assert not missing, f"options not mentioned in README or docs/: {missing}"


def test_readme_gives_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", quick, flags=re.S)
    setup = [line.strip() for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]
    assert setup == ["./dev demo", "./dev test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci


def test_changelog_names_every_command():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    top = {c.split()[1] for c in _commands(typer.main.get_command(app))}
    missing = [c for c in sorted(top) if f"kam {c}" not in changelog]
    assert not missing, f"CHANGELOG.md has no entry for: {missing}"


def test_kam_help_is_fast_because_heavy_libraries_are_not_imported():
    code = (
        "import sys; from workbench.cli import app; "
        "heavy = [m for m in ('polars', 'weasyprint', 'openpyxl', 'vl_convert', 'pandas', 'fastexcel', 'pydantic') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"`kam --help` imports heavy libraries: {out.stdout.strip()}"
