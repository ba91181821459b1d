"""Charts as vector SVG: Vega-Lite specs rendered by vl-convert (chart text stays text,
set in the booklet's font; about three times faster than matplotlib here).

Every chart of a booklet is drawn through one :class:`Charts`: it carries the booklet's
palette (the branding's colours when a company overrides them), its locale (ticks and
labels are formatted by :mod:`workbench.render.axes`, never by d3's ``~s``) and the place
to blame if a chart is refused. The SVG is checked and its ids renumbered per chart
(:mod:`workbench.render.svg`) before it is placed in a page.

A chart is drawn in the background: :meth:`Charts.render` sends the spec to the chart
worker process (:mod:`workbench.render.drawer`) and returns a :class:`Chart` at once,
which the page names as ``<img class="chart" src="kam-chart:NAME">``. The charts are
drawn on the machine's other core while the rest of the page is written and while
WeasyPrint parses and styles it; WeasyPrint asks the booklet's fetcher for
``kam-chart:NAME`` when it reaches the image, and waits there if the chart is not ready.
The bytes are the same whatever the timing: each chart is a pure function of its spec.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as WaitedTooLong
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from workbench.errors import Diagnostic, Location, WorkbenchError
from workbench.render import axes
from workbench.render.fonts import FAMILY
from workbench.render.locale import Locale
from workbench.render.palette import DEFAULT, Palette


class ChartError(WorkbenchError):
    """A chart held something other than drawing; never embedded."""


CHART_URL = "kam-chart:"
"""The URL scheme by which a page names its charts (the fetcher serves them)."""


DRAW_TIMEOUT = 120.0
"""Seconds a page waits for one chart (a chart takes about 10 ms; the worker's start-up
about half a second)."""


class Chart:
    """One chart of a page, drawing in the worker; :attr:`svg` waits for it."""

    def __init__(self, name: str, drawing: Future[str], where: Location = Location()):
        self.name = name
        self.where = where
        self._drawing = drawing

    @property
    def svg(self) -> str:
        """The checked SVG. Waits for the drawing; raises :class:`ChartError` when the
        chart was refused and :class:`WorkbenchError` when it could not be drawn."""
        from workbench.render.drawer import DrawerStopped, RefusedChart

        try:
            return self._drawing.result(timeout=DRAW_TIMEOUT)
        except RefusedChart as exc:
            raise ChartError(
                Diagnostic(
                    "unsafe-chart",
                    f"the {self.name} chart was refused: {exc}",
                    self.where,
                    hint="charts may hold nothing but drawing; check the plan text and the branding templates",
                )
            ) from None
        except (DrawerStopped, WaitedTooLong):
            raise WorkbenchError(
                Diagnostic(
                    "chart-not-drawn",
                    f"the {self.name} chart was not drawn: the chart worker process stopped or did not answer",
                    self.where,
                    hint="run the command again; if it fails again, check that vl-convert-python is installed",
                )
            ) from None

    def problems(self) -> list[Diagnostic]:
        """Why this chart cannot be shown (waits for the drawing); empty when it was drawn."""
        try:
            _ = self.svg
        except WorkbenchError as exc:
            return list(exc.diagnostics)
        return []

    def __html__(self) -> str:
        # The name is one of the renderers' fixed chart names, never plan text.
        return f'<img class="chart" src="{CHART_URL}{self.name}" alt="">'


@dataclass(frozen=True)
class Charts:
    loc: Locale
    palette: Palette = DEFAULT
    where: Location = Location()
    drawn: dict[str, Chart] = field(default_factory=dict, compare=False, repr=False)
    """Every chart this page has asked for, by name (what the page's fetcher serves)."""

    # ------------------------------------------------------------------ plumbing

    def config(self, width: int, height: int) -> dict[str, Any]:
        p = self.palette
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "width": width,
            "height": height,
            "background": "white",
            "config": {
                "font": FAMILY,
                "view": {"stroke": None},
                "axis": {
                    "labelColor": p.ink,
                    "titleColor": p.muted,
                    "gridColor": p.grid,
                    "domainColor": p.grey,
                    "tickColor": p.grey,
                    "labelFontSize": 10,
                    "titleFontSize": 10,
                    "titleFontWeight": "normal",
                },
                "legend": {
                    "labelColor": p.ink,
                    "titleColor": p.muted,
                    "labelFontSize": 10,
                    "titleFontSize": 10,
                    "orient": "top",
                    "titleFontWeight": "normal",
                    "symbolSize": 70,
                },
                "text": {"color": p.ink},
                "range": {"category": list(p.series)},
            },
        }

    def render(self, name: str, spec: Mapping[str, Any]) -> Chart:
        """A Vega-Lite spec's chart, drawn in the background (see the module's notes); its
        SVG ids are ``chart-<name>-1``, ``chart-<name>-2``… whatever was drawn before."""
        from workbench.render import drawer

        if not name.replace("-", "").isalnum() or name in self.drawn:
            raise ValueError(f"chart name {name!r} must be a unique word per page")
        chart = Chart(name, drawer.draw(name, dict(spec), self.loc.symbol), self.where)
        self.drawn[name] = chart
        return chart

    # ------------------------------------------------------------------ axes

    def money_axis(self, lo: float, hi: float, title: str | None, count: int = 5) -> tuple[axes.Ticks, dict[str, Any]]:
        ticks = axes.nice_ticks(lo, hi, count)
        return ticks, {"title": title, **axes.axis(ticks.values, axes.money_labels(self.loc, ticks))}

    def pct_axis(
        self, lo: float, hi: float, title: str | None, count: int = 5, signed: bool = False
    ) -> tuple[axes.Ticks, dict[str, Any]]:
        ticks = axes.nice_ticks(lo, hi, count)
        return ticks, {"title": title, **axes.axis(ticks.values, axes.pct_labels(self.loc, ticks, signed))}

    def number_axis(self, lo: float, hi: float, title: str | None, count: int = 5) -> tuple[axes.Ticks, dict[str, Any]]:
        ticks = axes.nice_ticks(lo, hi, count)
        if ticks.step < 1 and hi - lo >= 1:
            ticks = axes.nice_ticks(lo, hi, max(1, int(hi - lo)))
        return ticks, {"title": title, **axes.axis(ticks.values, axes.number_labels(self.loc, ticks))}

    # ------------------------------------------------------------------ charts

    def monthly(self, points: Sequence[Any], labels: Mapping[str, str], width: int = 640) -> Chart:
        """Revenue by month over the previous and current fiscal year (bars), margin (line)."""
        p = self.palette
        rows = [
            {"month": m.month, "year": m.month[:4], "revenue": _f(m.revenue), "margin": _f(m.margin)} for m in points
        ]
        years = sorted({r["year"] for r in rows})[-2:]
        values = [v for r in rows for v in (r["revenue"], r["margin"]) if v is not None]
        ticks, y_axis = self.money_axis(min(values, default=0), max(values, default=1), labels["revenue"])
        months = [r["month"] for r in rows]
        x_labels = [axes.month_label(self.loc, k, i == 0) for i, k in enumerate(months)]
        scale = {"domain": [ticks.lo, ticks.hi], "nice": False}
        spec = self.config(width, 190) | {
            "data": {"values": rows},
            "encoding": {
                "x": {
                    "field": "month",
                    "type": "ordinal",
                    "title": None,
                    "sort": None,
                    "axis": {
                        "labelExpr": axes.lookup(months, x_labels),
                        "labelAngle": 0,
                        "labelPadding": 3,
                        "labelOverlap": False,
                    },
                }
            },
            "layer": [
                {
                    "mark": {"type": "bar", "cornerRadiusTopLeft": 2, "cornerRadiusTopRight": 2},
                    "encoding": {
                        # one bar per month: unstacked, so the rounded tops are plain paths, not
                        # one clip group per bar (what Vega-Lite draws for stacked bars)
                        "y": {
                            "field": "revenue",
                            "type": "quantitative",
                            "scale": scale,
                            "axis": y_axis,
                            "stack": None,
                        },
                        "color": {
                            "field": "year",
                            "type": "nominal",
                            "title": None,
                            "scale": {
                                "domain": [*years, labels["margin"]],
                                "range": [*([p.primary_light, p.primary][-len(years) :]), p.accent],
                            },
                        },
                    },
                },
                {
                    "mark": {"type": "line", "point": {"size": 18}},
                    "encoding": {
                        "y": {"field": "margin", "type": "quantitative", "scale": scale, "axis": y_axis},
                        "color": {"datum": labels["margin"]},
                    },
                },
            ],
        }
        return self.render("monthly", spec)

    def bars(
        self,
        name: str,
        rows: Sequence[Mapping[str, Any]],
        x_title: str,
        *,
        kind: str = "money",
        width: int = 300,
        height: int | None = None,
        rules: Sequence[Mapping[str, Any]] = (),
        legend: Sequence[tuple[str, str]] = (),
    ) -> Chart:
        """Horizontal bars: rows of {label, value, color?}; `kind` formats the axis (money,
        pct, number); `rules` are labelled vertical lines {value, label, color?}; `legend`
        is (colour, meaning) pairs."""
        p = self.palette
        data = [{"label": r["label"], "value": _f(r["value"]), "color": r.get("color", p.primary)} for r in rows]
        xs = [d["value"] for d in data if d["value"] is not None] + [_f(r["value"]) or 0.0 for r in rules]
        lo, hi = min(xs, default=0.0), max(xs, default=1.0)
        if kind == "pct":
            ticks, x_axis = self.pct_axis(lo, hi, x_title, signed=any(v < 0 for v in xs))
        elif kind == "number":
            ticks, x_axis = self.number_axis(lo, hi, x_title)
        else:
            ticks, x_axis = self.money_axis(lo, hi, x_title, count=4)
        scale = {"domain": [ticks.lo, ticks.hi], "nice": False}
        encoding: dict[str, Any] = {
            "y": {"field": "label", "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 160}},
            # one bar per label, unstacked (a stacked bar's rounded end is a clip group per bar)
            "x": {"field": "value", "type": "quantitative", "scale": scale, "axis": x_axis, "stack": None},
        }
        if legend:
            encoding["color"] = {
                "field": "color",
                "type": "nominal",
                "scale": {"domain": [c for c, _m in legend], "range": [c for c, _m in legend]},
                "legend": {
                    "title": None,
                    "orient": "bottom",
                    "labelExpr": axes.lookup([c for c, _m in legend], [m for _c, m in legend]),
                },
            }
        else:
            encoding["color"] = {"field": "color", "type": "nominal", "scale": None}
        layers: list[dict[str, Any]] = [{"mark": {"type": "bar", "cornerRadiusEnd": 2}, "encoding": encoding}]
        if any(v < 0 for v in xs):
            layers.append(
                {
                    "data": {"values": [{"v": 0}]},
                    "mark": {"type": "rule", "color": p.muted},
                    "encoding": {"x": {"field": "v", "type": "quantitative", "scale": scale, "axis": x_axis}},
                }
            )
        layers += self._rules_x(rules, scale, x_axis)
        spec = self.config(width, height or max(60, 22 * len(rows))) | {"data": {"values": data}, "layer": layers}
        return self.render(name, spec)

    def _rules_x(
        self,
        rules: Sequence[Mapping[str, Any]],
        scale: Mapping[str, Any],
        axis: Mapping[str, Any],
        field_type: str = "quantitative",
    ) -> list[dict[str, Any]]:
        """Dashed vertical lines with their label above the plot, on the chart's x scale
        (`field_type` and `axis` must match the chart's x, or Vega draws a second axis or
        merges the axes' properties)."""
        out: list[dict[str, Any]] = []
        for rule in rules:
            value = {"v": _f(rule["value"]), "t": rule.get("label", "")}
            colour = rule.get("color", self.palette.bad)
            # the same type, scale and axis as the chart's x: Vega merges them into one axis
            x = {"field": "v", "type": field_type, "scale": scale, "axis": dict(axis)}
            out.append(
                {
                    "data": {"values": [value]},
                    "mark": {"type": "rule", "color": colour, "strokeDash": [4, 3]},
                    "encoding": {"x": x},
                }
            )
            if value["t"]:
                out.append(
                    {
                        "data": {"values": [value]},
                        "mark": {
                            "type": "text",
                            "color": colour,
                            "fontSize": 8,
                            "baseline": "bottom",
                            "align": rule.get("align", "center"),
                            "dy": -2,
                        },
                        "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "t"}},
                    }
                )
        return out

    def gantt(self, actions: Sequence[Mapping[str, Any]], as_of: dt.date, today_label: str, width: int = 640) -> Chart:
        """Actions from start to due, coloured by status (legend), with the as-of date as a
        rule; one tick per month (every few months on long spans), in the locale."""
        p = self.palette
        data = [
            {
                "label": a["label"],
                "start": axes.utc_ms(a["start"]),
                "end": axes.utc_ms(a["end"] + dt.timedelta(days=1)),
                "status": a["status"],
                "color": p.status(a["status_key"]),
            }
            for a in actions
        ]
        first = min([a["start"] for a in actions] + [as_of])
        last = max([a["end"] for a in actions] + [as_of])
        months = axes.month_starts(first, last)
        stamps, labels = axes.month_ticks(self.loc, months[0], months[-1] - dt.timedelta(days=1), max_ticks=14)
        scale = {"type": "utc", "domain": [axes.utc_ms(months[0]), axes.utc_ms(months[-1])], "nice": False}
        x_axis = {"title": None, **axes.axis(stamps, labels, labelAngle=0, grid=True, labelPadding=3)}
        statuses = list(dict.fromkeys((a["status"], p.status(a["status_key"])) for a in actions))
        spec = self.config(width, max(80, 22 * len(data))) | {
            "layer": [
                {
                    "data": {"values": data},
                    "mark": {"type": "bar", "cornerRadius": 2, "height": 12},
                    "encoding": {
                        "y": {
                            "field": "label",
                            "type": "nominal",
                            "title": None,
                            "sort": None,
                            "axis": {"labelLimit": 220},
                        },
                        "x": {"field": "start", "type": "temporal", "scale": scale, "axis": x_axis},
                        "x2": {"field": "end"},
                        "color": {
                            "field": "status",
                            "type": "nominal",
                            "title": None,
                            "scale": {"domain": [s for s, _c in statuses], "range": [c for _s, c in statuses]},
                        },
                    },
                },
                *self._rules_x(
                    [{"value": axes.utc_ms(as_of), "label": today_label, "color": p.bad}], scale, x_axis, "temporal"
                ),
            ],
        }
        return self.render("gantt", spec)

    def pareto(
        self, points: Sequence[Any], labels: Mapping[str, str], cuts: Sequence[float], width: int = 640
    ) -> Chart:
        """Revenue per customer by rank (bars coloured by ABC class, with a legend) and the
        cumulative share (line) against the A and B cuts (labelled reference lines)."""
        p = self.palette
        data = [
            {"rank": pt.rank, "revenue": _f(pt.revenue), "cum": _f(pt.cumulative_share), "abc": pt.abc} for pt in points
        ]
        revenues = [d["revenue"] for d in data if d["revenue"] is not None]
        ticks, y_axis = self.money_axis(min(revenues, default=0), max(revenues, default=1), labels["revenue"])
        pct = axes.nice_ticks(0, 1, 5)
        ranks = [d["rank"] for d in data]
        shown = [r if r == 1 or r % 5 == 0 or r == ranks[-1] else "" for r in ranks]
        x = {
            "field": "rank",
            "type": "ordinal",
            "title": labels["rank"],
            "axis": {"labelAngle": 0, "labelExpr": axes.lookup(ranks, [str(s) for s in shown])},
        }
        cum_scale = {"domain": [0, 1], "nice": False}
        classes = [k for k in ("A", "B", "C") if any(d["abc"] == k for d in data)]
        cut_rows = [{"cum": c, "t": self.loc.pct(Decimal(str(c)), 0)} for c in cuts]
        spec = self.config(width, 200) | {
            "data": {"values": data},
            "layer": [
                {
                    "mark": {"type": "bar"},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "revenue",
                            "type": "quantitative",
                            "scale": {"domain": [ticks.lo, ticks.hi], "nice": False},
                            "axis": y_axis,
                        },
                        "color": {
                            "field": "abc",
                            "type": "nominal",
                            "title": labels["abc"],
                            "scale": {"domain": classes, "range": [p.klass(k) for k in classes]},
                        },
                    },
                },
                {
                    "layer": [
                        {
                            "mark": {"type": "line", "color": p.ink, "point": {"size": 12, "color": p.ink}},
                            "encoding": {"x": x},
                        },
                        {
                            "data": {"values": cut_rows},
                            "mark": {"type": "rule", "color": p.muted, "strokeDash": [4, 3]},
                        },
                        {
                            "data": {"values": cut_rows},
                            "mark": {
                                "type": "text",
                                "align": "right",
                                "baseline": "bottom",
                                "dy": -2,
                                "fontSize": 8,
                                "color": p.muted,
                            },
                            "encoding": {"x": {"value": width - 4}, "text": {"field": "t"}},
                        },
                    ],
                    "encoding": {
                        "y": {
                            "field": "cum",
                            "type": "quantitative",
                            "scale": cum_scale,
                            "axis": {
                                "title": labels["cumulative"],
                                "orient": "right",
                                **axes.axis(pct.values, axes.pct_labels(self.loc, pct)),
                            },
                        }
                    },
                },
            ],
            "resolve": {"scale": {"y": "independent"}},
        }
        return self.render("pareto", spec)


def _f(value: Decimal | int | float | None) -> float | None:
    return None if value is None else float(value)
