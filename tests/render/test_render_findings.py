"""Check findings in a booklet: the catalogue's words, the locale's numbers, the
location in the booklet's language."""

from __future__ import annotations

from workbench.errors import Diagnostic, Location, Severity
from workbench.messages import Messages
from workbench.render.findings import finding_words, where
from workbench.render.locale import Locale


def _finding(code: str, **args: str) -> Diagnostic:
    return Diagnostic(code, "english text", Location(), Severity.WARNING, None, tuple(args.items()))


def test_amounts_and_percentages_are_formatted_per_locale():
    d = _finding("credit-limit-exceeded", outstanding="3,775,951.00", limit="1,500,000.00", used="251.8 %")
    zh, _hint = finding_words(d, Messages("zh"), Locale("zh"))
    assert zh == "应收余额 ¥3,775,951.00 超过信用额度 ¥1,500,000.00（已用 251.8%）"
    en, _hint = finding_words(d, Messages("en"), Locale("en"))
    assert "¥3,775,951.00" in en and "(251.8% used)" in en


def test_dates_months_and_deviations():
    d = _finding(
        "price-below-floor",
        account="00602",
        name="x",
        sku="QH-1",
        price="52.00",
        guideline="59.00",
        deviation="-11.9 %",
        date="2026-09-12",
        observations="4",
        count="2",
        latest="56.00",
        latest_date="2026-09-28",
    )
    zh, _ = finding_words(d, Messages("zh"), Locale("zh"))
    assert "¥52.00" in zh and "¥59.00" in zh and "（-11.9%）" in zh
    d = _finding(
        "activity-below-alert",
        person="赵敏",
        mean="55.0 %",
        alert="60.0 %",
        months="2026-03, 2026-06",
        count="2",
        period="9",
    )
    zh, _ = finding_words(d, Messages("zh"), Locale("zh"))
    assert "2026年3月、2026年6月" in zh and "55.0%" in zh
    d = _finding("action-overdue", id="A1", title="t", due="2026-09-15", status_key="status.planned")
    en, _ = finding_words(d, Messages("en"), Locale("en"))
    assert "15 Sep 2026" in en and "Planned" in en


def test_a_reported_goal_is_formatted_by_its_metric():
    d = _finding("achieved-mismatch", id="G-margin", reported="0.35", ledger="0.31")
    zh, _ = finding_words(d, Messages("zh"), Locale("zh"), {"G-margin": "margin_rate"}.get)
    assert "35.0%" in zh and "31.0%" in zh and "¥" not in zh
    d = _finding("achieved-mismatch", id="G-rev", reported="24,279,740.20", ledger="24,000,000.00")
    zh, _ = finding_words(d, Messages("zh"), Locale("zh"), {"G-rev": "revenue"}.get)
    assert "¥24,279,740.20" in zh


def test_workbook_locations_are_worded_in_the_booklets_language():
    loc = Location(file="plans/ledger/销售台账.xlsx", sheet="销售", row=17449, column="数量")
    assert where(loc, Messages("zh")) == "plans/ledger/销售台账.xlsx › 销售 › 第 17449 行 › 数量"
    assert where(loc, Messages("en")) == "plans/ledger/销售台账.xlsx › 销售 › row 17449 › 数量"
    assert where(Location(file="plans/00231.yaml", line=12, col=5), Messages("zh")) == "plans/00231.yaml:12:5"


def test_chinese_booklet_findings_have_no_english_words(sample_portfolio, sample_facts, sample_findings):
    import re

    from workbench.render.booklet import account_booklet_page

    page = account_booklet_page(sample_facts, "00602", sample_portfolio, sample_findings).html
    appendix = page[page.index('id="findings"') :]
    assert "第 " in appendix and " 行" in appendix
    assert not re.search(r"\brow \d", appendix)
    assert not re.search(r"\d %", appendix)  # 251.8%, not 251.8 %
