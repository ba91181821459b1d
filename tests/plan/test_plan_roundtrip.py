"""Property: any valid plan written by `dump_plan` loads back unchanged (strings that YAML
1.1 would retype, Chinese text, exact decimals, dates, nested items with ids)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TRAPS = [
    "NO",
    "off",
    "yes",
    "~",
    "null",
    "0012345",
    "1:20",
    "2024-02-30",
    "- x",
    "a: b",
    "#x",
    "'q'",
    '"q"',
    "&a",
    "*a",
    "!!str",
    "%",
    "@",
    "`",
    "1e3",
    ".inf",
    "0x1F",
    "",
    " lead",
    "trail ",
    "中文，标点！",
]

text = (
    st.one_of(
        st.sampled_from(TRAPS),
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85"), max_size=30
        ),
    )
    .map(str.strip)
    .filter(bool)
)
ident = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True).filter(
    lambda s: (
        s.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
        and not (len(s.split(".")[0]) == 4 and s.split(".")[0].upper()[:3] in {"COM", "LPT"})
    )
)
money = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False, allow_infinity=False)
day = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@st.composite
def plans(draw):
    ids = draw(st.lists(ident, min_size=6, max_size=6, unique=True))
    goal_id, strat_id, act_id, contact_id, log_id, ltid = ids
    start = draw(day)
    due = start + dt.timedelta(days=draw(st.integers(0, 400)))
    return {
        "account_id": draw(st.from_regex(r"[0-9]{1,8}", fullmatch=True)),
        "fiscal_year": draw(st.integers(2000, 2100)),
        "language": draw(st.sampled_from(["zh", "en"])),
        "owner": draw(text),
        "customer": {
            "static": {
                "legal_name": draw(text),
                "short_name": draw(text),
                "region": draw(text),
                "channel": draw(st.sampled_from(["distributor", "retailer", "terminal", "direct"])),
                "tax_id": draw(st.none() | text),
            },
            "contacts": [
                {
                    "id": contact_id,
                    "name": draw(text),
                    "birthday": draw(st.none() | day),
                    "role": draw(st.none() | st.sampled_from(["decision_maker", "user"])),
                }
            ],
            "credit": {"term_days": draw(st.integers(0, 365)), "limit": draw(money), "blacklisted": False},
            "needs": draw(st.lists(text, max_size=3)),
        },
        "goals": {
            "this_year": [
                {
                    "id": goal_id,
                    "title": draw(text),
                    "metric": "revenue",
                    "target": draw(money),
                    "unit": draw(st.none() | text),
                }
            ]
        },
        "strategies": [{"id": strat_id, "title": draw(text), "goals": [goal_id]}],
        "actions": [
            {
                "id": act_id,
                "title": draw(text),
                "form": "visit",
                "start": start,
                "due": due,
                "goals": [goal_id],
                "strategy": strat_id,
                "ships_goods": draw(st.booleans()),
                "status": draw(st.sampled_from(["planned", "done", "blocked"])),
            }
        ],
        "long_term_issues": [{"id": ltid, "title": draw(text), "detail": draw(st.none() | text)}],
        "work_logs": [
            {
                "id": log_id,
                "date": start,
                "author": draw(text),
                "kind": "call",
                "contacts": [contact_id],
                "summary": draw(text),
            }
        ],
        "classification": {
            "loyalty": draw(st.none() | st.integers(1, 5)),
            "last_year": draw(st.dictionaries(st.sampled_from(["abc"]), st.sampled_from(["A", "B", "C"]))),
        },
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_dump_then_load_gives_the_same_plan(data):
    from workbench.plan.dump import dump_plan
    from workbench.plan.load import validate_source
    from workbench.plan.model import Plan
    from workbench.plan.reader import read_text_file

    plan = Plan.model_validate(data)
    text = dump_plan(plan)
    src = read_text_file(text.encode("utf-8"), "p.yaml")
    again = validate_source(src, Plan) if src.ok else None
    assert src.diagnostics == [], (text, src.diagnostics)
    assert again == plan
    assert dump_plan(again) == text
