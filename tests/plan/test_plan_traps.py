"""SECURITY.md, "Plan files": one test per trap, each asserting the complete report —
code, file:line:col, id path and message of every diagnostic (and the hint where it is
the point)."""

from __future__ import annotations

import json

import pytest
from plan_texts import BASE_PLAN, brief

HINT_UTF8 = "save the file as UTF-8 (plans may contain Chinese; GBK/GB18030 files must be converted)"
HINT_CONTROL = "delete it (it often comes from copying out of a PDF or a chat window)"
HINT_DEEP = "a plan is at most a few levels deep; check the brackets and indentation"


def _json(plan_text: str = BASE_PLAN) -> str:
    """BASE_PLAN as pretty-printed JSON (every value as text, as a JSON export would do)."""
    import ruamel.yaml

    return json.dumps(ruamel.yaml.YAML(typ="safe").load(plan_text), indent=2, default=str, ensure_ascii=False)


def test_clean_base_plan_loads(load_errors):
    assert load_errors(BASE_PLAN) == []


# ------------------------------------------------------------------ YAML 1.1 typing


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
    errors = load_errors(BASE_PLAN.replace("target: 1200000", "target: 1:20"))
    assert brief(errors) == [("bad-number", "p.yaml:20:15", "goals.this_year[G1].target", "`1:20` is not a number")]


def test_impossible_date_is_a_located_error(load_errors):
    errors = load_errors(BASE_PLAN.replace("due: 2026-03-31", "due: 2024-02-30"))
    assert brief(errors) == [
        ("bad-date", "p.yaml:31:10", "actions[A1].due", "`2024-02-30` is not a date: February 2024 has 29 days")
    ]


def test_dates_must_be_written_as_dates_not_numbers(load_errors):
    errors = load_errors(BASE_PLAN.replace("due: 2026-03-31", "due: 20260331"))
    assert brief(errors) == [
        ("bad-date", "p.yaml:31:10", "actions[A1].due", "`20260331` is not a date; write it as YYYY-MM-DD")
    ]


# ----------------------------------------------------------------- duplicate keys


def test_duplicate_keys_name_both_lines_and_keep_the_first_value(load_errors):
    text = BASE_PLAN.replace("      target: 1200000\n", "      target: 1200000\n      target: lots\n")
    errors = load_errors(text)  # the second value (not a number) is not validated: the first is kept
    assert brief(errors) == [
        (
            "duplicate-key",
            "p.yaml:21:7",
            "goals.this_year[G1].target",
            "key `target` appears twice in the same mapping (first at line 20)",
        )
    ]
    assert (
        errors[0]["hint"] == "keep one of them (the first is used meanwhile); YAML readers silently keep only the last"
    )


def test_json_duplicate_keys_are_rejected(load_errors):
    text = _json().replace('"owner": "Wang Wei",', '"owner": "Wang Wei", "owner": "Li",', 1)
    assert brief(load_errors(text, name="p.json")) == [
        ("duplicate-key", "p.json:5:24", "owner", "key `owner` appears twice in the same mapping (first at line 5)")
    ]


# -------------------------------------------------------------- anchors, aliases, tags


def test_anchors_and_aliases_are_rejected(load_errors):
    text = BASE_PLAN.replace("    goals: [G1]\nactions", "    goals: &g [G1]\nactions").replace(
        "    goals: [G1]\n    strategy", "    goals: *g\n    strategy"
    )
    errors = load_errors(text)
    assert brief(errors) == [
        ("yaml-anchor", "p.yaml:24:12", "strategies[S1].goals", "anchors (`&g`) are not allowed"),
        ("yaml-alias", "p.yaml:32:12", "actions[A1].goals", "aliases (`*g`) are not allowed"),
    ]
    assert errors[1]["hint"] == "write the value out in full"


def test_billion_laughs_is_refused_without_expanding(load_errors):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    errors = load_errors("\n".join(lines) + "\n")
    assert len([e for e in errors if e["code"] == "yaml-anchor"]) == 10
    assert len([e for e in errors if e["code"] == "yaml-alias"]) == 81
    assert errors[-1]["where"] == "p.yaml:10:42"  # the last alias


def test_python_tags_are_rejected(load_errors):
    text = BASE_PLAN.replace(
        "owner: Wang Wei\ncustomer", 'owner: !!python/object/apply:os.system ["echo hi"]\ncustomer'
    )
    errors = load_errors(text)  # the tagged value is dropped: no second error for `owner`
    assert brief(errors) == [
        ("yaml-tag", "p.yaml:4:8", "owner", "YAML tags such as `!!python/object/apply:os.system` are not allowed")
    ]
    assert errors[0]["hint"] == "remove the tag; the plan format types every value itself"


