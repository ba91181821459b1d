"""Charts speak the booklet's locale, carry the booklet's palette, are checked element by
element, and come out the same whatever was rendered before them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workbench.errors import Location, WorkbenchError
from workbench.render import axes
from workbench.render.locale import Locale

ZH, EN = Locale("zh"), Locale("en")


def test_nice_ticks_end_on_a_tick_above_the_data():
    ticks = axes.nice_ticks(0, 2_380_000, 5)
    assert ticks.values == (0.0, 500_000.0, 1_000_000.0, 1_500_000.0, 2_000_000.0, 2_500_000.0)
    assert ticks.hi >= 2_380_000
    deviation = axes.nice_ticks(-0.05, 0.10, 5)
    assert 0.0 in deviation.values and deviation.lo == -0.05 and deviation.hi == 0.10


def test_money_axis_labels_use_wan_and_yi_in_chinese_and_k_m_in_english():
    ticks = axes.nice_ticks(0, 2_500_000, 5)
    assert axes.money_labels(ZH, ticks) == ["0", "50万", "100万", "150万", "200万", "250万"]
    assert axes.money_labels(EN, ticks) == ["0", "0.5M", "1M", "1.5M", "2M", "2.5M"]
    big = axes.nice_ticks(0, 300_000_000, 3)
    assert axes.money_labels(ZH, big)[-1] == "3亿"
    small = axes.nice_ticks(0, 600_000, 3)
    assert axes.money_labels(EN, small) == ["0", "200K", "400K", "600K"]
    assert axes.money_compact(ZH, 10_000_000) == "1,000万" and axes.money_compact(EN, 100_000) == "100K"


def test_percent_labels_include_zero_and_have_no_space():
    ticks = axes.nice_ticks(-0.05, 0.10, 3)
    assert axes.pct_labels(EN, ticks, signed=True) == ["-5%", "0%", "+5%", "+10%"]


def test_month_ticks_one_per_month_localised_with_the_year_on_january():
    stamps, labels = axes.month_ticks(ZH, dt.date(2026, 9, 1), dt.date(2026, 12, 31))
    assert labels == [["9月", "2026年"], "10月", "11月", "12月"]
    assert len(set(stamps)) == len(stamps) == 4
    _stamps, labels = axes.month_ticks(EN, dt.date(2025, 11, 1), dt.date(2026, 2, 28))
    assert labels == [["Nov", "2025"], "Dec", ["Jan", "2026"], "Feb"]
    _stamps, long_span = axes.month_ticks(EN, dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert len(long_span) <= 12


def _texts(chart: object) -> list[str]:
    from workbench.render.svg import chart_digest

    return chart_digest(chart.svg).split(" | ")


def _month(month: str, revenue: int) -> object:
    from workbench.analyze.facts import MonthPoint

    value = Decimal(revenue)
    return MonthPoint(
        month=month,
        revenue=value,
        margin=value / 3,
        margin_rate=Decimal("0.33"),
        revenue_last_year=None,
        yoy=None,
    )


@pytest.fixture(scope="module")
def months():
    return [_month(f"2025-{m:02d}", 1_000_000 + m * 100_000) for m in range(11, 13)] + [
        _month(f"2026-{m:02d}", 2_000_000 + m * 30_000) for m in range(1, 4)
    ]


def test_monthly_chart_axes_in_chinese(months):
    from workbench.render.charts import Charts

    texts = _texts(Charts(ZH).monthly(months, {"revenue": "销售额", "margin": "毛利"}))
    assert "11月 2025年" in texts and "1月 2026年" in texts and "2月" in texts
    assert "250万" in texts and "0" in texts
    assert not any("2025-" in x or x.endswith("M") for x in texts), texts


def test_monthly_chart_axes_in_english(months):
    from workbench.render.charts import Charts

    texts = _texts(Charts(EN).monthly(months, {"revenue": "Revenue", "margin": "Margin"}))
    assert "Nov 2025" in texts and "Jan 2026" in texts and "Feb" in texts
    assert "2.5M" in texts and "0M" not in texts


def test_gantt_has_one_label_per_month_on_a_short_span():
    from workbench.render.charts import Charts

    rows = [
        {
            "label": "A1",
            "start": dt.date(2026, 9, 3),
            "end": dt.date(2026, 9, 20),
            "status": "计划中",
            "status_key": "planned",
        },
        {
            "label": "A2",
            "start": dt.date(2026, 9, 10),
            "end": dt.date(2026, 10, 5),
            "status": "计划中",
            "status_key": "planned",
        },
    ]
    texts = _texts(Charts(ZH).gantt(rows, dt.date(2026, 9, 30), "截至日"))
    months = [x for x in texts if x.endswith("月") or "月 " in x]
    assert months == ["9月 2026年", "10月"], texts
    assert "截至日" in texts


def test_charts_use_the_palette_they_are_given(months):
    from workbench.render.charts import Charts
    from workbench.render.palette import parse_colours

    palette = parse_colours(":root { --primary: #aa0011; --primary-light: #ffcc00; }")
    svg = Charts(ZH, palette).monthly(months, {"revenue": "销售额", "margin": "毛利"}).svg
    assert "#aa0011" in svg and "#ffcc00" in svg and "#1f5f8b" not in svg


def test_chart_ids_do_not_depend_on_what_was_rendered_before():
    from workbench.render.charts import Charts

    def clipped(charts: Charts) -> str:  # clipped marks: vl-convert numbers their clip paths per process
        spec = charts.config(200, 100) | {
            "data": {"values": [{"x": 1, "y": 2}, {"x": 3, "y": 9}]},
            "mark": {"type": "line", "clip": True},
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "y", "type": "quantitative", "scale": {"domain": [0, 5]}},
            },
        }
        return charts.render("clipped", spec).svg

    first = clipped(Charts(ZH))
    for _ in range(3):
        clipped(Charts(EN))
    again = clipped(Charts(ZH))
    assert first == again
    assert 'id="chart-clipped-1"' in first and 'clip-path="url(#chart-clipped-1)"' in first
    assert 'id="clip' not in first and "url(#clip" not in first


def test_bar_charts_draw_no_clip_group_per_bar(months):
    """One bar per month is not stacked: its rounded top is one path, not a clip path and
    three groups per bar (what Vega-Lite draws for rounded stacked bars)."""
    from workbench.render.charts import Charts

    svg = Charts(EN).monthly(months, {"revenue": "Revenue", "margin": "Margin"}).svg
    assert "clipPath" not in svg and "clip-path" not in svg
    bars = Charts(EN).bars("b", [{"label": f"L{i}", "value": i + 1} for i in range(6)], "Revenue")
    assert "clipPath" not in bars.svg


def test_plan_text_that_looks_like_a_script_is_just_a_label():
    from workbench.render.charts import Charts

    rows = [{"label": "javascript: 新塘 url(http://x) @import", "value": 5}, {"label": "<script>", "value": 3}]
    svg = Charts(ZH).bars("stars", rows, "数量", kind="number").svg
    assert "javascript: 新塘" in svg and "&lt;script&gt;" in svg and "<script" not in svg


def test_a_chart_that_links_out_is_a_located_error():
    from workbench.render.charts import ChartError, Charts

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"a": 1}]},
        "mark": {"type": "point", "href": "http://x"},
        "encoding": {"x": {"field": "a", "type": "quantitative"}, "href": {"value": "http://x"}},
    }
    where = Location(file="plans/x.yaml")
    with pytest.raises(ChartError) as exc:
        _ = Charts(EN, where=where).render("points", spec).svg
    assert isinstance(exc.value, WorkbenchError)
    d = exc.value.diagnostics[0]
    assert d.code == "unsafe-chart" and d.location == where and "points" in d.message


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://x/y.svg#a)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="file:///etc/passwd"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect style="background: url(file:///etc/passwd)"/></svg>',
        '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    ],
)
def test_svg_walk_refuses_anything_but_drawing(svg):
    from workbench.render.svg import UnsafeSvg, clean_svg

    with pytest.raises(UnsafeSvg):
        clean_svg(svg, "c")


def test_svg_walk_keeps_local_references_and_renames_them():
    from workbench.render.svg import clean_svg

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="clip7"><rect/></clipPath></defs>'
        '<g clip-path="url(#clip7)"><text aria-label="javascript: x">a &amp; b</text></g></svg>'
    )
    out = clean_svg(svg, "chart-x")
    assert 'id="chart-x-1"' in out and 'clip-path="url(#chart-x-1)"' in out and "clip7" not in out
    assert "a &amp; b" in out and "ns0" not in out


def test_progress_bars_are_exact_and_show_more_than_the_target():
    import re

    from workbench.render.progress import progress_bar

    half = str(progress_bar(Decimal("0.4321"), Decimal("0.9")))
    assert 'width="43.21"' in half
    over = str(progress_bar(Decimal("1.10"), Decimal("1.37")))
    widths = [float(w) for w in re.findall(r'width="([\d.]+)"', over)]
    xs = [float(x) for x in re.findall(r'x="([\d.]+)"', over)]
    assert round(100 / 1.37 - 0.4, 2) in xs  # the target (100 %) is a tick at 73 % of the bar
    assert round(110 / 1.37, 2) in widths  # the fill: 110 % of the target on a 137 % bar
    assert 99.0 in xs  # the projection mark at the end of the bar
    assert "style" not in over and "NaN" not in str(progress_bar(Decimal("NaN"), None))


def _page(svgs: list[str]) -> object:
    """A page showing each SVG as the booklets show their charts."""
    from concurrent.futures import Future

    from workbench.render.charts import Chart
    from workbench.render.document import Page

    charts = {}
    for i, svg in enumerate(svgs):
        drawing: Future[str] = Future()
        drawing.set_result(svg)
        charts[f"c{i}"] = Chart(f"c{i}", drawing)
    body = "".join(f"<figure>{c.__html__()}</figure>" for c in charts.values())
    return Page(f"<html><body>{body}</body></html>", charts)


def test_slimming_a_chart_leaves_its_drawing_unchanged(months, stage_and_fonts, tmp_path, monkeypatch):
    """What clean_svg leaves out or merges (tick and grid lines drawn as one path, shapes
    that paint nothing, clip groups) changes no pixel: the chart as vl-convert drew it and
    the chart as the booklet embeds it are rendered by WeasyPrint and rasterised by
    poppler, and the images are compared."""
    import subprocess

    from PIL import Image, ImageChops

    from workbench.render import drawer
    from workbench.render.charts import Charts
    from workbench.render.document import layout

    raw: list[str] = []
    draw = drawer.draw

    def keep_raw(name: str, spec: dict, symbol: str) -> object:
        raw.append(drawer.vega_svg(spec, symbol))  # drawn here as vl-convert draws it
        return draw(name, spec, symbol)

    monkeypatch.setattr(drawer, "draw", keep_raw)
    charts = Charts(EN)
    slim = [
        charts.monthly(months, {"revenue": "Revenue", "margin": "Margin"}).svg,
        charts.bars(
            "b",
            [{"label": f"L{i}", "value": i - 2} for i in range(6)],
            "Revenue",
            rules=[{"value": 1, "label": "goal"}],
        ).svg,
    ]
    assert len(raw) == len(slim)
    assert sum(s.count("<line") for s in slim) < sum(r.count("<line") for r in raw) / 4  # ticks merged

    stage, fonts = stage_and_fonts

    def png(svgs: list[str], name: str) -> Image.Image:
        document, _ = layout(_page(svgs), stage, fonts)
        (tmp_path / f"{name}.pdf").write_bytes(document.write_pdf())
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", f"{name}.pdf", name], cwd=tmp_path, check=True)
        return Image.open(tmp_path / f"{name}.png").convert("RGB")

    before, after = png(raw, "raw"), png(slim, "slim")
    assert before.size == after.size
    assert ImageChops.difference(before, after).getbbox() is None


def test_a_page_shows_its_charts_as_images_served_from_memory(months, stage_and_fonts):
    """A chart is drawn in the background and placed as ``<img src="kam-chart:NAME">``;
    the page's fetcher serves it and nothing else of that scheme; its text stays text."""
    import io

    from pypdf import PdfReader

    from workbench.render.charts import Charts
    from workbench.render.document import Page, layout

    stage, fonts = stage_and_fonts
    charts = Charts(EN)
    chart = charts.monthly(months, {"revenue": "Revenue", "margin": "Margin"})
    assert chart.__html__() == '<img class="chart" src="kam-chart:monthly" alt="">'
    page = Page(f"<html><body><figure>{chart.__html__()}</figure></body></html>", charts.drawn)
    document, fetcher = layout(page, stage, fonts)
    assert not fetcher.refused
    text = PdfReader(io.BytesIO(document.write_pdf())).pages[0].extract_text()
    assert "Nov" in text and "2.5M" in text and "Margin" in text

    stray = Page('<html><body><img src="kam-chart:gantt"></body></html>', charts.drawn)
    assert layout(stray, stage, fonts)[1].refused == ["kam-chart:gantt"]
    with pytest.raises(ValueError, match="unique"):
        charts.render("monthly", charts.config(10, 10))


