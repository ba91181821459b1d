"""Ingestion: the portfolio's workbooks → one canonical :class:`Ledger`, or every problem.

Per file: check and read it once (``read``), recognise each sheet by name or by its headers
and find its header row (``columns``), name what the reader found wrong in the data
(``locate``), type every column (``convert``). The typed frames of each file are cached by
content hash (``cache``). Then come the checks across files (``consistency``) and the
data-quality rules (``rules``). Nothing downstream runs while any error remains.
"""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import Diagnostic, Location, WorkbenchError, sort_key
from workbench.ledger.model import SHEET_KINDS, Ledger, SourceFile

if TYPE_CHECKING:
    import polars as pl

    from workbench.ledger.read import RawSheet, Source
    from workbench.portfolio import Portfolio
    from workbench.settings import Settings

ERROR_LIMIT = 50
CELL_CODES = (
    "bad-date",
    "bad-number",
    "bad-id",
    "missing-value",
    "error-cell",
    "formula-without-value",
    "merged-cells",
    "extra-fields",
    "text-too-long",
)
"""Diagnostics about one cell or row: at most ERROR_LIMIT of them are shown, with a count of
the rest by kind. Problems with a whole file or sheet are always shown."""


def ledger_paths(portfolio: Portfolio) -> tuple[list[Path], list[Diagnostic]]:
    """The workbook files named in the settings (globs expanded, each file once), lock files
    skipped."""
    from workbench.ledger.read import is_lock_file
    from workbench.plan.load import display_path

    root = portfolio.root
    paths: list[Path] = []
    seen: set[Path] = set()
    problems: list[Diagnostic] = []
    where = Location(file=display_path(portfolio.settings_path))
    for pattern in portfolio.settings.ledger.files:
        full = root / pattern
        is_glob = any(ch in pattern for ch in "*?[")
        if not is_glob and is_lock_file(full):
            problems.append(
                Diagnostic(
                    "lock-file",
                    f"`{pattern}` is the lock file Excel or LibreOffice keeps while a workbook is open, not a workbook",
                    where,
                    hint=f"list the workbook itself (`{full.name.removeprefix('~$').removeprefix('.~lock.').rstrip('#')}`)",
                )
            )
            continue
        matches = sorted(Path(p) for p in glob.glob(str(full))) if is_glob else [full]
        matches = [p for p in matches if not is_lock_file(p)]
        if not matches or not all(p.is_file() for p in matches):
            problems.append(
                Diagnostic(
                    "no-workbook",
                    f"ledger file `{pattern}` does not exist (looked in {display_path(root)})",
                    where,
                    hint="check `ledger.files` in kam.yaml; for the sample run `kam ledger sample`",
                )
            )
            continue
        for p in matches:
            resolved = p.resolve()
            if not resolved.is_relative_to(root.resolve()):
                problems.append(
                    Diagnostic(
                        "outside-portfolio",
                        f"ledger file `{pattern}` is outside the portfolio folder",
                        where,
                        hint="keep workbooks inside the portfolio folder",
                    )
                )
                continue
            if resolved not in seen:  # a file matched by a glob and named too is read once
                seen.add(resolved)
                paths.append(p)
    return paths, problems


def load_ledger(portfolio: Portfolio, *, use_cache: bool = True) -> Ledger:
    """The ledger of `portfolio` (customers from the plans when no customers sheet exists)."""
    paths, problems = ledger_paths(portfolio)
    if problems:
        raise WorkbenchError(problems)
    cache_dir = portfolio.root / ".kam-cache" if use_cache else None
    ledger = read_workbooks(paths, portfolio.settings, base=portfolio.root, cache_dir=cache_dir)
    if not ledger.customers_from_workbook:
        ledger = _customers_from_plans(ledger, portfolio)
    return ledger


