"""Located diagnostics and their printers.

Every problem the workbench reports about its inputs is a :class:`Diagnostic`: a code, a
severity, a message saying what is wrong, a :class:`Location` saying where, and a hint
saying what to do. Loaders collect all diagnostics of a run and raise one
:class:`WorkbenchError` carrying them, so a user sees every problem at once.

Locations come in two shapes:

* text files (plans, settings): ``plans/acme.yaml:12:5`` plus an id-based path
  (``goals[G2].target``) and the source line for a caret;
* workbooks: ``sales.xlsx › 销售 › row 812 › 数量``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Location:
    """Where a diagnostic points. All fields optional; fill what is known."""

    file: str | None = None
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based
    end_col: int | None = None  # 1-based, exclusive; for the caret underline
    path: str | None = None  # id-based path inside a plan: goals[G2].target
    sheet: str | None = None
    row: int | None = None  # 1-based workbook row as Excel shows it
    column: str | None = None  # header text of the workbook column
    source_line: str | None = None  # the text of `line`, for the caret display

    def short(self) -> str:
        """``file:line:col`` or ``file › sheet › row N › column``."""
        if self.sheet is not None or self.row is not None:
            parts = [p for p in (self.file, self.sheet) if p]
            if self.row is not None:
                parts.append(f"row {self.row}")
            if self.column:
                parts.append(self.column)
            return " › ".join(parts)
        text = self.file or "<input>"
        if self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text


@dataclass(frozen=True)
class Diagnostic:
    code: str  # stable, kebab-case: unknown-field, duplicate-id, bad-date, credit-hold ...
    message: str
    location: Location = field(default_factory=Location)
    severity: Severity = Severity.ERROR
    hint: str | None = None
    args: tuple[tuple[str, str], ...] = ()  # the message's values, to word it in another language

    def to_dict(self) -> dict[str, object]:
        loc = {k: v for k, v in self.location.__dict__.items() if v is not None}
        loc.pop("source_line", None)
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": loc,
            "where": self.location.short(),
        }
        if self.hint:
            out["hint"] = self.hint
        return out


class WorkbenchError(Exception):
    """A run stopped because of bad input. Carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("error", diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__(format_human(self.diagnostics, color=False))


class UsageError(WorkbenchError):
    """The command line itself is wrong (exit code 2)."""


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, int, str]:
    loc = d.location
    return (loc.file or "", loc.line or 0, loc.col or 0, loc.sheet or "", loc.row or 0, d.code)


# ---------------------------------------------------------------------------- printers


def _format_one(d: Diagnostic, color: bool) -> str:
    def c(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    sev_color = {"error": "1;31", "warning": "1;33", "info": "1;36"}[d.severity.value]
    head = c(sev_color, f"{d.severity.value}[{d.code}]") + ": " + d.message
    if d.location.path:
        head += f" (at {d.location.path})"
    lines = [head]
    loc = d.location
    if loc.file or loc.sheet:
        lines.append(f"  --> {loc.short()}")
    if loc.source_line is not None and loc.line is not None:
        num = str(loc.line)
        pad = " " * len(num)
        src = loc.source_line.rstrip("\r\n")
        col = max(1, loc.col or 1)
        width = max(1, (loc.end_col or col + 1) - col)
        if len(src) > MAX_LINE:  # a very long line: show the part around the caret
            start = max(0, col - 1 - MAX_LINE // 2)
            end = min(len(src), col - 1 + min(width, MAX_LINE // 2) + MAX_LINE // 2)
            head, tail_mark = ("…" if start else ""), ("…" if end < len(src) else "")
            src = head + src[start:end] + tail_mark
            col = col - start + len(head)
            width = min(width, end - (loc.col or 1) + 1)
        lines.append(f"{pad} |")
        lines.append(f"{num} | {src}")
        caret = " " * _display_width(src[: col - 1]) + "^" * max(1, _display_width(src[col - 1 : col - 1 + width]))
        tail = f" {d.hint}" if d.hint else ""
        lines.append(f"{pad} | " + c(sev_color, caret) + tail)
    elif d.hint:
        lines.append(f"  = help: {d.hint}")
    return "\n".join(lines)


MAX_LINE = 160
"""Source lines longer than this are shown cut around the caret."""


def _display_width(text: str) -> int:
    """Terminal columns of `text`: CJK wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


MAX_SHOWN = 50


def format_human(diagnostics: Iterable[Diagnostic], color: bool = False, limit: int = MAX_SHOWN) -> str:
    items = list(diagnostics)
    shown = items[:limit]
    parts = [_format_one(d, color) for d in shown]
    if len(items) > limit:
        parts.append(f"... and {len(items) - limit} more not shown (use --format json for all)")
    counts = {s: sum(1 for d in items if d.severity == s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    if summary:
        parts.append(summary)
    return "\n\n".join(parts)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands (``::error file=..,line=..::msg``)."""
    out = []
    for d in diagnostics:
        level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
        props = []
        loc = d.location
        if loc.file:
            props.append(f"file={_gh_escape(loc.file, True)}")
        if loc.line:
            props.append(f"line={loc.line}")
        if loc.col:
            props.append(f"col={loc.col}")
        props.append(f"title={_gh_escape(d.code, True)}")
        msg = d.message
        if loc.path:
            msg += f" (at {loc.path})"
        if loc.sheet or loc.row:
            msg += f" [{loc.short()}]"
        if d.hint:
            msg += f" — {d.hint}"
        out.append(f"::{level} {','.join(props)}::{_gh_escape(msg)}")
    return "\n".join(out)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_dict() for d in diagnostics], ensure_ascii=False, indent=2)


FORMATS = ("human", "github", "json")


def format_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str = "human", color: bool = False) -> str:
    if fmt == "github":
        return format_github(diagnostics)
    if fmt == "json":
        return format_json(diagnostics)
    return format_human(diagnostics, color=color)
