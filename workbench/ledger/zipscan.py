"""Checking zip workbooks (``.xlsx``, ``.xlsm``, ``.ods``) by decompressing them, not by
trusting their headers.

A zip entry declares its own uncompressed size, and readers that allocate by it can be
lied to: a 300 MB sheet declared as 1,000 bytes passes a check of the declared sizes. So
every entry is stream-decompressed here, a chunk at a time, with a byte budget: an entry
that holds more than it declares, expands more than ``MAX_RATIO``-fold past 10 MB, or a
workbook that expands past the budget is refused before any of it is kept in memory.

The same pass reads what calamine does not report, in the sheet XML of ``.xlsx``/``.xlsm``:

* formulas without a cached value (written by tools other than Excel): calamine reads them
  as empty cells, so a formula status 作废 would silently vanish;
* merged ranges (``<mergeCell ref="B2:B4"/>``): every cell but the first reads empty.

and, in an ``.ods`` file's ``content.xml``, formula error cells and merged ranges.

It runs in the parent process while the worker reads the same bytes with calamine, so it
costs no wall time on a clean workbook; the worker is stopped when this check refuses.
"""

from __future__ import annotations

import html
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

MAX_RATIO = 200  # uncompressed / compressed size of one entry (beyond 10 MB)
RATIO_FLOOR = 10 * 2**20
CHUNK = 1 << 20
OVERLAP = 32 * 1024  # a cell split between two chunks is seen whole (formulas are at most 8 KB)
MAX_FOUND = 200  # cells of each kind kept per sheet (all are counted)

_UNCACHED = re.compile(rb"<f\b[^>]*?(?:/>|>[^<]*</f>)(?:<v\s*/>|<v>\s*</v>)?</c>")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
_SHEET = re.compile(rb"<sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<Relationship\b([^>]*)/?>")


class ZipRefused(Exception):
    """The workbook may not be read: `code` is zip-bomb or unreadable-workbook."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class SheetFindings:
    uncached: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, formula)
    uncached_count: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, "#DIV/0!") — .ods only
    errors_count: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # rows 1-based, cols 0-based
    merges_count: int = 0


@dataclass
class ZipFindings:
    date1904: bool = False
    sheets: dict[str, SheetFindings] = field(default_factory=dict)  # by sheet name


def column_index(letters: bytes | str) -> int:
    """0-based index of an Excel column name (A → 0, AA → 26)."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_name(index: int) -> str:
    """Excel column name of a 0-based index (0 → A, 26 → AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def entries(data: bytes, *, max_total: int) -> list[Any]:
    """The zip's entries after the quick check of their declared sizes (before any reader
    starts); raise ZipRefused when the directory is damaged or the sizes are too large."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ZipRefused("unreadable-workbook", f"the workbook's zip container is damaged ({exc})") from None
    declared = 0
    for info in infos:
        declared += info.file_size
        if info.compress_size and info.file_size > RATIO_FLOOR and info.file_size / info.compress_size > MAX_RATIO:
            raise ZipRefused(
                "zip-bomb",
                f"`{info.filename}` would expand {info.file_size / info.compress_size:.0f}-fold "
                f"to {info.file_size / 2**20:.0f} MB",
            )
    if declared > max_total:
        raise ZipRefused("zip-bomb", f"the workbook would expand to {declared / 2**20:.0f} MB")
    return infos


