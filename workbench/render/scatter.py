"""Labelled scatter plots (the screening matrix, value × loyalty).

Points carry a short key (their number in the table beside the chart) rather than a
name, so labels stay legible where accounts cluster; coincident points are spread on a
small circle (deterministically) so none hides another; each label goes to the first
spot around its point that overlaps no other label or point, with a leader line when it
had to move away. Colours are the classes, with a legend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.render import axes
from workbench.render.charts import Chart, Charts

LABEL_SIZE = 8
POINT_R = 5.0
# (dx, dy, align) in pixels from the point, tried in this order
_SPOTS = [
    (7, 0, "left"),
    (-7, 0, "right"),
    (5, -9, "left"),
    (5, 9, "left"),
    (-5, -9, "right"),
    (-5, 9, "right"),
    (0, -11, "center"),
    (0, 11, "center"),
    (9, -16, "left"),
    (9, 16, "left"),
    (-9, -16, "right"),
    (-9, 16, "right"),
    (0, -21, "center"),
    (0, 21, "center"),
]


@dataclass(frozen=True)
class _Axis:
    domain: tuple[float, float]
    size: int
    log: bool
    flip: bool  # y grows upwards

    def _t(self, v: float) -> float:
        return math.log10(v) if self.log else v

    def px(self, v: float) -> float:
        lo, hi = self._t(self.domain[0]), self._t(self.domain[1])
        f = (self._t(v) - lo) / (hi - lo) if hi != lo else 0.5
        return self.size * (1 - f if self.flip else f)

    def value(self, px: float) -> float:
        lo, hi = self._t(self.domain[0]), self._t(self.domain[1])
        f = px / self.size
        t = lo + (1 - f if self.flip else f) * (hi - lo)
        return 10**t if self.log else t


def scatter(
    charts: Charts,
    name: str,
    rows: Sequence[Mapping[str, Any]],
    x_title: str,
    y_title: str,
    *,
    classes: Sequence[tuple[str, str]],
    x_rule: float | None,
    y_rule: float | None,
    x_ticks: tuple[Sequence[float], Sequence[str]],
    y_ticks: tuple[Sequence[float], Sequence[str]],
    x_log: bool = False,
    width: int = 300,
    height: int = 240,
) -> Chart:
    """Points {x, y, key, klass}; `classes` are (class key, label) in legend order;
    ticks are (values, labels) and their ends are the domain."""
    p = charts.palette
    data = [
        {"x": float(r["x"]), "y": float(r["y"]), "key": str(r["key"]), "klass": r["klass"]}
        for r in rows
        if r["x"] is not None and r["y"] is not None and (not x_log or r["x"] > 0)
    ]
    xd = (float(x_ticks[0][0]), float(x_ticks[0][-1]))
    yd = (float(y_ticks[0][0]), float(y_ticks[0][-1]))
    xa, ya = _Axis(xd, width, x_log, False), _Axis(yd, height, False, True)
    _spread(data, xa, ya)
    _place_labels(data, xa, ya)
    shown = [(k, lab) for k, lab in classes if any(d["klass"] == k for d in data)]
    label_of = dict(classes)
    for d in data:
        d["class_label"] = label_of.get(d["klass"], d["klass"])
    xs: dict[str, Any] = {"type": "log" if x_log else "linear", "domain": list(xd), "nice": False}
    ys: dict[str, Any] = {"domain": list(yd), "nice": False}
    pos: dict[str, dict[str, Any]] = {
        "x": {"field": "px", "type": "quantitative", "scale": xs},
        "y": {"field": "py", "type": "quantitative", "scale": ys},
    }
    lbl: dict[str, dict[str, Any]] = {
        "x": {"field": "lx", "type": "quantitative", "scale": xs},
        "y": {"field": "ly", "type": "quantitative", "scale": ys},
    }
    x_axis = {"title": x_title, "grid": not x_log, **axes.axis(x_ticks[0], list(x_ticks[1]))}
    y_axis = {"title": y_title, **axes.axis(y_ticks[0], list(y_ticks[1]))}
    pos["x"]["axis"], pos["y"]["axis"], lbl["x"]["axis"], lbl["y"]["axis"] = x_axis, y_axis, x_axis, y_axis
    layers: list[dict[str, Any]] = []
    for value, enc in ((x_rule, "x"), (y_rule, "y")):
        if value is not None:
            layers.append(
                {
                    "data": {"values": [{"v": value}]},
                    "mark": {"type": "rule", "color": p.grey, "strokeDash": [4, 3]},
                    "encoding": {
                        enc: {
                            "field": "v",
                            "type": "quantitative",
                            "scale": xs if enc == "x" else ys,
                            "axis": x_axis if enc == "x" else y_axis,
                        }
                    },
                }
            )
    layers += [
        {
            "transform": [{"filter": "datum.lead"}],
            "mark": {"type": "rule", "color": p.grey, "strokeWidth": 0.6},
            "encoding": {**pos, "x2": {"field": "ax"}, "y2": {"field": "ay"}},
        },
        {
            "mark": {"type": "circle", "size": 64, "opacity": 0.9, "stroke": "white", "strokeWidth": 0.8},
            "encoding": {
                **pos,
                "color": {
                    "field": "class_label",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [lab for _k, lab in shown], "range": [p.klass(k) for k, _l in shown]},
                    "legend": {"orient": "bottom", "columns": 2, "labelLimit": 0, "columnPadding": 12},
                },
            },
        },
        *(
            {
                "transform": [{"filter": f"datum.align == '{align}'"}],
                "mark": {
                    "type": "text",
                    "align": align,
                    "baseline": "middle",
                    "fontSize": LABEL_SIZE,
                    "fontWeight": "bold",
                    "color": p.ink,
                },
                "encoding": {"x": lbl["x"], "y": lbl["y"], "text": {"field": "key"}},
            }
            for align in ("left", "right", "center")
        ),
    ]
    spec = charts.config(width, height) | {"data": {"values": data}, "layer": layers}
    return charts.render(name, spec)


def _spread(data: list[dict[str, Any]], xa: _Axis, ya: _Axis) -> None:
    """`px`, `py` for each point: its own position, or — for points within 4 px of an
    earlier one — a spot on a small circle around the group's first point."""
    groups: list[tuple[float, float, int]] = []  # x px, y px, members so far
    for d in data:
        x, y = xa.px(d["x"]), ya.px(d["y"])
        for i, (gx, gy, n) in enumerate(groups):
            if math.hypot(gx - x, gy - y) < 4:
                angle = math.pi / 4 + (n - 1) * 2 * math.pi / 6
                x, y = gx + 7 * math.cos(angle), gy - 7 * math.sin(angle)
                groups[i] = (gx, gy, n + 1)
                break
        else:
            groups.append((x, y, 1))
        d["px"], d["py"] = xa.value(x), ya.value(y)
        d["_x"], d["_y"] = x, y


