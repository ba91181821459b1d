"""`kam check` rules: each fires on a minimal case, stays silent on a clean one; the
sample portfolio gives exactly its planted findings."""

from __future__ import annotations

from workbench.analyze.compute import compute_facts
from workbench.check import RULES, run_checks

CLEAN = {
    "customer": {
        "static": {"legal_name": "C1 Ltd", "short_name": "C1", "region": "north", "channel": "distributor"},
        "contacts": [{"id": "K1", "name": "Kim", "role": "decision_maker"}],
        "credit": {"term_days": 30, "limit": 100000},
    },
    "goals": {"this_year": [{"id": "G1", "title": "Grow", "metric": "revenue", "target": 1000}]},
    "strategies": [{"id": "S1", "title": "Visit", "goals": ["G1"]}],
    "actions": [{"id": "A1", "title": "Visit", "form": "visit", "owner": "ann", "due": "2026-12-01", "strategy": "S1"}],
}
SALE = {
    "date": "2026-03-01",
    "invoice": "I1",
    "customer": "C1",
    "salesperson": "ann",
    "sku": "S",
    "product_line": "P",
    "quantity": "1",
    "unit_price": "100",
    "unit_cost": "60",
    "region": "north",
}


PLAN_RULES = {
    "missing-section",
    "action-no-owner",
    "action-no-due",
    "action-overdue",
    "goal-no-strategy",
    "strategy-no-action",
    "contact-no-role",
}


def _codes(make_plan, make_portfolio, make_ledger, plan_overrides=None, sales=(SALE,), customers=True, **ledger):
    plan = make_plan("C1", **(plan_overrides or {}))
    portfolio = make_portfolio([plan])
    master = [{"customer": "C1", "name": "C1", "owner": "ann"}] if customers else []
    led = make_ledger(sales=sales, customers=master, **ledger)
    facts = compute_facts(portfolio, led)
    return sorted({d.code for d in run_checks(portfolio, led, facts)})


def test_clean_plan_has_no_findings(make_plan, make_portfolio, make_ledger):
    monthly = [SALE | {"date": f"2026-{m:02d}-02", "invoice": f"I{m}"} for m in range(1, 10)]
    payments = [
        {"date": f"2026-{m:02d}-20", "customer": "C1", "invoice": f"I{m}", "amount": "100"} for m in range(1, 10)
    ]
    assert _codes(make_plan, make_portfolio, make_ledger, CLEAN, sales=monthly, payments=payments) == []


def test_plan_rules_fire(make_plan, make_portfolio, make_ledger):
    plan = CLEAN | {
        "customer": CLEAN["customer"] | {"contacts": [{"id": "K1", "name": "Kim"}]},
        "goals": {"this_year": [*CLEAN["goals"]["this_year"], {"id": "G2", "title": "Alone", "metric": "text"}]},
        "strategies": [*CLEAN["strategies"], {"id": "S2", "title": "Idle", "goals": ["G1"]}],
        "actions": [
            {"id": "A1", "title": "Late", "form": "visit", "owner": "ann", "due": "2026-05-01", "strategy": "S1"},
            {"id": "A2", "title": "Nobody", "form": "visit", "strategy": "S1"},
        ],
    }
    codes = [c for c in _codes(make_plan, make_portfolio, make_ledger, plan) if c in PLAN_RULES]
    assert codes == [
        "action-no-due",
        "action-no-owner",
        "action-overdue",
        "contact-no-role",
        "goal-no-strategy",
        "strategy-no-action",
    ]


def test_credit_rules_fire(make_plan, make_portfolio, make_ledger):
    plan = CLEAN | {
        "customer": CLEAN["customer"] | {"credit": {"term_days": 30, "limit": 50}},
        "actions": [CLEAN["actions"][0] | {"ships_goods": True}],
    }
    codes = _codes(make_plan, make_portfolio, make_ledger, plan)
    assert codes == ["activity-below-alert", "credit-limit-exceeded", "hold-ships-goods", "overdue-receivables"]


