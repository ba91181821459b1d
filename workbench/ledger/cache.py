"""The parsed-ledger cache: typed frames of each workbook, keyed by its content hash.

Stored in ``.kam-cache/ledger/`` of the portfolio folder as Arrow IPC files (one per sheet
kind) plus a small JSON index. The key combines the file's SHA-256, the settings that
affect parsing and :data:`CODE_VERSION`, so a changed file, a changed column map or a new
parser invalidates exactly the entries it must. Writes are atomic; a damaged entry is
treated as a miss.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

CODE_VERSION = "1"


def _entry(cache_dir: Path, digest: str, key: str) -> Path:
    return cache_dir / "ledger" / f"{digest[:32]}-{key}-v{CODE_VERSION}"


def load(cache_dir: Path | None, digest: str, key: str) -> tuple[dict[str, pl.DataFrame], list[Any]] | None:
    import polars as pl

    if cache_dir is None:
        return None
    entry = _entry(cache_dir, digest, key)
    index = entry / "index.json"
    try:
        meta = json.loads(index.read_text(encoding="utf-8"))
        frames = {kind: pl.read_ipc(entry / f"{kind}.arrow") for kind in meta["kinds"]}
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None
    return frames, [tuple(s) if isinstance(s, list) else s for s in meta["sheets"]]


def store(
    cache_dir: Path, digest: str, key: str, frames: dict[str, pl.DataFrame], sheets: list[tuple[str, str, int]]
) -> None:
    import os
    import shutil
    import tempfile

    entry = _entry(cache_dir, digest, key)
    if entry.exists():
        return
    entry.parent.mkdir(parents=True, exist_ok=True)
    (cache_dir / ".gitignore").write_text("*\n", encoding="utf-8")
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
    try:
        for kind, frame in frames.items():
            frame.write_ipc(tmp / f"{kind}.arrow", compression="lz4")
        (tmp / "index.json").write_text(
            json.dumps({"kinds": sorted(frames), "sheets": sheets}, ensure_ascii=False), encoding="utf-8"
        )
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
