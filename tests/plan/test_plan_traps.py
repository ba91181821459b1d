"""SECURITY.md, "Plan files": one test per trap, each asserting the exact place and message."""

from __future__ import annotations

import time

import pytest
from plan_texts import BASE_PLAN


def _one(errors: list, code: str) -> dict:
    found = [e for e in errors if e["code"] == code]
    assert len(found) == 1, errors
    return found[0]


def test_clean_base_plan_loads(load_errors):
    assert load_errors(BASE_PLAN) == []


def test_yaml11_booleans_stay_text_where_the_model_wants_text(portfolio_dir):
    from workbench.plan.load import load_portfolio

    text = BASE_PLAN.replace("owner: Wang Wei\ncustomer", "owner: NO\ncustomer").replace("region: East", "region: off")
    pf = load_portfolio(portfolio_dir(**{"p.yaml": text}))
    plan = pf.plans[0].plan
    assert plan.owner == "NO"
    assert plan.customer.static.region == "off"


def test_leading_zeros_are_kept_in_ids_and_read_as_decimal_in_numbers(portfolio_dir):
    from workbench.plan.load import load_portfolio

    text = BASE_PLAN.replace('account_id: "00123"', "account_id: 0012345").replace(
        "    channel: distributor\n", "    channel: distributor\n    tax_id: 0012345\n"
    )
    text += "classification:\n  loyalty: 04\n"
    plan = load_portfolio(portfolio_dir(**{"p.yaml": text})).plans[0].plan
    assert plan.account_id == "0012345"
    assert plan.customer.static.tax_id == "0012345"
    assert plan.classification.loyalty == 4  # decimal 4, never octal


def test_sexagesimal_looking_value_is_text_in_text_and_an_error_in_a_number(load_errors, portfolio_dir):
    from workbench.plan.load import load_portfolio

    text = BASE_PLAN.replace("title: Quarterly visit", "title: 1:20")
    assert load_portfolio(portfolio_dir(**{"p.yaml": text})).plans[0].plan.actions[0].title == "1:20"
    err = _one(load_errors(BASE_PLAN.replace("target: 1200000", "target: 1:20")), "bad-number")
    assert (err["line"], err["col"]) == (20, 15)
    assert err["message"] == "`1:20` is not a number"
    assert err["path"] == "goals.this_year[G1].target"


def test_impossible_date_is_a_located_error(load_errors):
    err = _one(load_errors(BASE_PLAN.replace("due: 2026-03-31", "due: 2024-02-30")), "bad-date")
    assert (err["file"], err["line"], err["col"]) == ("p.yaml", 31, 10)
    assert err["message"] == "`2024-02-30` is not a date: February 2024 has 29 days"
    assert err["path"] == "actions[A1].due"


def test_dates_must_be_written_as_dates_not_numbers(load_errors):
    err = _one(load_errors(BASE_PLAN.replace("due: 2026-03-31", "due: 20260331")), "bad-date")
    assert err["message"] == "`20260331` is not a date; write it as YYYY-MM-DD"


def test_duplicate_keys_name_both_lines(load_errors):
    text = BASE_PLAN.replace("      target: 1200000\n", "      target: 1200000\n      target: 900000\n")
    err = _one(load_errors(text), "duplicate-key")
    assert (err["line"], err["col"]) == (21, 7)
    assert err["message"] == "key `target` appears twice in the same mapping (first at line 20)"


def test_anchors_and_aliases_are_rejected(load_errors):
    text = BASE_PLAN.replace("    goals: [G1]\nactions", "    goals: &g [G1]\nactions").replace(
        "    goals: [G1]\n    strategy", "    goals: *g\n    strategy"
    )
    errors = load_errors(text)
    anchor = _one(errors, "yaml-anchor")
    alias = _one(errors, "yaml-alias")
    assert (anchor["line"], anchor["col"]) == (24, 12)
    assert anchor["message"] == "anchors (`&g`) are not allowed"
    assert (alias["line"], alias["col"]) == (32, 12)


