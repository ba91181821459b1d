"""Reading Arrow IPC files (the reader worker's sheets, the ledger cache) by mapping them.

``polars.read_ipc`` copies every column into fresh memory: 0.2 s for a million-line sales
frame. Mapped through pyarrow and handed to polars, the same frame is ready in about 0.02 s,
its columns reading straight from the page cache. The files are never rewritten in place
(the worker writes a new folder per workbook, the cache renames finished entries into
place) and a file removed while mapped stays readable, so a mapped frame cannot change
under its reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


def read_mapped(path: Path) -> pl.DataFrame:
    """The frame stored in the Arrow IPC file at `path` (raises OSError or ValueError when
    the file is missing or damaged)."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.ipc

    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame
