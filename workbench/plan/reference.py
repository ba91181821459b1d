"""The plan format, described from the model itself: JSON Schemas for editors and the
Markdown reference in ``docs/plan-format.md`` (both written by ``kam schema``; tests fail
when the committed copies are stale)."""

from __future__ import annotations

import json
import typing
from enum import Enum
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(model: Any, title: str) -> str:
    schema = model.model_json_schema(mode="validation")
    schema = {"$schema": SCHEMA_DIALECT, **schema, "title": title}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def plan_schema() -> str:
    from workbench.plan.model import Plan

    return _schema(Plan, "KAM Workbench account plan")


def settings_schema() -> str:
    from workbench.settings import Settings

    return _schema(Settings, "KAM Workbench portfolio settings (kam.yaml)")


# ---------------------------------------------------------------------------- markdown


def type_name(annotation: Any, metadata: tuple[Any, ...] = ()) -> str:
    """How the plan-format reference names a field's type: ``money (≥ 0)``, ``id``,
    ``text (1–200 characters)``, ``integer (0 to 365)``, ``list of id``..."""
    import types

    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0], (*metadata, *args[1:]))
    if origin in (typing.Union, types.UnionType):
        names = [type_name(a, metadata) for a in args if a is not type(None)]
        return " or ".join(names)
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"map of {type_name(args[0])} → {type_name(args[1])}"
    if origin is typing.Literal:
        return " | ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return _scalar_name(annotation, metadata)


def _scalar_name(base: Any, metadata: tuple[Any, ...]) -> str:
    import datetime as dt
    from decimal import Decimal

    from pydantic.fields import FieldInfo

    from workbench.scalars import ACCOUNT_ID_PATTERN, CURRENCY_PATTERN, ID_PATTERN

    metadata = tuple(x for m in metadata for x in (m.metadata if isinstance(m, FieldInfo) else [m]))

    def attr(name: str) -> Any:
        found = [getattr(m, name) for m in metadata if getattr(m, name, None) is not None]
        return found[-1] if found else None

    befores = {getattr(getattr(m, "func", None), "__name__", "") for m in metadata}
    if base is str:
        pattern = attr("pattern")
        if pattern == ID_PATTERN:
            return "id"
        if pattern == ACCOUNT_ID_PATTERN:
            return "customer id"
        if pattern == CURRENCY_PATTERN:
            return "currency code"
        lo, hi = attr("min_length"), attr("max_length")
        if hi is not None:
            return f"text ({lo or 0}–{hi:,} characters)" if lo else f"text (up to {hi:,} characters)"
        return "text"
    if base is bool:
        return "true/false"
    if base is dt.date:
        return "date (YYYY-MM-DD)"
    if base is Decimal:
        places = attr("decimal_places")
        if "_money_text" in befores:
            kind = "money" if places == 2 else "number"
        elif "_ratio_text" in befores:
            kind = "fraction"
        else:
            kind = "number"
    elif base is int:
        kind = "integer"
        if (attr("ge"), attr("le")) == (1, 5):
            return "score 1–5"
    else:
        return getattr(base, "__name__", str(base))
    ge, gt, le, lt = attr("ge"), attr("gt"), attr("le"), attr("lt")
    if ge is not None and ge == le:
        return f"{kind} (`{ge}`)"
    if ge is not None and le is not None:
        return f"{kind} ({ge} to {le})"
    if ge is not None:
        return f"{kind} (≥ {ge})"
    if gt is not None:
        return f"{kind} (> {gt})"
    if le is not None:
        return f"{kind} (≤ {le})"
    if lt is not None:
        return f"{kind} (< {lt})"
    return kind


def _default_text(value: Any) -> str:
    """A default as the plan would write it: `false`, `planned`, `0`."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _submodels(annotation: Any) -> list[Any]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _submodels(a)]


def plan_reference_markdown() -> str:
    """``docs/plan-format.md``: every model of the plan, section by section, in file order."""
    from pydantic_core import PydanticUndefined

    from workbench.plan.model import Plan
    from workbench.scalars import ACCOUNT_ID_PATTERN, ID_PATTERN

    order: list[Any] = []

    def visit(model: Any) -> None:
        if model in order:
            return
        order.append(model)
        for info in model.model_fields.values():
            for sub in _submodels(info.annotation):
                visit(sub)

    visit(Plan)
    out = [
        "# The plan format",
        "",
        "<!-- Generated from workbench/plan/model.py by `kam schema`; do not edit by hand. -->",
        "",
        "One YAML (or JSON) file per key account and fiscal year, in a portfolio folder next to",
        "`kam.yaml`. Start one with `kam new ACCOUNT_ID --name NAME`, check it with",
        "`kam validate`. Editors that speak the YAML language server complete and check plans",
        "through `schemas/plan.schema.json` (the first line of a plan written by `kam new` names it).",
        "",
        "Values are typed by this format, not by YAML: `NO` stays the text `NO`, `0012345` keeps",
        "its zeros, dates are `YYYY-MM-DD`. Anchors, aliases, tags and duplicate keys are errors.",
        "",
        "Types used below:",
        "",
        "- **money**: an exact amount in the portfolio currency, at most 2 decimals: `1234.50`,",
        "  `1,234.50` (commas only between groups of three digits), or with the portfolio",
        "  currency's own symbol or code (`¥1,234.50`, `1,234.50 CNY` in a CNY portfolio).",
        "  Another currency's symbol, `12,34`, `1e3`, full-width digits, `NaN` are errors.",
        "- **number**: the same, up to 6 decimals (targets; rates as fractions, 0.25 = 25 %).",
        "- **fraction**: a rate such as `0.25` for 25 % (no `%` sign).",
        "- **id**: 1–40 letters, digits, `-`, `_` or `.`, starting with a letter or digit",
        f"  (`{ID_PATTERN}`), e.g. `G2`, `A-visit-0312`; unique within the plan. References",
        "  to goals, strategies, contacts and actions must name existing ids.",
        f"- **customer id**: 1–32 letters, digits, `-` or `_` (`{ACCOUNT_ID_PATTERN}`), spelt",
        "  exactly as the ERP ledger spells it (leading zeros kept).",
        "- **text**: Chinese or English; control characters are errors. Lengths as given.",
        "- **date**: `YYYY-MM-DD`, a real calendar day.",
        "",
        "Leave an optional field out (or write `null`) when it does not apply; a required field",
        "written empty (`title:`) is an error.",
        "",
    ]
    for model in order:
        out.append(f"## {model.__name__}")
        out.append("")
        doc = (model.__doc__ or "").strip().splitlines()
        if doc and model is Plan:
            out += [doc[0], ""]
        out.append("| Field | Type | Required | Description |")
        out.append("|---|---|---|---|")
        for name, info in model.model_fields.items():
            required = "yes" if info.is_required() else "no"
            if not info.is_required() and info.default is not PydanticUndefined and info.default not in (None, [], {}):
                required = f"no (default `{_default_text(info.default)}`)"
            desc = (info.description or "").replace("|", "\\|")
            out.append(f"| `{name}` | {type_name(info.rebuild_annotation())} | {required} | {desc} |")
        out.append("")
    return "\n".join(out)
