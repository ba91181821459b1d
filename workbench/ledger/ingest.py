"""Ingestion: the portfolio's workbooks → one canonical :class:`Ledger`, or every problem.

Per file: check and read it (``read``), recognise each sheet by name or by its headers and
find its header row (``columns``), type every column (``convert``). The typed frames of
each file are cached by content hash (``cache``). Then the data-quality rules run over all
files together (``rules``). Nothing downstream runs while any error remains.
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

    from workbench.portfolio import Portfolio
    from workbench.settings import Settings

ERROR_LIMIT = 50


def ledger_paths(portfolio: Portfolio) -> tuple[list[Path], list[Diagnostic]]:
    """The workbook files named in the settings (globs expanded), lock files skipped."""
    from workbench.ledger.read import is_lock_file
    from workbench.plan.load import display_path

    root = portfolio.root
    paths: list[Path] = []
    problems: list[Diagnostic] = []
    where = portfolio.settings_path
    for pattern in portfolio.settings.ledger.files:
        full = root / pattern
        matches = sorted(Path(p) for p in glob.glob(str(full))) if any(ch in pattern for ch in "*?[") else [full]
        matches = [p for p in matches if not is_lock_file(p)]
        if not matches or not all(p.is_file() for p in matches):
            problems.append(
                Diagnostic(
                    "no-workbook",
                    f"ledger file `{pattern}` does not exist (looked in {display_path(root)})",
                    Location(file=display_path(where)),
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
                        Location(file=display_path(where)),
                        hint="keep workbooks inside the portfolio folder",
                    )
                )
                continue
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
    from workbench.ledger.model import dtypes
    from workbench.ledger.rules import apply_rules

    parts: dict[str, list[pl.DataFrame]] = {k: [] for k in SHEET_KINDS}
    sources: list[SourceFile] = []
    problems: list[Diagnostic] = []
    bad_cells = 0
    key_settings = _parsing_key(settings)
    paths = list(paths)
    digests = {path: hashlib.sha256(path.read_bytes() if path.is_file() else b"").hexdigest() for path in paths}
    whole_key = _whole_key(settings, [digests[p] for p in paths], [_shown(p, base) for p in paths])
    if cache_dir is not None:
        whole = cache.load(cache_dir, whole_key, "ledger")
        if whole is not None:
            return _ledger_from_cache(*whole)
    for path in paths:
        shown = _shown(path, base)
        digest = digests[path]
        hit = cache.load(cache_dir, digest, key_settings) if cache_dir is not None else None
        if hit is not None:
            frames, sheets = hit
            frames = {k: f.with_columns(pl.lit(shown).alias("src_file")) for k, f in frames.items()}
            cached = True
        else:
            frames, sheets, found, n_bad = _read_one(path, shown, settings)
            problems += found
            bad_cells += n_bad
            cached = False
            if not found and cache_dir is not None:
                cache.store(cache_dir, digest, key_settings, frames, sheets)
        for kind, frame in frames.items():
            parts[kind].append(frame)
        sources.append(SourceFile(shown, digest, tuple(sheets), cached))
    if problems:
        raise WorkbenchError(_limited(problems, bad_cells))
    if not parts["sales"]:
        raise WorkbenchError(
            Diagnostic(
                "no-sales",
                "no sales sheet found in the ledger files",
                Location(file=", ".join(s.path for s in sources) or None),
                hint="name the sheet 销售 or sales, or add its name to `ledger.sheet_names.sales`",
            )
        )
    frames = {}
    for kind in SHEET_KINDS:
        if parts[kind]:
            frames[kind] = pl.concat(parts[kind], how="diagonal_relaxed")
        else:
            frames[kind] = pl.DataFrame(schema=dtypes(kind))
    frames, counts, rule_problems = apply_rules(frames, settings.ledger, settings.currency)
    if rule_problems:
        raise WorkbenchError(sorted(rule_problems, key=sort_key))
    canonical = {k: frames[k].select(list(dtypes(k))) for k in SHEET_KINDS}
    ledger = _ledger(canonical, tuple(sources), tuple(counts), bool(parts["customers"]))
    if cache_dir is not None:
        cache.store(cache_dir, whole_key, "ledger", canonical, [_meta(ledger)])  # type: ignore[list-item]
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


def _meta(ledger: Ledger) -> dict[str, object]:
    import dataclasses

    return {
        "sources": [dataclasses.asdict(s) for s in ledger.sources],
        "rules": [dataclasses.asdict(r) for r in ledger.rules],
        "customers_from_workbook": ledger.customers_from_workbook,
    }


def _ledger_from_cache(frames: dict[str, pl.DataFrame], meta: list[Any]) -> Ledger:
    from workbench.ledger.model import RuleCount

    info = meta[0]
    assert isinstance(info, dict)
    sources = tuple(
        SourceFile(s["path"], s["sha256"], tuple(tuple(x) for x in s["sheets"]), True) for s in info["sources"]
    )
    rules = tuple(
        RuleCount(r["rule"], r["policy"], r["rows"], r["amount"], tuple(r["examples"])) for r in info["rules"]
    )
    return _ledger(frames, sources, rules, bool(info["customers_from_workbook"]))


def _ledger(
    frames: dict[str, pl.DataFrame], sources: tuple[SourceFile, ...], rules: tuple[Any, ...], from_workbook: bool
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
    )


def _limited(problems: list[Diagnostic], bad_cells: int) -> list[Diagnostic]:
    problems = sorted(problems, key=sort_key)
    shown = problems[:ERROR_LIMIT]
    rest = max(bad_cells, len(problems)) - len(shown)
    if rest > 0:
        shown.append(
            Diagnostic(
                "more-errors",
                f"… and {rest} more bad cells not shown",
                hint="fix the ones above first; they usually share one cause",
            )
        )
    return shown


def _shown(path: Path, base: Path | None) -> str:
    """The path as users see it: relative to the current folder when inside it."""
    from workbench.plan.load import display_path

    return Path(display_path(path)).as_posix()


def _parsing_key(settings: Settings) -> str:
    led = settings.ledger
    relevant = {
        "column_map": led.column_map,
        "sheet_names": led.sheet_names,
        "date_formats": led.date_formats,
        "csv_encodings": led.csv_encodings,
        "max_file_mb": led.max_file_mb,
    }
    import json

    return hashlib.sha256(json.dumps(relevant, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _read_one(
    path: Path, shown: str, settings: Settings
) -> tuple[dict[str, pl.DataFrame], list[tuple[str, str, int]], list[Diagnostic], int]:
    from workbench.ledger.columns import (
        best_header_row,
        closest_headers,
        sheet_kind_by_name,
    )
    from workbench.ledger.convert import type_sheet
    from workbench.ledger.read import header_rows, read_file

    led = settings.ledger
    sheets_raw, problems = read_file(path, shown, led)
    frames: dict[str, pl.DataFrame] = {}
    sheets: list[tuple[str, str, int]] = []
    bad_total = 0
    for raw in sheets_raw:
        rows = header_rows(raw)
        named = sheet_kind_by_name(raw.name, led.sheet_names) if raw.name else None
        kinds = [named] if named else list(SHEET_KINDS)
        best = best_header_row(rows, kinds, led.column_map)
        if best is None:
            if named:
                problems.append(
                    Diagnostic(
                        "no-header",
                        f"sheet `{raw.name}` looks like {named} but no header row was found "
                        f"in its first {len(rows)} rows",
                        Location(file=shown, sheet=raw.name),
                        hint="the header row names the columns, e.g. 日期, 客户编号, 数量, 单价",
                    )
                )
            continue  # an unrelated sheet (notes, pivot tables)
        header_index, match = best
        if match.missing:
            if not named and match.score < 3:
                continue
            headers = rows[header_index]
            for canonical in match.missing:
                near = closest_headers(canonical, match.kind, headers)
                found = ", ".join(str(h) for h in headers if str(h or "").strip())
                problems.append(
                    Diagnostic(
                        "missing-column",
                        f"the {match.kind} sheet has no `{canonical}` column",
                        Location(file=shown, sheet=raw.name or None, row=header_index + 1),
                        hint=(f"closest headers: {', '.join(near)}; " if near else "")
                        + f"headers found: {found}; map yours with `ledger.column_map.{match.kind}.{canonical}` in kam.yaml",
                    )
                )
            continue
        cols = raw.frame.columns
        mapping = {canonical: cols[i] for canonical, i in match.columns.items()}
        header_text = {canonical: str(rows[header_index][i]) for canonical, i in match.columns.items()}
        data = raw.frame.slice(header_index + 1)
        typed, cell_problems, n_bad = type_sheet(
            data,
            match.kind,
            mapping,
            header_text,
            header_index + 2,
            shown,
            raw.name,
            date1904=raw.date1904,
            date_formats=led.date_formats,
        )
        if match.kind == "sales" and "unit_cost" not in mapping and "profit" in mapping:
            typed = _cost_from_profit(typed)
        problems += cell_problems
        bad_total += n_bad
        if match.kind in frames:
            import polars as pl

            frames[match.kind] = pl.concat([frames[match.kind], typed], how="diagonal_relaxed")
        else:
            frames[match.kind] = typed
        sheets.append((raw.name, match.kind, typed.height))
    return frames, sheets, problems, bad_total


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
