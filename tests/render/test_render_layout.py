"""Laid-out pages: no text or chart sticks out of its box (a cell, a paragraph, the page).

WeasyPrint lets a word that cannot wrap (a `nowrap` amount, a long invoice number) run out
of a table cell that is too narrow, over its neighbour, without a warning. These tests
walk the box tree of every booklet of the sample portfolio, as WeasyPrint laid it out,
and measure every line's text and pictures against the content box that holds them.
"""

from __future__ import annotations

SLACK = 0.5  # CSS px (1/192 inch): rounding in WeasyPrint's own arithmetic


def _leaves(box):
    """The text and replaced boxes (pictures, inline SVG) a line box holds, at any depth."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
        yield box
    elif isinstance(box, boxes.InlineBlockBox):
        yield box  # measured as a whole; its inside is walked as a block of its own
    elif isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _leaves(child)


def _describe(box) -> str:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return repr(box.text)
    return f"<{box.element_tag}>"


def overflows(document) -> list[str]:
    """One line per leaf that ends right of (or starts left of) the content box of the
    block that lays out its line, and per block (a table, a figure) wider than the block
    that holds it."""
    from weasyprint.formatting_structure import boxes

    found: list[str] = []

    def outside(start: float, end: float, box) -> bool:
        left = box.content_box_x()
        return end > left + box.width + SLACK or start < left - SLACK

    def walk(box, page: int) -> None:
        if isinstance(box, boxes.BlockContainerBox):
            for child in box.children:
                if isinstance(child, boxes.LineBox):
                    for leaf in _leaves(child):
                        end = leaf.position_x + leaf.margin_width()
                        if outside(leaf.position_x, end, box):
                            found.append(
                                f"page {page}: {_describe(leaf)} in <{box.element_tag}> ends"
                                f" {end - box.content_box_x() - box.width:+.1f}px past a {box.width:.1f}px box"
                            )
                elif (
                    isinstance(child, boxes.BlockLevelBox)
                    and child.is_in_normal_flow()
                    and outside(child.position_x, child.position_x + child.margin_width(), box)
                ):
                    found.append(f"page {page}: <{child.element_tag}> is wider than its <{box.element_tag}>")
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child, page)

    for number, page in enumerate(document.pages, start=1):
        walk(page._page_box, number)
    return found


def test_every_booklet_keeps_its_text_inside_its_boxes(
    sample_portfolio, sample_facts, sample_findings, stage_and_fonts
):
    from workbench.render.booklet import account_booklet_page
    from workbench.render.document import layout
    from workbench.render.portfolio import portfolio_booklet_page

    stage, fonts = stage_and_fonts
    pages = {
        lp.plan.account_id: account_booklet_page(
            sample_facts, lp.plan.account_id, sample_portfolio, sample_findings, stage
        )
        for lp in sample_portfolio.plans
    }
    pages["portfolio"] = portfolio_booklet_page(sample_facts, sample_portfolio, sample_findings, stage)
    problems = {}
    for name, page in pages.items():
        document, fetcher = layout(page, stage, fonts)
        assert not fetcher.refused
        found = overflows(document)
        if found:
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {line}" for name, lines in problems.items() for line in lines)


def test_the_check_sees_an_amount_that_runs_out_of_a_narrow_cell(stage_and_fonts):
    """The walk itself: an amount kept from wrapping in a 20 mm key/value cell is caught,
    the same amount in an 80 mm one is not, and so is a block wider than its container."""
    from workbench.render.document import layout

    stage, fonts = stage_and_fonts
    cell = '<td><span class="nw">¥1,234,567,890.00</span></td>'
    narrow = f'<table class="kv" style="width: 20mm; table-layout: fixed"><tr>{cell}</tr></table>'
    wide = f'<table class="kv" style="width: 80mm; table-layout: fixed"><tr>{cell}</tr></table>'
    assert overflows(layout(f"<html><body>{narrow}</body></html>", stage, fonts)[0])
    assert not overflows(layout(f"<html><body>{wide}</body></html>", stage, fonts)[0])
    figure = '<div style="width: 50mm"><figure style="width: 80mm; margin: 0"></figure></div>'
    assert overflows(layout(f"<html><body>{figure}</body></html>", stage, fonts)[0]) == [
        "page 1: <figure> is wider than its <div>"
    ]


def test_values_too_wide_for_a_data_column_wrap_inside_it(stage_and_fonts):
    """A data table's columns are fixed: amounts far larger than the sample's, an id of the
    longest form a plan allows and a four-digit trend wrap in their cells instead of
    running over the next column."""
    from workbench.render.document import environment, layout

    stage, fonts = stage_and_fonts
    ident = environment(stage).get_template("macros.html.j2").module.ident  # what the templates write after a title
    head = '<th>Goal</th><th class="n money">Target</th><th class="n pct">Growth</th><th class="progress">Progress</th>'
    head += "".join('<th class="n money0">Outstanding</th>' for _ in range(3))
    row = (
        f'<td>Revenue{ident("A-" + "x" * 38)}</td><td class="n">¥123,456,789,012.00</td>'
        '<td class="n"><span class="up">▲&#160;1,234.5%</span></td><td>x</td>'
        + '<td class="n">¥123,456,789,012</td>'
        * 3
    )
    table = f"<table><thead><tr>{head}</tr></thead><tr>{row}</tr></table>"
    document = layout(f"<html><body>{table}</body></html>", stage, fonts)[0]
    assert not overflows(document)


def test_every_column_kind_the_templates_use_has_a_width(repo_root):
    """A header cell's class is its column's width in a fixed-layout table: a class the
    stylesheet does not define would leave its column sharing the rest, unnoticed."""
    import re

    css = (repo_root / "templates" / "booklet" / "booklet.css").read_text(encoding="utf-8")
    defined = set(re.findall(r"th\.([a-z0-9-]+)(?:\.[a-z0-9-]+)*\s*\{[^}]*\bwidth:", css))
    used: set[str] = set()
    for template in (repo_root / "templates" / "booklet").glob("*.j2"):
        for classes in re.findall(r'<th class="([^"{]*)"', template.read_text(encoding="utf-8")):
            used.update(c for c in classes.split() if c not in ("n", "row", "short"))
    assert used and used <= defined, sorted(used - defined)


def _cut_words(document) -> list[str]:
    """Header cells whose text was broken inside a word (a Latin letter or digit on both
    sides of a line break): the column is narrower than the header's longest word."""
    from weasyprint.formatting_structure import boxes

    def text(box) -> str:
        return "".join(leaf.text for leaf in _leaves(box) if isinstance(leaf, boxes.TextBox))

    def latin(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    found: list[str] = []

    def walk(box) -> None:
        if isinstance(box, boxes.TableCellBox) and box.element_tag == "th":
            source = " ".join("".join(box.element.itertext()).split())
            at = 0
            for line in [text(line).strip() for line in box.children if isinstance(line, boxes.LineBox)]:
                start = source.index(line, at)
                if start > 0 and latin(source[start - 1]) and latin(source[start]):
                    found.append(f"{source[:start]}|{source[start:]}")
                at = start + len(line)
        elif isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def test_no_column_header_is_cut_inside_a_word(repo_root, stage_and_fonts):
    """Every header the templates write, in both languages, in a column of its kind: its
    longest word fits the column's width (a header may wrap between words, never inside)."""
    import html
    import re

    from workbench.messages import Messages
    from workbench.render.document import layout

    stage, fonts = stage_and_fonts
    templates = "".join(
        p.read_text(encoding="utf-8") for p in sorted((repo_root / "templates" / "booklet").glob("*.j2"))
    )
    headers = sorted(set(re.findall(r"<th class=\"([^\"{]+)\">\{\{ t\('([a-z_.]+)'\) \}\}", templates)))
    assert len(headers) > 40
    for lang, tag in (("en", "en"), ("zh", "zh-CN")):
        t = Messages(lang)
        tables = "".join(
            f'<table><thead><tr><th>·</th><th class="{classes}">{html.escape(t(key))}</th></tr></thead></table>'
            for classes, key in headers
        )
        document, _ = layout(f'<html lang="{tag}"><body>{tables}</body></html>', stage, fonts)
        assert not _cut_words(document), lang
