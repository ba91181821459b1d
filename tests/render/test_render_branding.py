"""A company's branding folder: its colours reach the charts as well as the tables, its
logo every booklet, its templates' words the font subset; the folder must lie inside the
portfolio folder and is the only extra place the fetcher reads."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError

ROOT = Path(__file__).resolve().parents[2]
BRAND_CHARS = "鑫淼犇"  # in no plan, catalogue or ledger name of the sample


def _branded(portfolio, root: Path, folder: str = "brand"):
    from workbench.settings import Branding

    settings = portfolio.settings.model_copy(update={"branding": Branding(folder=folder)})
    return dataclasses.replace(portfolio, root=root, settings=settings)


@pytest.fixture(scope="module")
def brand_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("branded")
    brand = root / "brand"
    brand.mkdir()
    (brand / "colours.css").write_text(
        "/* Acme red */\n:root { --primary: #a0102a; --primary-light: #f2b8c0; --accent: #0a7d6f; }\n"
        "h1 { letter-spacing: 0.02em; }\n",
        encoding="utf-8",
    )
    (brand / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#a0102a"/></svg>',
        encoding="utf-8",
    )
    base = (ROOT / "templates" / "booklet" / "base.html.j2").read_text(encoding="utf-8")
    (brand / "base.html.j2").write_text(
        base.replace(
            "{% block body %}{% endblock %}",
            f'<p class="brand-note">{BRAND_CHARS}</p>\n{{% block body %}}{{% endblock %}}',
        ),
        encoding="utf-8",
    )
    return root


def test_booklet_css_and_the_chart_palette_share_their_defaults():
    from workbench.render.palette import DEFAULT, parse_colours

    css = (ROOT / "templates" / "booklet" / "booklet.css").read_text(encoding="utf-8")
    assert parse_colours(css, "booklet.css") == DEFAULT


def test_branding_colours_are_parsed_and_bad_ones_located():
    from workbench.render.palette import parse_colours

    palette = parse_colours(":root {\n  --primary: #A01;\n  --unknown: red;\n}")
    assert palette.primary == "#aa0011"
    with pytest.raises(WorkbenchError) as exc:
        parse_colours(":root {\n  --ink: #222;\n  --primary: var(--x);\n}", "brand/colours.css")
    d = exc.value.diagnostics[0]
    assert d.code == "bad-branding-colour" and d.location.file == "brand/colours.css" and d.location.line == 3


def test_charts_tables_and_logo_follow_the_branding(brand_root, sample_portfolio, sample_facts, sample_findings):
    from workbench.render.booklet import account_booklet_page
    from workbench.render.portfolio import portfolio_booklet_page

    portfolio = _branded(sample_portfolio, brand_root)
    page = account_booklet_page(sample_facts, "00231", portfolio, sample_findings)
    account = page.html
    charts = "".join(c.svg for c in page.charts.values())
    assert "#a0102a" in charts and "#1f5f8b" not in charts  # one palette: the company's
    assert BRAND_CHARS in account
    book = portfolio_booklet_page(sample_facts, portfolio, sample_findings)
    whole = book.html
    assert re.search(r'<img class="logo" src="file://[^"]*/brand/logo.svg"', whole)
    assert re.search(r'<img class="logo" src="file://[^"]*/brand/logo.svg"', account)
    pie = "".join(c.svg for c in book.charts.values())
    assert "#a0102a" in pie and "#1f5f8b" not in pie


def test_the_font_subset_covers_the_override_templates(brand_root, sample_portfolio, sample_facts, sample_findings):
    from fontTools.ttLib import TTFont

    from workbench.render.document import Stage, font_css_for

    portfolio = _branded(sample_portfolio, brand_root)
    stage = Stage.of(portfolio)
    css = font_css_for(portfolio, stage, sample_facts, sample_findings)
    path = re.search(r"url\(file://([^)]+-regular\.otf)\)", css).group(1)
    cmap = TTFont(path).getBestCmap()
    assert all(ord(ch) in cmap for ch in BRAND_CHARS)


def test_the_fetcher_reads_only_templates_fonts_and_the_branding_folder(brand_root, sample_portfolio):
    from workbench.render.document import Stage

    stage = Stage.of(_branded(sample_portfolio, brand_root))
    assert stage.branding == (brand_root / "brand").resolve()
    assert set(stage.fetcher_roots) == {ROOT / "templates", brand_root / ".kam-cache" / "fonts", stage.branding}
    assert not any(root in (brand_root, Path("/")) for root in stage.fetcher_roots)


@pytest.mark.parametrize("folder", ["/", "/etc", "..", "../other", "brand/../..", "C:\\branding", "."])
def test_branding_folder_outside_the_portfolio_is_a_settings_error(folder):
    from pydantic import ValidationError

    from workbench.settings import Branding

    with pytest.raises(ValidationError, match="inside the portfolio folder"):
        Branding(folder=folder)


def test_branding_folder_escaping_through_a_symlink_is_refused(tmp_path, sample_portfolio):
    from workbench.render.document import Stage

    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "portfolio"
    root.mkdir()
    (root / "brand").symlink_to(outside)
    with pytest.raises(WorkbenchError) as exc:
        Stage.of(_branded(sample_portfolio, root))
    d = exc.value.diagnostics[0]
    assert d.code == "branding-outside" and d.location.path == "branding.folder"


def test_a_bad_branding_folder_in_kam_yaml_is_located(tmp_path):
    from workbench.plan.load import load_settings

    text = (ROOT / "plans" / "kam.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^branding:.*\n(  .*\n)*", "", text) + "branding:\n  folder: /\n"
    (tmp_path / "kam.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(WorkbenchError) as exc:
        load_settings(tmp_path)
    [d] = [d for d in exc.value.diagnostics if "inside the portfolio folder" in d.message]
    assert d.location.file.endswith("kam.yaml") and d.location.line is not None
