"""Reading Excel workbooks in a worker process, so that no workbook can take this one down.

calamine (the Rust reader behind fastexcel) lays every sheet out as a dense grid from its
first to its last used cell. One stray value far from the data (a cell in column XFD, or in
row 1,048,576) makes that grid billions of cells: the allocation fails and Rust aborts the
whole process, whatever Python would do about it (fastexcel issue #487, open). So sheets
are read in a worker process (``worker``) with a memory ceiling sized to the workbook and a
time limit; the worker hands the text grids back as Arrow IPC files, and its death becomes
an error that names the file and says what to do.

The worker is a plain child process (``python -c``), not ``multiprocessing``: a script that
reads a ledger needs no ``if __name__ == "__main__"`` guard. It is started once per process
and reused, and started again after a crash, a timeout or a refused workbook.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import frames

if TYPE_CHECKING:
    import polars as pl

MEMORY_FLOOR = 2 * 2**30
MEMORY_CEILING = 4 * 2**30
MEMORY_PER_BYTE = 40
"""Address space of the worker: 1 GiB plus 40 bytes per byte of workbook, between 2 and 4
GiB. A 1,000,000-line sales workbook (about 60 MB) peaks near 2.9 GiB of address space
(1.2 GB resident): calamine keeps the sheet's cells, Arrow the text columns."""


@dataclass
class LoadedSheet:
    name: str
    frame: pl.DataFrame  # one text column per used sheet column, named "c<absolute index>"
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, "#N/A")
    errors_count: int = 0
    long: list[tuple[int, int, int]] = field(default_factory=list)  # (row, col, characters)
    long_count: int = 0


@dataclass
class Loaded:
    sheets: list[LoadedSheet]
    hidden: list[str]  # sheets not read because they are hidden


class WorkbookError(Exception):
    """The reader refused the workbook or one of its sheets (`sheet` is None for the file)."""

    def __init__(self, message: str, sheet: str | None = None):
        super().__init__(message)
        self.sheet = sheet


class ReaderCrashed(Exception):
    """The worker died while reading: the workbook would need more memory than allowed.
    `sheet` is the sheet it was reading, when known."""

    def __init__(self, sheet: str | None = None):
        super().__init__(sheet or "")
        self.sheet = sheet


class ReaderTimeout(Exception):
    """The worker did not finish within the time limit (and was stopped)."""


def memory_ceiling(size: int) -> int:
    return max(MEMORY_FLOOR, min(MEMORY_CEILING, 2**30 + MEMORY_PER_BYTE * size))


class _Worker:
    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])
        code = (
            f"import sys; sys.path.insert(0, {root!r}); from workbench.ledger.worker import main; "
            f"main({MEMORY_CEILING})"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # Rust panic reports: the parent words the error
        )

    def send(self, obj: Any) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(frames.pack(obj))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ReaderCrashed from None

    def receive(self, deadline: float) -> Any:
        assert self.proc.stdout is not None
        out = self.proc.stdout
        head = self._read(out, frames.HEAD, deadline)
        return pickle.loads(self._read(out, frames.size_of(head), deadline))

    def _read(self, stream: Any, size: int, deadline: float) -> bytes:
        parts: list[bytes] = []
        left = size
        fd = stream.fileno()
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise ReaderTimeout
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                raise ReaderTimeout
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise ReaderCrashed
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


_worker: _Worker | None = None


def _get_worker() -> _Worker:
    global _worker
    if _worker is None or _worker.proc.poll() is not None:
        _worker = _Worker()
    return _worker


def _discard() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def shutdown() -> None:
    """Stop the worker (it is started again when needed)."""
    _discard()


class Job:
    """One workbook file being read by the worker (which opens it itself: `size` is its
    size, for the memory ceiling); `result` waits for it."""

    def __init__(self, path: Path, size: int, timeout: float):
        self.folder = tempfile.TemporaryDirectory(prefix="kam-read-")
        self.deadline = time.monotonic() + timeout
        self.worker = _get_worker()
        request = (os.path.abspath(path), self.folder.name, memory_ceiling(size))
        try:
            self.worker.send(request)
        except ReaderCrashed:
            self.worker = self._restarted()
            self.worker.send(request)

    @staticmethod
    def _restarted() -> _Worker:
        """A fresh worker, checked, so that a worker that cannot start at all is not
        mistaken for a workbook that exhausted its memory."""
        _discard()
        worker = _get_worker()
        try:
            worker.send("ping")
            worker.receive(time.monotonic() + 60)
        except (ReaderCrashed, ReaderTimeout):
            _discard()
            raise RuntimeError("the workbook reader process cannot start") from None
        return worker

    def cancel(self) -> None:
        _discard()
        self.folder.cleanup()

    def result(self) -> Loaded:
        """The sheets as text frames. Raises WorkbookError for what the reader refuses,
        ReaderCrashed when the workbook would exhaust the memory ceiling, ReaderTimeout."""
        import polars as pl

        sheet = None
        try:
            try:
                reply = self.worker.receive(self.deadline)
                while reply[0] == "reading":
                    sheet = reply[1]
                    reply = self.worker.receive(self.deadline)
            except ReaderTimeout:
                _discard()
                raise ReaderTimeout(sheet) from None
            except ReaderCrashed:
                self._restarted()
                raise ReaderCrashed(sheet) from None
            if reply[0] == "memory":
                _discard()
                raise ReaderCrashed(sheet)
            if reply[0] == "refused":
                raise WorkbookError(reply[1], reply[2])
            sheets, hidden = [], []
            for info in reply[1]:
                if info["visible"] != "visible":
                    hidden.append(info["name"])
                    continue
                frame = pl.read_ipc(Path(self.folder.name) / info["file"])
                sheets.append(
                    LoadedSheet(
                        info["name"],
                        frame.rename(info["columns"]),
                        info["errors"],
                        info["errors_count"],
                        info["long"],
                        info["long_count"],
                    )
                )
            return Loaded(sheets, hidden)
        finally:
            self.folder.cleanup()
