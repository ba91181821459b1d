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


def test_plan_reference_names_types_ranges_and_defaults_as_a_plan_writes_them():
    from workbench.plan.reference import plan_reference_markdown

    text = plan_reference_markdown()
    assert "| `limit` | money (≥ 0) | no (default `0`) |" in text
    assert "| `blacklisted` | true/false | no (default `false`) |" in text
    assert "| `term_days` | integer (0 to 365) | no (default `0`) |" in text
    assert "| `relationship` | score 1–5 | no |" in text
    assert "| `account_id` | customer id | yes |" in text
    assert "| `weight` | number (> 0) | yes |" in text
    assert "Decimal" not in text and "False" not in text
    assert "`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`" in text


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
        # a portfolio outside the source tree: the workbench's own schema, as an absolute URI
        assert text.startswith(f"# yaml-language-server: $schema={(ROOT / 'schemas' / 'plan.schema.json').as_uri()}\n")
        assert "# TODO: " in text  # placeholders are marked
        for variant in (text, uncomment_examples(text)):
            src = read_text_file(variant.encode("utf-8"), "new.yaml")
            plan = validate_source(src, Plan)
            assert src.diagnostics == [] and plan is not None, (src.diagnostics, variant)
            assert plan.account_id == account and plan.customer.static.short_name == name
    check = subprocess.run(
        [sys.executable, "-m", "workbench", "validate", str(tmp_path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def _unset_fields(obj: object, path: str = "plan") -> list[str]:
    """Fields of every model reachable from `obj` that are not written out, and lists or
    mappings without an item (so that the items' own fields are covered too)."""
    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        out = [f"{path}.{f}" for f in type(obj).model_fields if f not in obj.model_fields_set]
        for f in type(obj).model_fields:
            out += _unset_fields(getattr(obj, f), f"{path}.{f}")
        return out
    if isinstance(obj, list | dict):
        items = list(obj.values()) if isinstance(obj, dict) else obj
        return [f"{path} (empty)"] if not items else [m for i in items for m in _unset_fields(i, f"{path}[]")]
    return []


def test_kam_new_skeleton_shows_every_field_of_every_section():
    """With its examples switched on the skeleton writes out every field of the model, so a
    field added to the model without a place in `kam new` fails here."""
    from workbench.plan.load import validate_source
    from workbench.plan.model import Plan
    from workbench.plan.reader import read_text_file
    from workbench.plan.skeleton import skeleton_plan, uncomment_examples

    for lang in ("zh", "en"):
        text = uncomment_examples(skeleton_plan("00042", "Acme", lang, 2026, "TBD", "plan.schema.json"))
        plan = validate_source(read_text_file(text.encode("utf-8"), "new.yaml"), Plan)
        assert plan is not None
        assert _unset_fields(plan) == []


def test_kam_new_points_at_a_schema_committed_in_the_portfolio_repository(tmp_path):
    repo = tmp_path / "team"
    (repo / "schemas").mkdir(parents=True)
    (repo / "schemas" / "plan.schema.json").write_text("{}", encoding="utf-8")
    portfolio = repo / "2026"
    portfolio.mkdir()
    (portfolio / "kam.yaml").write_text("company: X\nfiscal_year: 2026\nas_of: 2026-09-30\n", encoding="utf-8")
    assert _new(portfolio, "00042", "--name", "A").returncode == 0
    first = (portfolio / "00042.yaml").read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == "# yaml-language-server: $schema=../schemas/plan.schema.json"


def test_kam_new_refuses_to_overwrite_and_rejects_bad_arguments(tmp_path):
    (tmp_path / "kam.yaml").write_text("company: X\nfiscal_year: 2026\nas_of: 2026-09-30\n", encoding="utf-8")
    assert _new(tmp_path, "00042", "--name", "A").returncode == 0
    before = (tmp_path / "00042.yaml").read_bytes()
    again = _new(tmp_path, "00042", "--name", "B")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert (tmp_path / "00042.yaml").read_bytes() == before
    bad = _new(tmp_path, "../../etc/x", "--name", "A")
    assert bad.returncode == 2 and "ACCOUNT_ID `../../etc/x` is not a valid customer id" in bad.stderr
    injected = _new(tmp_path, "00043", "--name", "X\nowner: hacked")
    assert injected.returncode == 2
    assert (
        "error[bad-argument]: --name 'X\\nowner: hacked' contains a line break or a control character"
        in injected.stderr
    )
    assert "give --name on one line, e.g. --name 'Acme Trading'" in injected.stderr
    owner = _new(tmp_path, "00043", "--name", "X", "--owner", "A\x1bB")
    assert owner.returncode == 2 and "--owner" in owner.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00042.yaml", "kam.yaml"]
