"""Model validation of parsed data, with every problem turned into a located diagnostic.

pydantic types the data against the model; each of its errors becomes a
:class:`~workbench.errors.Diagnostic` pointing at ``file:line:col`` with an id-based path
(``goals.this_year[G2].target``), the source line and a hint (did-you-mean for misspelt
keys, the allowed values of an enumeration), worded by this project rather than by
pydantic.

Cross-field checks are the models' own ``model_validator(mode="after")`` functions.
pydantic skips them for an object as soon as one of its fields fails, so an action with
``form: vist`` would never say that it is due before it starts. :func:`_cross_field`
therefore runs them again, for exactly the objects pydantic skipped, on a *partial*
object: the fields that validate on their own, the failing ones left unset (a check that
needs one of those is not run). Each check thus reports once, whether the rest of the
object is valid or not.
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
import re
import types
import typing
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import Any

from workbench.errors import Diagnostic
from workbench.plan.reader import Loc, Source, id_path

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
    "value_error": "invalid-value",
    "assertion_error": "invalid-value",
}
_NUMBER_TYPES = ("int_", "decimal_", "float_", "greater_than", "less_than", "multiple_of", "finite_number")
_BOUNDS = {
    "greater_than_equal": ("ge", "`{v}` is too small: the minimum is {b}"),
    "greater_than": ("gt", "`{v}` is too small: it must be more than {b}"),
    "less_than_equal": ("le", "`{v}` is too large: the maximum is {b}"),
    "less_than": ("lt", "`{v}` is too large: it must be less than {b}"),
}
_SHAPES = {"list_type": "list", "dict_type": "mapping", "model_type": "mapping", "model_attributes_type": "mapping"}


def validate_data(src: Source, model: type[Any], context: dict[str, Any] | None = None) -> Any | None:
    """Validate `src.data` against `model`; on failure add located diagnostics, return None.

    Parse-level errors already in `src` do not stop this (their values were dropped and
    their locations poisoned), but the result is None unless the whole file is clean."""
    from pydantic import BaseModel, ValidationError

    if src.fatal:
        return None
    if src.data is None:
        if src.ok:
            src.error("empty-file", "the file is empty", None, hint="start from `kam new ACCOUNT_ID --name NAME`")
        return None
    if not isinstance(src.data, dict):
        src.error(
            "wrong-shape",
            "the file must be a mapping of `key: value` lines at the top level",
            src.value_pos(()),
            hint="a plan starts with `account_id: ...` (see `kam new`)",
        )
        return None
    assert issubclass(model, BaseModel)
    try:
        obj = model.model_validate(src.data, context=context)
    except ValidationError as exc:
        errors = list(exc.errors(include_url=False))
        errors += _cross_field(model, src.data, [_data_loc(src.data, tuple(e["loc"])) for e in errors], context)
        src.diagnostics += model_diagnostics(src, model, errors)
        return None
    return obj if src.ok else None


def model_diagnostics(src: Source, model: type[Any], errors: list[Any]) -> list[Diagnostic]:
    """pydantic error dicts → diagnostics: poisoned places dropped, union alternatives merged."""
    out: list[Diagnostic] = []
    groups: dict[Loc, list[Any]] = {}
    for err in errors:
        loc = _data_loc(src.data, tuple(err["loc"]))
        if src.is_poisoned(loc):
            continue
        if (
            err["type"] not in ("missing", "extra_forbidden")
            and isinstance(_get(src.data, loc), dict)
            and any(p[: len(loc)] == loc for p in src.poisoned)
        ):
            continue  # an object-level check over a value already reported (a dropped tag or alias)
        groups.setdefault(loc + (("[key]",) if err["loc"][-1:] == ("[key]",) else ()), []).append(err)
    for group in groups.values():
        if len(group) > 1 and all(len(e["loc"]) > len(_data_loc(src.data, tuple(e["loc"]))) for e in group):
            group = [_merged_union(src, model, group)]  # the alternatives of a union: one error
        out += [_diagnostic(src, model, err) for err in group]
    return out


def _merged_union(src: Source, model: type[Any], group: list[Any]) -> Any:
    """One error for a value that fits none of a union's alternatives (`Money | "median"`)."""
    from workbench.plan.reference import type_name

    loc = _data_loc(src.data, tuple(group[0]["loc"]))
    info = _field_info(model, loc)
    expected = type_name(info.annotation) if info is not None else "another value"
    given = group[0].get("input")
    return {
        "type": "bad-value",
        "loc": loc,
        "msg": f"`{_clip(str(given))}` is {_neither(expected)}",
        "input": given,
        "ctx": {},
    }


