"""Drawing charts in a worker process while this one lays the booklet out.

vl-convert holds the GIL for most of a drawing (measured here: a Python thread running
beside it ran three times slower), so a drawing thread would take its time from
WeasyPrint. The charts are drawn in one worker process instead (``python -c``, like the
ledger's workbook reader, so that scripts need no ``__main__`` guard), started on first
use or by :func:`start`, and kept for this process's life. A renderer's spec goes to the
worker at once; the worker draws it, checks it (:func:`workbench.render.svg.clean_svg`:
the SVG that comes back holds nothing but drawing) and sends it back, and a reader thread
here hands it to the :class:`~concurrent.futures.Future` the renderer holds. Requests and
replies are length-prefixed pickles (:mod:`workbench.frames`) on the worker's stdin and
its original stdout.

If the worker cannot start or dies, every chart waiting on it fails with
:class:`DrawerStopped`; the next chart starts a new worker.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from workbench import frames


class DrawerStopped(RuntimeError):
    """The chart worker process could not start or stopped before drawing the chart."""


class RefusedChart(ValueError):
    """The worker's check refused the drawing (the message says what it held)."""


class _Worker:
    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])
        code = f"import sys; sys.path.insert(0, {root!r}); from workbench.render.drawer import serve; serve()"
        self.owner = os.getpid()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # vl-convert's own messages; failures come back as replies
        )
        self.lock = threading.Lock()
        self.pending: dict[int, Future[str]] = {}
        self.sent = 0
        self.stopped = False
        threading.Thread(target=self._read, name="kam-chart-replies", daemon=True).start()

    def alive(self) -> bool:
        return not self.stopped and self.owner == os.getpid() and self.proc.poll() is None

    def draw(self, name: str, spec: dict[str, Any], symbol: str) -> Future[str]:
        future: Future[str] = Future()
        assert self.proc.stdin is not None
        with self.lock:
            if self.stopped:  # the reader has already failed what was waiting
                future.set_exception(DrawerStopped("the chart worker process stopped"))
                return future
            self.sent += 1
            self.pending[self.sent] = future
            try:
                self.proc.stdin.write(frames.pack((self.sent, name, spec, symbol)))
                self.proc.stdin.flush()
            except OSError:
                del self.pending[self.sent]
                future.set_exception(DrawerStopped("the chart worker process stopped"))
        return future

    def _read(self) -> None:
        assert self.proc.stdout is not None
        try:
            while (reply := frames.receive(self.proc.stdout)) is not None:
                key, kind, value = reply
                with self.lock:
                    future = self.pending.pop(key)
                if kind == "svg":
                    future.set_result(value)
                elif kind == "refused":
                    future.set_exception(RefusedChart(value))
                else:
                    future.set_exception(RuntimeError(value))
        finally:  # the worker ended (or sent what this side cannot read): nothing more will come
            with self.lock:
                self.stopped = True
                left, self.pending = self.pending, {}
            for future in left.values():
                future.set_exception(DrawerStopped("the chart worker process stopped"))

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()  # the worker ends at the end of its input
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


_lock = threading.Lock()
_worker: _Worker | None = None


def _current() -> _Worker:
    global _worker
    with _lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        return _worker


def start() -> None:
    """Start the worker now (its start-up, about half a second, then overlaps other work)."""
    _current()


def draw(name: str, spec: dict[str, Any], symbol: str) -> Future[str]:
    """The checked SVG of a Vega-Lite spec, drawn by the worker; ids are renumbered from
    ``chart-<name>``, and `symbol` is the currency symbol of d3's number formats. The
    future fails with :class:`RefusedChart` when the drawing holds anything but drawing."""
    return _current().draw(name, spec, symbol)


@atexit.register
def _stop() -> None:
    if _worker is not None and _worker.owner == os.getpid():
        _worker.stop()


# ---------------------------------------------------------------------- the worker's side


def vega_svg(spec: dict[str, Any], symbol: str) -> str:
    """The SVG vl-convert draws for a Vega-Lite spec, as it is (unchecked)."""
    import vl_convert

    return str(
        vl_convert.vegalite_to_svg(
            spec,
            allowed_base_urls=[],
            format_locale={
                "decimal": ".",
                "thousands": ",",
                "grouping": [3],
                "currency": [symbol, ""],
                "minus": "-",  # d3 writes U+2212 by default
            },
        )
    )


def serve() -> None:
    """Draw requests until stdin closes (runs in the worker process)."""
    from workbench.render.svg import UnsafeSvg, clean_svg

    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library printing to stdout must not corrupt the replies
    while (request := frames.receive(requests)) is not None:
        key, name, spec, symbol = request
        try:
            reply = (key, "svg", clean_svg(vega_svg(spec, symbol), f"chart-{name}"))
        except UnsafeSvg as exc:
            reply = (key, "refused", str(exc))
        except Exception as exc:  # noqa: BLE001 - a bad spec is a bug; the parent raises it
            reply = (key, "failed", f"vl-convert could not draw the {name} chart: {type(exc).__name__}: {exc}")
        frames.send(replies, reply)
