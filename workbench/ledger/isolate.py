"""Reading Excel workbooks in a worker process, so that no workbook can take this one down.

calamine (the Rust reader behind fastexcel) lays every sheet out as a dense grid from its
first to its last used cell. One stray value far from the data (a cell in column XFD, or in
row 1,048,576) makes that grid billions of cells: the allocation fails and Rust aborts the
whole process, whatever Python would do about it (fastexcel issue #487, open). So sheets
are read in a worker process with a memory ceiling; the worker hands the text grids back
as Arrow IPC files, and its death becomes an error that names the file and says what to do.

The worker is started once per process and reused; it is replaced after a crash.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

MEMORY_CEILING = 8 * 2**30  # address space of the worker: far above what a 1M-line sheet needs (about 1.2 GB)


@dataclass(frozen=True)
class LoadedSheet:
    name: str
    frame: pl.DataFrame  # one text column per used sheet column, named "c<absolute index>"


class WorkbookError(Exception):
    """The reader refused the workbook or one of its sheets (`sheet` is None for the file)."""

    def __init__(self, message: str, sheet: str | None = None):
        super().__init__(message)
        self.sheet = sheet


class ReaderCrashed(Exception):
    """The worker died while reading: the workbook would need more memory than allowed."""


_pool: ProcessPoolExecutor | None = None


def load_sheets(data: bytes) -> list[LoadedSheet]:
    """Every sheet of the workbook in `data` as text. Raises `WorkbookError` for what the
    reader refuses and `ReaderCrashed` when reading it would exhaust memory."""
    import polars as pl

    with tempfile.TemporaryDirectory(prefix="kam-read-") as tmp:
        try:
            outcome = _worker().submit(_read_in_worker, data, tmp).result()
        except BrokenProcessPool:
            _restart()
            raise ReaderCrashed from None
        if isinstance(outcome, tuple):
            message, sheet = outcome
            raise WorkbookError(message, sheet)
        sheets = []
        for name, file, columns in outcome:
            frame = pl.read_ipc(Path(tmp) / file)
            sheets.append(LoadedSheet(name, frame.rename(columns)))
        return sheets


def _worker() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        import multiprocessing

        # spawn, not fork: the parent runs polars' thread pool, which a forked child would lack
        _pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_prepare_worker
        )
    return _pool


def _restart() -> None:
    """After the worker died: a fresh one, checked, so that a worker that cannot start at
    all is not mistaken for a workbook that exhausted its memory."""
    global _pool
    _pool = None
    try:
        _worker().submit(_ping).result()
    except BrokenProcessPool:
        _pool = None
        raise RuntimeError("the workbook reader process cannot start") from None


def shutdown() -> None:
    """Stop the worker (it is started again when needed)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True)
        _pool = None


def _ping() -> bool:
    return True


def _prepare_worker() -> None:
    """A memory ceiling, and no Rust panic report on the terminal: the parent words the error."""
    import os
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _read_in_worker(data: bytes, folder: str) -> list[tuple[str, str, dict[str, str]]] | tuple[str, str | None]:
    """In the worker: write each sheet as an Arrow IPC file into `folder`; return (sheet name,
    file name, column renames) per sheet, or (message, sheet) when the reader refuses."""
    import fastexcel
    import pyarrow as pa

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # noqa: BLE001 - the reader's own error types vary by format
        return (_first_line(exc), None)
    out = []
    for i, name in enumerate(reader.sheet_names):
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            table = sheet.to_arrow()
        except Exception as exc:  # noqa: BLE001
            return (_first_line(exc), name)
        columns = {col.name: f"c{col.absolute_index}" for col in sheet.available_columns()}
        file = f"{i}.arrow"
        with pa.OSFile(str(Path(folder) / file), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write(table)
        out.append((name, file, columns))
    return out


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
