"""The message catalogue (``templates/messages.yaml``): every label of a booklet and every
check finding, in Chinese and English. ``Messages(language)("key", **values)`` gives one
text; an unknown key is an error, never a silent fallback."""

from __future__ import annotations

from functools import cache
from typing import Any

from workbench.errors import Diagnostic, WorkbenchError
from workbench.resources import TEMPLATES

MESSAGES = TEMPLATES / "messages.yaml"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """templates/messages.yaml: message key → {zh, en}."""
    from workbench.plan.reader import read_text_file

    src = read_text_file(MESSAGES.read_bytes(), str(MESSAGES))
    problems = list(src.diagnostics)
    data = src.data if isinstance(src.data, dict) else {}
    for key, value in data.items():
        if not (isinstance(value, dict) and isinstance(value.get("zh"), str) and isinstance(value.get("en"), str)):
            problems.append(
                Diagnostic(
                    "bad-message", f"message `{key}` needs a zh and an en text", src.location(src.value_pos((key,)))
                )
            )
    if problems:
        raise WorkbenchError(problems)
    return data


class Messages:
    """`t("key")` in templates: the text in the booklet's language; an unknown key is an error."""

    def __init__(self, language: str):
        self.language = language
        self.table = catalogue()

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self.table[key][self.language]
        except KeyError:
            raise KeyError(f"message `{key}` is missing from templates/messages.yaml") from None
        return text.format(**values) if values else text

    def __contains__(self, key: str) -> bool:
        return key in self.table


def finding_text(d: Diagnostic, t: Messages) -> tuple[str, str | None]:
    """A check finding's message and hint in `t`'s language, from its code and arguments
    (``finding.<code>``, ``hint.<code>``); arguments named ``*_key`` are message keys
    (comma-separated) and are translated too. Diagnostics without a catalogue text keep
    their own words."""
    if f"finding.{d.code}" not in t:
        return d.message, d.hint
    values: dict[str, str] = {}
    for name, value in d.args:
        if name.endswith("_key"):
            values[name[:-4]] = t("list.separator").join(t(k) for k in value.split(",") if k)
        else:
            values[name] = value
    hint = t(f"hint.{d.code}", **values) if f"hint.{d.code}" in t else d.hint
    return t(f"finding.{d.code}", **values), hint
