"""Reading real-looking exports: formats, header rows, aliases, typing, both date systems."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from ledger_books import SALES_HEADERS, sales_row, settings, write_xlsx

from workbench.errors import WorkbenchError
from workbench.ledger.ingest import read_workbooks


def _errors(paths, s=None) -> list[tuple[str, str]]:
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks(paths, s or settings(), base=None)
    return [(d.code, d.location.short()) for d in exc.value.diagnostics]


def test_chinese_headers_below_a_title_are_found_and_typed(tmp_path):
    book = write_xlsx(
        tmp_path / "t.xlsx",
        {
            "销售": [
                ["销售明细（ERP 导出）"],
                [],
                SALES_HEADERS,
                sales_row(),
                sales_row(单号="INV2", 客户编号="00007", 数量=-3, 金额=-127.5),
            ]
        },
    )
    ledger = read_workbooks([book], settings())
    sales = ledger.sales
    assert sales.height == 2
    first = sales.row(0, named=True)
    assert first["date"] == dt.date(2026, 3, 2)
    assert first["customer"] == "00231"
    assert first["unit_price"] == Decimal("42.5000")
    assert first["amount"] == Decimal("1020.00")
    assert first["src_row"] == 4 and first["src_sheet"] == "销售"
    assert sales.row(1, named=True)["customer"] == "00007"
    assert {r.rule: r.rows for r in ledger.rules}["returns"] == 1


def test_english_headers_csv_utf8_and_gb18030(tmp_path):
    text = (
        "Order Date,Invoice,Customer ID,Salesperson,SKU,Product Line,Quantity,Unit Price,Unit Cost,Amount,Region\n"
        '2026/03/02,A1,00231,王伟,QH-VF350,保温杯壶,24,"1,042.50",27.80,"25,020.00",华东\n'
    )
    for enc in ("utf-8", "gb18030"):
        path = tmp_path / f"s-{enc}.csv"
        path.write_bytes(text.encode(enc))
        row = read_workbooks([path], settings()).sales.row(0, named=True)
        assert (row["date"], row["salesperson"], row["unit_price"], row["amount"]) == (
            dt.date(2026, 3, 2),
            "王伟",
            Decimal("1042.5000"),
            Decimal("25020.00"),
        )


@pytest.mark.parametrize("epoch1904", [False, True])
def test_excel_serials_in_both_date_systems(tmp_path, epoch1904):
    serial_1900 = (dt.date(2026, 3, 2) - dt.date(1899, 12, 30)).days
    serial = serial_1900 - 1462 if epoch1904 else serial_1900
    rows = [SALES_HEADERS, sales_row(日期=serial), sales_row(日期=dt.date(2026, 3, 2), 单号="INV2")]
    book = write_xlsx(tmp_path / "t.xlsx", {"sales": rows}, epoch1904=epoch1904)
    dates = read_workbooks([book], settings()).sales.get_column("date").to_list()
    assert dates == [dt.date(2026, 3, 2), dt.date(2026, 3, 2)]


def test_datetime_with_hidden_time_and_text_dates_in_declared_formats(tmp_path):
    rows = [
        SALES_HEADERS,
        sales_row(日期=dt.datetime(2026, 3, 2, 15, 45)),
        sales_row(日期="2026年3月4日", 单号="INV2"),
        sales_row(日期="2026.03.05", 单号="INV3"),
    ]
    book = write_xlsx(tmp_path / "t.xlsx", {"sales": rows})
    assert read_workbooks([book], settings()).sales.get_column("date").to_list() == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 4),
        dt.date(2026, 3, 5),
    ]


def test_bad_cells_are_named_with_file_sheet_row_and_header(tmp_path):
    rows = [
        SALES_HEADERS,
        sales_row(),
        sales_row(日期="2026-02-30", 单号="INV2"),
        sales_row(数量="twelve", 单号="INV3"),
        sales_row(商品编码=None, 单号="INV4"),
    ]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": rows})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings())
    found = [(d.code, d.location.short(), d.message) for d in exc.value.diagnostics]
    assert (
        "bad-date",
        "t.xlsx › 销售 › row 3 › 日期",
        "`2026-02-30` is not a date (a date cell, YYYY-MM-DD or one of `ledger.date_formats`)",
    ) in found
    assert ("bad-number", "t.xlsx › 销售 › row 4 › 数量", "`twelve` is not a number") in found
    assert ("missing-value", "t.xlsx › 销售 › row 5 › 商品编码", "`sku` is empty") in found


def test_more_than_fifty_bad_cells_are_counted(tmp_path):
    rows = [SALES_HEADERS] + [sales_row(数量="x", 单号=f"I{i}") for i in range(70)]
    book = write_xlsx(tmp_path / "t.xlsx", {"sales": rows})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings())
    diags = exc.value.diagnostics
    assert len(diags) == 51
    assert diags[-1].message == "… and 20 more bad cells not shown (20 bad-number)"


def test_missing_required_column_lists_headers_and_closest_matches(tmp_path):
    headers = [h if h != "单价" else "单 价格" for h in SALES_HEADERS]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [headers, sales_row()]})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings())
    [d] = exc.value.diagnostics
    assert d.code == "missing-column" and d.location.short() == "t.xlsx › 销售 › row 1"
    assert d.message == "the sales sheet has no `unit_price` column"
    assert "closest headers: 单 价格" in d.hint and "headers found: 日期, 单号" in d.hint


def test_column_map_names_unusual_headers(tmp_path):
    headers = [h if h != "单价" else "出厂价" for h in SALES_HEADERS]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [headers, sales_row()]})
    ledger = read_workbooks([book], settings(column_map={"sales": {"unit_price": "出厂价"}}))
    assert ledger.sales.row(0, named=True)["unit_price"] == Decimal("42.5000")


def test_unit_cost_derived_from_profit(tmp_path):
    headers = [h if h != "成本" else "利润" for h in SALES_HEADERS]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [headers, sales_row(成本=352.8)]})
    assert read_workbooks([book], settings()).sales.row(0, named=True)["unit_cost"] == Decimal("27.8000")


def test_renamed_files_are_named_with_their_likely_cause(tmp_path):
    fake = tmp_path / "data.xlsx"
    fake.write_text("日期,客户编号\n2026-01-01,1\n", encoding="utf-8")
    assert _errors([fake]) == [("wrong-format", "data.xlsx")]
    book = write_xlsx(tmp_path / "real.xlsx", {"sales": [SALES_HEADERS, sales_row()]})
    renamed = tmp_path / "real.xls"
    shutil.copy(book, renamed)
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([renamed], settings())
    assert exc.value.diagnostics[0].hint == "rename it to real.xlsx"


def _portfolio(root, files):
    from workbench.portfolio import Portfolio

    return Portfolio(root, settings(files=files), root / "kam.yaml", ())


def test_lock_files_are_skipped_by_the_portfolio_loader(tmp_path):
    from workbench.ledger.ingest import ledger_paths, load_ledger

    write_xlsx(tmp_path / "销售台账.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    (tmp_path / "~$销售台账.xlsx").write_bytes(b"\x00" * 165)  # what Excel leaves while the book is open
    (tmp_path / ".~lock.销售台账.xlsx#").write_text("user,host", encoding="utf-8")
    portfolio = _portfolio(tmp_path, ["*.xlsx", "销售台账.xlsx"])
    paths, problems = ledger_paths(portfolio)
    assert [p.name for p in paths] == ["销售台账.xlsx"] and problems == []  # matched twice, read once
    assert load_ledger(portfolio, use_cache=False).sales.height == 1


def test_a_listed_lock_file_is_named_as_such(tmp_path):
    from workbench.ledger.ingest import ledger_paths

    root = tmp_path / "pf"
    root.mkdir()
    (root / "~$x.xlsx").write_bytes(b"\x00" * 165)
    (tmp_path / "outside.xlsx").write_bytes(b"")
    _, problems = ledger_paths(_portfolio(root, ["~$x.xlsx", "missing.xlsx", "../outside.xlsx"]))
    assert [(d.code, d.location.short()) for d in problems] == [
        ("lock-file", "pf/kam.yaml"),
        ("no-workbook", "pf/kam.yaml"),
        ("outside-portfolio", "pf/kam.yaml"),
    ]
    assert "lock file" in problems[0].message and problems[0].hint == "list the workbook itself (`x.xlsx`)"


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 2**20))
    assert _errors([bomb]) == [("zip-bomb", "bomb.xlsx")]


def test_a_stray_cell_far_from_the_data_is_an_error_not_a_crash(tmp_path):
    # calamine lays a sheet out densely from A1 to its last used cell: this 5 KB workbook
    # would need 64 GB and aborts the reading process (fastexcel issue #487)
    import openpyxl

    book = tmp_path / "stray.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "销售"
    ws.append(SALES_HEADERS)
    ws.append(sales_row())
    ws.cell(row=1_000_000, column=2000, value="x")
    wb.save(book)
    assert book.stat().st_size < 10_000
    assert _errors([book]) == [("sheet-too-large", "stray.xlsx › 销售")]
    # the reader recovers: the next workbook reads normally
    good = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()]})
    assert read_workbooks([good], settings(), base=None).sales.height == 1


@pytest.mark.libreoffice
def test_xls_and_ods_read_like_xlsx(tmp_path):
    import openpyxl

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is installed by ./dev setup")
    book = write_xlsx(
        tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row(), sales_row(单号="INV2", 客户编号="0042")]}
    )
    wb = openpyxl.Workbook()  # a formula error (LibreOffice calculates #DIV/0!) and a merged range
    ws = wb.active
    ws.title = "销售"
    for row in [SALES_HEADERS] + [sales_row(单号=f"INV{i}") for i in range(3)]:
        ws.append(row)
    ws["J3"] = "=1/0"
    ws.merge_cells("K2:K4")
    wb.save(tmp_path / "m.xlsx")
    for fmt in ("xls", "ods"):
        subprocess.run(
            [
                soffice,
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(tmp_path),
                str(book),
                str(tmp_path / "m.xlsx"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        sales = read_workbooks([tmp_path / f"t.{fmt}"], settings()).sales
        assert sales.get_column("customer").to_list() == ["00231", "0042"], fmt
        assert sales.get_column("amount").to_list() == [Decimal("1020.00"), Decimal("1020.00")], fmt
    assert _errors([tmp_path / "m.ods"]) == [
        ("merged-cells", "m.ods › 销售 › row 2 › 送货区域"),
        ("error-cell", "m.ods › 销售 › row 3 › 金额 (J3)"),
    ]
    # .xls: calamine reports error cells (the merged ranges of .xls are not read)
    assert ("error-cell", "m.xls › 销售 › row 3 › 金额 (J3)") in _errors([tmp_path / "m.xls"])
