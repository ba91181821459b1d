"""The one palette of every booklet: tables (booklet.css) and charts (Vega-Lite) alike.

The colours are the custom properties of booklet.css's ``:root`` block (``--primary``,
``--accent``…). A company overrides any of them in its branding folder's ``colours.css``
with the same names; :func:`read_palette` reads that file so the charts use the very
colours the stylesheet does — one palette per booklet, whoever defines it. Only
``#rgb``/``#rrggbb`` values are accepted for the palette names (a chart cannot resolve
``var()`` or colour keywords); anything else is a located error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from workbench.errors import Diagnostic, Location, WorkbenchError


@dataclass(frozen=True)
class Palette:
    ink: str = "#22313f"
    muted: str = "#6b7a89"
    grid: str = "#e3e8ee"
    primary: str = "#1f5f8b"
    primary_light: str = "#9cc3de"
    accent: str = "#e07b39"
    good: str = "#3a8d5c"
    warn: str = "#d9a400"
    bad: str = "#c0392b"
    good_light: str = "#a6ccb6"
    warn_light: str = "#eed68c"
    bad_light: str = "#e3a6a0"
    grey: str = "#aab4be"
    teal: str = "#2f9c95"
    purple: str = "#7a5195"
    paper: str = "#f5f8fb"

    @property
    def series(self) -> tuple[str, ...]:
        return (self.primary, self.accent, self.good, self.purple, self.warn, self.teal, self.bad, self.grey)

    def status(self, key: str) -> str:
        """Colour of an action status."""
        return {
            "done": self.good,
            "in_progress": self.primary,
            "planned": self.primary_light,
            "blocked": self.bad,
            "dropped": self.grey,
        }.get(key, self.grey)

    def klass(self, key: str) -> str:
        """Colour of a class. Within one scheme every class has its own colour; a chart
        showing a scheme always has a legend."""
        return {
            "A": self.primary,
            "B": self.accent,
            "C": self.grey,
            # value × loyalty
            "protect": self.good,
            "dangerous": self.bad,
            "rising_star": self.accent,
            "phase_out": self.grey,
            # screening matrix
            "core": self.primary,
            "core_potential": self.teal,
            "maintain": self.purple,
            "general": self.grey,
            "unscored": self.muted,
        }.get(key, self.grey)


DEFAULT = Palette()
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_PROPERTY = re.compile(r"--([a-z][a-z0-9-]*)\s*:\s*([^;}]*)")
NAMES = {f.name.replace("_", "-"): f.name for f in fields(Palette)}
"""CSS custom property name (``primary-light``) → Palette field (``primary_light``)."""


def _long(colour: str) -> str:
    if len(colour) == 4:
        colour = "#" + "".join(ch * 2 for ch in colour[1:])
    return colour.lower()


def parse_colours(css: str, file: str = "colours.css") -> Palette:
    """The palette with `css`'s custom properties of palette names applied. Other
    properties and rules are left to the stylesheet."""
    css_clean = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), css, flags=re.S)
    values: dict[str, str] = {}
    problems = []
    for m in _PROPERTY.finditer(css_clean):
        name, value = m.group(1), m.group(2).strip()
        if name not in NAMES:
            continue
        if not _HEX.match(value):
            line = css_clean.count("\n", 0, m.start()) + 1
            problems.append(
                Diagnostic(
                    "bad-branding-colour",
                    f"`--{name}: {value}` is not a #rrggbb colour",
                    Location(file=file, line=line),
                    hint="charts follow the palette too: write palette colours as #rgb or #rrggbb",
                )
            )
            continue
        values[NAMES[name]] = _long(value)
    if problems:
        raise WorkbenchError(problems)
    return replace(DEFAULT, **values)


def read_palette(branding: Path | None) -> Palette:
    """The palette of a branding folder (its ``colours.css``), else the default."""
    path = branding / "colours.css" if branding else None
    if path is None or not path.is_file():
        return DEFAULT
    return parse_colours(path.read_text(encoding="utf-8"), str(path))