def _neither(expected: str) -> str:
    """``money or `median``` → ``neither an amount nor `median```."""
    words = {"money": "an amount", "number": "a number", "integer": "a whole number", "text": "text"}
    parts = [words.get(p.split(" (")[0], p) for p in expected.split(" or ")]
    if len(parts) == 2:
        return f"neither {parts[0]} nor {parts[1]}"
    return f"not {parts[0]}" if len(parts) == 1 else "none of: " + ", ".join(parts)


def _diagnostic(src: Source, model: type[Any], err: Any) -> Diagnostic:
    kind: str = err["type"]
    raw_loc = tuple(err["loc"])
    loc = _data_loc(src.data, raw_loc)
    given = err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    msg = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    hint: str | None = ctx.get("hint") if isinstance(ctx.get("hint"), str) else None
    code = _code(kind)
    name = _name(src.data, loc)
    info = _field_info(model, loc)
    description = info.description if info is not None and info.description else None
    path_loc = loc
    pos = src.value_pos(loc)
    shown = _clip(str(given)) if given is not None and not isinstance(given, dict | list) else None
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
        hint = description
        pos = src.key_pos(loc[:-1]) if loc[:-1] else src.value_pos(())
    elif raw_loc[-1:] == ("[key]",):  # a mapping key outside an enumeration (`last_year: {abcd: A}`)
        expected = _choices(model, loc, key=True)
        near = difflib.get_close_matches(str(given), expected, n=1, cutoff=0.5)
        code = "bad-choice"
        msg = f"`{given}` is not one of: {', '.join(expected)}" if expected else f"`{given}` is not allowed as a key"
        hint = f"did you mean `{near[0]}`?" if near else None
        pos = src.key_pos(loc)
    elif given is None and _is_null(src.data, loc) and not ctx.get("field"):
        code = "empty-value"
        msg = f"`{name}` is empty"
        pos = src.key_pos(loc)
        if kind in _SHAPES and _SHAPES[kind] == "list":
            hint = f"write `{name}: []` for none, or list the items under it"
        else:
            hint = f"write a value after `{name}:`" + (f" — {description}" if description else "")
    elif kind in ("enum", "literal_error"):
        expected = _choices(model, loc)
        near = difflib.get_close_matches(str(given), expected, n=1, cutoff=0.5)
        msg = f"`{given}` is not one of: {', '.join(expected)}" if expected else msg
        hint = f"did you mean `{near[0]}`?" if near else None
    elif isinstance(ctx.get("field"), str):  # a cross-field check: point at the field it names
        path_loc = (*loc, *ctx["field"].split("."))
        pos = src.key_pos(path_loc)
    elif kind in ("value_error", "assertion_error") and isinstance(_get(src.data, loc), dict):
        # an object-level check: point at the first of its fields the message names
        obj = _get(src.data, loc)
        owner = _model_at(model, loc) if loc else model
        named = sorted(
            (m.start(), f) for f in _fields(owner) if f in obj and (m := re.search(rf"\b{re.escape(f)}\b", msg))
        )
        path_loc = (*loc, named[0][1]) if named else loc
        pos = src.key_pos(path_loc)
    elif kind == "string_too_short":
        msg = f"`{name}` is empty"
        hint = f"fill it in — {description}" if description else "fill it in"
    elif kind == "string_too_long":
        msg = f"`{name}` is too long: {len(str(given)):,} characters, at most {ctx.get('max_length', 0):,}"
        hint = "shorten it; longer text belongs in a notes or detail field"
    elif kind == "string_pattern_mismatch":
        code, msg, hint = _pattern_message(str(ctx.get("pattern", "")), str(given))
    elif kind in _SHAPES:
        if _SHAPES[kind] == "list":
            msg = f"`{name}` must be a list"
            hint = (
                f"write `[{given}]`, or one `- ` line per item"
                if isinstance(given, str)
                else "write one `- ` line per item"
            )
        else:
            msg = f"`{name}` must be a mapping of `key: value` lines"
            hint = f"indent its fields under `{name}:`"
    elif kind == "string_type":
        msg = f"`{name}` must be text, not a {'list' if isinstance(given, list) else 'mapping'}"
        hint = "put text that contains `: `, `[`, `{` or `#` in quotes"
    elif kind in _BOUNDS:
        key, template = _BOUNDS[kind]
        msg = template.format(v=shown, b=ctx.get(key))
    elif kind == "decimal_max_places":
        places = ctx.get("decimal_places")
        msg = f"`{shown}` has more than {places} decimal places"
        hint = "amounts are exact to the cent" if places == 2 else f"round it to {places} decimal places"
    elif kind in ("decimal_max_digits", "decimal_whole_digits"):
        msg = f"`{shown}` has too many digits"
        limit = ctx.get("max_digits") or ctx.get("whole_digits")
        hint = f"at most {limit} digits in all; check for a pasted extra number" if limit else None
    elif kind.startswith("int_"):
        msg = f"`{shown}` is not a whole number"
        hint = "write digits 0–9, e.g. 30"
    elif kind.startswith(("decimal_", "float_")):
        msg = f"`{shown}` is not a number"
        hint = "write digits, e.g. 1200000 or 0.25"
    elif kind.startswith("bool"):
        msg = f"`{shown}` is not true or false"
        hint = "write true or false"
    elif shown is not None and "-" not in kind and f"`{given}`" not in msg:
        msg = f"`{shown}`: {msg}"
    if isinstance(given, str) and code in ("bad-number", "bad-date"):
        from workbench.scalars import DIGITS_HINT, has_foreign_digits

        if has_foreign_digits(given):
            msg, hint = f"`{shown}` is written with full-width or non-Latin digits", DIGITS_HINT
    return Diagnostic(code, msg, src.location(pos, id_path(src.data, path_loc) or None), hint=hint)


