"""Every error kind of the loader: exact location, id-based path, message and hint; all
errors of a run reported together; `kam validate` exit codes and output formats."""

from __future__ import annotations

import json
import subprocess
import sys

from plan_texts import BASE_PLAN


def _by_code(errors: list) -> dict:
    return {e["code"]: e for e in errors}


def test_misspelt_key_gets_a_did_you_mean(load_errors):
    errors = load_errors(BASE_PLAN.replace("      target: 1200000", "      targte: 1200000"))
    err = _by_code(errors)["unknown-field"]
    assert (err["line"], err["col"], err["path"]) == (20, 7, "goals.this_year[G1].targte")
    assert err["message"] == "unknown field `targte`"
    assert err["hint"] == "did you mean `target`?"


def test_unknown_key_without_a_near_match_lists_the_allowed_ones(load_errors):
    err = _by_code(load_errors(BASE_PLAN.replace("      role: decision_maker", "      zzz: 1")))["unknown-field"]
    assert err["hint"].startswith("allowed here: id, name, title, role, relationship")


def test_bad_enumeration_value_lists_the_allowed_values(load_errors):
    err = _by_code(load_errors(BASE_PLAN.replace("form: visit", "form: vist")))["bad-choice"]
    assert (err["line"], err["col"], err["path"]) == (28, 11, "actions[A1].form")
    assert err["message"] == "`vist` is not one of: visit, meeting, field_guidance, training, promotion, delivery"
    assert err["hint"] == "did you mean `visit`?"


def test_missing_required_field_points_at_its_parent_and_explains_the_field(load_errors):
    err = _by_code(load_errors(BASE_PLAN.replace("      title: Grow revenue\n", "")))["missing-field"]
    assert (err["line"], err["path"]) == (17, "goals.this_year[G1].title")
    assert err["message"] == "`title` is required"
    assert err["hint"] == "The goal in one line."


def test_duplicate_ids_name_the_first_use(load_errors):
    text = BASE_PLAN.replace("  - id: A1\n", "  - id: S1\n").replace("strategy: S1", "strategy: S1")
    err = _by_code(load_errors(text))["duplicate-id"]
    assert (err["line"], err["col"], err["path"]) == (26, 9, "actions[S1].id")
    assert err["message"] == "id `S1` is already used at line 22 (strategies[S1])"


def test_reference_to_an_unknown_goal_is_an_error_with_a_suggestion(load_errors):
    err = _by_code(load_errors(BASE_PLAN.replace("    goals: [G1]\nactions", "    goals: [G2]\nactions")))[
        "unknown-goal"
    ]
    assert (err["line"], err["col"], err["path"]) == (24, 13, "strategies[S1].goals[0]")
    assert err["message"] == "no goal has the id `G2`"
    assert err["hint"] == "did you mean `G1`?"


def test_unknown_strategy_contact_and_action_references(load_errors):
    text = BASE_PLAN.replace("strategy: S1", "strategy: S9") + (
        "work_logs:\n  - {id: L1, date: 2026-03-02, author: Wang Wei, kind: visit, contacts: [C7], summary: met}\n"
        "report_card:\n  problems:\n    - {id: P1, text: late delivery, actions: [A9]}\n"
    )
    codes = _by_code(load_errors(text))
    assert codes["unknown-strategy"]["path"] == "actions[A1].strategy"
    assert codes["unknown-contact"]["path"] == "work_logs[L1].contacts[0]"
    assert codes["unknown-action"]["path"] == "report_card.problems[P1].actions[0]"


def test_action_due_before_start_points_at_due(load_errors):
    err = _by_code(load_errors(BASE_PLAN.replace("due: 2026-03-31", "due: 2026-02-01")))["due-before-start"]
    assert (err["line"], err["col"], err["path"]) == (31, 5, "actions[A1].due")
    assert err["message"] == "the action is due (2026-02-01) before it starts (2026-03-01)"


