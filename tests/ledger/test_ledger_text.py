"""Values written as text, as CSV exports write everything: numbers with thousands grouping
or a decimal comma, dates in their many spellings, and CSV files with a title above the
header, another separator, or rows that split a value in two."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ledger_books import SALES_HEADERS, read_errors, sales_row, settings, write_xlsx

from workbench.ledger.ingest import read_workbooks

HEADER = ",".join(SALES_HEADERS)
LINE = "2026-03-02,{inv},00231,王伟,QH-VF350,保温杯壶,{qty},{price},27.80,{amount},华东"


def _csv(tmp_path, *lines, name="t.csv", encoding="utf-8", sep=","):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").replace(",", sep).encode(encoding))
    return path


def _line(inv="A1", qty="24", price="42.50", amount="1020.00"):
    return LINE.format(inv=inv, qty=qty, price=price, amount=amount)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ('"1,020.00"', "1020.00"),
        ('"¥1,020.00"', "1020.00"),
        ('"1,234,567.5"', "1234567.50"),
        ("1 020.00", "1020.00"),
        ("RMB 1020", "1020.00"),
        ("1020.00元", "1020.00"),
        ("1020.005", "1020.01"),  # half away from zero, every time
        ("-1020.005", "-1020.01"),
    ],
)
def test_amounts_written_as_text(tmp_path, text, amount):
    path = _csv(tmp_path, HEADER, _line(amount=text))
    s = settings(policies={"amount_mismatch": "keep"})
    assert read_workbooks([path], s).sales.get_column("amount").to_list() == [Decimal(amount)]


@pytest.mark.parametrize("text", ['"42,50"', '"1 020,00"', '"1,2"', '"1,02"', '"10,5%"'])
def test_a_comma_that_does_not_group_thousands_is_an_error_not_a_hundredfold_amount(tmp_path, text):
    path = _csv(tmp_path, HEADER, _line(amount=text))
    [(code, place, message)] = read_errors([path])
    assert (code, place) == ("bad-number", "t.csv › row 2 › 金额")
    assert message == f"`{text.strip(chr(34))}` is not an amount (a number; `1,234.50` and `¥1,234.50` are fine)"


def test_the_error_suggests_the_decimal_comma_setting(tmp_path):
    from workbench.errors import WorkbenchError

    path = _csv(tmp_path, HEADER, _line(price='"42,50"'))
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([path], settings())
    assert exc.value.diagnostics[0].hint.startswith("decimal comma? `42,50` is read with a decimal comma only with")


def test_decimal_comma_exports_read_with_the_setting(tmp_path):
    lines = [
        ";".join(SALES_HEADERS),
        "2026-03-02;A1;00231;王伟;QH-VF350;保温杯壶;24;42,50;27,80;1.020,00;华东",
        "2026-03-02;A2;00231;王伟;QH-VF350;保温杯壶;1.200;10;5;12 000,00;华东",
        "2026-03-02;A3;00231;王伟;QH-VF350;保温杯壶;2;0,5;0,25;1;华东",
    ]
    path = tmp_path / "eu.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sales = read_workbooks([path], settings(decimal_comma=True)).sales
    assert sales.get_column("unit_price").to_list() == [Decimal("42.5"), Decimal("10"), Decimal("0.5")]
    assert sales.get_column("quantity").to_list() == [Decimal(24), Decimal(1200), Decimal(2)]
    assert sales.get_column("amount").to_list() == [Decimal("1020.00"), Decimal("12000.00"), Decimal("1.00")]


def test_decimal_comma_keeps_number_cells_as_they_are(tmp_path):
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row(单价=1.025, 数量=1, 金额="1,03")]})
    row = read_workbooks([book], settings(decimal_comma=True)).sales.row(0, named=True)
    assert (row["unit_price"], row["amount"]) == (Decimal("1.025"), Decimal("1.03"))


@pytest.mark.parametrize(
    "text",
    ["2026-03-02", "2026-3-2", "2026-03-02T10:00:00", "2026-03-02 14:30", "2026-03-02 14:30:59.5", "2026/3/2",
     "2026年3月2日", "20260302", "46083"],
)  # fmt: skip
def test_dates_in_their_spellings(tmp_path, text):
    path = _csv(tmp_path, HEADER, _line().replace("2026-03-02", text))
    assert read_workbooks([path], settings()).sales.get_column("date").to_list() == [dt.date(2026, 3, 2)]


@pytest.mark.parametrize("text", ["5", "2025", "200000", "2026-02-30", "03/02/2026"])
def test_implausible_serials_and_impossible_dates_are_errors(tmp_path, text):
    path = _csv(tmp_path, HEADER, _line().replace("2026-03-02", text))
    [(code, place, message)] = read_errors([path])
    assert (code, place) == ("bad-date", "t.csv › row 2 › 日期")


def test_a_bare_number_in_a_date_column_says_why_it_is_refused(tmp_path):
    from workbench.errors import WorkbenchError

    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row(日期=2025)]})
    with pytest.raises(WorkbenchError) as exc:
        read_workbooks([book], settings())
    [d] = exc.value.diagnostics
    assert d.location.short() == "t.xlsx › 销售 › row 2 › 日期" and "between 1990 and 2100" in d.hint


def test_a_bad_whole_number_in_an_integer_column(tmp_path):
    heads = ["客户编号", "客户名称", "业务员", "地区", "账期", "信用额度"]
    customers = [
        heads,
        ["00231", "A", "王伟", "华东", "thirty", "1,000,000"],
        ["00007", "B", "李娜", "华南", 30, "lots"],
    ]
    book = write_xlsx(tmp_path / "t.xlsx", {"销售": [SALES_HEADERS, sales_row()], "客户": customers})
    assert read_errors([book]) == [
        ("bad-number", "t.xlsx › 客户 › row 2 › 账期", "`thirty` is not a whole number"),
        (
            "bad-number",
            "t.xlsx › 客户 › row 3 › 信用额度",
            "`lots` is not an amount (a number; `1,234.50` and `¥1,234.50` are fine)",
        ),
    ]


def test_csv_with_a_title_above_the_header(tmp_path):
    for title in ("销售明细 2026年3月", "销售明细,2026年3月", ""):
        path = _csv(tmp_path, title, "", HEADER, _line(), _line(inv="A2", qty="bad"), encoding="gb18030")
        [(code, place, _)] = read_errors([path])
        assert (code, place) == ("bad-number", "t.csv › row 5 › 数量"), title


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_csv_separators_are_sniffed_from_several_lines(tmp_path, sep, name):
    path = _csv(tmp_path, "title line, with a comma", HEADER, _line(), _line(inv="A2"), sep=sep, name=f"{name}.csv")
    assert read_workbooks([path], settings()).sales.get_column("invoice").to_list() == ["A1", "A2"]


def test_a_csv_row_with_more_fields_than_the_header_is_an_error(tmp_path):
    # an unquoted 1,020.00 splits the amount: 1 and 020.00 (which would become the region)
    path = _csv(tmp_path, HEADER, _line(), _line(inv="A2", amount="1,020.00"), _line(inv="A3") + ",,")
    [(code, place, message)] = read_errors([path])
    assert (code, place, message) == ("extra-fields", "t.csv › row 3", "the row has 12 fields, the header has 11")


def test_utf16_csv_with_a_byte_order_mark(tmp_path):
    path = _csv(tmp_path, HEADER, _line(), encoding="utf-16", sep="\t")
    assert read_workbooks([path], settings()).sales.height == 1
