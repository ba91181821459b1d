"""Every error kind of the loader: exact location, id-based path, message and hint; all
errors of a run reported together; `kam validate` exit codes, formats and arguments."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from plan_texts import BASE_PLAN, brief

B = BASE_PLAN
CREDIT = "    channel: distributor\n  credit:\n"


def _credit(lines: str) -> str:
    return B.replace("    channel: distributor\n", CREDIT + lines)


# (case, plan text, the complete report: code, file:line:col, id path, message; the first item's hint)
CASES = [
    (
        "unknown-field",
        B.replace("      target: 1200000", "      targte: 1200000"),
        [
            (
                "target-required",
                "p.yaml:19:7",
                "goals.this_year[G1].metric",
                "`target` is required for a `revenue` goal",
            ),
            ("unknown-field", "p.yaml:20:7", "goals.this_year[G1].targte", "unknown field `targte`"),
        ],
        "add `target:` (rates as fractions: 0.25 for 25 %), or use `metric: text` for a goal not measured from the ledger",
    ),
    (
        "missing-field",
        B.replace("      title: Grow revenue\n", ""),
        [("missing-field", "p.yaml:17:7", "goals.this_year[G1].title", "`title` is required")],
        "The goal in one line.",
    ),
    (
        "bad-choice",
        B.replace("form: visit", "form: vist"),
        [
            (
                "bad-choice",
                "p.yaml:28:11",
                "actions[A1].form",
                "`vist` is not one of: visit, meeting, field_guidance, training, promotion, delivery",
            )
        ],
        "did you mean `visit`?",
    ),
    (
        "duplicate-id",
        B.replace("  - id: A1\n", "  - id: S1\n"),
        [("duplicate-id", "p.yaml:26:9", "actions[S1].id", "id `S1` is already used at line 22 (strategies[S1])")],
        "ids are unique within a plan; give this item a new id",
    ),
    (
        "unknown-goal",
        B.replace("    goals: [G1]\nactions", "    goals: [G2]\nactions"),
        [("unknown-goal", "p.yaml:24:13", "strategies[S1].goals[0]", "no goal has the id `G2`")],
        "did you mean `G1`?",
    ),
    (
        "due-before-start",
        B.replace("due: 2026-03-31", "due: 2026-02-01"),
        [
            (
                "due-before-start",
                "p.yaml:31:5",
                "actions[A1].due",
                "the action is due (2026-02-01) before it starts (2026-03-01)",
            )
        ],
        "correct `start` or `due`",
    ),
    (
        "end-before-start",
        B.replace(
            "      target: 1200000\n", "      target: 1200000\n      period: {start: 2026-07-01, end: 2026-03-31}\n"
        ),
        [
            (
                "end-before-start",
                "p.yaml:21:35",
                "goals.this_year[G1].period.end",
                "the period ends (2026-03-31) before it starts (2026-07-01)",
            )
        ],
        "swap the two dates",
    ),
    (
        "target-required",
        B.replace("      target: 1200000\n", ""),
        [("target-required", "p.yaml:19:7", "goals.this_year[G1].metric", "`target` is required for a `revenue` goal")],
        "add `target:` (rates as fractions: 0.25 for 25 %), or use `metric: text` for a goal not measured from the ledger",
    ),
    (
        "target-required-beside-a-bad-period",
        B.replace("      target: 1200000\n", "      period: {start: 2026-02-30, end: 2026-12-31}\n"),
        [
            (
                "target-required",
                "p.yaml:19:7",
                "goals.this_year[G1].metric",
                "`target` is required for a `revenue` goal",
            ),
            (
                "bad-date",
                "p.yaml:20:23",
                "goals.this_year[G1].period.start",
                "`2026-02-30` is not a date: February 2026 has 28 days",
            ),
        ],
        "add `target:` (rates as fractions: 0.25 for 25 %), or use `metric: text` for a goal not measured from the ledger",
    ),
    (
        "blacklist-reason",
        _credit("    blacklisted: true\n"),
        [
            (
                "blacklist-reason",
                "p.yaml:12:5",
                "customer.credit.blacklisted",
                "`blacklist_reason` is required when `blacklisted` is true",
            )
        ],
        "add `blacklist_reason:` saying why (shown wherever the blacklist is)",
    ),
    (
        "bad-class",
        B + "classification:\n  manual:\n    - {scheme: abc, value: D, reason: boss says}\n",
        [
            (
                "bad-class",
                "p.yaml:36:21",
                "classification.manual[0].value",
                "`D` is not a class of the abc scheme; use one of: A, B, C",
            )
        ],
        None,
    ),
    (
        "bad-class-last-year",
        B + "classification:\n  last_year: {stars: '5', abcd: A}\n",
        [
            (
                "bad-class",
                "p.yaml:35:15",
                "classification.last_year.stars",
                "`5` is not a class of the stars scheme; use one of: 1, 2, 3, 4",
            ),
            (
                "bad-choice",
                "p.yaml:35:27",
                "classification.last_year.abcd",
                "`abcd` is not one of: abc, quadrant, stars, matrix",
            ),
        ],
        None,
    ),
    (
        "duplicate-override",
        B
        + "classification:\n  manual:\n    - {scheme: abc, value: A, reason: x}\n    - {scheme: abc, value: B, reason: y}\n",
        [
            (
                "duplicate-override",
                "p.yaml:37:16",
                "classification.manual[1].scheme",
                "the abc class is overridden twice",
            )
        ],
        "keep one override per scheme",
    ),
    (
        "bad-id",
        B.replace("  - id: A1\n", "  - id: ../A1\n"),
        [("bad-id", "p.yaml:26:9", "actions[../A1].id", "`../A1` is not a valid id")],
        "ids are letters, digits, `-`, `_` or `.`, starting with a letter or digit, at most 40 (e.g. `G2`, `A-visit-0312`)",
    ),
    (
        "bad-account-id",
        B.replace('account_id: "00123"', 'account_id: "00 123"'),
        [("bad-id", "p.yaml:1:13", "account_id", "`00 123` is not a valid customer id")],
        "customer ids are letters, digits, `-` and `_`, at most 32, spelt exactly as in the ERP ledger",
    ),
    (
        "reserved-name",
        B.replace("  - id: A1\n", "  - id: CON\n"),
        [("reserved-name", "p.yaml:26:9", "actions[CON].id", "`CON` is a reserved file name on Windows")],
        "choose another id (ids become file and sheet names)",
    ),
    (
        "empty-file",
        "# only a comment\n",
        [("empty-file", "p.yaml:1:1", None, "the file is empty")],
        "start from `kam new ACCOUNT_ID --name NAME`",
    ),
    (
        "wrong-shape-file",
        "- a\n- b\n",
        [("wrong-shape", "p.yaml:1:1", None, "the file must be a mapping of `key: value` lines at the top level")],
        "a plan starts with `account_id: ...` (see `kam new`)",
    ),
    (
        "wrong-shape-list",
        B.replace("    goals: [G1]\n    strategy", "    goals: G1\n    strategy"),
        [("wrong-shape", "p.yaml:32:12", "actions[A1].goals", "`goals` must be a list")],
        "write `[G1]`, or one `- ` line per item",
    ),
    (
        "wrong-shape-mapping",
        B.replace(
            "strategies:\n  - id: S1\n    title: Widen the range\n    goals: [G1]\n", "strategies:\n  S1: {title: x}\n"
        ),
        [
            ("wrong-shape", "p.yaml:22:3", "strategies", "`strategies` must be a list"),
            ("unknown-strategy", "p.yaml:31:15", "actions[A1].strategy", "no strategy has the id `S1`"),
        ],
        "write one `- ` line per item",
    ),
    (
        "wrong-shape-text",
        B.replace("    title: Widen the range", "    title: [a, b]"),
        [("wrong-shape", "p.yaml:23:12", "strategies[S1].title", "`title` must be text, not a list")],
        "put text that contains `: `, `[`, `{` or `#` in quotes",
    ),
    (
        "yaml-syntax",
        B.replace("title: Widen the range", "title: Widen: the range"),
        [("yaml-syntax", "p.yaml:23:17", None, "YAML syntax error: a `: ` where no new key can start")],
        'quote a value that contains `: ` (`title: "a: b"`), or check the indentation of this line',
    ),
    (
        "yaml-syntax-unclosed-quote",
        B.replace("title: Widen the range", 'title: "Widen the range'),
        [("yaml-syntax", "p.yaml:23:12", None, "YAML syntax error: this quote is never closed")],
        'close the quote; inside double quotes write a quote as \\" (or use single quotes around the text)',
    ),
    (
        "yaml-syntax-tab",
        B.replace("    title: Widen the range", "\ttitle: Widen the range"),
        [("yaml-syntax", "p.yaml:23:1", None, "YAML syntax error: a tab is used for indentation")],
        "YAML indents with spaces only: replace the tab with spaces",
    ),
    (
        "several-documents",
        B + "---\nfoo: 1\n",
        [
            (
                "several-documents",
                "p.yaml:34:1",
                None,
                "the file holds several YAML documents (`---`); a plan is one document",
            )
        ],
        "split it into one file per plan",
    ),
    (
        "too-long",
        B.replace("title: Widen the range", "title: " + "x" * 201),
        [("too-long", "p.yaml:23:12", "strategies[S1].title", "`title` is too long: 201 characters, at most 200")],
        "shorten it; longer text belongs in a notes or detail field",
    ),
    (
        "empty-text",
        B.replace("title: Widen the range", 'title: ""'),
        [("empty-text", "p.yaml:23:12", "strategies[S1].title", "`title` is empty")],
        "fill it in — The strategy in one line.",
    ),
    (
        "empty-value",
        B.replace("title: Widen the range", "title:"),
        [("empty-value", "p.yaml:23:5", "strategies[S1].title", "`title` is empty")],
        "write a value after `title:` — The strategy in one line.",
    ),
    (
        "empty-section",
        B.split("  static:")[0] + "goals:" + B.split("goals:", 1)[1],
        [("empty-value", "p.yaml:5:1", "customer", "`customer` is empty")],
        "write a value after `customer:` — 1. Customer file (客户档案).",
    ),
    (
        "bad-boolean",
        B.replace("    strategy: S1", "    strategy: S1\n    ships_goods: maybe"),
        [("bad-boolean", "p.yaml:34:18", "actions[A1].ships_goods", "`maybe` is not true or false")],
        "write true or false",
    ),
    (
        "bad-number-whole",
        B.replace("      role: decision_maker", "      role: decision_maker\n      relationship: high"),
        [("bad-number", "p.yaml:15:21", "customer.contacts[C1].relationship", "`high` is not a whole number")],
        "write digits 0–9, e.g. 30",
    ),
    (
        "bad-number-range",
        B.replace("      role: decision_maker", "      role: decision_maker\n      relationship: 7"),
        [("bad-number", "p.yaml:15:21", "customer.contacts[C1].relationship", "`7` is too large: the maximum is 5")],
        None,
    ),
    (
        "bad-number-negative",
        _credit("    term_days: -1\n"),
        [("bad-number", "p.yaml:12:16", "customer.credit.term_days", "`-1` is too small: the minimum is 0")],
        None,
    ),
    (
        "bad-number-places",
        _credit("    limit: 10.123\n"),
        [("bad-number", "p.yaml:12:12", "customer.credit.limit", "`10.123` has more than 2 decimal places")],
        "amounts are exact to the cent",
    ),
    (
        "bad-number-digits",
        _credit("    limit: 12345678901234567890\n"),
        [("bad-number", "p.yaml:12:12", "customer.credit.limit", "`12345678901234567890` has too many digits")],
        "at most 18 digits in all; check for a pasted extra number",
    ),
    (
        "bad-date",
        B.replace("due: 2026-03-31", "due: 2026-13-01"),
        [("bad-date", "p.yaml:31:10", "actions[A1].due", "`2026-13-01` is not a date: there is no month 13")],
        None,
    ),
    (
        "complex-key",
        B + "? [a, b]\n: c\n",
        [("complex-key", "p.yaml:34:3", None, "keys must be plain words")],
        "write `key: value`",
    ),
    (
        "comma-in-flow-mapping",
        B + "long_term_issues:\n  - {id: LT1, title: Succession, detail: son, daughter}\n",
        [("unknown-field", "p.yaml:35:47", "long_term_issues[LT1].daughter", "unknown field `daughter`")],
        "inside `{…}` a comma separates fields: put text that contains commas in quotes",
    ),
]


@pytest.mark.parametrize("case, text, expected, hint", CASES, ids=[c[0] for c in CASES])
def test_every_error_kind_is_located_and_worded(load_errors, case, text, expected, hint):
    errors = load_errors(text)
    assert brief(errors) == expected
    assert errors[0].get("hint") == hint


def test_unknown_key_without_a_near_match_lists_the_allowed_ones(load_errors):
    [err] = load_errors(B.replace("      role: decision_maker", "      zzz: 1"))
    assert (err["code"], err["where"], err["path"]) == ("unknown-field", "p.yaml:14:7", "customer.contacts[C1].zzz")
    assert err["hint"] == "allowed here: id, name, title, role, relationship, birthday, hobbies, notes"


def test_unknown_strategy_contact_and_action_references(load_errors):
    text = B.replace("strategy: S1", "strategy: S9") + (
        "work_logs:\n  - {id: L1, date: 2026-03-02, author: Wang Wei, kind: visit, contacts: [C7], summary: met}\n"
        "report_card:\n  problems:\n    - {id: P1, text: late delivery, actions: [A9]}\n"
    )
    assert brief(load_errors(text)) == [
        ("unknown-strategy", "p.yaml:33:15", "actions[A1].strategy", "no strategy has the id `S9`"),
        ("unknown-contact", "p.yaml:35:74", "work_logs[L1].contacts[0]", "no contact has the id `C7`"),
        ("unknown-action", "p.yaml:38:47", "report_card.problems[P1].actions[0]", "no action has the id `A9`"),
    ]


def test_parse_model_and_cross_field_errors_of_every_file_are_reported_together(portfolio_dir):
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_portfolio

    a = (  # a duplicate key, a misspelt key, a bad enumeration value and a cross-field error
        B.replace("owner: Wang Wei\ncustomer", "owner: Wang Wei\nowner: Li\ncustomer")
        .replace("short_name:", "shortname:")
        .replace("form: visit", "form: vist")
        .replace("due: 2026-03-31", "due: 2026-02-01")
    )
    b = (  # a tag, an alias, a reference to a missing goal and a goal period in the wrong order
        B.replace('"00123"', '"00124"')
        .replace("region: East", "region: !r East")
        .replace("    goals: [G1]\nactions", "    goals: [G2]\nactions")
        .replace("    goals: [G1]\n    strategy", "    goals: *g\n    strategy")
        .replace(
            "      target: 1200000\n", "      target: 1200000\n      period: {start: 2026-07-01, end: 2026-01-01}\n"
        )
    )
    c = '{"account_id": "00125", "fiscal_year": 2026, "language": "en", "owner": "A\\u0000", "customer": {}}'
    settings = (
        "company: X\nfiscal_year: 2026\nas_of: 2026-09-31\ncredit:\n  tolerance_days: -1\n  aging_buckets: [60, 30]\n"
    )
    root = portfolio_dir(**{"a.yaml": a, "b.yaml": b, "c.json": c})
    (root / "kam.yaml").write_text(settings, encoding="utf-8")
    with pytest.raises(WorkbenchError) as caught:
        load_portfolio(root)
    found = [
        (d.code, f"{d.location.file.rsplit('/', 1)[-1]}:{d.location.line}:{d.location.col}", d.location.path)
        for d in caught.value.diagnostics
    ]
    assert found == [
        ("duplicate-key", "a.yaml:5:1", "owner"),
        ("missing-field", "a.yaml:7:3", "customer.static.short_name"),
        ("unknown-field", "a.yaml:9:5", "customer.static.shortname"),
        ("bad-choice", "a.yaml:29:11", "actions[A1].form"),
        ("due-before-start", "a.yaml:32:5", "actions[A1].due"),
        ("yaml-tag", "b.yaml:9:13", "customer.static.region"),
        ("end-before-start", "b.yaml:21:35", "goals.this_year[G1].period.end"),
        ("unknown-goal", "b.yaml:25:13", "strategies[S1].goals[0]"),
        ("yaml-alias", "b.yaml:33:12", "actions[A1].goals"),
        ("control-character", "c.json:1:73", "owner"),
        ("missing-field", "c.json:1:84", "customer.static"),
        ("bad-date", "kam.yaml:3:8", "as_of"),
        ("bad-number", "kam.yaml:5:19", "credit.tolerance_days"),
        ("invalid-value", "kam.yaml:6:3", "credit.aging_buckets"),
    ]


def test_same_account_in_two_files_and_wrong_fiscal_year(load_errors, portfolio_dir):
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_portfolio

    root = portfolio_dir(**{"a.yaml": BASE_PLAN, "b.yaml": BASE_PLAN.replace("fiscal_year: 2026", "fiscal_year: 2025")})
    with pytest.raises(WorkbenchError) as caught:
        load_portfolio(root)
    found = [
        (d.code, d.location.short().rsplit("/", 1)[-1], d.location.path, d.message) for d in caught.value.diagnostics
    ]
    assert found == [
        ("duplicate-account", "b.yaml:1:1", "account_id", f"account `00123` already has a plan in {root / 'a.yaml'}"),
        ("wrong-fiscal-year", "b.yaml:2:1", "fiscal_year", "the plan is for fiscal year 2025, the portfolio for 2026"),
    ]


def _kam(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, cwd=cwd)


def test_validate_exit_codes_and_formats(portfolio_dir):
    root = portfolio_dir(**{"a.yaml": BASE_PLAN})
    ok = _kam("validate", str(root), cwd=root)
    assert ok.returncode == 0, ok.stderr
    assert "2 files checked (1 plan): clean" in ok.stdout

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


def test_validate_takes_a_portfolio_option_and_refuses_folders_without_plans(portfolio_dir, tmp_path):
    root = portfolio_dir(**{"a.yaml": BASE_PLAN})
    out = _kam("validate", "--portfolio", str(root), cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "2 files checked (1 plan): clean\n")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "book.xlsx").write_bytes(b"x")
    out = _kam("validate", "empty", cwd=tmp_path)
    assert out.returncode == 2
    assert "error[no-plans]: `empty` holds no plans (.yaml, .yml or .json files) and no kam.yaml" in out.stderr


def test_validate_refuses_files_that_are_not_plans(tmp_path):
    (tmp_path / "README.md").write_text("# hi\n", encoding="utf-8")
    out = _kam("validate", "README.md", cwd=tmp_path)
    assert out.returncode == 2
    assert "error[not-a-plan]: `README.md` is not a plan or settings file" in out.stderr
    assert "plans and kam.yaml are .yaml, .yml or .json files" in out.stderr


def test_duplicate_accounts_are_found_among_individually_named_files(tmp_path):
    (tmp_path / "a.yaml").write_text(BASE_PLAN, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BASE_PLAN, encoding="utf-8")
    out = _kam("validate", "a.yaml", "b.yaml", "--format", "json", cwd=tmp_path)
    assert out.returncode == 1
    assert [(d["code"], d["where"], d["message"]) for d in json.loads(out.stdout)] == [
        ("duplicate-account", "b.yaml:1:1", "account `00123` already has a plan in a.yaml")
    ]
    # the same file named twice is one plan
    assert _kam("validate", "a.yaml", "a.yaml", ".", cwd=tmp_path).returncode == 1  # `.` holds b.yaml too
    assert _kam("validate", "a.yaml", "a.yaml", cwd=tmp_path).returncode == 0
