"""Reading workbook files into raw text grids, safely.

Excel (``.xlsx``, ``.xlsm``, legacy ``.xls``) and OpenDocument (``.ods``) files are read by
fastexcel (the Rust calamine reader, straight into Arrow, about ten times faster than
openpyxl); ``.csv`` files (UTF-8 or GB18030) by polars. Every cell arrives as *text* — the
typing module decides what it means, column by column, so that a bad cell can be named
with the value the user sees.

Before anything is parsed: Excel lock files (``~$x.xlsx``) are skipped, the file size is
capped, the content is sniffed (an ``.xls`` or a CSV renamed ``.xlsx`` is named as such),
and zip containers are checked for bombs (uncompressed size and ratio).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import LedgerSettings

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
MAX_RATIO = 200  # uncompressed / compressed size of one zip entry
HEADER_SCAN_ROWS = 30

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class RawSheet:
    """One sheet as text: every cell a string or null, rows in sheet order from row 1."""

    file: str  # as displayed
    name: str  # sheet name ("" for CSV)
    frame: pl.DataFrame  # columns "c0", "c1", … by absolute column index; row i = sheet row i + 1
    date1904: bool = False


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def _problem(file: str, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(code, message, Location(file=file), hint=hint)


def check_file(path: Path, shown: str, settings: LedgerSettings) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes when it may be parsed, else the reasons why not."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return None, [
            _problem(
                shown,
                "unsupported-file",
                f"`{path.name}` is not a workbook this tool reads",
                "export the ledger as .xlsx, .xlsm, .xls, .ods or .csv",
            )
        ]
    size = path.stat().st_size
    cap = settings.max_file_mb * 1024 * 1024
    if size > cap:
        return None, [
            _problem(
                shown,
                "file-too-large",
                f"the file is {size / 2**20:.0f} MB; the limit is {settings.max_file_mb} MB",
                "raise `ledger.max_file_mb` in kam.yaml if the file is genuine",
            )
        ]
    data = path.read_bytes()
    head = data[:8]
    if suffix in (".xlsx", ".xlsm", ".ods"):
        if head.startswith(_OLE2):
            return None, [
                _problem(
                    shown,
                    "wrong-format",
                    "this is a legacy .xls workbook with an .xlsx name",
                    f"rename it to {path.stem}.xls",
                )
            ]
        if not head.startswith(_ZIP):
            hint = (
                f"rename it to {path.stem}.csv"
                if _looks_like_text(data)
                else "re-export it from the ERP; the file is damaged"
            )
            what = "a CSV (text) file" if _looks_like_text(data) else "not a workbook"
            return None, [_problem(shown, "wrong-format", f"this is {what} with a {suffix} name", hint)]
        bomb = _zip_bomb(data, cap)
        if bomb:
            return None, [_problem(shown, "zip-bomb", bomb, "re-export the workbook; do not open it in Excel either")]
    elif suffix == ".xls" and not head.startswith(_OLE2):
        if head.startswith(_ZIP):
            return None, [
                _problem(
                    shown,
                    "wrong-format",
                    "this is an .xlsx workbook with an .xls name",
                    f"rename it to {path.stem}.xlsx",
                )
            ]
        if _looks_like_text(data):
            return None, [
                _problem(
                    shown,
                    "wrong-format",
                    "this is a CSV (text) file with an .xls name",
                    f"rename it to {path.stem}.csv",
                )
            ]
    return data, []


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" not in sample and (b"," in sample or b"\t" in sample or b";" in sample)


def _zip_bomb(data: bytes, cap: int) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if (
                    info.compress_size
                    and info.file_size / info.compress_size > MAX_RATIO
                    and info.file_size > 10 * 2**20
                ):
                    return f"`{info.filename}` would expand {info.file_size / info.compress_size:.0f}-fold to {info.file_size / 2**20:.0f} MB"
            if total > 25 * cap:
                return f"the workbook would expand to {total / 2**20:.0f} MB"
    except zipfile.BadZipFile:
        return "the workbook's zip container is damaged"
    return None


def _date1904(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            head = zf.read("xl/workbook.xml")[:4000]
    except (KeyError, zipfile.BadZipFile):
        return False
    return b'date1904="1"' in head or b'date1904="true"' in head


def read_file(path: Path, shown: str, settings: LedgerSettings) -> tuple[list[RawSheet], list[Diagnostic]]:
    """Every sheet of one file as text (or the problems that prevent reading it)."""
    data, problems = check_file(path, shown, settings)
    if data is None:
        return [], problems
    if path.suffix.lower() == ".csv":
        return _read_csv(data, shown, settings)
    return _read_excel(path, data, shown)


def _read_excel(path: Path, data: bytes, shown: str) -> tuple[list[RawSheet], list[Diagnostic]]:
    from workbench.ledger.isolate import ReaderCrashed, WorkbookError, load_sheets

    try:
        loaded = load_sheets(data)
    except WorkbookError as exc:
        if exc.sheet is None:
            return [], [
                _problem(
                    shown,
                    "unreadable-workbook",
                    f"cannot read the workbook: {exc}",
                    "open it in Excel or LibreOffice and save it again as .xlsx",
                )
            ]
        return [], [
            Diagnostic(
                "unreadable-sheet",
                f"cannot read the sheet: {exc}",
                Location(file=shown, sheet=exc.sheet),
                hint="check the sheet for damaged cells",
            )
        ]
    except ReaderCrashed:
        return [], [
            _problem(
                shown,
                "sheet-too-large",
                "reading the workbook would need more memory than allowed: a sheet spans far more cells than it holds,"
                " usually because of a stray value far from the data (in column XFD or row 1,048,576, say)",
                "press Ctrl+End on each sheet to find its last cell, delete the rows and columns beyond the table,"
                " save, and run again",
            )
        ]
    date1904 = path.suffix.lower() in (".xlsx", ".xlsm") and _date1904(data)
    return [RawSheet(shown, sheet.name, sheet.frame, date1904) for sheet in loaded], []


def _read_csv(data: bytes, shown: str, settings: LedgerSettings) -> tuple[list[RawSheet], list[Diagnostic]]:
    import polars as pl

    text = None
    for encoding in settings.csv_encodings:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        return [], [
            _problem(
                shown,
                "unknown-encoding",
                f"the file is in none of the encodings {', '.join(settings.csv_encodings)}",
                "save it as UTF-8, or add its encoding to `ledger.csv_encodings`",
            )
        ]
    first = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=first.count)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            has_header=False,
            infer_schema=False,
            separator=sep,
            truncate_ragged_lines=True,
        )
    except Exception as exc:  # noqa: BLE001
        return [], [_problem(shown, "unreadable-csv", f"cannot read the CSV file: {_first_line(exc)}", "check quoting")]
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    return [RawSheet(shown, "", frame)], []


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def header_rows(sheet: RawSheet) -> list[list[Any]]:
    """The first rows of a sheet as lists (for header detection)."""
    head = sheet.frame.head(HEADER_SCAN_ROWS)
    return [list(row) for row in head.iter_rows()]