def test_manual_class_must_be_a_class_of_its_scheme(load_errors):
    text = BASE_PLAN + "classification:\n  manual:\n    - {scheme: abc, value: D, reason: boss says}\n"
    err = _by_code(load_errors(text))["bad-class"]
    assert err["path"] == "classification.manual[0].value"
    assert err["message"] == "`D` is not a class of the abc scheme; use one of: A, B, C"


def test_every_error_of_every_file_is_reported_together(portfolio_dir):
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_portfolio

    bad1 = BASE_PLAN.replace("form: visit", "form: vist").replace("target: 1200000", "target: lots")
    bad2 = BASE_PLAN.replace('"00123"', '"00124"').replace("fiscal_year: 2026", "fiscal_year: 2025")
    bad2 = bad2.replace("    goals: [G1]\nactions", "    goals: [G2]\nactions")
    root = portfolio_dir(**{"a.yaml": bad1, "b.yaml": bad2})
    (root / "kam.yaml").write_text("company: X\nfiscal_year: 2026\nas_of: 2026-09-31\n", encoding="utf-8")
    try:
        load_portfolio(root)
        raise AssertionError("expected errors")
    except WorkbenchError as exc:
        found = sorted((d.location.file.rsplit("/", 1)[-1], d.code) for d in exc.diagnostics)
    assert found == [
        ("a.yaml", "bad-choice"),
        ("a.yaml", "bad-number"),
        ("b.yaml", "unknown-goal"),
        ("kam.yaml", "bad-date"),
    ]


def test_same_account_in_two_files_and_wrong_fiscal_year(load_errors, portfolio_dir):
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_portfolio

    root = portfolio_dir(**{"a.yaml": BASE_PLAN, "b.yaml": BASE_PLAN.replace("fiscal_year: 2026", "fiscal_year: 2025")})
    try:
        load_portfolio(root)
        raise AssertionError("expected errors")
    except WorkbenchError as exc:
        codes = [(d.code, d.location.line) for d in exc.diagnostics]
    assert codes == [("duplicate-account", 1), ("wrong-fiscal-year", 2)]


def _kam(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, cwd=cwd)


def test_validate_exit_codes_and_formats(portfolio_dir):
    root = portfolio_dir(**{"a.yaml": BASE_PLAN})
    ok = _kam("validate", str(root), cwd=root)
    assert ok.returncode == 0, ok.stderr
    assert "2 files checked (1 plans): clean" in ok.stdout

    (root / "a.yaml").write_text(BASE_PLAN.replace("form: visit", "form: vist"), encoding="utf-8")
    human = _kam("validate", ".", cwd=root)
    assert human.returncode == 1
    assert "error[bad-choice]: `vist` is not one of" in human.stderr
    assert "  --> a.yaml:28:11" in human.stderr
    assert "28 |     form: vist" in human.stderr
    assert "   |           ^^^^ did you mean `visit`?" in human.stderr

    gh = _kam("validate", ".", "--format", "github", cwd=root)
    assert gh.returncode == 1
    assert gh.stdout.startswith("::error file=a.yaml,line=28,col=11,title=bad-choice::`vist` is not one of")

    js = _kam("validate", "a.yaml", "--format", "json", cwd=root)
    assert js.returncode == 1
    [item] = json.loads(js.stdout)
    assert item["location"] == {"file": "a.yaml", "line": 28, "col": 11, "end_col": 15, "path": "actions[A1].form"}

    usage = _kam("validate", "missing-folder", cwd=root)
    assert usage.returncode == 2
    assert "`missing-folder` does not exist" in usage.stderr


def test_comma_inside_a_flow_mapping_gets_a_quoting_hint(load_errors):
    text = BASE_PLAN + "long_term_issues:\n  - {id: LT1, title: Succession, detail: son, daughter}\n"
    err = _by_code(load_errors(text))["unknown-field"]
    assert err["message"] == "unknown field `daughter`"
    assert err["hint"] == "inside `{…}` a comma separates fields: put text that contains commas in quotes"