def test_billion_laughs_is_refused_quickly(load_errors):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    started = time.process_time()
    errors = load_errors("\n".join(lines) + "\n")
    assert time.process_time() - started < 5  # generous: the point is that nothing expands
    assert {e["code"] for e in errors} >= {"yaml-anchor", "yaml-alias"}


def test_python_tags_are_rejected(load_errors):
    text = BASE_PLAN.replace(
        "owner: Wang Wei\ncustomer", 'owner: !!python/object/apply:os.system ["echo hi"]\ncustomer'
    )
    err = _one(load_errors(text), "yaml-tag")
    assert (err["line"], err["col"]) == (4, 8)
    assert "tag:yaml.org,2002:python/object/apply:os.system" in err["message"]


def test_json_nan_and_infinity_are_rejected(load_errors):
    import json

    import ruamel.yaml

    data = ruamel.yaml.YAML(typ="safe").load(BASE_PLAN)
    data["goals"]["this_year"][0]["target"] = "__NAN__"
    text = json.dumps(data, indent=2, default=str).replace('"__NAN__"', "NaN")
    errors = load_errors(text, name="p.json")
    assert [e["code"] for e in errors] == ["bad-number"]
    assert errors[0]["path"] == "goals.this_year[G1].target"
    assert "finite" in errors[0]["message"]
    errors = load_errors(text.replace("NaN", "Infinity"), name="p.json")
    assert [e["path"] for e in errors] == ["goals.this_year[G1].target"]


def test_json_duplicate_keys_are_rejected(load_errors):
    text = '{"account_id": "1", "account_id": "2"}'
    err = _one(load_errors(text, name="p.json"), "duplicate-key")
    assert (err["line"], err["col"]) == (1, 21)


def test_deep_nesting_is_rejected(load_errors):
    text = "notes: " + "[" * 200 + "]" * 200 + "\n"
    errors = load_errors(text)
    assert errors[0]["code"] == "too-deep"


def test_huge_file_is_rejected_without_parsing(load_errors):
    from workbench.plan.reader import MAX_BYTES

    err = _one(load_errors("# " + "x" * MAX_BYTES + "\n"), "file-too-large")
    assert err["line"] == 1


def test_raw_control_characters_name_the_field(load_errors):
    for ch in ("\x00", "\x85", "\x1b"):
        text = BASE_PLAN.replace("title: Widen the range", f"title: Widen{ch} the range")
        err = _one(load_errors(text), "control-character")
        assert (err["line"], err["col"]) == (23, 17), repr(ch)
        assert err["path"] == "strategies[S1].title"
        assert err["message"] == f"control character U+{ord(ch):04X} is not allowed in plan text"


def test_escaped_control_characters_and_lone_surrogates_are_rejected(load_errors):
    for escape, code in (("\\x00", 0), ("\\u0085", 0x85), ("\\ud800", 0xD800)):
        text = BASE_PLAN.replace("title: Widen the range", f'title: "Widen{escape}"')
        errors = load_errors(text)
        err = _one(errors, "control-character")
        assert err["path"] == "strategies[S1].title"
        assert f"U+{code:04X}" in err["message"]


def test_invalid_utf8_is_located(load_errors):
    raw = BASE_PLAN.replace("Acme Trading Ltd", "Acme \xff Ltd").encode("utf-8").replace("\xff".encode(), b"\xff")
    err = _one(load_errors(raw), "not-utf8")
    assert (err["line"], err["col"]) == (7, 22)


def test_a_failed_load_leaves_the_file_untouched(portfolio_dir):
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_portfolio

    text = BASE_PLAN.replace("due: 2026-03-31", "due: 2024-02-30")
    root = portfolio_dir(**{"p.yaml": text})
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    with pytest.raises(WorkbenchError):
        load_portfolio(root)
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before
