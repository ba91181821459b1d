"""`kam build`, the main job: outputs written together, nothing written on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


def _build(portfolio: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "build", "--portfolio", str(portfolio), "--out", str(out), *extra],
        capture_output=True,
        text=True,
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".kam-cache" not in p.parts
    }


def test_build_writes_facts_checks_and_report_and_keeps_them_on_bad_input(tmp_path, repo_root):
    portfolio = tmp_path / "plans"
    shutil.copytree(repo_root / "plans", portfolio, ignore=shutil.ignore_patterns(".kam-cache"))
    out = tmp_path / "output"
    first = _build(portfolio, out, "--no-booklets")
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in out.iterdir()) == ["check.json", "check.txt", "facts.json", "ledger-report.txt"]
    facts = json.loads((out / "facts.json").read_text(encoding="utf-8"))
    assert len(facts["accounts"]) == 14 and facts["as_of"] == "2026-09-30"
    assert "2 errors" in first.stdout

    before_out, before_plans = _snapshot(out), _snapshot(portfolio)
    bad = portfolio / "00231.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("form: delivery", "form: deliver"), encoding="utf-8")
    before_plans = _snapshot(portfolio)
    second = _build(portfolio, out, "--no-booklets")
    assert second.returncode == 1
    assert "00231.yaml" in second.stderr and "did you mean `delivery`?" in second.stderr
    assert _snapshot(out) == before_out  # previous outputs intact
    assert _snapshot(portfolio) == before_plans  # the plan is never touched