def _pattern_message(pattern: str, given: str) -> tuple[str, str, str]:
    from workbench.scalars import ACCOUNT_ID_PATTERN, CURRENCY_PATTERN, ID_PATTERN

    if pattern == ACCOUNT_ID_PATTERN:
        return (
            "bad-id",
            f"`{_clip(given)}` is not a valid customer id",
            "customer ids are letters, digits, `-` and `_`, at most 32, spelt exactly as in the ERP ledger",
        )
    if pattern == ID_PATTERN:
        return (
            "bad-id",
            f"`{_clip(given)}` is not a valid id",
            "ids are letters, digits, `-`, `_` or `.`, starting with a letter or digit, at most 40 (e.g. `G2`, `A-visit-0312`)",
        )
    if pattern == CURRENCY_PATTERN:
        return (
            "bad-format",
            f"`{_clip(given)}` is not an ISO currency code",
            "three capital letters, e.g. CNY, USD, EUR",
        )
    return "bad-format", f"`{_clip(given)}` does not have the expected form", f"expected the pattern {pattern}"


def _name(data: Any, loc: Loc) -> str:
    """The field's name as written (`title`, or `needs[0]` for a list item)."""
    path = id_path(data, loc)
    return path.rsplit(".", 1)[-1] if path else "value"