def _text_width(text: str) -> float:
    return sum(LABEL_SIZE * (1.0 if ord(ch) > 0x2E80 else 0.6) for ch in text)


def _place_labels(data: list[dict[str, Any]], xa: _Axis, ya: _Axis) -> None:
    """Give every point `lx`, `ly` (data coordinates) and `align` for its label: the first
    spot of `_SPOTS` that overlaps no placed label and no point, else the least crowded;
    labels placed beyond the nearest ring get a leader line (`lead`, to `ax`, `ay`)."""
    points = [(d["_x"], d["_y"]) for d in data]
    r = POINT_R
    taken: list[tuple[float, float, float, float]] = [(x - r, y - r, x + r, y + r) for x, y in points]
    order = sorted(range(len(data)), key=lambda i: (points[i][0], points[i][1]))
    for i in order:
        d, (x, y) = data[i], points[i]
        w, h = _text_width(d["key"]), LABEL_SIZE + 1
        own = (x - r, y - r, x + r, y + r)
        best: tuple[float, tuple[float, float, float, float], tuple[int, int, str]] | None = None
        for dx, dy, align in _SPOTS:
            left = x + dx if align == "left" else x + dx - w if align == "right" else x + dx - w / 2
            box = (left, y + dy - h / 2, left + w, y + dy + h / 2)
            overlap = sum(_overlap(box, t) for t in taken if t != own)
            outside = max(0.0, -box[0]) + max(0.0, box[2] - xa.size) + max(0.0, -box[1]) + max(0.0, box[3] - ya.size)
            score = overlap + outside * h
            if best is None or score < best[0]:
                best = (score, box, (dx, dy, align))
            if score == 0:
                break
        assert best is not None
        _score, box, (dx, dy, align) = best
        taken.append(box)
        d["lx"], d["ly"], d["align"] = xa.value(x + dx), ya.value(y + dy), align
        far = abs(dy) > 12 or abs(dx) > 8
        d["lead"] = far
        # the leader runs from the point towards the label, stopping short of it
        d["ax"], d["ay"] = xa.value(x + dx * 0.7), ya.value(y + dy * 0.6)
        for k in ("_x", "_y"):
            d.pop(k, None)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def log_ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten covering [lo, hi]."""
    a = math.floor(math.log10(max(lo, 1.0)))
    b = math.ceil(math.log10(max(hi, 10.0)) - 1e-9)
    return [float(10**k) for k in range(a, b + 1)]
