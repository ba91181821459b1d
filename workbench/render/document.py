"""What every booklet shares: the template environment, the message catalogue, the
stylesheets and the HTML → PDF step.

* Jinja2 with ``autoescape=True`` and ``StrictUndefined`` (a typo in a template is an
  error); templates are looked up in the company's branding folder first, then in
  ``templates/booklet``; plan text is never compiled as a template.
* CSS lives in static files (``booklet.css``, the branding folder's ``colours.css``); the
  only generated stylesheet is the ``@font-face`` block, built from font bytes, never from
  plan data.
* Every HTML and CSS object gets the same confined fetcher; if it refused anything, no
  PDF is produced. The page's charts reach WeasyPrint through that fetcher too
  (:class:`Page`), drawn in the background while it parses and styles the page.
* Deterministic: the PDF's dates come from the as-of date, identifiers from the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location, WorkbenchError
from workbench.messages import TEMPLATES, catalogue
from workbench.render.palette import DEFAULT, Palette, read_palette

if TYPE_CHECKING:
    from workbench.portfolio import Portfolio
    from workbench.render.charts import Chart

BOOKLET = TEMPLATES / "booklet"


@dataclass(frozen=True)
class Page:
    """What WeasyPrint is given: the booklet's HTML and the charts its
    ``<img src="kam-chart:NAME">`` tags name (drawing, or drawn)."""

    html: str
    charts: Mapping[str, Chart] = field(default_factory=dict)

    def chart_problems(self) -> list[Diagnostic]:
        """Every refused chart's diagnostics (waits for all the drawings)."""
        return [d for chart in self.charts.values() for d in chart.problems()]


@dataclass
class Stage:
    """Branding and caches of one portfolio's renders."""

    branding: Path | None
    cache_dir: Path
    fetcher_roots: tuple[Path, ...] = field(default_factory=tuple)
    palette: Palette = DEFAULT
    templates: Any = field(default=None, repr=False, compare=False)  # the Jinja2 environment, built once

    @classmethod
    def of(cls, portfolio: Portfolio) -> Stage:
        branding = branding_folder(portfolio)
        fonts = portfolio.root / ".kam-cache" / "fonts"
        fonts.mkdir(parents=True, exist_ok=True)
        roots = (TEMPLATES, fonts, branding) if branding else (TEMPLATES, fonts)
        return cls(branding, fonts, tuple(r for r in roots if r is not None), read_palette(branding))


def branding_folder(portfolio: Portfolio) -> Path | None:
    """The settings' ``branding.folder``, resolved; it must be a folder inside the
    portfolio folder (symlinks resolved), else a located error."""
    folder = portfolio.settings.branding.folder
    if not folder:
        return None
    root = portfolio.root.resolve()
    branding = (root / folder).resolve()
    where = Location(file=str(portfolio.settings_path), path="branding.folder")
    if not branding.is_relative_to(root) or branding == root:
        raise WorkbenchError(
            Diagnostic(
                "branding-outside",
                f"branding folder `{folder}` is not inside the portfolio folder",
                where,
                hint="put the branding folder (templates, logo, colours.css) inside the portfolio folder",
            )
        )
    if not branding.is_dir():
        raise WorkbenchError(
            Diagnostic(
                "no-branding-folder",
                f"branding folder `{folder}` does not exist",
                where,
                hint="fix `branding.folder` in kam.yaml",
            )
        )
    return branding