def is_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet (its first entry is the `mimetype`, stored)."""
    return b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in data[:200]


def scan(data: bytes, infos: list[Any], *, max_total: int, ods: bool = False) -> ZipFindings:
    """Decompress every entry within the budget, collecting what calamine does not report;
    raise ZipRefused when the container lies about its sizes, expands too far or is damaged."""
    findings = ZipFindings()
    parts = {info.filename: info for info in infos}
    sheet_parts: dict[str, str] = {}
    if not ods and "xl/workbook.xml" in parts:
        workbook = _whole(data, parts["xl/workbook.xml"], 16 * 2**20)
        rels_info = parts.get("xl/_rels/workbook.xml.rels")
        rels = _whole(data, rels_info, 16 * 2**20) if rels_info is not None else b""
        findings.date1904 = bool(re.search(rb'date1904="(?:1|true)"', workbook))
        sheet_parts = _sheet_parts(workbook, rels)
    total = 0
    for info in infos:
        name = sheet_parts.get(info.filename)
        if name is not None:
            sheet = findings.sheets.setdefault(name, SheetFindings())
            total += _stream(data, info, max_total - total, _XlsxSheetScanner(sheet))
        elif ods and info.filename == "content.xml":
            scanner = _OdsMarkers()
            total += _stream(data, info, max_total - total, scanner)
            if scanner.found:
                findings.sheets = _ods_findings(data, info)
        else:
            total += _stream(data, info, max_total - total, None)
    return findings


def _sheet_parts(workbook: bytes, rels: bytes) -> dict[str, str]:
    """Zip part of each sheet → sheet name, from workbook.xml and its relationships."""
    targets = {}
    for m in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(m.group(1)))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        if target:
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs.get(b"Id", b"").decode()] = path.replace("/./", "/")
    out = {}
    for m in _SHEET.finditer(workbook):
        attrs = dict(_ATTR.findall(m.group(1)))
        rid = next((v.decode() for k, v in attrs.items() if k.endswith(b":id")), "")
        name = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        if rid in targets:
            out[targets[rid]] = name
    return out


def _whole(data: bytes, info: object, limit: int) -> bytes:
    chunks: list[bytes] = []

    class _Keep:
        def feed(self, buf: bytes, start: int) -> None:
            chunks.append(buf[start:])

    _stream(data, info, limit, _Keep())
    return b"".join(chunks)


def _stream(data: bytes, info: object, budget: int, scanner: object | None) -> int:
    """Decompress one entry chunk by chunk, feeding `scanner`; return its real size."""
    import zipfile

    assert isinstance(info, zipfile.ZipInfo)
    offset = info.header_offset
    head = data[offset : offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise ZipRefused("unreadable-workbook", f"the workbook's zip container is damaged (`{info.filename}`)")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    start = offset + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise ZipRefused("unreadable-workbook", f"the workbook is truncated (`{info.filename}`)")
    limit = min(budget, max(RATIO_FLOOR, MAX_RATIO * max(1, info.compress_size)))
    size = 0
    carry = b""

    def take(chunk: bytes) -> None:
        nonlocal size, carry
        size += len(chunk)
        if size > info.file_size:
            raise ZipRefused(
                "zip-bomb",
                f"`{info.filename}` holds more data than its zip header declares ({info.file_size:,} bytes): "
                "a forged workbook",
            )
        if size > limit:
            raise ZipRefused(
                "zip-bomb", f"`{info.filename}` expands beyond {limit / 2**20:.0f} MB ({MAX_RATIO}-fold or more)"
            )
        if scanner is not None:
            buf = carry + chunk
            scanner.feed(buf, len(carry))  # type: ignore[attr-defined]
            carry = buf[-OVERLAP:]

    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), CHUNK):
            take(bytes(raw[i : i + CHUNK]))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        try:
            for i in range(0, len(raw), CHUNK):
                pending = bytes(raw[i : i + CHUNK])
                while pending:
                    out = inflater.decompress(pending, CHUNK)
                    pending = inflater.unconsumed_tail
                    if out:
                        take(out)
                    if inflater.eof:
                        break
            rest = inflater.flush()
            if rest:
                take(rest)
        except zlib.error as exc:
            raise ZipRefused("unreadable-workbook", f"`{info.filename}` is damaged ({exc})") from None
        if not inflater.eof:
            raise ZipRefused("unreadable-workbook", f"`{info.filename}` is truncated")
    else:
        raise ZipRefused(
            "unreadable-workbook",
            f"`{info.filename}` uses a compression method Excel does not write ({info.compress_type})",
        )
    if size != info.file_size:
        raise ZipRefused(
            "unreadable-workbook",
            f"`{info.filename}` holds {size:,} bytes but its zip header declares {info.file_size:,}: the file is damaged",
        )
    return size


class _XlsxSheetScanner:
    """Uncached formulas and merged ranges of one sheet's XML, chunk by chunk."""

    def __init__(self, sheet: SheetFindings):
        self.sheet = sheet

    def feed(self, buf: bytes, fresh: int) -> None:
        sheet = self.sheet
        if b"<f" in buf:
            for m in _UNCACHED.finditer(buf):
                if m.end() <= fresh:
                    continue  # seen whole in the previous chunk
                sheet.uncached_count += 1
                if len(sheet.uncached) < MAX_FOUND:
                    cell = buf.rfind(b"<c ", 0, m.start())
                    ref = _CELL_REF.search(buf, cell, m.start()) if cell >= 0 else None
                    formula = _FORMULA.match(buf, m.start())
                    text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace")) if formula else ""
                    if ref is not None:
                        sheet.uncached.append((int(ref.group(2)), column_index(ref.group(1)), "=" + text))
        if b"<mergeCell " in buf:
            for m in _MERGE.finditer(buf):
                if m.end() <= fresh:
                    continue
                sheet.merges_count += 1
                if len(sheet.merges) < MAX_FOUND:
                    c1, r1 = m.group(1), int(m.group(2))
                    c2, r2 = (m.group(3), int(m.group(4))) if m.group(3) else (c1, r1)
                    sheet.merges.append((r1, column_index(c1), r2, column_index(c2)))


