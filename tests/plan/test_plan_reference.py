"""`kam schema` output is committed and current; `kam new` writes a plan that validates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schemas_and_plan_reference_are_current():
    from workbench.plan.reference import plan_reference_markdown, plan_schema, settings_schema

    hint = "stale: regenerate with `kam schema --docs docs/plan-format.md` and review the diff"
    assert (ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8") == plan_schema(), hint
    assert (ROOT / "schemas" / "settings.schema.json").read_text(encoding="utf-8") == settings_schema(), hint
    assert (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8") == plan_reference_markdown(), hint


def test_plan_reference_documents_every_field_of_every_section():
    from workbench.plan.model import Plan

    text = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    for name in Plan.model_fields:
        assert f"| `{name}` |" in text


def test_kam_schema_check_detects_a_stale_file(tmp_path):
    run = [sys.executable, "-m", "workbench", "schema", "--out", str(tmp_path)]
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 1
    assert subprocess.run(run, capture_output=True).returncode == 0
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 0


def _new(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "new", *args, "--portfolio", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def test_kam_new_writes_a_plan_that_validates_with_and_without_its_examples(tmp_path):
    from workbench.plan.load import validate_source
    from workbench.plan.model import Plan
    from workbench.plan.reader import read_text_file
    from workbench.plan.skeleton import uncomment_examples

    (tmp_path / "kam.yaml").write_text("company: X\nfiscal_year: 2026\nas_of: 2026-09-30\n", encoding="utf-8")
    for account, lang, name in (("00042", "zh", "华东五金"), ("A-77", "en", 'O"Brien: "NO" & Co')):
        out = _new(tmp_path, account, "--name", name, "--lang", lang)
        assert out.returncode == 0, out.stderr
        text = (tmp_path / f"{account}.yaml").read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=")
        schema_ref = text.split("$schema=", 1)[1].split("\n", 1)[0]
        assert (tmp_path / schema_ref).resolve() == (ROOT / "schemas" / "plan.schema.json").resolve()
        for variant in (text, uncomment_examples(text)):
            src = read_text_file(variant.encode("utf-8"), "new.yaml")
            plan = validate_source(src, Plan)
            assert src.diagnostics == [] and plan is not None, (src.diagnostics, variant)
            assert plan.account_id == account and plan.customer.static.short_name == name
        full = validate_source(read_text_file(uncomment_examples(text).encode(), "x"), Plan)
        assert full.actions and full.strategies and full.customer.contacts and full.work_logs
    check = subprocess.run(
        [sys.executable, "-m", "workbench", "validate", str(tmp_path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_kam_new_refuses_to_overwrite_and_rejects_bad_ids(tmp_path):
    (tmp_path / "kam.yaml").write_text("company: X\nfiscal_year: 2026\nas_of: 2026-09-30\n", encoding="utf-8")
    assert _new(tmp_path, "00042", "--name", "A").returncode == 0
    before = (tmp_path / "00042.yaml").read_bytes()
    again = _new(tmp_path, "00042", "--name", "B")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert (tmp_path / "00042.yaml").read_bytes() == before
    bad = _new(tmp_path, "../../etc/x", "--name", "A")
    assert bad.returncode == 2 and "ACCOUNT_ID `../../etc/x`" in bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00042.yaml", "kam.yaml"]