def test_every_refused_chart_of_a_page_is_reported_and_no_pdf_is_made(stage_and_fonts):
    from workbench.render.charts import ChartError, Charts
    from workbench.render.document import Page, write_pdf

    stage, fonts = stage_and_fonts
    charts = Charts(EN, where=Location(file="plans/x.yaml"))
    link = {"data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    for name in ("one", "two"):
        charts.render(name, charts.config(100, 50) | link | {"mark": {"type": "point", "href": "http://x"}})
    charts.render("fine", charts.config(100, 50) | link | {"mark": "point"})
    body = "".join(f"<figure>{c.__html__()}</figure>" for c in charts.drawn.values())
    with pytest.raises(ChartError) as exc:
        write_pdf(
            Page(f"<html><body>{body}</body></html>", charts.drawn),
            stage,
            fonts,
            title="t",
            author="a",
            language="en",
            as_of=dt.date(2026, 9, 30),
        )
    found = exc.value.diagnostics
    assert [d.code for d in found] == ["unsafe-chart", "unsafe-chart"]
    assert [d.message.split(": ")[0] for d in found] == ["the one chart was refused", "the two chart was refused"]
    assert all(d.location == Location(file="plans/x.yaml") for d in found)


def test_a_chart_worker_that_dies_is_reported_and_the_next_chart_starts_a_new_one(months):
    """Charts are drawn in a worker process; one that dies with charts waiting fails each of
    them with a located error (no page waits forever), and the next chart starts a new one."""
    import os
    import signal

    from workbench.render import drawer
    from workbench.render.charts import Charts

    drawer.start()
    worker = drawer._worker
    assert worker is not None
    os.kill(worker.proc.pid, signal.SIGSTOP)  # the chart below stays waiting
    where = Location(file="plans/x.yaml")
    waiting = Charts(EN, where=where).monthly(months, {"revenue": "Revenue", "margin": "Margin"})
    worker.proc.kill()
    worker.proc.wait()
    [problem] = waiting.problems()
    assert problem.code == "chart-not-drawn" and problem.location == where and "monthly" in problem.message
    again = Charts(EN).monthly(months, {"revenue": "Revenue", "margin": "Margin"})
    assert again.problems() == [] and "Revenue" in again.svg
    assert drawer._worker is not worker
