"""Run the benchmarks: ``python -m benchmarks [NAME ...] [-- ARGS]``.

Each module ``benchmarks/<name>.py`` exposes ``main(argv)``; it measures the project and
named baselines in the same run and prints medians, ratios and PASS/FAIL against the
goals of its issue. Without names, every benchmark runs in turn. Arguments after ``--``
go to each benchmark (for example ``--quick``).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


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
    for name in names or known:
        print(f"\n=== benchmark: {name} ===", flush=True)
        importlib.import_module(f"benchmarks.{name}").main(list(rest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
