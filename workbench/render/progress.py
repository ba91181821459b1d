"""Goal progress bars as small inline SVG drawn from the numbers, exactly.

The bar spans 0 to max(100 %, progress, projection) (at most 200 %): a dark tick marks
100 % when the bar runs beyond it, the fill is the actual progress and an accent mark the
straight-line projection — so 137 % reads as 137 %, not as a capped bar. Geometry is written by this module from validated numbers (finite,
clamped) in a 0–100 viewBox; templates keep no style attributes, and plan text never
reaches this SVG. The size of the bar is set by booklet.css (``svg.progress``).
"""

from __future__ import annotations

import math
from decimal import Decimal

from markupsafe import Markup

from workbench.render.palette import DEFAULT, Palette

MAX_SCALE = 2.0
_HEX = frozenset("0123456789abcdef#")


def _fraction(value: Decimal | float | None) -> float | None:
    if value is None:
        return None
    x = float(value)
    if not math.isfinite(x):
        return None
    return max(0.0, min(MAX_SCALE, x))


def _num(x: float) -> str:
    assert math.isfinite(x) and -1 <= x <= 101, x
    return f"{x:.2f}"


def _colour(c: str) -> str:
    assert len(c) == 7 and set(c.lower()) <= _HEX, c
    return c


def progress_bar(
    percent: Decimal | float | None, projected: Decimal | float | None, palette: Palette = DEFAULT
) -> Markup:
    """The bar of a goal `percent` done (fraction of target) projected to `projected`."""
    done, proj = _fraction(percent), _fraction(projected)
    scale = max([1.0] + [v for v in (done, proj) if v is not None])
    track = 100.0 / scale
    parts = [
        f'<rect x="0" y="2" width="100" height="6" rx="3" fill="{_colour(palette.grid)}"/>',
    ]
    if done:
        parts.append(
            f'<rect x="0" y="2" width="{_num(100.0 * done / scale)}" height="6" rx="3" fill="{_colour(palette.primary)}"/>'
        )
    if scale > 1.0:
        parts.append(f'<rect x="{_num(track - 0.4)}" y="0" width="0.8" height="10" fill="{_colour(palette.ink)}"/>')
    if proj is not None:
        x = min(99.0, 100.0 * proj / scale - 0.8) if proj > 0 else 0.0
        parts.append(f'<rect x="{_num(max(0.0, x))}" y="0" width="1.6" height="10" fill="{_colour(palette.accent)}"/>')
    svg = (
        '<svg class="progress" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 10" '
        'preserveAspectRatio="none" role="img">' + "".join(parts) + "</svg>"
    )
    return Markup(svg)  # noqa: S704 - numbers and palette colours formatted and validated above