def test_a_dropped_tagged_value_raises_no_second_error(load_errors):
    # the target is dropped with its tag: no "target is required" for the same mistake
    assert brief(load_errors(BASE_PLAN.replace("target: 1200000", "target: !!float 1200000"))) == [
        ("yaml-tag", "p.yaml:20:15", "goals.this_year[G1].target", "YAML tags such as `!!float` are not allowed")
    ]


def test_custom_tags_are_rejected_and_str_tags_allowed(load_errors):
    assert load_errors(BASE_PLAN.replace("owner: Wang Wei\ncustomer", "owner: !!str Wang Wei\ncustomer")) == []
    errors = load_errors(BASE_PLAN.replace("region: East", "region: !region East"))
    assert brief(errors) == [
        ("yaml-tag", "p.yaml:9:13", "customer.static.region", "YAML tags such as `!region` are not allowed")
    ]


# ------------------------------------------------------------------- NaN, Infinity


@pytest.mark.parametrize("written", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_rejected(load_errors, written):
    text = _json().replace('"target": 1200000', f'"target": {written}')
    assert brief(load_errors(text, name="p.json")) == [
        (
            "bad-number",
            "p.json:27:19",
            "goals.this_year[G1].target",
            f"`{written}` is not a number: NaN and Infinity are not allowed",
        )
    ]


def test_yaml_nan_is_rejected(load_errors):
    assert brief(load_errors(BASE_PLAN.replace("target: 1200000", "target: .nan"))) == [
        (
            "bad-number",
            "p.yaml:20:15",
            "goals.this_year[G1].target",
            "`.nan` is not a number: NaN and Infinity are not allowed",
        )
    ]


# ------------------------------------------------------------ deep nesting, huge files


def test_deep_flow_nesting_is_rejected_at_its_place(load_errors):
    text = BASE_PLAN + "long_term_issues:\n  - {id: LT1, title: x, detail: " + "[" * 40 + "]" * 40 + "}\n"
    errors = load_errors(text)
    # the 31st bracket is the 33rd level (root mapping, the list, the item); the list as a
    # whole is still reported where text is expected
    assert brief(errors) == [
        ("wrong-shape", "p.yaml:35:33", "long_term_issues[LT1].detail", "`detail` must be text, not a list"),
        ("too-deep", "p.yaml:35:63", "long_term_issues[LT1].detail", "nesting deeper than 32 levels"),
    ]
    assert errors[1]["hint"] == HINT_DEEP


def test_a_hundred_thousand_levels_are_refused_at_once(load_errors):
    # the parser is quadratic in flow depth: this takes minutes if the pre-scan is broken
    text = BASE_PLAN + "long_term_issues:\n  - {id: LT1, title: x, detail: " + "[" * 100_000 + "]" * 100_000 + "}\n"
    errors = load_errors(text)
    assert brief(errors) == [
        ("wrong-shape", "p.yaml:35:33", "long_term_issues[LT1].detail", "`detail` must be text, not a list"),
        ("too-deep", "p.yaml:35:63", "long_term_issues[LT1].detail", "nesting deeper than 32 levels"),
    ]


def test_every_deep_structure_is_reported_at_its_place(load_errors):
    items = "".join(f"  - {{id: L{i}, title: x, detail: " + "[" * 2000 + "]" * 2000 + "}\n" for i in range(12))
    errors = load_errors(BASE_PLAN + "long_term_issues:\n" + items)
    deep = [(e["where"], e["path"]) for e in errors if e["code"] == "too-deep"]
    assert deep == [(f"p.yaml:{35 + i}:{61 + len(str(i))}", f"long_term_issues[L{i}].detail") for i in range(12)]


def test_deep_json_nesting_is_rejected(load_errors):
    deep = json.loads(_json())
    deep["notes"] = "__DEEP__"
    text = json.dumps(deep).replace('"__DEEP__"', "[" * 50_000 + "]" * 50_000)
    errors = load_errors(text, name="p.json")
    col = text.index("[" * 32) + 32  # 0-based index of the 33rd bracket, + 1
    assert brief(errors) == [
        ("unknown-field", "p.json:1:" + str(text.index('"notes"') + 1), "notes", "unknown field `notes`"),
        ("too-deep", f"p.json:1:{col}", "notes", "nesting deeper than 32 levels"),
    ]


def test_deep_compact_block_nesting_is_rejected(load_errors):
    block = BASE_PLAN + "classification:\n  manual:\n" + "    " + "- " * 40 + "x\n"
    errors = load_errors(block)
    assert brief(errors) == [  # the 32nd dash is the 33rd level
        (
            "wrong-shape",
            "p.yaml:36:7",
            "classification.manual[0]",
            "`manual[0]` must be a mapping of `key: value` lines",
        ),
        ("too-deep", "p.yaml:36:67", "classification.manual", "nesting deeper than 32 levels"),
    ]


def test_huge_file_is_rejected_without_parsing_with_its_real_size(load_errors):
    from workbench.plan.reader import MAX_BYTES

    errors = load_errors("# " + "x" * (MAX_BYTES + 500) + "\n")
    assert brief(errors) == [
        (
            "file-too-large",
            "p.yaml:1:1",
            None,
            f"file is {MAX_BYTES + 503:,} bytes; plans and settings are limited to {MAX_BYTES:,} bytes",
        )
    ]


# ------------------------------------------------------------- control characters


@pytest.mark.parametrize("ch", ["\x00", "\x85", "\x1b", "\u2028"])
def test_raw_control_characters_name_the_field(load_errors, ch):
    text = BASE_PLAN.replace("title: Widen the range", f"title: Widen{ch} the range")
    errors = load_errors(text)
    assert brief(errors) == [
        (
            "control-character",
            "p.yaml:23:17",
            "strategies[S1].title",
            f"control character U+{ord(ch):04X} is not allowed in plan text",
        )
    ]
    assert errors[0]["hint"] == HINT_CONTROL


@pytest.mark.parametrize("escape, code", [("\\x00", 0), ("\\u0085", 0x85), ("\\ud800", 0xD800), ("\\udfff", 0xDFFF)])
def test_escaped_control_characters_and_lone_surrogates_are_rejected(load_errors, escape, code):
    text = BASE_PLAN.replace("title: Widen the range", f'title: "Widen{escape}"')
    errors = load_errors(text)
    assert brief(errors) == [
        (
            "control-character",
            "p.yaml:23:12",
            "strategies[S1].title",
            f"control character U+{code:04X} is not allowed in plan text",
        )
    ]
    assert errors[0]["hint"] == "remove the escape sequence"


def test_control_character_inside_a_block_scalar_names_its_field(load_errors):
    text = BASE_PLAN.replace(
        "    title: Widen the range\n",
        "    title: Widen the range\n    detail: |\n      first line\n      second \x00 line\n",
    )
    assert brief(load_errors(text)) == [
        (
            "control-character",
            "p.yaml:26:14",
            "strategies[S1].detail",
            "control character U+0000 is not allowed in plan text",
        )
    ]


def test_control_character_in_a_comment_does_not_hide_other_errors(load_errors):
    text = BASE_PLAN.replace("strategies:\n", "# a comment \x07 here\nstrategies:\n").replace(
        "form: visit", "form: vist"
    )
    assert brief(load_errors(text)) == [
        ("control-character", "p.yaml:21:13", None, "control character U+0007 is not allowed in plan text"),
        (
            "bad-choice",
            "p.yaml:29:11",
            "actions[A1].form",
            "`vist` is not one of: visit, meeting, field_guidance, training, promotion, delivery",
        ),
    ]


def test_json_surrogate_pairs_are_characters_not_errors(portfolio_dir):
    from workbench.plan.load import load_portfolio

    # json.dumps writes characters beyond U+FFFF as surrogate-pair escapes
    text = json.dumps(json.loads(_json().replace('"Acme"', '"Acme 😀 𠮷"')), indent=2)
    assert "\\ud83d\\ude00" in text and "\\ud842\\udfb7" in text
    plan = load_portfolio(portfolio_dir(**{"p.json": text})).plans[0].plan
    assert plan.customer.static.short_name == "Acme 😀 𠮷"


# ----------------------------------------------------------------------- encodings


def test_invalid_utf8_is_located_and_named(load_errors):
    raw = BASE_PLAN.replace("Acme Trading Ltd", "Acme \xff Ltd").encode("utf-8").replace("\xff".encode(), b"\xff")
    errors = load_errors(raw)
    assert brief(errors) == [("not-utf8", "p.yaml:7:22", "customer.static.legal_name", "byte 0xFF is not valid UTF-8")]
    assert errors[0]["hint"] == HINT_UTF8


def test_a_gbk_file_stops_with_one_error(load_errors):
    raw = "\n".join(f"k{i}: 华东区域经销商" for i in range(20)).encode("gbk")
    assert brief(load_errors(raw)) == [
        ("not-utf8", "p.yaml:1:5", None, "byte 0xBB is not valid UTF-8 (and 19 more invalid sequences)")
    ]


def test_utf16_is_named(load_errors):
    assert brief(load_errors(BASE_PLAN.encode("utf-16"))) == [
        ("not-utf8", "p.yaml:1:1", None, "the file is encoded as UTF-16, not UTF-8")
    ]


def test_a_failed_load_leaves_the_file_untouched(portfolio_dir):
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_portfolio

    text = BASE_PLAN.replace("due: 2026-03-31", "due: 2024-02-30")
    root = portfolio_dir(**{"p.yaml": text})
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    with pytest.raises(WorkbenchError):
        load_portfolio(root)
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before