def read_workbooks(
    paths: Iterable[Path], settings: Settings, *, base: Path | None = None, cache_dir: Path | None = None
) -> Ledger:
    """Read, type and check `paths` into one Ledger; raise WorkbenchError with every problem."""
    import polars as pl

    from workbench.ledger import cache
    from workbench.ledger.consistency import check_customers
    from workbench.ledger.model import dtypes
    from workbench.ledger.read import load_bytes
    from workbench.ledger.rules import apply_rules

    parts: dict[str, list[pl.DataFrame]] = {k: [] for k in SHEET_KINDS}
    sources: list[SourceFile] = []
    problems: list[Diagnostic] = []
    counts: dict[str, int] = {}
    notes: list[str] = []
    key_settings = _parsing_key(settings)
    paths = list(paths)
    shown = {p: _shown(p, base) for p in paths}
    contents: dict[Path, Source] = {}
    for path in paths:
        source, found = load_bytes(path, shown[path], settings.ledger)
        problems += found
        if source is not None:
            contents[path] = source
    if problems:
        raise WorkbenchError(sorted(problems, key=sort_key))
    digests = {p: contents[p].digest for p in paths}
    whole_key = _whole_key(settings, [digests[p] for p in paths], [shown[p] for p in paths])
    used: set[str] = set()
    if cache_dir is not None:
        used.add(cache.entry_name(whole_key, "ledger"))
        whole = cache.load(cache_dir, whole_key, "ledger")
        if whole is not None:
            cache.prune(cache_dir, used | {cache.entry_name(digests[p], key_settings) for p in paths})
            return _ledger_from_cache(*whole)
    for path in paths:
        digest = digests[path]
        hit = cache.load(cache_dir, digest, key_settings) if cache_dir is not None else None
        if hit is not None:
            frames, meta = hit
            frames = {k: f.with_columns(pl.lit(shown[path]).alias("src_file")) for k, f in frames.items()}
            sheets = [tuple(s) for s in meta["sheets"]]
            file_notes = list(meta.get("notes", []))
            cached = True
        else:
            frames, sheets, found, found_counts, file_notes = _read_one(contents.pop(path), shown[path], settings)
            problems += found
            for code, n in found_counts.items():
                counts[code] = counts.get(code, 0) + n
            cached = False
            if not found and cache_dir is not None:
                cache.store(cache_dir, digest, key_settings, frames, {"sheets": sheets, "notes": file_notes})
        if cache_dir is not None:
            used.add(cache.entry_name(digest, key_settings))
        contents.pop(path, None)
        notes += file_notes
        for kind, frame in frames.items():
            parts[kind].append(frame)
        sources.append(SourceFile(shown[path], digest, tuple(sheets), cached))
    if problems:
        raise WorkbenchError(_limited(problems, counts))
    if not parts["sales"]:
        hidden = [n for n in notes if "hidden sheet" in n]
        raise WorkbenchError(
            Diagnostic(
                "no-sales",
                "no sales sheet found in the ledger files",
                Location(file=", ".join(s.path for s in sources) or None),
                hint="name the sheet 销售 or sales, or add its name to `ledger.sheet_names.sales`"
                + (f" ({'; '.join(hidden)}: unhide the sheet if it holds the sales)" if hidden else ""),
            )
        )
    frames = {}
    for kind in SHEET_KINDS:
        if parts[kind]:
            frames[kind] = pl.concat(parts[kind], how="diagonal_relaxed")
        else:
            frames[kind] = pl.DataFrame(schema=dtypes(kind))
    frames, found = check_customers(frames)
    if found:
        raise WorkbenchError(_limited(found, {}))
    frames, rule_counts, rule_problems, rule_notes = apply_rules(frames, settings.ledger, settings.currency)
    if rule_problems:
        raise WorkbenchError(rule_problems)
    canonical = {k: frames[k].select(list(dtypes(k))) for k in SHEET_KINDS}
    ledger = _ledger(canonical, tuple(sources), tuple(rule_counts), bool(parts["customers"]), (*notes, *rule_notes))
    if cache_dir is not None:
        cache.store(cache_dir, whole_key, "ledger", canonical, _meta(ledger))
        cache.prune(cache_dir, used)
    return ledger


