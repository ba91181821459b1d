"""Files that cannot be read as they are: every file- and sheet-level error with its place,
and the safety limits (forged zip sizes, over-long cells, the reader's time limit)."""

from __future__ import annotations

import zipfile

import pytest
from ledger_books import SALES_HEADERS, forge_size, read_errors, rewrite_part, sales_row, settings, write_xlsx

from workbench.ledger.ingest import read_workbooks

SHEET = "xl/worksheets/sheet1.xml"


def _codes(paths, s=None):
    return [(code, place) for code, place, _ in read_errors(paths, s)]


def test_unsupported_and_too_large_files_are_refused_unread(tmp_path):
    (tmp_path / "sales.txt").write_text("日期,单号\n", encoding="utf-8")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (2**20 + 10))
    found = read_errors([tmp_path / "sales.txt", big], settings(max_file_mb=1))
    assert [(c, p) for c, p, _ in found] == [("file-too-large", "big.csv"), ("unsupported-file", "sales.txt")]
    assert found[0][2] == "the file is 1 MB; the limit is 1 MB"


def test_renamed_and_disguised_files_are_named_for_what_they_are(tmp_path):
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    page = tmp_path / "export.xls"
    page.write_text("<html><body><table><tr><td>日期</td></tr></table></body></html>", encoding="utf-8")
    book = write_xlsx(tmp_path / "real.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    as_ods = tmp_path / "real.ods"
    as_ods.write_bytes(book.read_bytes())
    found = {place: (code, message) for code, place, message in read_errors([xls, page, as_ods])}
    assert found["old.xlsx"] == ("wrong-format", "this is a legacy .xls workbook with an .xlsx name")
    assert found["export.xls"][0] == "wrong-format" and "web page (HTML) with an .xls name" in found["export.xls"][1]
    assert found["real.ods"] == ("wrong-format", "this is an .xlsx workbook with an .ods name")


def test_a_workbook_the_reader_refuses_and_a_damaged_sheet(tmp_path):
    fake = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("hello.txt", "not a workbook inside")
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    broken = rewrite_part(book, tmp_path / "broken.xlsx", SHEET, lambda d: d.replace(b'r="A2"', b'r="!!"'))
    assert _codes([fake, broken]) == [("unreadable-sheet", "broken.xlsx › 销售"), ("unreadable-workbook", "fake.xlsx")]
    # the worker survives a refusal: the next workbook reads
    assert read_workbooks([book], settings()).sales.height == 1


def test_csv_encoding_and_quoting_errors(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("日期,单号\n".encode("utf-16-le"))  # no byte-order mark: no encoding fits
    quote = tmp_path / "quote.csv"
    quote.write_text(",".join(SALES_HEADERS) + '\n"2026-03-02,INV1\n', encoding="utf-8")
    found = read_errors([latin, quote], settings(csv_encodings=["utf-8"]))
    assert [(c, p) for c, p, _ in found] == [("unknown-encoding", "latin.csv"), ("unreadable-csv", "quote.csv")]


def test_a_named_sheet_without_header_and_a_ledger_without_sales(tmp_path):
    nohead = write_xlsx(tmp_path / "nohead.xlsx", {"销售": [["a", "b"], [1, 2]]})
    assert _codes([nohead]) == [("no-header", "nohead.xlsx › 销售")]
    notes = write_xlsx(tmp_path / "notes.xlsx", {"Notes": [["Date", "Customer ID", "remark"], ["x", "y", "z"]]})
    [(code, place, message)] = read_errors([notes])
    assert (code, place, message) == ("no-sales", "notes.xlsx", "no sales sheet found in the ledger files")


def test_hidden_sheets_are_not_read_and_the_report_says_so(tmp_path):
    import openpyxl

    from workbench.ledger.report import format_ledger_report

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "销售"
    ws.append(SALES_HEADERS)
    ws.append(sales_row())
    old = wb.create_sheet("Sheet2")
    old.append(SALES_HEADERS)
    old.append(sales_row(单号="OLD1", 数量=1000, 金额=42500))
    old.sheet_state = "hidden"
    wb.save(tmp_path / "hidden.xlsx")
    ledger = read_workbooks([tmp_path / "hidden.xlsx"], settings())
    assert ledger.sales.get_column("invoice").to_list() == ["INV1"]
    assert ledger.notes == ("hidden.xlsx: hidden sheet `Sheet2` not read",)
    assert "hidden.xlsx: hidden sheet `Sheet2` not read" in format_ledger_report(ledger)


def test_an_xlsm_workbook_reads_like_xlsx(tmp_path):
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row(), sales_row(单号="INV2")]})
    macro = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    xlsm = rewrite_part(
        book,
        tmp_path / "t.xlsm",
        "[Content_Types].xml",
        lambda d: d.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", macro.encode()
        ),
    )
    assert read_workbooks([xlsm], settings()).sales.get_column("invoice").to_list() == ["INV1", "INV2"]


