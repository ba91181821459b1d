"""A fast CJK font: Noto Sans CJK SC cut down to the characters a portfolio uses.

WeasyPrint subsets every embedded font per document; doing that from the stock 65,000-glyph
CJK font is what makes Chinese PDFs slow. Here the stock regular and bold faces are subset
once (fontTools) to the characters of the portfolio's plans, the message catalogue and
printable ASCII, cached by content hash in the portfolio's ``.kam-cache/fonts/``, and handed
to WeasyPrint as files there (a folder the confined fetcher allows). English booklets use
the same faces, so both languages look alike.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

from workbench.errors import Diagnostic, Location, WorkbenchError

FAMILY = "KamSans"
SOURCE = "Noto Sans CJK SC"
FONT_VERSION = "1"
ASCII = "".join(chr(c) for c in range(32, 127)) + "¥€£—–…•·×÷±≥≤→←↑↓★☆✓✗“”‘’「」（），。：；、！？《》【】％·"


def find_face(weight: str) -> tuple[str, int]:
    """File and collection index of the stock CJK face (via fontconfig)."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}:%{family}", f"{SOURCE}:weight={weight}"],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    file, _, rest = out.partition(":")
    index, _, family = rest.partition(":")
    if not file or "CJK" not in family:
        raise WorkbenchError(
            Diagnostic(
                "no-cjk-font",
                f"the font {SOURCE} is not installed",
                Location(),
                hint="run ./dev setup (it installs the Debian package fonts-noto-cjk)",
            )
        )
    return file, int(index or 0)


def _subset(file: str, index: int, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(file, fontNumber=index, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font["name"].setName(FAMILY, 1, 3, 1, 0x409)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def font_face_css(text: str, cache_dir: Path) -> str:
    """``@font-face`` rules for the regular and bold faces covering `text`; the subset
    fonts are files in `cache_dir` (which the confined fetcher allows)."""
    chars = "".join(sorted(set(text) | set(ASCII)))
    key = hashlib.sha256(f"{FONT_VERSION}:{chars}".encode()).hexdigest()[:24]
    rules = []
    for weight, css_weight in (("regular", 400), ("bold", 700)):
        cached = cache_dir / f"{key}-{weight}.otf"
        if not cached.is_file():
            from workbench.write import atomic_write

            file, index = find_face(weight)
            atomic_write(cached, _subset(file, index, chars))
        rules.append(
            f"@font-face {{ font-family: {FAMILY}; font-weight: {css_weight}; "
            f"src: url({cached.resolve().as_uri()}) format('opentype'); }}"
        )
    return "\n".join(rules) + "\n"
