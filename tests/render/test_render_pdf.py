"""Real PDFs: their text, outline, fonts, metadata and bytes."""

from __future__ import annotations

import io
import re
import subprocess

import pytest

ZH, EN = "00231", "01012"


def _reader(pdf: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in _reader(pdf).pages))


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in _reader(pdf).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


@pytest.mark.parametrize("account", [ZH, EN])
def test_booklet_text_carries_the_accounts_numbers_in_its_language(
    account, booklet_pdf, sample_facts, sample_portfolio
):
    from workbench.render.locale import Locale

    a = sample_facts.account(account)
    plan = sample_portfolio.plan(account).plan
    loc = Locale(plan.language.value, sample_facts.currency)
    text = _text(booklet_pdf(account))
    for figure in (loc.money(a.ytd.revenue, 0), loc.pct(a.ytd.margin_rate), loc.money(a.receivables.outstanding, 0)):
        assert figure.replace(" ", "") in text, figure
    assert plan.customer.static.short_name.replace(" ", "") in text
    if plan.language.value == "zh":
        assert (
            "客户档案" in text
            and "行动时间表" in text
            and plan.customer.contacts[0].notes.replace(" ", "")[:12] in text
        )
        assert loc.date(sample_facts.as_of) in text  # 2026年9月30日
    else:
        assert "Customerfile" in text and "Actiontimeline" in text and "30Sep2026" in text


@pytest.mark.parametrize("account", [ZH, EN])
def test_outline_has_one_entry_per_section(account, booklet_pdf, sample_portfolio):
    from workbench.messages import Messages
    from workbench.render.booklet import ACCOUNT_SECTIONS

    t = Messages(sample_portfolio.plan(account).plan.language.value)
    outline = [item.title for item in _reader(booklet_pdf(account)).outline]
    assert outline == [t(f"section.{key}") for key in ACCOUNT_SECTIONS]


def test_portfolio_outline_and_text(portfolio_pdf, sample_facts):
    from workbench.messages import Messages
    from workbench.render.portfolio import PORTFOLIO_SECTIONS

    t = Messages("zh")
    assert [i.title for i in _reader(portfolio_pdf).outline] == [t(f"section.{k}") for k in PORTFOLIO_SECTIONS]
    text = _text(portfolio_pdf)
    for a in sample_facts.accounts:
        assert a.name.replace(" ", "") in text


def test_chinese_booklet_embeds_only_the_subset_cjk_font(booklet_pdf):
    fonts = _fonts(booklet_pdf(ZH))
    assert fonts and all("KamSans" in f for f in fonts), fonts  # no fallback to a stock 65,000-glyph font


def test_metadata_and_no_attachments(booklet_pdf):
    pdf = booklet_pdf(ZH)
    reader = _reader(pdf)
    meta = reader.metadata
    assert meta.title == "杭州联华 — 2026" and meta.author == "浙江青禾家居用品有限公司"
    assert meta.get("/CreationDate", "").startswith("D:20260930")
    assert not reader.attachments
    assert reader.trailer["/Root"].get("/Lang") == "zh-CN"


def test_two_builds_give_identical_bytes(tmp_path, repo_root):
    import sys

    outs = []
    for run in ("a", "b"):
        target = tmp_path / run
        subprocess.run(
            [
                sys.executable,
                "-m",
                "workbench",
                "booklet",
                "01047",
                "--plans",
                str(repo_root / "plans"),
                "--out",
                str(target),
            ],
            check=True,
            capture_output=True,
        )
        outs.append((target / "booklets" / "01047.pdf").read_bytes())
    assert outs[0] == outs[1]


def test_pages_are_a4_with_page_numbers(booklet_pdf):
    reader = _reader(booklet_pdf(EN))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    n = len(reader.pages)
    assert f"Page {n} of {n}" in (reader.pages[-1].extract_text() or "")


def _margin_text(page) -> tuple[str, str]:
    """The text of a page's top and bottom margins (the running header and footer)."""
    height = float(page.mediabox.height)
    top: list[str] = []
    bottom: list[str] = []

    def visit(text, cm, tm, _font, _size):
        y = (tm[5] * cm[3] + cm[5]) if cm else tm[5]
        if text.strip():
            (top if y > height - 20 / 25.4 * 72 else bottom if y < 18 / 25.4 * 72 else []).append(text)

    page.extract_text(visitor_text=visit)
    return "".join(top), "".join(bottom)


@pytest.mark.parametrize("account", [ZH, EN])
def test_running_header_and_footer_name_the_booklet_company_and_page(
    account, booklet_pdf, sample_portfolio, sample_facts
):
    from workbench.messages import Messages

    plan = sample_portfolio.plan(account).plan
    t = Messages(plan.language.value)
    reader = _reader(booklet_pdf(account))
    n = len(reader.pages)
    top, bottom = _margin_text(reader.pages[5])
    assert plan.customer.static.short_name in top and t("booklet.account") in top
    assert sample_facts.company in bottom
    assert t("page_of", page=6, pages=n) in bottom, bottom
    cover_top, cover_bottom = _margin_text(reader.pages[0])
    assert sample_facts.company not in cover_bottom and t("page_of", page=1, pages=n) not in cover_bottom


def test_a_booklet_does_not_depend_on_what_the_run_rendered_before(
    sample_portfolio, sample_facts, sample_findings, stage_and_fonts
):
    from workbench.render.booklet import render_account_booklet

    stage, fonts = stage_and_fonts
    alone = render_account_booklet(sample_facts, EN, sample_portfolio, sample_findings, stage, fonts)
    render_account_booklet(sample_facts, ZH, sample_portfolio, sample_findings, stage, fonts)
    after = render_account_booklet(sample_facts, EN, sample_portfolio, sample_findings, stage, fonts)
    assert alone == after


def test_plan_text_like_a_script_builds_a_booklet(sample_portfolio, sample_facts, sample_findings, stage_and_fonts):
    import dataclasses

    from workbench.render.booklet import render_account_booklet

    lp = sample_portfolio.plan("00602")
    static = lp.plan.customer.static.model_copy(update={"short_name": "javascript: 新塘"})
    customer = lp.plan.customer.model_copy(update={"static": static})
    plans = tuple(
        dataclasses.replace(p, plan=p.plan.model_copy(update={"customer": customer})) if p is lp else p
        for p in sample_portfolio.plans
    )
    portfolio = dataclasses.replace(sample_portfolio, plans=plans)
    facts = sample_facts.model_copy(
        update={
            "accounts": tuple(
                a.model_copy(update={"name": "javascript: 新塘"}) if a.account_id == "00602" else a
                for a in sample_facts.accounts
            )
        }
    )
    stage, fonts = stage_and_fonts
    pdf = render_account_booklet(facts, "00602", portfolio, sample_findings, stage, fonts)
    assert "javascript:新塘" in _text(pdf)


def test_pdftotext_sees_chinese_not_tofu(booklet_pdf, tmp_path):
    path = tmp_path / "b.pdf"
    path.write_bytes(booklet_pdf(ZH))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "杭州联华家居用品批发有限公司" in out
