"""Cross-field rules of one plan: ids are unique, and every reference names an item that exists.

These are load errors (``kam validate`` fails), not ``kam check`` findings: a plan whose
strategy points at a goal that does not exist cannot be rendered or diffed meaningfully.
They run on the parsed data, not on the validated model, so they are reported together
with the model's own errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from workbench.errors import Diagnostic
from workbench.plan.reader import Loc, Source, id_path

# where references live (list path, item field) → what they point at
_REFERENCES: tuple[tuple[Loc, str, str], ...] = (
    (("strategies",), "goals", "goal"),
    (("actions",), "goals", "goal"),
    (("actions",), "strategy", "strategy"),
    (("work_logs",), "contacts", "contact"),
    (("report_card", "problems"), "actions", "action"),
)
_TARGETS: dict[str, tuple[Loc, ...]] = {
    "goal": (("goals", "last_year"), ("goals", "this_year")),
    "strategy": (("strategies",),),
    "contact": (("customer", "contacts"),),
    "action": (("actions",),),
}


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        else:
            return None
    return data


def _items(data: Any, loc: Loc) -> Iterator[tuple[int, dict[str, Any]]]:
    items = _get(data, loc)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _ids(data: Any, loc: Loc = ()) -> Iterator[tuple[str, Loc]]:
    """(id, location of the id) of every list item that has one, in file order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _ids(value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                yield item["id"], (*loc, i, "id")
            yield from _ids(item, (*loc, i))


def check_links(src: Source) -> list[Diagnostic]:
    data = src.data
    out: list[Diagnostic] = []

    def report(code: str, message: str, loc: Loc, hint: str) -> None:
        out.append(Diagnostic(code, message, src.location(src.value_pos(loc), id_path(data, loc)), hint=hint))

    first: dict[str, Loc] = {}
    for ident, loc in _ids(data):
        if ident in first:
            pos = src.value_pos(first[ident])
            report(
                "duplicate-id",
                f"id `{ident}` is already used at line {pos.line if pos else '?'} ({id_path(data, first[ident][:-1])})",
                loc,
                "ids are unique within a plan; give this item a new id",
            )
        else:
            first[ident] = loc

    known = {
        kind: [item["id"] for lst in lists for _, item in _items(data, lst) if isinstance(item.get("id"), str)]
        for kind, lists in _TARGETS.items()
    }
    for list_loc, field, kind in _REFERENCES:
        for i, item in _items(data, list_loc):
            value = item.get(field)
            refs = [(j, v) for j, v in enumerate(value)] if isinstance(value, list) else [(None, value)]
            for j, ref in refs:
                if not isinstance(ref, str) or ref in known[kind]:
                    continue
                loc = (*list_loc, i, field) if j is None else (*list_loc, i, field, j)
                near = difflib.get_close_matches(ref, known[kind], n=1, cutoff=0.5)
                hint = (
                    f"did you mean `{near[0]}`?"
                    if near
                    else f"known {kind} ids: {', '.join(known[kind])}"
                    if known[kind]
                    else f"the plan has no {kind} yet"
                )
                report(f"unknown-{kind}", f"no {kind} has the id `{ref}`", loc, hint)

    seen: dict[str, int] = {}
    for i, item in _items(data, ("classification", "manual")):
        scheme = item.get("scheme")
        if isinstance(scheme, str):
            if scheme in seen:
                report(
                    "duplicate-override",
                    f"the {scheme} class is overridden twice",
                    ("classification", "manual", i, "scheme"),
                    "keep one override per scheme",
                )
            seen[scheme] = i
    return out
