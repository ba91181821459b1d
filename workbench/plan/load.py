"""Loading plans and settings: text → validated models, or every problem at once.

``read_text_file`` (``workbench.plan.reader``) turns the text into plain data with
positions; pydantic types it against the model; each pydantic error becomes a
:class:`~workbench.errors.Diagnostic` pointing at ``file:line:col`` with an id-based path
(``goals.this_year[G2].target``), the source line and a hint (did-you-mean for misspelt
keys, the allowed values of an enumeration). Cross-field rules (``workbench.plan.links``)
run on every plan that validated. Nothing is returned unless everything is valid.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from workbench.errors import Diagnostic, Location, UsageError, WorkbenchError, sort_key
from workbench.plan.reader import Loc, Source, id_path, read_text_file

PLAN_SUFFIXES = (".yaml", ".yml", ".json")

# Custom model errors (PydanticCustomError types) → the child field to point at.
_POINT_AT = {
    "due-before-start": "due",
    "end-before-start": "end",
    "target-required": "metric",
    "blacklist-reason": "blacklisted",
    "bad-class": "value",
}

_CODES = {
    "extra_forbidden": "unknown-field",
    "missing": "missing-field",
    "enum": "bad-choice",
    "literal_error": "bad-choice",
    "bool_parsing": "bad-boolean",
    "bool_type": "bad-boolean",
    "string_pattern_mismatch": "bad-format",
    "string_too_long": "too-long",
    "string_too_short": "empty-text",
    "list_type": "wrong-shape",
    "dict_type": "wrong-shape",
    "model_type": "wrong-shape",
    "model_attributes_type": "wrong-shape",
    "string_type": "wrong-shape",
}
_NUMBER_TYPES = ("int_", "decimal_", "float_", "greater_than", "less_than", "multiple_of", "finite_number")


def display_path(path: Path) -> str:
    """`path` relative to the current folder when it is inside it (what users typed)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_source(path: Path) -> Source:
    """Read and parse one file; I/O problems become diagnostics."""
    shown = display_path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(path)
        with path.open("rb") as fh:
            from workbench.plan.reader import MAX_BYTES

            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        src = Source(file=shown)
        src.error("no-such-file", "file not found", None, hint="check the path")
        return src
    except OSError as exc:
        src = Source(file=shown)
        src.error("unreadable", f"cannot read the file: {exc.strerror or exc}", None)
        return src
    return read_text_file(raw, shown)


# ------------------------------------------------------------------ model validation


