"""Checking and normalising the SVG vl-convert makes, before it goes into a page.

The SVG is parsed (defusedxml: no entities, no DTDs) and walked element by element:

* only drawing elements are allowed (no ``script``, ``foreignObject``, ``image``,
  ``use``, ``a``, ``style``…);
* no attribute may link out: ``href``/``src``, event handlers (``on…``), and any
  ``url(…)`` other than a local ``url(#id)`` are refused, as are ``javascript:`` and
  ``@import`` in presentation attributes.

Text content and accessibility labels (``aria-label``) are plan data drawn as text; they
are escaped on output and never inspected, so a customer called ``javascript: 新塘`` is
just a name.

Element ids (vl-convert numbers its clip paths ``clip1, clip2…`` across the whole process)
are renumbered per chart from a prefix the caller gives, so the same booklet has the same
bytes whatever was rendered before it in the same run. What draws nothing (hidden and
empty elements, shapes that neither fill nor stroke, attribute-less groups, accessibility
attributes) is left out, and each run of neighbouring solid lines of one stroke (axis
ticks, grid lines) becomes one path: WeasyPrint parses and draws every element of a chart,
so fewer is faster. The drawing is unchanged, pixel for pixel (tested).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
ALLOWED = frozenset(
    {
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "title",
        "desc",
        "defs",
        "clipPath",
        "linearGradient",
        "radialGradient",
        "stop",
    }
)
TEXT_ATTRIBUTES = frozenset({"aria-label", "aria-roledescription", "aria-hidden", "role", "class"})
_LOCAL_URL = re.compile(r"url\(\s*#[A-Za-z0-9_.-]+\s*\)")
_REF = re.compile(r"url\(\s*#([A-Za-z0-9_.-]+)\s*\)")


class UnsafeSvg(ValueError):
    """The SVG holds something other than drawing; the message says what."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def clean_svg(svg: str, prefix: str) -> str:
    """`svg` checked (UnsafeSvg otherwise) and re-serialised, its ids renamed
    ``<prefix>-1``, ``<prefix>-2``… in document order."""
    from defusedxml import ElementTree as SafeET

    try:
        root = SafeET.fromstring(svg)
    except Exception as exc:  # defusedxml raises its own subclasses, ParseError, ValueError…
        raise UnsafeSvg(f"the chart is not well-formed SVG ({exc})") from None
    elements = list(root.iter())
    for el in elements:
        tag = _local(el.tag) if isinstance(el.tag, str) else "?"
        if tag not in ALLOWED:
            raise UnsafeSvg(f"the chart contains a <{tag}> element")
        for name, value in el.attrib.items():
            attr = _local(name)
            if attr in TEXT_ATTRIBUTES or attr.startswith("aria-"):
                continue
            low = value.lower()
            if attr in ("href", "src") or attr.startswith("on"):
                raise UnsafeSvg(f"the chart has a `{attr}` attribute")
            if "url(" in _LOCAL_URL.sub("", low):
                raise UnsafeSvg(f"the chart's `{attr}` refers to an outside resource")
            if "javascript:" in low or "@import" in low:
                raise UnsafeSvg(f"the chart's `{attr}` holds a script or an import")
    _prune(root, ("black", "none"))
    _merge_lines(root)
    elements = list(root.iter())
    ids: dict[str, str] = {}
    for el in elements:
        old = el.get("id")
        if old is not None:
            ids[old] = f"{prefix}-{len(ids) + 1}"
            el.set("id", ids[old])
    if ids:
        for el in elements:
            for name, value in el.attrib.items():
                if "url(" in value:
                    el.set(name, _REF.sub(lambda m: f"url(#{ids.get(m.group(1), m.group(1))})", value))
    out: list[str] = []
    _write(root, out, top=True)
    return "".join(out)


INERT = frozenset({"class", "role", "pointer-events"})
EMPTY_PATHS = frozenset({"", "M0,0h0v0h0Z"})
SHAPES = frozenset({"path", "rect", "circle", "ellipse", "line", "polyline", "polygon"})


def _inert(name: str) -> bool:
    return name in INERT or name.startswith("aria-")


def _prune(parent: ET.Element, paint: tuple[str, str] | None) -> None:
    """Drop what draws nothing — hidden elements, empty paths, shapes that neither fill nor
    stroke given what they inherit (Vega draws the chart's view as an attribute-less path
    in a ``fill="none"`` group), accessibility and class attributes (the PDF uses none of
    them) — and unwrap groups left without attributes, so WeasyPrint parses and styles
    fewer elements; the drawing is unchanged. `paint` is the (fill, stroke) the children
    inherit, None inside clip paths and definitions, whose shapes are geometry."""
    children: list[ET.Element] = []
    for child in list(parent):
        tag = _local(child.tag)
        if child.get("display") == "none" or (tag == "path" and child.get("d", "").strip() in EMPTY_PATHS):
            continue
        inherited = None
        if paint is not None and tag not in ("clipPath", "defs"):
            inherited = (child.get("fill", paint[0]), child.get("stroke", paint[1]))
        if tag in SHAPES and inherited == ("none", "none") and "style" not in child.attrib:
            continue
        for name in [n for n in child.attrib if _inert(_local(n))]:
            del child.attrib[name]
        _prune(child, inherited)
        if tag == "g" and not child.attrib:
            children.extend(child)
        elif tag == "g" and len(child) == 0:
            continue
        else:
            children.append(child)
    for child in list(parent):
        parent.remove(child)
    parent.extend(children)


