"""Reading workbook files into raw text grids, safely.

Excel (``.xlsx``, ``.xlsm``, legacy ``.xls``) and OpenDocument (``.ods``) files are read by
fastexcel (the Rust calamine reader, straight into Arrow, about ten times faster than
openpyxl) in a worker process (``isolate``); ``.csv`` files (UTF-8, GB18030 or UTF-16 with
a byte-order mark) by polars. Every cell arrives as *text* — the typing module decides what
it means, column by column, so that a bad cell can be named with the value the user sees.

Before anything is parsed: the file size is capped (from the file system, before reading),
the content is sniffed (an ``.xls`` renamed ``.xlsx``, a CSV or a web page saved as ``.xls``
are named as such), and zip containers are decompressed with a byte budget while the worker
reads them (``zipscan``: forged sizes, bombs, formulas without a cached value, merged cells).
Hidden sheets are not read (the report notes them).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location

if TYPE_CHECKING:
    import polars as pl

    from workbench.settings import LedgerSettings

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
HEADER_SCAN_ROWS = 30
EXPAND_FACTOR = 25  # a zip workbook may expand to this many times `max_file_mb`
CSV_SEPARATORS = (",", ";", "\t", "|")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_FORMAT_NAMES = {
    ".xlsx": "an .xlsx",
    ".xlsm": "an .xlsm",
    ".xls": "an .xls",
    ".ods": "an .ods",
    ".csv": "a .csv",
}


@dataclass(frozen=True)
class CellIssue:
    """A cell the reader found wrong before typing (located in sheet coordinates)."""

    row: int  # 1-based sheet row
    col: int  # 0-based column index
    code: str  # error-cell, formula-without-value, text-too-long, extra-fields
    value: str  # what to show: "#N/A", "=G2*H2", "40,000 characters", "12 fields"


@dataclass(frozen=True)
class RawSheet:
    """One sheet as text: every cell a string or null; frame row i is sheet row first_row + i."""

    file: str  # as displayed
    name: str  # sheet name ("" for CSV)
    frame: pl.DataFrame  # columns "c0", "c1", … by absolute column index
    date1904: bool = False
    first_row: int = 1
    head: tuple[tuple[Any, ...], ...] | None = None  # the sheet's first rows, when not frame rows (CSV)
    issues: tuple[CellIssue, ...] = ()
    issue_counts: dict[str, int] = field(default_factory=dict)  # every issue by code (beyond the list too)
    merges: tuple[tuple[int, int, int, int], ...] = ()  # (first row, first col, last row, last col)
    merges_count: int = 0
    from_text: bool = False  # CSV: every cell was text


@dataclass
class Source:
    """One ledger file as read: its bytes (for the format sniffing, the zip checks and CSV
    parsing), their content hash, and the identity of that version of the file (inode,
    size, modification time). The bytes are handed over once (`take`), so that they are
    freed as soon as their reader is done with them: the workbook reader process opens the
    file itself, and `changed` tells afterwards whether the file on disk is still the one
    that was hashed and checked."""

    path: Path
    data: bytes | None
    stamp: tuple[int, int, int]
    digest: str

    def take(self) -> bytes:
        data, self.data = self.data, None
        assert data is not None, "a source's bytes are read once"
        return data

    def changed(self) -> bool:
        try:
            return _stamp(self.path) != self.stamp
        except OSError:
            return True


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def changed_problem(shown: str) -> Diagnostic:
    return _problem(
        shown,
        "file-changed",
        "the file changed while it was being read (saved again, or still being copied)",
        "wait until it is saved or copied completely, then run again",
    )


@dataclass
class FileRead:
    sheets: list[RawSheet] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_lock_file(path: Path) -> bool:
    """Excel's (``~$x.xlsx``) and LibreOffice's (``.~lock.x.xlsx#``) lock files."""
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def _problem(file: str, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(code, message, Location(file=file), hint=hint)


def load_bytes(path: Path, shown: str, settings: LedgerSettings) -> tuple[Source | None, list[Diagnostic]]:
    """The file, read once, when it may be parsed; else the reasons why not. The size is
    checked from the file system first, so an oversized file is never read."""
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
    cap = settings.max_file_mb * 1024 * 1024
    try:
        stamp = _stamp(path)
        size = stamp[1]
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
        if _stamp(path) != stamp or len(data) != size:
            return None, [changed_problem(shown)]
    except OSError as exc:
        return None, [
            _problem(shown, "unreadable-file", f"cannot read the file: {exc.strerror}", "check its permissions")
        ]
    wrong = _wrong_format(path, shown, suffix, data)
    if wrong:
        return None, [wrong]
    return Source(path, data, stamp, hashlib.sha256(data).hexdigest()), []


def _wrong_format(path: Path, shown: str, suffix: str, data: bytes) -> Diagnostic | None:
    """What the file really is, when its content does not match its name."""
    head = data[:8]
    actual: str | None = None
    if head.startswith(_OLE2):
        actual = ".xls"
    elif head.startswith(_ZIP):
        from workbench.ledger.zipscan import is_ods

        actual = ".ods" if is_ods(data) else ".xlsx"
        if actual == ".xlsx" and suffix == ".xlsm":
            actual = ".xlsm"
    if actual is not None and (actual == suffix or (suffix in (".xlsx", ".xlsm") and actual in (".xlsx", ".xlsm"))):
        return None
    name = _FORMAT_NAMES[suffix]
    if actual is not None:
        what = {".xls": "a legacy .xls", ".ods": "an OpenDocument (.ods)"}.get(actual, "an .xlsx")
        return _problem(
            shown,
            "wrong-format",
            f"this is {what} workbook with {name} name",
            f"rename it to {path.stem}{actual}",
        )
    if suffix == ".csv":
        return None
    sample = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<table" in sample[:1024]:
        return _problem(
            shown,
            "wrong-format",
            f"this is a web page (HTML) with {name} name, as some ERPs export their 'Excel' files",
            "open it in Excel or LibreOffice and save it as .xlsx, or export the ledger as CSV",
        )
    if sample.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return _problem(
            shown,
            "wrong-format",
            f"this is an Excel 2003 XML spreadsheet with {name} name",
            "open it in Excel or LibreOffice and save it as .xlsx",
        )
    if _looks_like_text(data):
        return _problem(
            shown,
            "wrong-format",
            f"this is a CSV (text) file with {name} name",
            f"rename it to {path.stem}.csv",
        )
    return _problem(
        shown,
        "wrong-format",
        f"this is not a workbook, though it has {name} name",
        "re-export it from the ERP; the file is damaged",
    )


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in sample and any(sep.encode() in sample for sep in CSV_SEPARATORS)


def read_file(source: Source, shown: str, settings: LedgerSettings) -> FileRead:
    """Every visible sheet of one file as text (or the problems that prevent reading it).
    The source's bytes are taken, and freed as soon as they are no longer needed."""
    if source.path.suffix.lower() == ".csv":
        return _read_csv(source.take(), shown, settings)
    return _read_excel(source, shown, settings)


# ------------------------------------------------------------------------------ Excel


def _read_excel(source: Source, shown: str, settings: LedgerSettings) -> FileRead:
    """The worker reads the file from disk while this process checks the zip container from
    the bytes already read; the bytes are then released (the worker's sheets are what the
    memory goes to) and the file's identity is checked again once the worker is done."""
    from workbench.ledger import zipscan
    from workbench.ledger.isolate import Job, ReaderCrashed, ReaderTimeout, WorkbookError

    out = FileRead()
    data = source.take()
    zipped = data.startswith(_ZIP)
    budget = EXPAND_FACTOR * settings.max_file_mb * 2**20
    infos: list[Any] = []
    if zipped:
        try:
            infos = zipscan.entries(data, max_total=budget)
        except zipscan.ZipRefused as exc:
            out.problems.append(_refused(shown, exc))
            return out
    job = Job(source.path, len(data), settings.read_timeout_s)
    findings = zipscan.ZipFindings()
    if zipped:  # while the worker reads
        try:
            findings = zipscan.scan(data, infos, max_total=budget, ods=zipscan.is_ods(data))
        except zipscan.ZipRefused as exc:
            job.cancel()
            out.problems.append(_refused(shown, exc))
            return out
    del data  # the only reference: freed while the worker reads
    try:
        loaded = job.result()
    except WorkbookError as exc:
        if exc.sheet is None:
            out.problems.append(
                _problem(
                    shown,
                    "unreadable-workbook",
                    f"cannot read the workbook: {exc}",
                    "open it in Excel or LibreOffice and save it again as .xlsx",
                )
            )
        else:
            out.problems.append(
                Diagnostic(
                    "unreadable-sheet",
                    f"cannot read the sheet: {exc}",
                    Location(file=shown, sheet=exc.sheet),
                    hint="check the sheet for damaged cells",
                )
            )
        return out
    except ReaderCrashed as exc:
        what = "the sheet" if exc.sheet else "a sheet"
        out.problems.append(
            Diagnostic(
                "sheet-too-large",
                f"reading the workbook would need more memory than allowed: {what} spans far more cells than it"
                " holds, usually because of a stray value far from the data (in column XFD or row 1,048,576, say)",
                Location(file=shown, sheet=exc.sheet),
                hint=f"press Ctrl+End on {'the' if exc.sheet else 'each'} sheet to find its last cell, delete the rows"
                " and columns beyond the table, save, and run again",
            )
        )
        return out
    except ReaderTimeout:
        out.problems.append(
            _problem(
                shown,
                "read-timeout",
                f"reading the workbook took longer than {settings.read_timeout_s} s and was stopped",
                "a damaged or hostile file, or a very large one: save it again from Excel, or raise "
                "`ledger.read_timeout_s` in kam.yaml",
            )
        )
        return out
    if source.changed():
        out.problems.append(changed_problem(shown))
        return out
    date1904 = findings.date1904
    for name in loaded.hidden:
        out.notes.append(f"{shown}: hidden sheet `{name}` not read")
    for sheet in loaded.sheets:
        found = findings.sheets.get(sheet.name, zipscan.SheetFindings())
        issues = [CellIssue(r, c, "error-cell", v) for r, c, v in sheet.errors]
        issues += [CellIssue(r, c, "error-cell", v) for r, c, v in found.errors]
        issues += [CellIssue(r, c, "formula-without-value", v) for r, c, v in found.uncached]
        issues += [CellIssue(r, c, "text-too-long", f"{n:,} characters") for r, c, n in sheet.long]
        counts = {
            "error-cell": sheet.errors_count + found.errors_count,
            "formula-without-value": found.uncached_count,
            "text-too-long": sheet.long_count,
        }
        out.sheets.append(
            RawSheet(
                shown,
                sheet.name,
                sheet.frame,
                date1904,
                issues=tuple(sorted(issues, key=lambda i: (i.row, i.col))),
                issue_counts={k: v for k, v in counts.items() if v},
                merges=tuple(found.merges),
                merges_count=found.merges_count,
            )
        )
    return out


def _refused(shown: str, exc: Any) -> Diagnostic:
    if exc.code == "zip-bomb":
        return _problem(shown, "zip-bomb", str(exc), "re-export the workbook; do not open it in Excel either")
    return _problem(
        shown,
        "unreadable-workbook",
        f"cannot read the workbook: {exc}",
        "open it in Excel or LibreOffice and save it again as .xlsx",
    )


# -------------------------------------------------------------------------------- CSV


def _decode(data: bytes, encodings: list[str]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _records(text: str, sep: str, limit: int | None) -> list[list[str]]:
    import csv
    import itertools

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        return list(itertools.islice(reader, limit))
    except csv.Error:
        return []


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines into the most fields most consistently:
    a title line above the header, or decimal commas in a semicolon file, do not fool it."""
    from collections import Counter

    sample = text[: 64 * 1024]
    best, best_score = ",", 0
    for sep in CSV_SEPARATORS:
        widths = Counter(len(r) for r in _records(sample, sep, HEADER_SCAN_ROWS) if len(r) > 1)
        if not widths:
            continue
        width, support = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        if width * support > best_score:
            best, best_score = sep, width * support
    return best


def _read_csv(data: bytes, shown: str, settings: LedgerSettings) -> FileRead:
    import polars as pl

    from workbench.ledger.columns import best_header_row
    from workbench.ledger.model import SHEET_KINDS

    out = FileRead()
    text = _decode(data, settings.csv_encodings)
    if text is None:
        out.problems.append(
            _problem(
                shown,
                "unknown-encoding",
                f"the file is in none of the encodings {', '.join(settings.csv_encodings)}",
                "save it as UTF-8, or add its encoding to `ledger.csv_encodings`",
            )
        )
        return out
    text = text.removeprefix("\ufeff")
    sep = sniff_separator(text)
    head = [tuple(r) for r in _records(text, sep, HEADER_SCAN_ROWS)]
    best = best_header_row(head, list(SHEET_KINDS), settings.column_map)
    start = best[0] if best else 0
    width = len(head[start]) if start < len(head) else 1
    body = _from_record(text, sep, start).encode("utf-8")  # polars' skip_rows treats blank lines by version
    issues: list[CellIssue] = []
    extra = 0
    try:
        frame = pl.read_csv(
            io.BytesIO(body),
            has_header=False,
            infer_schema=False,
            separator=sep,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.ComputeError as exc:
        if "more fields" not in str(exc):
            out.problems.append(
                _problem(shown, "unreadable-csv", f"cannot read the CSV file: {_first_line(exc)}", "check quoting")
            )
            return out
        frame, issues, extra = _ragged(text, sep, start, width)
    except Exception as exc:  # noqa: BLE001
        out.problems.append(
            _problem(shown, "unreadable-csv", f"cannot read the CSV file: {_first_line(exc)}", "check quoting")
        )
        return out
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    out.sheets.append(
        RawSheet(
            shown,
            "",
            frame,
            first_row=start + 1,
            head=tuple(head),
            issues=tuple(issues),
            issue_counts={"extra-fields": extra} if extra else {},
            from_text=True,
        )
    )
    return out


def _from_record(text: str, sep: str, start: int) -> str:
    """The text from the start of its record number `start` (0-based) on."""
    import csv

    if start == 0:
        return text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    for _ in range(start):
        next(reader, None)
    parts = text.split("\n", reader.line_num)
    return parts[-1] if len(parts) > reader.line_num else ""


def _ragged(text: str, sep: str, start: int, width: int) -> tuple[pl.DataFrame, list[CellIssue], int]:
    """The rows from `start` cut to the header's width (through the csv module), and the
    rows that had values beyond it (an unquoted `1,020.00` splits one amount in two)."""
    import polars as pl

    from workbench.ledger.convert import ERROR_LIMIT

    rows = _records(text, sep, None)[start:]
    issues: list[CellIssue] = []
    count = 0
    for i, row in enumerate(rows):
        if len(row) > width and any(v.strip() for v in row[width:]):
            count += 1
            if len(issues) < ERROR_LIMIT:
                last = max(j for j, v in enumerate(row) if v.strip())
                issues.append(CellIssue(start + i + 1, width, "extra-fields", f"{last + 1} fields"))
    columns = {f"c{j}": [(r[j] if j < len(r) and r[j] != "" else None) for r in rows] for j in range(width)}
    return pl.DataFrame(columns, schema={k: pl.String for k in columns}), issues, count


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def header_rows(sheet: RawSheet) -> list[list[Any]]:
    """The first rows of a sheet as lists, from sheet row 1 (for header detection)."""
    if sheet.head is not None:
        return [list(row) for row in sheet.head]
    head = sheet.frame.head(HEADER_SCAN_ROWS)
    return [list(row) for row in head.iter_rows()]
