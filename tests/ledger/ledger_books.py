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


def rewrite_part(src: Path, dst: Path, member: str, change: Any) -> Path:
    """Copy the zip workbook `src` to `dst` with the part `member` passed through `change`."""
    import zipfile

    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info.filename)
            zo.writestr(info.filename, change(data) if info.filename == member else data)
    return dst


def forge_size(path: Path, member: str, declared: int) -> Path:
    """Patch the uncompressed size `member` declares (local header and central directory)."""
    import struct

    raw = bytearray(path.read_bytes())
    name = member.encode()
    for sig, size_at, name_len_at, head in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        i = 0
        while (i := raw.find(sig, i)) >= 0:
            n = struct.unpack_from("<H", raw, i + name_len_at)[0]
            if raw[i + head : i + head + n] == name:
                struct.pack_into("<I", raw, i + size_at, declared)
            i += 4
    path.write_bytes(bytes(raw))
    return path


def read_errors(paths: list[Path], s: Any = None) -> list[tuple[str, str, str]]:
    """(code, place, message) of every diagnostic reading `paths` raises."""
    import pytest

    from workbench.errors import WorkbenchError
    from workbench.ledger.ingest import read_workbooks

    with pytest.raises(WorkbenchError) as exc:
        read_workbooks(paths, s or settings())
    return [(d.code, d.location.short(), d.message) for d in exc.value.diagnostics]
