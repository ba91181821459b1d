"""Golden HTML of one Chinese and one English account booklet.

Regenerate after an intended change with::

    KAM_REGEN_GOLDEN=1 .venv/bin/pytest tests/render/test_render_golden.py

and review the diff. Charts are replaced by a placeholder naming their size (they are
checked by the PDF tests), so the golden files stay readable.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def _normalised(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", lambda m: f"<svg-chart bytes={len(m.group(0)) // 1000}k/>", html, flags=re.S)


@pytest.mark.parametrize("account", ["00231", "01012"])
def test_account_booklet_html_matches_golden(account, sample_portfolio, sample_facts, sample_findings):
    from workbench.render.booklet import account_booklet_html

    html = _normalised(account_booklet_html(sample_facts, account, sample_portfolio, sample_findings))
    path = GOLDEN / f"account-{account}.html"
    if os.environ.get("KAM_REGEN_GOLDEN"):
        path.write_text(html, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == html, (
        "booklet HTML changed: regenerate with KAM_REGEN_GOLDEN=1 and review"
    )
