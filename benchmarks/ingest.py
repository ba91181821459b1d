"""Benchmark: ingesting a 1,000,000-line sales workbook, against named baselines.

Generates ``benchmarks/.data/ledger-<accounts>x<lines>-v3.xlsx`` once (deterministic, the
same generator as the sample ledger: ``kam ledger sample --accounts 500 --lines N``; sheets
销售 with a title above the header row, 收款 and 客户), then measures in the same run, each in
a fresh process (whole-process wall time, peak RSS of the process tree):

* ``project``: ``read_workbooks`` with the DEFAULT policies — read every sheet (sales,
  payments, customers), find headers, scan for formulas without values and merged cells,
  type every column, apply every rule;
* ``project (cached)``: the same through the content-hash cache (second run);
* ``polars calamine``: ``polars.read_excel(engine="calamine")`` of the sales sheet only —
  the bare fast read;
* ``pandas openpyxl``: ``pandas.read_excel(engine="openpyxl")`` of the sales sheet only —
  what most users write (minutes per run: ``--pandas-runs`` sets how many, default 3).

The baselines read only the sales sheet while the project reads the payments and customers
sheets too, so the ratios are conservative for the project. Prints medians, lines/s and the
ratios the ledger issue names (PASS/FAIL), checks that every tool returned the same number
of sales lines, and records the project's median in ``benchmarks/.data/ingest.json`` for
the facts benchmark.

Usage: ``python -m benchmarks ingest [-- --lines N --runs N --pandas-runs N --skip-pandas]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).parent / ".data"
GOALS = {"lines_per_s": 180_000, "vs_polars": 1.3, "vs_pandas": 10.0, "peak_mb": 1024, "cached_s": 0.5}
SHEET, HEADER_ROW = "销售", 2  # the generated workbook's sales sheet and its header row (0-based)

SNIPPETS = {
    "project": """
import time
t = time.perf_counter()
from pathlib import Path
from workbench.ledger.ingest import read_workbooks
from workbench.settings import Settings
s = Settings.model_validate({{"company": "B", "fiscal_year": 2026, "as_of": "2026-09-30"}})
t = time.perf_counter()
ledger = read_workbooks([Path({path!r})], s, cache_dir=Path({cache!r}) if {cache!r} else None)
print(f"inner {{time.perf_counter() - t:.3f}}")
print(ledger.sales.height)
""",
    "polars": """
import polars as pl
df = pl.read_excel({path!r}, sheet_name={sheet!r}, engine="calamine", read_options={{"header_row": {header}}})
print(df.height)
""",
    "pandas": """
import pandas as pd
df = pd.read_excel({path!r}, sheet_name={sheet!r}, engine="openpyxl", header={header})
print(len(df))
""",
}


INNER: dict[str, list[float]] = {}


def scale_workbook(accounts: int, lines: int) -> Path:
    """The benchmark workbook for this size, written once when missing (the facts
    benchmark ingests the same file)."""
    path = DATA / f"ledger-{accounts}x{lines}-v3.xlsx"
    if not path.exists():
        from workbench.ledger.sample_scale import generate_scale_ledger

        DATA.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate_scale_ledger(path, accounts, lines)
        print(f"generated {path.name} ({path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - started:.0f} s")
    return path


def _run(code: str, name: str = "") -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB of the whole process tree (the process and its children,
    such as the ledger reader's worker, sampled every 20 ms) and the printed row count of
    `code` in a fresh process (a printed ``inner S`` line records the in-process time under
    `name`)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_kb = 0
    while proc.poll() is None:
        peak_kb = max(peak_kb, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"benchmark snippet failed:\n{stderr}")
    for line in stdout.splitlines():
        if line.startswith("inner "):
            INNER.setdefault(name, []).append(float(line.split()[1]))
    return seconds, peak_kb / 1024, int(stdout.strip().splitlines()[-1])


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, from /proc (0 once gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _tree_rss_kb(int(child))
    except (OSError, ValueError):
        pass
    return total


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks ingest")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pandas-runs", type=int, default=3, help="pandas takes minutes per run")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--quick", action="store_true", help="100,000 lines, one run each")
    args = parser.parse_args(argv)
    if args.quick:
        args.lines, args.runs, args.pandas_runs = 100_000, 1, 1
    path = scale_workbook(args.accounts, args.lines)
    cache = DATA / "cache"
    import shutil

    shutil.rmtree(cache, ignore_errors=True)
    fill = {"path": str(path), "sheet": SHEET, "header": HEADER_ROW}
    results: dict[str, list[tuple[float, float, int]]] = {}
    for _ in range(args.runs):
        results.setdefault("project", []).append(_run(SNIPPETS["project"].format(**fill, cache=""), "project"))
        results.setdefault("polars calamine", []).append(_run(SNIPPETS["polars"].format(**fill)))
    _run(SNIPPETS["project"].format(**fill, cache=str(cache)))  # fills the cache
    for _ in range(args.runs):
        results.setdefault("project (cached)", []).append(
            _run(SNIPPETS["project"].format(**fill, cache=str(cache)), "cached")
        )
    if not args.skip_pandas:
        results["pandas openpyxl"] = [_run(SNIPPETS["pandas"].format(**fill)) for _ in range(args.pandas_runs)]
    med = {name: statistics.median(r[0] for r in runs) for name, runs in results.items()}
    peak = {name: max(r[1] for r in runs) for name, runs in results.items()}
    rows = results["project"][0][2]
    counts = {name: {r[2] for r in runs} for name, runs in results.items()}
    print(
        f"{rows:,} sales lines; medians of {args.runs} runs (pandas: {args.pandas_runs}), whole process incl. "
        "interpreter start; the project reads the payments and customers sheets too, the baselines only the "
        "sales sheet (conservative for the project)"
    )
    for name in results:
        print(f"  {name:<18} {med[name]:7.2f} s   {rows / med[name]:>10,.0f} lines/s   peak {peak[name]:6.0f} MB")
    inner = {k: statistics.median(v) for k, v in INNER.items()}
    print(f"  in-process: ingest {inner.get('project', 0):.2f} s, cached reload {inner.get('cached', 0):.3f} s")
    same = all(c == {rows} for c in counts.values())
    checks = [
        ("every tool read the same number of sales lines", float(rows), same),
        ("project lines/s ≥ 180,000", rows / med["project"], rows / med["project"] >= GOALS["lines_per_s"]),
        (
            "project / polars ≤ 1.3",
            med["project"] / med["polars calamine"],
            med["project"] / med["polars calamine"] <= GOALS["vs_polars"],
        ),
        ("project peak ≤ 1 GB (MB)", peak["project"], peak["project"] <= GOALS["peak_mb"]),
        (
            "cached reload ≤ 0.5 s (in-process)",
            inner.get("cached", 99.0),
            inner.get("cached", 99.0) <= GOALS["cached_s"],
        ),
        (
            "cached reload ≤ 0.5 s (whole process, incl. interpreter start and imports)",
            med["project (cached)"],
            med["project (cached)"] <= GOALS["cached_s"],
        ),
    ]
    if "pandas openpyxl" in med:
        ratio = med["pandas openpyxl"] / med["project"]
        checks.append(("pandas / project ≥ 10", ratio, ratio >= GOALS["vs_pandas"]))
    for label, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {value:,.2f}")
    if not same:
        print(f"  row counts: {counts}")
    record = DATA / "ingest.json"
    recorded = json.loads(record.read_text()) if record.exists() else {}
    recorded[f"{args.accounts}x{args.lines}"] = med["project"]
    record.write_text(json.dumps(recorded, indent=2))