def test_a_wrong_dimension_tag_loses_no_rows(tmp_path):
    import re

    rows = [SALES_HEADERS] + [sales_row(单号=f"I{i}") for i in range(12)]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows})
    for name, tag in (
        ("small", b'<dimension ref="A1:B2"/>'),
        ("huge", b'<dimension ref="A1:XFD1048576"/>'),
        ("none", b""),
    ):
        wrong = rewrite_part(
            book, tmp_path / f"{name}.xlsx", SHEET, lambda d, t=tag: re.sub(rb"<dimension [^>]*/>", t, d)
        )
        assert read_workbooks([wrong], settings()).sales.height == 12, name


def test_a_zip_entry_larger_than_it_declares_is_refused(tmp_path):
    # 50 MB of spaces inside the sheet compress to about 50 KB; the entry declares 1,000 bytes
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    pad = b" " * (50 * 2**20)
    padded = rewrite_part(
        book, tmp_path / "forged.xlsx", SHEET, lambda d: d.replace(b"<sheetData>", b"<sheetData>" + pad)
    )
    forge_size(padded, SHEET, 1000)
    assert padded.stat().st_size < 200_000
    [(code, place, message)] = read_errors([padded])
    assert (code, place) == ("zip-bomb", "forged.xlsx")
    assert message == (
        "`xl/worksheets/sheet1.xml` holds more data than its zip header declares (1,000 bytes): a forged workbook"
    )


def test_an_entry_expanding_past_the_budget_is_refused_while_streaming():
    import io

    from workbench.ledger import zipscan

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<x/>" * (2 * 2**20))  # 8 MB, honestly declared
    data = buf.getvalue()
    infos = zipscan.entries(data, max_total=2**30)
    with pytest.raises(zipscan.ZipRefused) as exc:
        zipscan.scan(data, infos, max_total=2**20)
    assert exc.value.code == "zip-bomb" and "expands beyond 1 MB" in str(exc.value)


def test_a_cell_longer_than_excel_allows_is_an_error_and_never_reaches_the_parent(tmp_path):
    book = write_xlsx(
        tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row(送货区域="LONG"), sales_row(单号="INV2")]}
    )
    long = rewrite_part(
        book, tmp_path / "long.xlsx", SHEET, lambda d: d.replace(b">LONG<", b">" + b"A" * 40_000 + b"<")
    )
    [(code, place, message)] = read_errors([long])
    assert (code, place) == ("text-too-long", "long.xlsx › 销售 › row 2 › 送货区域 (K2)")
    assert message == "the cell holds 40,000 characters; Excel allows at most 32,767"


def test_the_reader_has_a_time_limit(tmp_path):
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    patient = settings()
    impatient = patient.model_copy(update={"ledger": patient.ledger.model_copy(update={"read_timeout_s": 0})})
    [(code, place, message)] = read_errors([book], impatient)
    assert (code, place, message) == (
        "read-timeout",
        "t.xlsx",
        "reading the workbook took longer than 0 s and was stopped",
    )
    assert read_workbooks([book], patient).sales.height == 1  # a fresh worker reads the next one


def test_a_script_without_a_main_guard_can_read_a_ledger(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    script = tmp_path / "report.py"
    script.write_text(
        "from pathlib import Path\n"
        "from workbench.ledger.ingest import read_workbooks\n"
        "from workbench.settings import Settings\n"
        "s = Settings.model_validate({'company': 'T', 'fiscal_year': 2026, 'as_of': '2026-09-30'})\n"
        f"print(read_workbooks([Path({str(book)!r})], s).sales.height)\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert (done.returncode, done.stdout.strip()) == (0, "1"), done.stderr


def test_a_workbook_replaced_while_it_is_read_is_refused_not_mixed(tmp_path):
    # the reader process opens the file itself: the bytes hashed and checked here must be
    # the ones it read, else the cache would file one version's sheets under another's hash
    from workbench.ledger.read import load_bytes, read_file

    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    other = write_xlsx(tmp_path / "other.xlsx", {"销售": [SALES_HEADERS, sales_row(), sales_row(**{"单号": "INV2"})]})
    source, problems = load_bytes(book, "t.xlsx", settings().ledger)
    assert source is not None and not problems
    other.replace(book)  # saved again (Excel writes a new file and renames it over the old)
    read = read_file(source, "t.xlsx", settings().ledger)
    assert source.data is None  # released once the zip checks were done
    assert [(p.code, p.location.file) for p in read.problems] == [("file-changed", "t.xlsx")]
    assert read.problems[0].hint == "wait until it is saved or copied completely, then run again"
    assert not read.sheets
