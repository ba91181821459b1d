"""Golden HTML of one Chinese and one English account booklet.

Regenerate after an intended change with::

    KAM_REGEN_GOLDEN=1 .venv/bin/pytest tests/render/test_render_golden.py

and review the diff. Each chart's image tag is followed by a digest of the text the chart
draws (axis ticks, titles, labels, legends, in drawing order), so a chart regression — an
axis in the wrong format, a lost legend, a missing bar label — shows in the diff while
the golden files stay readable; progress bars (small inline SVG drawn from the numbers)
are kept as they are.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def _normalised(page: object) -> str:
    """The page's HTML with each chart's image tag followed by its digest."""
    from workbench.render.svg import chart_digest

    def digest(m: re.Match[str]) -> str:
        svg = page.charts[m.group(1)].svg
        ids = re.findall(r'\bid="([^"]+)"', svg)
        return f"{m.group(0)}\n<svg-chart ids={len(ids)}>\n  {chart_digest(svg)}\n</svg-chart>"

    return re.sub(r'<img class="chart" src="kam-chart:([\w-]+)" alt="">', digest, page.html)


@pytest.mark.parametrize("account", ["00231", "01012"])
def test_account_booklet_html_matches_golden(account, sample_portfolio, sample_facts, sample_findings):
    from workbench.render.booklet import account_booklet_page

    html = _normalised(account_booklet_page(sample_facts, account, sample_portfolio, sample_findings))
    path = GOLDEN / f"account-{account}.html"
    if os.environ.get("KAM_REGEN_GOLDEN"):
        path.write_text(html, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == html, (
        "booklet HTML changed: regenerate with KAM_REGEN_GOLDEN=1 and review"
    )