def test_not_in_ledger_and_missing_sections(make_plan, make_portfolio, make_ledger):
    codes = _codes(make_plan, make_portfolio, make_ledger, {}, sales=(), customers=False)
    assert "not-in-ledger" in codes and "missing-section" in codes


def test_rules_can_be_relevelled_or_switched_off(make_plan, make_portfolio, make_ledger, make_settings):
    settings = make_settings(checks={"levels": {"action-overdue": "error", "strategy-no-action": "off"}})
    plan = make_plan(
        "C1",
        **(
            CLEAN
            | {
                "actions": [CLEAN["actions"][0] | {"due": "2026-05-01"}],
                "strategies": [*CLEAN["strategies"], {"id": "S2", "title": "x", "goals": ["G1"]}],
            }
        ),
    )
    portfolio = make_portfolio([plan], settings)
    led = make_ledger(sales=[SALE], customers=[{"customer": "C1", "name": "C1", "owner": "ann"}])
    found = {d.code: d.severity.value for d in run_checks(portfolio, led, compute_facts(portfolio, led))}
    assert found.get("action-overdue") == "error" and "strategy-no-action" not in found


def test_every_rule_is_listed_once():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)) >= 20


def test_sample_portfolio_gives_exactly_the_planted_findings(sample_findings):
    found = sorted(
        (d.code, (d.location.file or "").rsplit("/", 1)[-1], d.location.line or d.location.row or 0)
        for d in sample_findings
    )
    codes = sorted((code, file) for code, file, _ in found)
    assert codes == sorted(
        [
            ("achieved-mismatch", "00903.yaml"),
            ("action-overdue", "00519.yaml"),
            ("action-overdue", "00519.yaml"),
            ("activity-below-alert", "kam.yaml"),
            ("blacklist-proposed", "00602.yaml"),
            ("class-changed", "00836.yaml"),
            ("credit-limit-exceeded", "00602.yaml"),
            ("hold-ships-goods", "00602.yaml"),
            ("inventory-above-band", "dealer_reports.xlsx"),
            ("overdue-receivables", "销售台账.xlsx"),
            ("price-below-floor", "dealer_reports.xlsx"),
        ]
    ), found


def test_sample_facts_show_every_classification_outcome(sample_facts):
    seen = {
        scheme: {getattr(a.classes, scheme).value for a in sample_facts.accounts}
        for scheme in ("abc", "quadrant", "stars", "matrix")
    }
    assert seen["abc"] >= {"A", "B", "C"}
    assert seen["quadrant"] == {"protect", "dangerous", "rising_star", "phase_out"}
    assert seen["stars"] == {"1", "2", "3", "4"}
    assert seen["matrix"] >= {"core", "core_potential", "maintain", "general"}
    assert any(a.classes.potential_key for a in sample_facts.accounts)
    assert any(a.classes.abc.manual for a in sample_facts.accounts)


def test_every_rule_is_worded_in_both_languages_and_findings_translate(sample_findings):
    from workbench.messages import Messages, catalogue, finding_text

    table = catalogue()
    for rule in RULES:
        assert f"finding.{rule.code}" in table and f"hint.{rule.code}" in table, rule.code
    zh = Messages("zh")
    worded = {d.code: finding_text(d, zh) for d in sample_findings}
    assert worded["credit-limit-exceeded"] == (
        "应收余额 1,258,840.10 超过信用额度 500,000.00（已用 251.8 %）",
        "先回款再发货，或经审批提高额度",
    )
    assert worded["hold-ships-goods"][0] == "行动 A-foshan-1015 需要发货，但客户处于信用冻结（应收逾期、超信用额度）"
    assert worded["class-changed"][0] == "ABC 分类由 B 重点 变为 A 核心"
    for d in sample_findings:
        assert finding_text(d, Messages("en")) == (d.message, d.hint)
