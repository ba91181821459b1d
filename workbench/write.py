"""The one place that writes into an output folder.

Renderers return bytes; callers gather every output of a run first and hand them to
:class:`OutputWriter`, which checks each target stays inside the output folder, refuses to
write one path twice in a run, and writes each file atomically (temporary file in the same
folder, fsync, ``os.replace``), so an interrupted build leaves the previous outputs intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

from workbench.errors import Diagnostic, Location, WorkbenchError


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` atomically, keeping `mode` (or the existing file's mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None and path.exists():
        mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class OutputWriter:
    """Writes files under `root`; every relative name is validated first."""

    def __init__(self, root: Path):
        self.root = root
        self._planned: dict[str, bytes] = {}

    def add(self, relative: str, data: bytes) -> None:
        name = unicodedata.normalize("NFC", relative)
        pure = PurePosixPath(name)
        problem = None
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            problem = "must be a relative path inside the output folder"
        elif any(len(p.encode()) > 255 for p in pure.parts):
            problem = "has a path component over 255 bytes"
        elif name.casefold() in {k.casefold() for k in self._planned}:
            problem = "is written twice in this run (names may differ only in case)"
        if problem:
            raise WorkbenchError(
                Diagnostic("bad-output-path", f"output `{relative}` {problem}", Location(file=str(self.root)))
            )
        self._planned[name] = data

    def commit(self) -> list[Path]:
        """Write everything planned; returns the written paths in a stable order."""
        root = self.root.resolve()
        written = []
        for name in sorted(self._planned):
            target = (root / name).resolve()
            if root != target and root not in target.parents:
                raise WorkbenchError(
                    Diagnostic("bad-output-path", f"output `{name}` escapes {root}", Location(file=str(self.root)))
                )
            atomic_write(target, self._planned[name])
            written.append(target)
        self._planned.clear()
        return written
