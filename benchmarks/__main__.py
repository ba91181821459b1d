"""Run the benchmarks: ``python -m benchmarks [NAME ...] [-- ARGS]``.

Each module ``benchmarks/<name>.py`` exposes ``main(argv)``; it measures the project and
named baselines in the same run and prints medians, ratios and PASS/FAIL against the
goals of its issue. Without names, every benchmark runs in turn. Arguments after ``--``
go to each benchmark (for example ``--quick``).

Every benchmark runs to the end and prints everything; the exit code is 1 when any goal
failed — a benchmark whose ``main`` returned False, or that printed a ``FAIL`` verdict —
and 2 for unknown names.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path
from typing import Any, TextIO

VERDICT = re.compile(r"\bFAIL\b")


class _Watch:
    """stdout passed through, noting whether a FAIL verdict was printed."""

    def __init__(self, out: TextIO):
        self.out = out
        self.failed = False

    def write(self, text: str) -> int:
        if VERDICT.search(text):
            self.failed = True
        return self.out.write(text)

    def flush(self) -> None:
        self.out.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.out, name)


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(argv: list[str]) -> int:
    names, rest = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    known = available()
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(known)}", file=sys.stderr)
        return 2
    failed = []
    for name in names or known:
        print(f"\n=== benchmark: {name} ===", flush=True)
        watch = _Watch(sys.stdout)
        sys.stdout = watch  # type: ignore[assignment]
        try:
            result = importlib.import_module(f"benchmarks.{name}").main(list(rest))
        finally:
            sys.stdout = watch.out
        if result is False or watch.failed:
            failed.append(name)
    if failed:
        print(f"\ngoals failed in: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
