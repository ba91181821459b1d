"""Length-prefixed pickles: how this process and its worker processes (the ledger's
workbook reader, the booklets' chart drawer) talk over pipes.

A frame is an 8-byte little-endian length, then that many bytes of pickle. Pickles are
only ever exchanged with our own child processes, started by us with our own code.
"""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

HEAD = 8


def pack(obj: Any) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return struct.pack("<Q", len(body)) + body


def size_of(head: bytes) -> int:
    (size,) = struct.unpack("<Q", head)
    return int(size)


def send(stream: IO[bytes], obj: Any) -> None:
    stream.write(pack(obj))
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next object, or None when the stream ends (also in the middle of a frame)."""
    head = stream.read(HEAD)
    if len(head) < HEAD:
        return None
    size = size_of(head)
    body = stream.read(size)
    return pickle.loads(body) if len(body) == size else None
