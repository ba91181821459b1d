"""Small workbooks for ledger tests, written in the test's tmp folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SALES_HEADERS = ["日期", "单号", "客户编号", "业务员", "商品编码", "类别", "数量", "单价", "成本", "金额", "送货区域"]


def sales_row(**over: Any) -> list[Any]:
    import datetime as dt

    row = {
        "日期": dt.date(2026, 3, 2),
        "单号": "INV1",
        "客户编号": "00231",
        "业务员": "王伟",
        "商品编码": "QH-VF350",
        "类别": "保温杯壶",
        "数量": 24,
        "单价": 42.5,
        "成本": 27.8,
        "金额": 1020.0,
        "送货区域": "华东",
    }
    row.update(over)
    return [row[h] for h in SALES_HEADERS]


def write_xlsx(
    path: Path, sheets: dict[str, list[list[Any]]], *, epoch1904: bool = False, date_format: bool = True
) -> Path:
    import datetime as dt

    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if date_format:
            for cells in ws.iter_rows():
                for cell in cells:
                    if isinstance(cell.value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def settings(**ledger: Any) -> Any:
    from workbench.settings import Settings

    return Settings.model_validate({"company": "T", "fiscal_year": 2026, "as_of": "2026-09-30", "ledger": ledger})
