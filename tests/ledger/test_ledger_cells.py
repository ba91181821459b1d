"""Cells that read as empty or wrong unless looked at: formulas without a saved value, Excel
error cells, merged ranges, duplicate headers, ids that lost digits or leading zeros."""

from __future__ import annotations

from ledger_books import SALES_HEADERS, read_errors, sales_row, settings, write_xlsx

from workbench.ledger.ingest import read_workbooks


def _book(tmp_path, edit, rows=2, name="t.xlsx"):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "销售"
    ws.append(SALES_HEADERS)
    for i in range(rows):
        ws.append(sales_row(单号=f"INV{i + 1}", 商品编码=f"SKU{i}"))
    edit(ws)
    wb.save(tmp_path / name)
    return tmp_path / name


def test_formulas_without_a_saved_value_are_named_in_any_column_read(tmp_path):
    def edit(ws):
        ws["J2"] = "=G2*H2"  # amount (optional column)
        ws["M2"] = "=1+1"  # a column the ledger does not read
        ws["G3"] = "=10+14"  # quantity (required)

    found = read_errors([_book(tmp_path, edit)])
    assert found == [
        (
            "formula-without-value",
            "t.xlsx › 销售 › row 2 › 金额 (J2)",
            "the formula `=G2*H2` has no saved value (the file was written by a program that does not calculate"
            " formulas)",
        ),
        (
            "formula-without-value",
            "t.xlsx › 销售 › row 3 › 数量 (G3)",
            "the formula `=10+14` has no saved value (the file was written by a program that does not calculate"
            " formulas)",
        ),
    ]  # and no "quantity is empty" for G3: said once


def test_a_cancelled_status_from_a_formula_cannot_vanish(tmp_path):
    def edit(ws):
        ws["L1"] = "状态"
        ws["L3"] = '=IF(TRUE,"作废","")'

    assert [p for _, p, _ in read_errors([_book(tmp_path, edit)])] == ["t.xlsx › 销售 › row 3 › 状态 (L3)"]


def test_excel_error_cells_are_named_with_their_value(tmp_path):
    def edit(ws):
        for ref, value in (("C2", "#N/A"), ("K2", "#REF!"), ("J3", "#DIV/0!"), ("B3", "#VALUE!")):
            ws[ref].value = value
            ws[ref].data_type = "e"

    found = read_errors([_book(tmp_path, edit)])
    assert [(c, p, m) for c, p, m in found] == [
        ("error-cell", "t.xlsx › 销售 › row 2 › 客户编号 (C2)", "`#N/A` is an Excel error, not a value"),
        ("error-cell", "t.xlsx › 销售 › row 2 › 送货区域 (K2)", "`#REF!` is an Excel error, not a value"),
        ("error-cell", "t.xlsx › 销售 › row 3 › 单号 (B3)", "`#VALUE!` is an Excel error, not a value"),
        ("error-cell", "t.xlsx › 销售 › row 3 › 金额 (J3)", "`#DIV/0!` is an Excel error, not a value"),
    ]


def test_merged_cells_in_the_data_are_named_with_their_range(tmp_path):
    def edit(ws):
        ws.merge_cells("C2:C4")  # customer id
        ws.merge_cells("K2:K4")  # region (optional: would silently read empty)
        ws.merge_cells("M1:N1")  # beside the table, in the header row only: harmless

    found = read_errors([_book(tmp_path, edit, rows=3)])
    assert [(c, p) for c, p, _ in found] == [
        ("merged-cells", "t.xlsx › 销售 › row 2 › 客户编号"),
        ("merged-cells", "t.xlsx › 销售 › row 2 › 送货区域"),
    ]
    assert found[0][2] == "cells C2:C4 are merged: every row of the range but the first reads as empty"


def test_two_columns_with_the_same_header_are_an_error(tmp_path):
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [[*SALES_HEADERS, "金额"], sales_row(金额=None) + [1020]]})
    [(code, place, message)] = read_errors([book])
    assert (code, place) == ("duplicate-column", "t.xlsx › 销售 › row 1")
    assert message == "columns J and L are both headed `金额`: which one holds `amount` is a guess"


def test_a_mapped_header_wins_over_a_built_in_alias(tmp_path):
    # 单价 is the built-in alias of unit_price; the map says the price is in 出厂价
    headers = [*SALES_HEADERS, "出厂价"]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [headers, sales_row(单价=99, 金额=1020) + [42.5]]})
    ledger = read_workbooks([book], settings(column_map={"sales": {"unit_price": "出厂价"}}))
    assert str(ledger.sales.row(0, named=True)["unit_price"]) == "42.5000"
    # mapping another column's header takes it away from that column
    errors = read_errors([book], settings(column_map={"sales": {"unit_price": "数量"}}))
    assert ("missing-column", "t.xlsx › 销售 › row 1", "the sales sheet has no `quantity` column") in errors


def test_a_numeric_id_beyond_two_to_the_53_lost_digits(tmp_path):
    book = write_xlsx(
        tmp_path / "t.xlsx",
        {
            "销售": [
                SALES_HEADERS,
                sales_row(),
                sales_row(单号=12345678901234567890),
                sales_row(单号="12345678901234567890"),
            ]
        },
    )
    [(code, place, message)] = read_errors([book])
    assert (code, place) == ("bad-id", "t.xlsx › 销售 › row 3 › 单号")  # the text id in row 4 is exact
    # the float's digits (calamine writes 12345678901234569216), not the ERP's
    assert message.startswith("`123456789012345") and message.endswith(
        "` is a number too long for Excel: its last digits are lost"
    )


def test_customer_ids_differing_only_by_leading_zeros_are_an_error(tmp_path):
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row(), sales_row(单号="INV2", 客户编号=231)]})
    [(code, place, message)] = read_errors([book])
    assert (code, place) == ("id-leading-zeros", "t.xlsx › 销售 › row 2")
    assert message == "customer ids `00231` and `231` differ only by leading zeros (`231` at t.xlsx › 销售 › row 3)"


def test_a_customer_listed_twice_with_different_details_is_an_error(tmp_path):
    heads = ["客户编号", "客户名称", "业务员", "地区", "账期", "信用额度"]
    same = ["00007", "B", "李娜", "华南", 30, 50000]
    customers = [
        heads,
        ["00231", "A", "王伟", "华东", 30, 100000],
        same,
        ["00231", "A", "李娜", "华东", 30, 900000],
        same,
    ]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()], "客户": customers})
    [(code, place, message)] = read_errors([book])
    assert (code, place) == ("duplicate-customer", "t.xlsx › 客户 › row 2")
    assert message == (
        "customer `00231` is listed twice with different owner, credit_limit: here and at t.xlsx › 客户 › row 4"
    )
    customers.pop(3)  # identical copies are harmless: kept once
    write_xlsx(book, {"销售": [SALES_HEADERS, sales_row()], "客户": customers})
    assert read_workbooks([book], settings()).customers.get_column("customer").to_list() == ["00231", "00007"]