def _whole_key(settings: Settings, digests: list[str], shown: list[str]) -> str:
    """Key of a whole ledger: every file's content and name, and every setting that matters."""
    import json

    led = settings.ledger.model_dump(mode="json")
    text = json.dumps(
        {"files": list(zip(shown, digests, strict=True)), "ledger": led, "currency": settings.currency},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _meta(ledger: Ledger) -> dict[str, Any]:
    import dataclasses

    return {
        "sources": [dataclasses.asdict(s) for s in ledger.sources],
        "rules": [dataclasses.asdict(r) for r in ledger.rules],
        "customers_from_workbook": ledger.customers_from_workbook,
        "notes": list(ledger.notes),
    }


def _ledger_from_cache(frames: dict[str, pl.DataFrame], info: dict[str, Any]) -> Ledger:
    from workbench.ledger.model import RuleCount

    sources = tuple(
        SourceFile(s["path"], s["sha256"], tuple(tuple(x) for x in s["sheets"]), True) for s in info["sources"]
    )
    rules = tuple(
        RuleCount(r["rule"], r["policy"], r["rows"], r["amount"], tuple(r["examples"])) for r in info["rules"]
    )
    return _ledger(frames, sources, rules, bool(info["customers_from_workbook"]), tuple(info.get("notes", ())))


def _ledger(
    frames: dict[str, pl.DataFrame],
    sources: tuple[SourceFile, ...],
    rules: tuple[Any, ...],
    from_workbook: bool,
    notes: tuple[str, ...] = (),
) -> Ledger:
    return Ledger(
        sales=frames["sales"],
        payments=frames["payments"],
        inventory=frames["inventory"],
        prices=frames["prices"],
        customers=frames["customers"],
        sources=sources,
        rules=rules,
        customers_from_workbook=from_workbook,
        notes=notes,
    )


def _limited(problems: list[Diagnostic], counts: dict[str, int]) -> list[Diagnostic]:
    """Every file- and sheet-level problem, and the first ERROR_LIMIT cell-level ones with a
    count of the rest by kind (`counts` holds the number of every cell-level problem found,
    shown or not)."""
    problems = sorted(problems, key=sort_key)
    structural = [d for d in problems if d.code not in CELL_CODES]
    cells = [d for d in problems if d.code in CELL_CODES]
    shown = cells[:ERROR_LIMIT]
    rest = dict(counts)
    for d in cells:  # problems found but not counted by their producer
        rest.setdefault(d.code, 0)
    listed = {code: sum(1 for d in cells if d.code == code) for code in rest}
    for code in rest:
        rest[code] = max(rest[code], listed[code]) - sum(1 for d in shown if d.code == code)
    tail = [f"{n:,} {code}" for code, n in sorted(rest.items(), key=lambda kv: (-kv[1], kv[0])) if n > 0]
    out = sorted(structural + shown, key=sort_key)
    if tail:
        total = sum(n for n in rest.values() if n > 0)
        out.append(
            Diagnostic(
                "more-errors",
                f"… and {total:,} more bad cells not shown ({', '.join(tail)})",
                hint="fix the ones above first; they usually share one cause",
            )
        )
    return out


def _shown(path: Path, base: Path | None) -> str:
    """The path as users see it: relative to the current folder when inside it."""
    from workbench.plan.load import display_path

    return Path(display_path(path)).as_posix()


def _parsing_key(settings: Settings) -> str:
    import json

    led = settings.ledger
    relevant = {
        "column_map": led.column_map,
        "sheet_names": led.sheet_names,
        "date_formats": led.date_formats,
        "decimal_comma": led.decimal_comma,
        "csv_encodings": led.csv_encodings,
        "max_file_mb": led.max_file_mb,
    }
    return hashlib.sha256(json.dumps(relevant, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _read_one(
    source: Source, shown: str, settings: Settings
) -> tuple[dict[str, pl.DataFrame], list[tuple[str, str, int]], list[Diagnostic], dict[str, int], list[str]]:
    """Typed frames of one file by sheet kind, its sheets (name, kind, rows), problems,
    counts of cell-level problems by code, and notes for the report."""
    import polars as pl

    from workbench.ledger.read import read_file

    read = read_file(source, shown, settings.ledger)
    frames: dict[str, pl.DataFrame] = {}
    sheets: list[tuple[str, str, int]] = []
    problems = list(read.problems)
    counts: dict[str, int] = {}
    for raw in read.sheets:
        outcome = _read_sheet(raw, settings)
        if outcome is None:
            continue
        kind, typed, found, found_counts = outcome
        problems += found
        for code, n in found_counts.items():
            counts[code] = counts.get(code, 0) + n
        if typed is None:
            continue
        frames[kind] = pl.concat([frames[kind], typed], how="diagonal_relaxed") if kind in frames else typed
        sheets.append((raw.name, kind, typed.height))
    return frames, sheets, problems, counts, read.notes


def _read_sheet(
    raw: RawSheet, settings: Settings
) -> tuple[str, pl.DataFrame | None, list[Diagnostic], dict[str, int]] | None:
    """One sheet: its kind, typed frame (None when its columns are wrong), problems and counts
    of cell-level problems; None for a sheet that is not ledger data (notes, pivot tables)."""
    from workbench.ledger.columns import best_header_row, closest_headers, sheet_kind_by_name
    from workbench.ledger.convert import TypeOptions, type_sheet
    from workbench.ledger.locate import reader_issues
    from workbench.ledger.read import header_rows
    from workbench.ledger.zipscan import column_name

    led = settings.ledger
    rows = header_rows(raw)
    named = sheet_kind_by_name(raw.name, led.sheet_names) if raw.name else None
    kinds = [named] if named else list(SHEET_KINDS)
    best = best_header_row(rows, kinds, led.column_map)
    where: dict[str, Any] = {"file": raw.file, "sheet": raw.name or None}
    if best is None:
        if not named:
            return None
        return (
            named,
            None,
            [
                Diagnostic(
                    "no-header",
                    f"sheet `{raw.name}` looks like {named} but no header row was found in its first {len(rows)} rows",
                    Location(**where),
                    hint="the header row names the columns, e.g. 日期, 客户编号, 数量, 单价",
                )
            ],
            {},
        )
    header_index, match = best
    headers = rows[header_index]
    header_row = header_index + 1  # 1-based sheet row
    problems: list[Diagnostic] = []
    if match.missing:
        if not named and match.score < 3:
            return None
        found = ", ".join(str(h) for h in headers if str(h or "").strip())
        for canonical in match.missing:
            near = closest_headers(canonical, match.kind, headers)
            problems.append(
                Diagnostic(
                    "missing-column",
                    f"the {match.kind} sheet has no `{canonical}` column",
                    Location(**where, row=header_row),
                    hint=(f"closest headers: {', '.join(near)}; " if near else "")
                    + f"headers found: {found}; map yours with `ledger.column_map.{match.kind}.{canonical}` in kam.yaml",
                )
            )
    cols = raw.frame.columns
    absolute = [int(c[1:]) for c in cols]  # frame position → sheet column index
    for canonical, columns in match.duplicates.items():
        letters = " and ".join(column_name(absolute[i]) for i in columns)
        problems.append(
            Diagnostic(
                "duplicate-column",
                f"columns {letters} are both headed `{headers[columns[0]]}`: which one holds `{canonical}` is a guess",
                Location(**where, row=header_row),
                hint="delete or rename the column that is not the one to read (if you rename the right one, "
                f"map it with `ledger.column_map.{match.kind}.{canonical}` in kam.yaml)",
            )
        )
    if problems:
        return match.kind, None, problems, {}
    mapping = {canonical: cols[i] for canonical, i in match.columns.items()}
    header_text = {canonical: str(headers[i]) for canonical, i in match.columns.items()}
    used = {absolute[i]: str(headers[i]) for i in match.columns.values()}
    located, counts = reader_issues(raw, header_row, used)
    data = raw.frame.slice(header_row - raw.first_row + 1)
    typed = type_sheet(
        data,
        match.kind,
        mapping,
        header_text,
        header_row + 1,
        raw.file,
        raw.name,
        TypeOptions(raw.date1904, led.date_formats, led.decimal_comma, raw.from_text),
    )
    for code, n in typed.counts.items():
        counts[code] = counts.get(code, 0) + n
    frame = typed.frame
    if match.kind == "sales" and "unit_cost" not in mapping and "profit" in mapping:
        frame = _cost_from_profit(frame)
    explained = [d for d in typed.diagnostics if _explained(d, raw, located, {v: k for k, v in used.items()})]
    for d in explained:  # an empty cell inside a merged range or a formula without value: said once
        counts[d.code] -= 1
    problems = located + [d for d in typed.diagnostics if d not in explained]
    return match.kind, frame, problems, counts


def _explained(d: Diagnostic, raw: RawSheet, located: list[Diagnostic], columns: dict[str, int]) -> bool:
    """Whether an empty cell is already explained by a merged range or a reader finding."""
    loc = d.location
    col = columns.get(loc.column or "")
    if d.code != "missing-value" or col is None or loc.row is None:
        return False
    if any(r1 <= loc.row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in raw.merges):
        return True
    return any(x.location.row == loc.row and (x.location.column or "").startswith(f"{loc.column} (") for x in located)


def _cost_from_profit(typed: pl.DataFrame) -> pl.DataFrame:
    """Unit cost derived from a line profit: (amount − profit) / quantity."""
    import polars as pl

    from workbench.ledger.model import PRICE_SCALE

    revenue = pl.col("quantity") * pl.col("unit_price")
    cost = ((revenue - pl.col("profit")) / pl.col("quantity")).cast(pl.Decimal(38, PRICE_SCALE))
    return typed.with_columns(pl.when(pl.col("quantity") != 0).then(cost).otherwise(None).alias("unit_cost"))


def _customers_from_plans(ledger: Ledger, portfolio: Portfolio) -> Ledger:
    import dataclasses

    import polars as pl

    from workbench.ledger.model import dtypes

    rows = []
    for lp in portfolio.plans:
        p = lp.plan
        rows.append(
            {
                "customer": p.account_id,
                "name": p.customer.static.short_name,
                "owner": p.owner,
                "region": p.customer.static.region,
                "credit_term_days": p.customer.credit.term_days,
                "credit_limit": p.customer.credit.limit,
                "src_file": str(lp.path),
                "src_sheet": "",
                "src_row": 1,
            }
        )
    frame = pl.DataFrame(rows, schema=dtypes("customers")) if rows else pl.DataFrame(schema=dtypes("customers"))
    return dataclasses.replace(ledger, customers=frame)