class _OdsMarkers:
    """Whether content.xml holds error cells or merged ranges at all (rare: then it is parsed)."""

    def __init__(self) -> None:
        self.found = False

    def feed(self, buf: bytes, fresh: int) -> None:
        if not self.found and (
            b'value-type="error"' in buf or b"number-rows-spanned" in buf or b"number-columns-spanned" in buf
        ):
            self.found = True


def _ods_findings(data: bytes, info: object) -> dict[str, SheetFindings]:
    """Error cells and merged ranges of an .ods file, located by walking its tables
    (rows and cells repeat through `number-*-repeated` attributes)."""
    import io

    from defusedxml.ElementTree import iterparse

    text = _whole(data, info, 2**31)
    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    calc = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
    text_p = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"
    out: dict[str, SheetFindings] = {}
    sheet: SheetFindings | None = None
    row = col = 0
    for event, el in iterparse(io.BytesIO(text), events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == f"{t}table":
                sheet = out.setdefault(el.get(f"{t}name", ""), SheetFindings())
                row = 0
            elif tag == f"{t}table-row":
                col = 0
            continue
        if sheet is None:
            continue
        if tag == f"{t}table-row":
            row += int(el.get(f"{t}number-rows-repeated", "1"))
            el.clear()
        elif tag in (f"{t}table-cell", f"{t}covered-table-cell"):
            repeat = int(el.get(f"{t}number-columns-repeated", "1"))
            if el.get(f"{calc}value-type") == "error":
                sheet.errors_count += 1
                if len(sheet.errors) < MAX_FOUND:
                    shown = "".join(p.text or "" for p in el.iter(text_p)) or "#error"
                    sheet.errors.append((row + 1, col, shown))
            rows_spanned = int(el.get(f"{t}number-rows-spanned", "1"))
            cols_spanned = int(el.get(f"{t}number-columns-spanned", "1"))
            if rows_spanned > 1 or cols_spanned > 1:
                sheet.merges_count += 1
                if len(sheet.merges) < MAX_FOUND:
                    sheet.merges.append((row + 1, col, row + rows_spanned, col + cols_spanned - 1))
            col += repeat
        elif tag == f"{t}table":
            sheet = None
    return out
