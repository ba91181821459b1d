"""The one URL fetcher WeasyPrint may use (SECURITY.md, "Rendering").

Only ``data:`` URLs, files inside the allowed folders (the templates folder, the font
cache and the company's branding folder; real paths checked, so a symlink cannot escape)
and the page's own charts (``kam-chart:NAME``, drawn in memory for this page and checked
by :mod:`workbench.render.svg`) are fetched; ``file:`` anywhere else, ``http(s):``, an
unknown chart and every other scheme are refused and recorded. A renderer that sees any
refusal produces no PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

from workbench.render.charts import CHART_URL

if TYPE_CHECKING:
    from workbench.render.charts import Chart

MIME = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
}


class ConfinedFetcher(URLFetcher):
    def __init__(self, roots: Sequence[Path], charts: Mapping[str, Chart] | None = None):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.charts = dict(charts or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        chart = self.charts.get(url.removeprefix(CHART_URL)) if url.startswith(CHART_URL) else None
        if chart is not None:
            # Waits for the drawing; a refused chart raises here (WeasyPrint leaves the image
            # out) and the renderer reports it with the chart's own diagnostic.
            return URLFetcherResponse(url, chart.svg.encode("utf-8"), {"Content-Type": "image/svg+xml"})
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": MIME.get(path.suffix.lower(), "application/octet-stream")}
                )
        self.refused.append(url)
        raise ValueError(
            f"refused to fetch {url}: booklets may only use data: URLs, files in the templates folder and their own charts"
        )