_TRANSLATE = re.compile(r"\s*translate\(\s*(-?[0-9.]+)(?:[\s,]+(-?[0-9.]+))?\s*\)\s*")
# what a run of <line> elements may carry to be drawn as one <path>: no opacity below 1
# (one path is composited once, separate lines one by one), no dashes (a path's dash
# pattern runs on across its segments in some renderers)
LINE_GEOMETRY = frozenset({"transform", "x1", "y1", "x2", "y2"})
LINE_STYLE = frozenset({"stroke", "stroke-width", "stroke-linecap", "opacity", "stroke-opacity"})


def _line_segment(el: ET.Element) -> tuple[tuple[tuple[str, str], ...], str] | None:
    """(style, ``M…L…`` segment) of a solid, translated-only <line>, else None."""
    if _local(el.tag) != "line" or len(el) or (el.text or "").strip():
        return None
    names = {_local(k) for k in el.attrib}
    if not names <= LINE_GEOMETRY | LINE_STYLE:
        return None
    if any(el.get(k, "1") not in ("1", "1.0") for k in ("opacity", "stroke-opacity")):
        return None
    tx = ty = 0.0
    if "transform" in el.attrib:
        m = _TRANSLATE.fullmatch(el.get("transform", ""))
        if m is None:
            return None
        tx, ty = float(m.group(1)), float(m.group(2) or 0)
    try:
        x1, y1, x2, y2 = (float(el.get(k, "0")) for k in ("x1", "y1", "x2", "y2"))
    except ValueError:
        return None
    style = tuple(sorted((k, v) for k, v in el.attrib.items() if _local(k) in LINE_STYLE))
    return style, f"M{_num(tx + x1)},{_num(ty + y1)}L{_num(tx + x2)},{_num(ty + y2)}"


def _num(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def _merge_lines(parent: ET.Element) -> None:
    """Draw each run of neighbouring <line> elements that share one solid stroke (axis
    ticks, grid lines) as a single <path> of segments: the same drawing, a fraction of
    the elements WeasyPrint parses, styles and draws."""
    out: list[ET.Element] = []
    run: list[ET.Element] = []
    run_style: tuple[tuple[str, str], ...] | None = None
    segments: list[str] = []

    def flush() -> None:
        if len(run) > 1 and run_style is not None:
            path = ET.Element(f"{{{SVG_NS}}}path", {"d": "".join(segments), "fill": "none", **dict(run_style)})
            path.tail = run[-1].tail
            out.append(path)
        else:
            out.extend(run)
        run.clear()
        segments.clear()

    for child in list(parent):
        _merge_lines(child)
        seg = _line_segment(child)
        if seg is None or (run and (seg[0] != run_style or (run[-1].tail or "").strip())):
            flush()
        if seg is None:
            out.append(child)
        else:
            run.append(child)
            run_style = seg[0]
            segments.append(seg[1])
    flush()
    for child in list(parent):
        parent.remove(child)
    parent.extend(out)


def _write(el: ET.Element, out: list[str], top: bool = False) -> None:
    """Serialise `el` with plain SVG names (ElementTree's own writer would invent ``ns0:``
    prefixes unless a process-wide namespace registration happens to be in place)."""
    tag = _local(el.tag)
    attrs = [("xmlns", SVG_NS)] if top else []
    attrs += [(_local(k), v) for k, v in el.attrib.items() if not k.startswith("{")]
    out.append(f"<{tag}" + "".join(f" {k}={quoteattr(v)}" for k, v in attrs) + ">")
    if el.text:
        out.append(escape(el.text))
    for child in el:
        _write(child, out)
        if child.tail:
            out.append(escape(child.tail))
    out.append(f"</{tag}>")


def chart_digest(svg: str) -> str:
    """The text a chart shows (axis ticks, titles, labels, legends) in document order:
    a readable stand-in for a chart in golden files."""
    from defusedxml import ElementTree as SafeET

    root = SafeET.fromstring(svg)
    words = []
    for el in root.iter():
        if isinstance(el.tag, str) and _local(el.tag) == "text":
            text = " ".join(t.strip() for t in el.itertext() if t.strip())
            if text:
                words.append(text)
    return " | ".join(words)
