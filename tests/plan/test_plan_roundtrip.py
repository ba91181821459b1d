"""Property: any valid plan written by `dump_plan` loads back unchanged — every section of
the model, strings that YAML 1.1 would retype, Chinese text, exact and negative decimals
with up to 6 places, dates, nested items with ids and references."""

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
signed_money = st.decimals(
    min_value=Decimal("-999999999.99"),
    max_value=Decimal("999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
number = st.decimals(
    min_value=Decimal("-999999.999999"),
    max_value=Decimal("999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
weight = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("100"), places=6, allow_nan=False)
day = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12)
words = st.one_of(text, cjk)
maybe = st.none
level = st.sampled_from(["low", "medium", "high"])
score = st.integers(1, 5)
count = st.none() | st.integers(0, 10**6)


@st.composite
def plans(draw):
    ids = iter(draw(st.lists(ident, min_size=24, max_size=24, unique=True)))
    goal_id, last_goal_id, strat_id, act_id, contact_id, log_id = (next(ids) for _ in range(6))
    start = draw(day)
    due = start + dt.timedelta(days=draw(st.integers(0, 400)))
    scheme_classes = {
        "abc": ["A", "B", "C"],
        "quadrant": ["protect", "dangerous", "rising_star", "phase_out"],
        "stars": ["1", "2", "3", "4"],
        "matrix": ["core", "core_potential", "maintain", "general"],
    }
    last_year = draw(st.dictionaries(st.sampled_from(sorted(scheme_classes)), st.just(None), max_size=4))
    manual = draw(st.lists(st.sampled_from(sorted(scheme_classes)), max_size=2, unique=True))

    def score_item():
        return {"id": next(ids), "dimension": draw(words), "score": draw(score), "comment": draw(maybe() | words)}

    def factor():
        return {
            "id": next(ids),
            "title": draw(words),
            "detail": draw(maybe() | words),
            "impact": draw(level),
            "likelihood": draw(level),
        }

    blacklisted = draw(st.booleans())
    return {
        "account_id": draw(st.from_regex(r"[0-9]{1,8}", fullmatch=True)),
        "fiscal_year": draw(st.integers(2000, 2100)),
        "language": draw(st.sampled_from(["zh", "en"])),
        "owner": draw(words),
        "revision": draw(st.integers(1, 9)),
        "revised": draw(maybe() | day),
        "customer": {
            "static": {
                "legal_name": draw(words),
                "short_name": draw(words),
                "region": draw(words),
                "channel": draw(st.sampled_from(["distributor", "retailer", "terminal", "direct"])),
                "tax_id": draw(maybe() | text),
                "phone": draw(maybe() | st.sampled_from(["0571-8807 2231", "0012345", "+86 10 1234"])),
                "fax": draw(maybe() | text),
                "bank_account": draw(maybe() | words),
                "address": draw(maybe() | words),
                "province": draw(maybe() | cjk),
                "city": draw(maybe() | cjk),
            },
            "contacts": [
                {
                    "id": contact_id,
                    "name": draw(words),
                    "title": draw(maybe() | words),
                    "birthday": draw(maybe() | day),
                    "role": draw(maybe() | st.sampled_from(["decision_maker", "influencer", "user", "gatekeeper"])),
                    "relationship": draw(maybe() | score),
                    "hobbies": draw(maybe() | words),
                    "notes": draw(maybe() | words),
                }
            ],
            "market": {
                "market_size": draw(maybe() | signed_money),
                "brands": draw(st.lists(words, max_size=3)),
                "products": [{"name": draw(words), "spec": draw(maybe() | words), "price": draw(maybe() | money)}],
                "advertising": draw(maybe() | words),
                "notes": draw(maybe() | words),
            },
            "resources": {
                "staff": draw(count),
                "sales_staff": draw(count),
                "vehicles": draw(count),
                "sites": draw(count),
                "warehouses": draw(count),
                "warehouse_area_m2": draw(count),
                "funds": draw(maybe() | signed_money),
                "notes": draw(maybe() | words),
            },
            "needs": draw(st.lists(words, max_size=3)),
            "decision_process": {
                "who": draw(maybe() | words),
                "how": draw(maybe() | words),
                "when": draw(maybe() | words),
            },
            "purchase_history": draw(maybe() | words),
            "credit": {
                "term_days": draw(st.integers(0, 365)),
                "limit": draw(money),
                "grade": draw(maybe() | st.sampled_from(["A", "B", "C", "D"])),
                "blacklisted": blacklisted,
                "blacklist_reason": draw(words) if blacklisted else draw(maybe() | words),
            },
        },
        "performance": {"service_scores": [score_item()], "notes": draw(maybe() | words)},
        "report_card": {
            "date": draw(maybe() | day),
            "scores": [score_item()],
            "problems": [{"id": next(ids), "text": draw(words), "reported": draw(maybe() | day), "actions": [act_id]}],
        },
        "opportunities": [factor()],
        "threats": [factor()],
        "goals": {
            "last_year": [
                {
                    "id": last_goal_id,
                    "title": draw(words),
                    "metric": draw(st.sampled_from(["revenue", "gross_margin", "margin_rate", "collection"])),
                    "target": draw(number),
                    "achieved": draw(maybe() | number),
                    "period": {"start": start, "end": due},
                    "notes": draw(maybe() | words),
                }
            ],
            "this_year": [
                {
                    "id": goal_id,
                    "title": draw(words),
                    "metric": draw(st.sampled_from(["revenue", "product_lines", "activity", "text"])),
                    "target": draw(number),
                    "unit": draw(maybe() | text),
                }
            ],
        },
        "strategies": [{"id": strat_id, "title": draw(words), "detail": draw(maybe() | words), "goals": [goal_id]}],
        "resources": {
            "team": [
                {"id": next(ids), "name": draw(words), "role": draw(words), "responsibilities": draw(maybe() | words)}
            ],
            "budget": [{"id": next(ids), "item": draw(words), "amount": draw(money)}],
            "promotion_materials": [
                {
                    "id": next(ids),
                    "item": draw(words),
                    "quantity": draw(st.integers(0, 10**6)),
                    "value": draw(maybe() | money),
                }
            ],
        },
        "actions": [
            {
                "id": act_id,
                "title": draw(words),
                "owner": draw(maybe() | words),
                "form": draw(
                    st.sampled_from(["visit", "meeting", "field_guidance", "training", "promotion", "delivery"])
                ),
                "start": start,
                "due": due,
                "goals": [goal_id],
                "strategy": strat_id,
                "ships_goods": draw(st.booleans()),
                "status": draw(st.sampled_from(["planned", "in_progress", "done", "blocked", "dropped"])),
                "notes": draw(maybe() | words),
            }
        ],
        "long_term_issues": [{"id": next(ids), "title": draw(words), "detail": draw(maybe() | words)}],
        "work_logs": [
            {
                "id": log_id,
                "date": start,
                "author": draw(words),
                "kind": draw(st.sampled_from(["visit", "call", "meeting", "morning_briefing", "evening_briefing"])),
                "contacts": [contact_id],
                "summary": draw(words),
                "next_steps": draw(maybe() | words),
            }
        ],
        "reviews": [
            {
                "id": next(ids),
                "date": due,
                "kind": draw(st.sampled_from(["progress", "feedback", "people", "improvement"])),
                "author": draw(words),
                "summary": draw(words),
                "improvements": draw(st.lists(words, max_size=2)),
            }
        ],
        "classification": {
            "loyalty": draw(maybe() | score),
            "financial_health": draw(maybe() | score),
            "business_initiative": draw(maybe() | score),
            "attractiveness": [{"name": draw(words), "weight": draw(weight), "score": draw(score)}],
            "ability_to_win": [{"name": draw(words), "weight": draw(weight), "score": draw(score)}],
            "last_year": {k: draw(st.sampled_from(scheme_classes[k])) for k in last_year},
            "manual": [
                {"scheme": k, "value": draw(st.sampled_from(scheme_classes[k])), "reason": draw(words)} for k in manual
            ],
        },
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
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
