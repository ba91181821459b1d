"""Writing a plan model back as YAML text that any YAML reader types the same way.

Strings are always double-quoted (JSON string syntax, which is valid YAML), so `NO`,
`0012345`, `1:20` or `2026-01-01` written as text stay text for every reader; numbers,
dates and booleans are plain. Defaults are omitted so a dumped plan stays short.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from enum import Enum
from typing import Any


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _scalar(value.value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} into a plan")  # pragma: no cover


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            k = key.value if isinstance(key, Enum) else str(key)
            if isinstance(item, dict) and item or isinstance(item, list) and item:
                out.append(f"{pad}{k}:")
                _emit(item, indent + 1, out)
            else:
                out.append(f"{pad}{k}: {_empty(item) if isinstance(item, dict | list) else _scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _emit(item, indent + 1, sub)
                first = sub[0][len(pad) + 2 :]
                out.append(f"{pad}- {first}")
                out.extend(sub[1:])
            elif isinstance(item, list) and item:
                out.append(f"{pad}-")
                _emit(item, indent + 1, out)
            else:
                out.append(f"{pad}- {_empty(item) if isinstance(item, dict | list) else _scalar(item)}")


def _empty(value: dict[Any, Any] | list[Any]) -> str:
    return "{}" if isinstance(value, dict) else "[]"


def dump_plan(plan: Any) -> str:
    """YAML text of `plan` (a pydantic model): loads back to an equal model."""
    data = plan.model_dump(mode="python", exclude_defaults=True)
    data = {"account_id": data.pop("account_id"), **data}
    out: list[str] = []
    _emit(data, 0, out)
    return "\n".join(out) + "\n"