def validate_source(src: Source, model: type[Any]) -> Any | None:
    """Validate `src.data` against `model`; on failure add located diagnostics, return None."""
    from pydantic import BaseModel, ValidationError

    if src.data is None:
        if src.ok:
            src.error("empty-file", "the file is empty", None)
        return None
    if not isinstance(src.data, dict):
        src.error("wrong-shape", "the file must be a mapping of `key: value` lines at the top level", src.value_pos(()))
        return None
    assert issubclass(model, BaseModel)
    try:
        obj = model.model_validate(src.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            src.diagnostics.append(_diagnostic(src, model, err))
        return None
    return obj if src.ok else None


def _diagnostic(src: Source, model: type[Any], err: Any) -> Diagnostic:
    kind: str = err["type"]
    loc = _data_loc(src.data, tuple(err["loc"]))
    given = err.get("input")
    msg = str(err["msg"]).removeprefix("Value error, ")
    hint = None
    path_loc = loc
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = list(_fields(_model_at(model, loc[:-1])))
        near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        msg = f"unknown field `{key}`"
        hint = f"did you mean `{near[0]}`?" if near else (f"allowed here: {', '.join(allowed)}" if allowed else None)
        pos = src.key_pos(loc)
        parent = _get(src.data, loc[:-1])
        line = src.lines[pos.line - 1] if pos is not None and 0 < pos.line <= len(src.lines) else ""
        if isinstance(parent, dict) and parent.get(key) is None and "{" in line and not near:
            hint = "inside `{…}` a comma separates fields: put text that contains commas in quotes"
    elif kind == "missing":
        field = str(loc[-1])
        msg = f"`{field}` is required"
        info = _fields(_model_at(model, loc[:-1])).get(field)
        hint = info.description if info is not None and info.description else None
        pos = src.key_pos(loc[:-1]) if loc[:-1] else src.value_pos(())
    elif kind in ("enum", "literal_error"):
        expected = _choices(model, loc)
        near = difflib.get_close_matches(str(given), expected, n=1, cutoff=0.5)
        msg = f"`{given}` is not one of: {', '.join(expected)}" if expected else msg
        hint = f"did you mean `{near[0]}`?" if near else None
        pos = src.value_pos(loc)
    elif kind in _POINT_AT:
        path_loc = (*loc, _POINT_AT[kind])
        pos = src.key_pos(path_loc)
    else:
        pos = src.value_pos(loc)
        if kind.endswith("_parsing") and kind.startswith(_NUMBER_TYPES):
            msg = f"`{_clip(str(given))}` is not a number"
            hint = "write digits only, e.g. 1200000 or 0.25 (rates are fractions)"
        elif kind.endswith("_parsing") and kind.startswith("bool"):
            msg = f"`{_clip(str(given))}` is not true or false"
        elif (
            given is not None
            and isinstance(given, str)
            and not kind.startswith("string_too")
            and f"`{given}`" not in msg
        ):
            msg = f"`{_clip(given)}`: {msg}"
    code = _code(kind)
    if code == "bad-format" and str(loc[-1] if not isinstance(loc[-1], int) else loc[-2]) in (
        "id",
        "account_id",
        "goals",
        "actions",
        "contacts",
        "strategy",
    ):
        code = "bad-id"
        hint = "ids are letters, digits, `-`, `_` or `.`, starting with a letter or digit (e.g. `G2`, `A-visit-0312`)"
    return Diagnostic(code, msg, src.location(pos, id_path(src.data, path_loc) or None), hint=hint)


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _code(kind: str) -> str:
    if kind in _CODES:
        return _CODES[kind]
    if kind in _POINT_AT or "-" in kind:
        return kind
    if kind.startswith("date") or kind.startswith("datetime"):
        return "bad-date"
    if kind.startswith(_NUMBER_TYPES):
        return "bad-number"
    return "invalid-value"


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's union/tag members from `loc`, keeping the parts that exist in the data."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif node is None and i == len(loc) - 1 and isinstance(part, str | int):
            out.append(part)  # a missing field of a present mapping
        else:
            continue
    return tuple(out)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete classes inside Optional / list / dict / Annotated annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        return [c for a in typing.get_args(annotation) for c in _unwrap(a)]
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if origin is typing.Literal:
        return [annotation]
    return [annotation]


def _model_at(model: type[Any], loc: Sequence[str | int]) -> type[Any] | None:
    from pydantic import BaseModel

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        models = [c for c in _unwrap(info.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        current = models[0] if models else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _fields(model: type[Any] | None) -> dict[str, Any]:
    return dict(model.model_fields) if model is not None else {}


def _choices(model: type[Any], loc: Loc) -> list[str]:
    parts = [p for p in loc if not isinstance(p, int)]
    owner = _model_at(model, parts[:-1]) if parts else None
    info = _fields(owner).get(str(parts[-1])) if parts else None
    if info is None:
        return []
    out: list[str] = []
    for c in _unwrap(info.annotation):
        if isinstance(c, type) and issubclass(c, Enum):
            out += [str(m.value) for m in c]
        elif typing.get_origin(c) is typing.Literal:
            out += [str(a) for a in typing.get_args(c)]
    return out


# ------------------------------------------------------------------------ positions


def positions(src: Source) -> dict[str, tuple[int, int]]:
    """id-path → (line, col) for every key and value of the file (key position preferred)."""
    out: dict[str, tuple[int, int]] = {}
    for loc, pos in src.values.items():
        out[id_path(src.data, loc)] = (pos.line, pos.col)
    for loc, pos in src.keys.items():
        out[id_path(src.data, loc)] = (pos.line, pos.col)
    return out


# ---------------------------------------------------------------------------- public


def load_settings(root: Path) -> tuple[Any, Path]:
    """The portfolio settings (``kam.yaml``) of folder `root`; raises WorkbenchError."""
    from workbench.settings import SETTINGS_FILE, Settings

    path = root / SETTINGS_FILE
    if not root.is_dir():
        raise UsageError(
            Diagnostic(
                "no-portfolio",
                f"portfolio folder `{display_path(root)}` does not exist",
                Location(file=display_path(root)),
                hint="pass the folder that holds kam.yaml with --portfolio",
            )
        )
    if not path.is_file():
        raise UsageError(
            Diagnostic(
                "no-settings",
                f"`{display_path(root)}` has no {SETTINGS_FILE}",
                Location(file=display_path(path)),
                hint="a portfolio folder holds kam.yaml (see plans/kam.yaml) and the plan files",
            )
        )
    src = read_source(path)
    settings = validate_source(src, Settings) if src.ok else None
    if settings is None:
        raise WorkbenchError(sorted(src.diagnostics, key=sort_key))
    return settings, path


def load_plan(path: Path, fiscal_year: int | None = None) -> Any:
    """One plan file as a :class:`~workbench.portfolio.LoadedPlan`; raises WorkbenchError."""
    loaded, diagnostics = _load_plan(path, fiscal_year)
    if loaded is None or diagnostics:
        raise WorkbenchError(sorted(diagnostics, key=sort_key))
    return loaded


def _load_plan(path: Path, fiscal_year: int | None) -> tuple[Any | None, list[Diagnostic]]:
    from workbench.plan.links import check_links
    from workbench.plan.model import Plan
    from workbench.portfolio import LoadedPlan

    src = read_source(path)
    if not src.ok:
        return None, src.diagnostics
    links = check_links(src) if isinstance(src.data, dict) else []
    plan = validate_source(src, Plan)
    if plan is None:
        return None, src.diagnostics + links
    loaded = LoadedPlan(plan=plan, path=Path(src.file), positions=positions(src), lines=src.lines)
    diagnostics = links
    if fiscal_year is not None and plan.fiscal_year != fiscal_year:
        diagnostics.append(
            Diagnostic(
                "wrong-fiscal-year",
                f"the plan is for fiscal year {plan.fiscal_year}, the portfolio for {fiscal_year}",
                loaded.locate("fiscal_year"),
                hint="keep one fiscal year per portfolio folder (archive last year's plans elsewhere)",
            )
        )
    return loaded, diagnostics


def plan_files(root: Path) -> list[Path]:
    """The plan files of a portfolio folder: ``*.yaml``, ``*.yml``, ``*.json`` except kam.yaml."""
    from workbench.settings import SETTINGS_FILE

    return sorted(
        p
        for p in root.iterdir()
        if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES and p.name != SETTINGS_FILE and not p.name.startswith(".")
    )


def load_portfolio(root: Path, paths: Iterable[Path] | None = None) -> Any:
    """Settings and every plan of folder `root` (or only `paths`), checked together.

    Raises one WorkbenchError carrying every problem of every file."""
    from workbench.portfolio import Portfolio

    root = Path(root)
    diagnostics: list[Diagnostic] = []
    try:
        settings, settings_path = load_settings(root)
    except UsageError:
        raise
    except WorkbenchError as exc:
        diagnostics += exc.diagnostics
        settings, settings_path = None, root / "kam.yaml"
    files = list(paths) if paths is not None else plan_files(root)
    plans = []
    seen: dict[str, Any] = {}
    for path in files:
        loaded, found = _load_plan(path, settings.fiscal_year if settings is not None else None)
        diagnostics += found
        if loaded is None:
            continue
        first = seen.get(loaded.plan.account_id)
        if first is not None:
            diagnostics.append(
                Diagnostic(
                    "duplicate-account",
                    f"account `{loaded.plan.account_id}` already has a plan in {first.path}",
                    loaded.locate("account_id"),
                    hint="one plan per account and fiscal year: merge the two files",
                )
            )
            continue
        seen[loaded.plan.account_id] = loaded
        plans.append(loaded)
    if diagnostics:
        raise WorkbenchError(sorted(diagnostics, key=sort_key))
    assert settings is not None
    plans.sort(key=lambda p: p.plan.account_id)
    return Portfolio(root=root, settings=settings, settings_path=settings_path, plans=tuple(plans))
