"""The workbook reader process: calamine (through fastexcel) behind a memory ceiling.

Started by ``isolate`` as ``python -c "…worker.main()"`` (a plain child process, not
multiprocessing, so that scripts calling the ledger need no ``__main__`` guard). Requests
and replies are length-prefixed pickles (:mod:`workbench.frames`) on its stdin and
original stdout; anything the libraries print goes to stderr. Each request is one workbook's path (the worker opens the
file itself: calamine then reads the zip entries from the file, and neither this process
nor calamine holds a copy of the whole workbook, which at a million lines is 100 MB less at
the peak), a folder for the Arrow IPC files of its sheets and the memory ceiling for this
workbook.

What calamine reads but would hand over silently is checked here, so that neither it nor
a huge value ever reaches the parent process: cells longer than Excel's 32,767 characters
(replaced by null and reported), and error cells (``#N/A``, ``#REF!``, ``#DIV/0!`` …, which
calamine turns into nulls).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from workbench.frames import receive, send

MAX_TEXT = 32_767  # Excel's limit for the text of one cell
MAX_FOUND = 200  # cells of each kind reported per sheet (all are counted)
ERROR_TEXT = {
    "NA": "#N/A",
    "Div0": "#DIV/0!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "GettingData": "#GETTING_DATA",
}


def main(ceiling: int) -> None:
    """Serve requests until stdin closes. `ceiling` is the hard limit of the address space
    (set before fastexcel is imported); each request lowers the soft limit to its own."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library printing to stdout must not corrupt the replies
    while True:
        request = receive(requests)
        if request is None:
            return
        if request == "ping":
            send(replies, "pong")
            continue
        path, folder, limit = request
        resource.setrlimit(resource.RLIMIT_AS, (min(limit, ceiling), ceiling))
        try:
            reply: Any = read_workbook(path, folder, lambda name: send(replies, ("reading", name)))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not look like a memory crash
            reply = ("refused", _first_line(exc), None)
        _release_memory()
        send(replies, reply)


def _release_memory() -> None:
    """Give the freed grid of the last workbook back to the system (glibc keeps it
    otherwise), so an idle worker does not hold hundreds of MB while the parent types
    the sheets."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def read_workbook(path: str, folder: str, reading: Any = None) -> Any:
    """Each visible sheet of the workbook file at `path` as an Arrow IPC file in `folder`.
    Returns ("ok", sheets) with one dict per sheet, or ("refused", message, sheet) when the
    reader refuses the file (sheet None) or one sheet. `reading(name)` is told each sheet before it is read, so that the
    parent can name the sheet that exhausted the memory ceiling."""
    import fastexcel
    import pyarrow as pa

    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # noqa: BLE001 - the reader's own error types vary by format
        return ("refused", _first_line(exc), None)
    sheets: list[dict[str, Any]] = []
    for i, name in enumerate(reader.sheet_names):
        if reading is not None:
            reading(name)
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            visible = sheet.visible
            if visible != "visible":
                sheets.append({"name": name, "visible": visible})
                continue
            table, cell_errors = sheet.to_arrow_with_errors()
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001
            return ("refused", _first_line(exc), name)
        columns = {col.name: col.absolute_index for col in sheet.available_columns()}
        table, long_cells, n_long = _without_long_text(table, columns)
        errors: list[tuple[int, int, str]] = []
        n_errors = 0
        for err in cell_errors.errors if cell_errors is not None else ():
            n_errors += 1
            if len(errors) < MAX_FOUND:
                row, col = err.position
                errors.append((row + 1, col, _error_text(err.detail)))
        file = f"{i}.arrow"
        with pa.OSFile(str(Path(folder) / file), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write(table)
        del sheet, table, cell_errors  # free this sheet's grid before the next one is read
        sheets.append(
            {
                "name": name,
                "visible": visible,
                "file": file,
                "columns": {k: f"c{v}" for k, v in columns.items()},
                "errors": errors,
                "errors_count": n_errors,
                "long": long_cells,
                "long_count": n_long,
            }
        )
    return ("ok", sheets)


def _without_long_text(table: Any, columns: dict[str, int]) -> tuple[Any, list[tuple[int, int, int]], int]:
    """The table with cells over MAX_TEXT characters replaced by null, and those cells as
    (sheet row, column index, length)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found: list[tuple[int, int, int]] = []
    count = 0
    for i, name in enumerate(table.column_names):
        column = table.column(i)
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is None or longest <= MAX_TEXT:
            continue
        too_long = pc.greater(lengths, MAX_TEXT)
        rows = pc.indices_nonzero(pc.fill_null(too_long, False)).to_pylist()
        count += len(rows)
        for row in rows[: MAX_FOUND - len(found)]:
            found.append((row + 1, columns.get(name, i), int(lengths[row].as_py())))
        table = table.set_column(i, name, pc.if_else(too_long, pa.scalar(None, pa.string()), column))
    return table, found, count


def _error_text(detail: str) -> str:
    """``Expected string but got 'Error(Div0)'`` → ``#DIV/0!``."""
    import re

    m = re.search(r"Error\((\w+)\)", detail)
    return ERROR_TEXT.get(m.group(1), f"#{m.group(1).upper()}") if m else detail[:40]


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