def _is_null(data: Any, loc: Loc) -> bool:
    """Whether `loc` is written in the data with an empty/null value (not missing)."""
    if not loc:
        return False
    parent = _get(data, loc[:-1])
    last = loc[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        return last in parent and parent[last] is None
    if isinstance(parent, list) and isinstance(last, int):
        return 0 <= last < len(parent) and parent[last] is None
    return False


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
    if "-" in kind:
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
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part != "[key]":
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
    return tuple(out)


# ------------------------------------------------------------------------ the model


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete classes inside Optional / list / dict / Annotated annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        return [c for a in typing.get_args(annotation) for c in _unwrap(a)]
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    return [annotation]


def _models_in(annotation: Any) -> list[type[Any]]:
    from pydantic import BaseModel

    return [c for c in _unwrap(annotation) if isinstance(c, type) and issubclass(c, BaseModel)]


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
        models = _models_in(info.annotation)
        current = models[0] if models else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_info(model: type[Any], loc: Loc) -> Any:
    """The FieldInfo of the field at `loc` (list indexes and dict keys skipped)."""
    parts = [p for p in loc if isinstance(p, str)]
    for cut in range(len(parts), 0, -1):  # a dict key (`last_year.stars`) is not a field: step back
        owner = _model_at(model, parts[: cut - 1])
        info = _fields(owner).get(parts[cut - 1])
        if info is not None:
            return info
    return None


def _fields(model: type[Any] | None) -> dict[str, Any]:
    return dict(model.model_fields) if model is not None else {}


def _choices(model: type[Any], loc: Loc, key: bool = False) -> list[str]:
    info = _field_info(model, loc)
    if info is None:
        return []
    annotation = info.annotation
    if key:
        args = [a for a in _dict_args(annotation)]
        annotation = args[0] if args else None
    out: list[str] = []
    for c in _unwrap(annotation):
        if isinstance(c, type) and issubclass(c, Enum):
            out += [str(m.value) for m in c]
        elif typing.get_origin(c) is typing.Literal:
            out += [str(a) for a in typing.get_args(c)]
    return out


def _dict_args(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin is dict:
        return typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for a in typing.get_args(annotation):
            found = _dict_args(a)
            if found:
                return found
    return ()


# --------------------------------------------------------------- cross-field checks


_ADAPTERS: dict[tuple[type[Any], str], Any] = {}


def _adapter(model: type[Any], name: str, annotation: Any = None) -> Any:
    from pydantic import TypeAdapter

    key = (model, name if annotation is None else f"{name}#items")
    if key not in _ADAPTERS:
        info = model.model_fields[name]
        _ADAPTERS[key] = TypeAdapter(info.rebuild_annotation() if annotation is None else annotation)
    return _ADAPTERS[key]


def _after_validators(model: type[Any]) -> list[Any]:
    decorators = model.__pydantic_decorators__.model_validators.values()
    return [d.func for d in decorators if d.info.mode == "after" and len(inspect.signature(d.func).parameters) == 1]


def _cross_field(model: type[Any], data: Any, error_locs: list[Loc], context: dict[str, Any] | None) -> list[Any]:
    """The after-validators pydantic skipped (objects with a failing field), run on the
    valid part of each such object; their errors as pydantic-like error dicts."""
    inside = {loc[:k] for loc in error_locs for k in range(len(loc))}  # objects strictly above an error
    out: list[Any] = []
    for sub, raw, loc in _objects(model, data, ()):
        if loc not in inside:
            continue
        checks = _after_validators(sub)
        if not checks:
            continue
        partial = _partial(sub, raw, context)
        for check in checks:
            out += _run_check(check, partial, raw, loc)
    return out


def _objects(model: type[Any], data: Any, loc: Loc) -> Iterator[tuple[type[Any], dict[str, Any], Loc]]:
    """Every mapping of `data` with the model it stands for, depth first."""
    if not isinstance(data, dict):
        return
    yield model, data, loc
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in data:
            continue
        for sub in _models_in(info.annotation)[:1]:
            child = data[key]
            if isinstance(child, dict) and _dict_args(info.annotation):
                for k, v in child.items():
                    yield from _objects(sub, v, (*loc, key, k))
            elif isinstance(child, dict):
                yield from _objects(sub, child, (*loc, key))
            elif isinstance(child, list):
                for i, item in enumerate(child):
                    yield from _objects(sub, item, (*loc, key, i))


def _partial(model: type[Any], raw: dict[str, Any], context: dict[str, Any] | None) -> Any:
    """`model` built from the fields of `raw` that validate alone; failing fields unset
    (attribute access raises AttributeError), absent ones at their defaults. Mappings keep
    their valid entries."""
    from pydantic import ValidationError

    values: dict[str, Any] = {}
    failed: list[str] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in raw:
            continue
        try:
            values[name] = _adapter(model, name).validate_python(raw[key], context=context)
        except ValidationError:
            args = _dict_args(info.annotation)
            if not (args and isinstance(raw[key], dict)):
                failed.append(name)
                continue
            entries = _adapter(model, name, dict[args[0], args[1]])  # type: ignore[valid-type]
            kept: dict[Any, Any] = {}
            for k, v in raw[key].items():
                with contextlib.suppress(ValidationError):
                    kept.update(entries.validate_python({k: v}, context=context))
            values[name] = kept
    obj = model.model_construct(**values)
    for name in failed:
        obj.__dict__.pop(name, None)
    return obj


def _run_check(check: Any, obj: Any, raw: Any, loc: Loc) -> list[Any]:
    from pydantic_core import PydanticCustomError

    try:
        check(obj)
    except PydanticCustomError as exc:
        return [{"type": exc.type, "loc": loc, "msg": exc.message(), "ctx": exc.context or {}, "input": raw}]
    except (ValueError, AssertionError) as exc:
        return [{"type": "value_error", "loc": loc, "msg": str(exc), "ctx": {}, "input": raw}]
    except (AttributeError, TypeError, KeyError):
        pass  # the check needs a field that failed on its own: that error is reported already
    return []