def environment(stage: Stage) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    paths = [str(stage.branding)] if stage.branding else []
    paths.append(str(BOOKLET))
    return Environment(
        loader=FileSystemLoader(paths),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(stage: Stage, template: str, context: Mapping[str, Any]) -> str:
    """The HTML of `template`; templates are compiled once per stage (one portfolio's run)."""
    if stage.templates is None:
        stage.templates = environment(stage)
    return stage.templates.get_template(template).render(**context)


TEMPLATE_CHARS = "0123456789年月日万●○▲▼★☆✓✗→←·—–…¥%（）：，。、；！？「」《》【】\u2212\u00a0µ"
"""Characters the templates and the locale formatting add to the text of plans and facts."""


def font_css_for(portfolio: Portfolio, stage: Stage, facts: Any = None, findings: Sequence[Diagnostic] = ()) -> str:
    """The @font-face block covering every character the portfolio's booklets can show:
    plan text, settings, the catalogue, ledger names in the facts, the findings and the
    branding folder's templates (an override's own words are covered too)."""
    from workbench.render.fonts import font_face_css

    chars: set[str] = set(TEMPLATE_CHARS)
    if facts is not None:
        chars.update(facts.model_dump_json())
    for d in findings:
        chars.update(d.message + (d.hint or "") + d.location.short())
    for lp in portfolio.plans:
        chars.update("".join(lp.lines))
    for texts in catalogue().values():
        chars.update(texts["zh"] + texts["en"])
    chars.update(portfolio.settings.company)
    chars.update(portfolio.settings.branding.author or "")
    if stage.branding is not None:
        for path in sorted(stage.branding.rglob("*")):
            if path.suffix in (".j2", ".html", ".css", ".svg") and path.is_file():
                chars.update(path.read_text(encoding="utf-8", errors="replace"))
    return font_face_css("".join(sorted(chars)), stage.cache_dir)


def stylesheets(stage: Stage, font_css: str, fonts: Any, fetcher: Any) -> list[Any]:
    """The booklet's stylesheets, in cascade order: the @font-face block, ``booklet.css``,
    then the branding folder's ``colours.css`` when there is one."""
    from weasyprint import CSS

    sheets = [
        CSS(string=font_css, font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(BOOKLET / "booklet.css"), font_config=fonts, url_fetcher=fetcher),
    ]
    if stage.branding and (stage.branding / "colours.css").is_file():
        sheets.append(CSS(filename=str(stage.branding / "colours.css"), font_config=fonts, url_fetcher=fetcher))
    return sheets


def layout(page: Page | str, stage: Stage, font_css: str) -> tuple[Any, Any]:
    """WeasyPrint's laid-out document of `page` with the booklet's stylesheets and its
    confined fetcher (check ``fetcher.refused`` before using the document); a
    :class:`~workbench.render.charts.ChartError` with every refused chart's diagnostic
    when one of the page's charts was refused."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from workbench.render.fetcher import ConfinedFetcher

    if isinstance(page, str):
        page = Page(page)
    fetcher = ConfinedFetcher(stage.fetcher_roots, page.charts)
    fonts = FontConfiguration()
    document = HTML(string=page.html, base_url=str(BOOKLET) + "/", url_fetcher=fetcher).render(
        stylesheets=stylesheets(stage, font_css, fonts, fetcher), font_config=fonts
    )
    problems = page.chart_problems()
    if problems:
        from workbench.render.charts import ChartError

        raise ChartError(problems)
    return document, fetcher


def write_pdf(
    page: Page, stage: Stage, font_css: str, *, title: str, author: str, language: str, as_of: dt.date
) -> bytes:
    """PDF bytes of `page`, or WorkbenchError when anything was fetched from outside or a
    chart was refused."""
    document, fetcher = layout(page, stage, font_css)
    stamp = f"{as_of.isoformat()}T00:00:00Z"
    document.metadata.title = title
    document.metadata.authors = [author]
    document.metadata.lang = "zh-CN" if language == "zh" else "en"
    document.metadata.created = stamp
    document.metadata.modified = stamp
    document.metadata.generator = "KAM Workbench"
    document.metadata.attachments = []
    digest = hashlib.md5(page.html.encode("utf-8"), usedforsecurity=False)
    for name in sorted(page.charts):
        digest.update(page.charts[name].svg.encode("utf-8"))
    identifier = digest.hexdigest().encode("ascii")
    pdf = document.write_pdf(pdf_identifier=identifier)
    if fetcher.refused:
        raise WorkbenchError(
            [
                Diagnostic(
                    "refused-fetch",
                    f"the booklet tried to load {url}",
                    Location(),
                    hint="booklets load nothing from outside the templates folder; check the plan text and templates",
                )
                for url in fetcher.refused
            ]
        )
    assert isinstance(pdf, bytes)
    return pdf
