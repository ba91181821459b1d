"""`kam check` rules: each fires on a minimal case, stays silent on a clean one; the
sample portfolio gives exactly its planted findings."""

from __future__ import annotations

import pytest

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
    manual = [
        getattr(a.classes, scheme)
        for a in sample_facts.accounts
        for scheme in ("abc", "quadrant", "stars", "matrix")
        if getattr(a.classes, scheme).manual
    ]
    assert manual and all(r.reason for r in manual), "every manual class carries its reason"
    # at least one manual class overrides a different computed one (not a restatement)
    assert any(r.manual != r.computed for r in manual), [(r.scheme, r.computed, r.manual) for r in manual]


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


def test_a_delivery_ships_goods_unless_it_says_it_does_not(make_plan, make_portfolio, make_ledger):
    hold = CLEAN["customer"] | {"credit": {"term_days": 30, "limit": 50}}  # 100 outstanding > 50: on hold
    delivery = CLEAN["actions"][0] | {"id": "A2", "title": "Ship", "form": "delivery"}
    codes = _codes(make_plan, make_portfolio, make_ledger, CLEAN | {"customer": hold, "actions": [delivery]})
    assert "hold-ships-goods" in codes
    exempt = delivery | {"ships_goods": False}  # a delivery of samples, say: explicitly no goods shipped
    codes = _codes(make_plan, make_portfolio, make_ledger, CLEAN | {"customer": hold, "actions": [exempt]})
    assert "hold-ships-goods" not in codes


def test_owner_mismatch_between_the_plan_and_the_customers_sheet(make_plan, make_portfolio, make_ledger):
    plan = make_plan("C1", **CLEAN)  # owner ann
    portfolio = make_portfolio([plan])
    led = make_ledger(sales=[SALE], customers=[{"customer": "C1", "name": "C1", "owner": "bob", "src_row": 5}])
    found = [d for d in run_checks(portfolio, led, compute_facts(portfolio, led)) if d.code == "owner-mismatch"]
    assert len(found) == 1 and found[0].severity.value == "warning"
    assert found[0].location.path == "owner"
    assert found[0].message == (
        "the plan names ann as owner, the ledger's customers sheet bob (t.xlsx › customers › row 5); activity credits bob"
    )
    # the same owner, or customers built from the plans: nothing to say
    assert "owner-mismatch" not in _codes(make_plan, make_portfolio, make_ledger, CLEAN)


def test_activity_alert_fires_on_any_month_below_it_not_the_average(make_plan, make_portfolio, make_ledger):
    # ann owns C1 and C2; C1 buys every month, C2 only from March: 50 %, 50 %, then 100 % (mean 77.8 %)
    plans = [make_plan("C1", **CLEAN), make_plan("C2", **CLEAN)]
    portfolio = make_portfolio(plans)
    sales = [SALE | {"date": f"2026-{m:02d}-02", "invoice": f"A{m}"} for m in range(1, 10)]
    sales += [SALE | {"customer": "C2", "date": f"2026-{m:02d}-03", "invoice": f"B{m}"} for m in range(3, 10)]
    led = make_ledger(
        sales=sales,
        customers=[{"customer": c, "name": c, "owner": "ann"} for c in ("C1", "C2")],
    )
    found = [d for d in run_checks(portfolio, led, compute_facts(portfolio, led)) if d.code == "activity-below-alert"]
    assert [d.message for d in found] == [
        "ann: customer activity rate below 60.0 % in 2 of 9 months: 2026-01 (50.0 %), 2026-02 (50.0 %) (88.9 % on average)"
    ]


def test_unknown_rule_codes_in_the_levels_are_located_errors_with_a_suggestion(tmp_path):
    from workbench.errors import WorkbenchError
    from workbench.plan.load import load_settings

    (tmp_path / "kam.yaml").write_text(
        "company: X\nfiscal_year: 2026\nas_of: 2026-09-30\nchecks:\n  levels:\n    action-overdu: off\n"
        "    contact-no-role: error\n",
        encoding="utf-8",
    )
    with pytest.raises(WorkbenchError) as err:
        load_settings(tmp_path)
    (d,) = err.value.diagnostics
    assert "unknown rule code `action-overdu` (did you mean `action-overdue`?)" in d.message
    assert d.location.line in (5, 6) and d.location.file.endswith("kam.yaml")


@pytest.mark.parametrize(
    ("section", "values", "message"),
    [
        ("prices", {"floor": "0.05"}, "need floor < 0 < ceiling"),
        ("prices", {"ceiling": "-0.01"}, "need floor < 0 < ceiling"),
        ("prices", {"spread_alert": "0"}, "spread_alert must be above 0"),
        ("activity", {"alert_below": "0"}, "alert_below must be a rate above 0 and at most 1"),
        ("activity", {"alert_below": "1.2"}, "alert_below must be a rate above 0 and at most 1"),
        ("inventory", {"band_low_days": 25, "band_high_days": 25}, "need band_low_days < band_high_days"),
        ("classify", {"abc": {"a_cut": "0.95", "b_cut": "0.8"}}, "need 0 < a_cut < b_cut ≤ 1"),
        ("classify", {"abc": {"a_cut": "0", "b_cut": "0.8"}}, "need 0 < a_cut < b_cut ≤ 1"),
        ("classify", {"loyalty_threshold": "1.5"}, "loyalty_threshold must be a share from 0 to 1"),
        ("classify", {"matrix_threshold": "7"}, "matrix_threshold must be a score from 1 to 5"),
        ("classify", {"declining_below": "0.1"}, "declining_below must be a negative growth"),
        ("classify", {"stars": {"initiative": 5, "business_sense": 4}}, "need initiative ≤ business_sense"),
    ],
)
def test_thresholds_are_sane(make_settings, section, values, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        make_settings(**{section: values})


def test_check_honours_the_period(make_plan, make_portfolio, make_ledger, make_settings):
    from workbench.analyze.period import parse_period

    # C1 buys in January only: the year to date has low months, January alone does not
    plans = [make_plan("C1", **CLEAN)]
    portfolio = make_portfolio(plans)
    led = make_ledger(
        sales=[SALE | {"date": "2026-01-10"}], customers=[{"customer": "C1", "name": "C1", "owner": "ann"}]
    )
    ytd = {d.code for d in run_checks(portfolio, led, compute_facts(portfolio, led))}
    jan = {d.code for d in run_checks(portfolio, led, compute_facts(portfolio, led, period=parse_period("2026-01")))}
    assert "activity-below-alert" in ytd and "activity-below-alert" not in jan


def test_finding_percentages_round_half_up():
    from decimal import Decimal

    from workbench.check import _pct

    assert (_pct(Decimal("0.1225")), _pct(Decimal("-0.11175")), _pct(None)) == ("12.3 %", "-11.2 %", "—")
