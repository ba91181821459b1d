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


def _type_name(annotation: Any) -> str:
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base = args[0]
        meta = " ".join(str(a) for a in args[1:])
        if base is str:
            return "id" if "pattern" in meta and "A-Za-z0-9" in meta else "text"
        if getattr(base, "__name__", "") == "Decimal":
            return "number" if "decimal_places=6" in meta else "money"
        if getattr(base, "__name__", "") == "date":
            return "date (YYYY-MM-DD)"
        if base is int and "le=5" in meta:
            return "score 1–5"
        return _type_name(base)
    if origin in (typing.Union, __import__("types").UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(names)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"map of {_type_name(args[0])} → {_type_name(args[1])}"
    if origin is typing.Literal:
        return " | ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {int: "integer", bool: "true/false", str: "text"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )


def _submodels(annotation: Any) -> list[Any]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _submodels(a)]


def plan_reference_markdown() -> str:
    """``docs/plan-format.md``: every model of the plan, section by section, in file order."""
    from pydantic_core import PydanticUndefined

    from workbench.plan.model import Plan

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
        "through `schemas/plan.schema.json` (the first line of every new plan points at it).",
        "",
        "Values are typed by this format, not by YAML: `NO` stays the text `NO`, `0012345` keeps",
        "its zeros, dates are `YYYY-MM-DD`, money is an exact decimal in the portfolio currency",
        "(`1234.50`, `1,234.50` and `¥1,234.50` are all accepted). Anchors, aliases, tags and",
        "duplicate keys are errors. Every list item a reviewer might see change has an `id`",
        "(letters, digits, `-`, `_`, `.`; e.g. `G2`, `A-visit-0312`) unique within the plan;",
        "references to goals, strategies, contacts and actions must name existing ids.",
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
                default = info.default.value if isinstance(info.default, Enum) else info.default
                required = f"no (default `{default}`)"
            desc = (info.description or "").replace("|", "\\|")
            out.append(f"| `{name}` | {_type_name(info.annotation)} | {required} | {desc} |")
        out.append("")
    return "\n".join(out)
