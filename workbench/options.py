"""Parsing of command-line values shared by several commands (kept out of the CLI module
so that it stays import-light)."""

from __future__ import annotations

import datetime as dt

from workbench.errors import Diagnostic, Location, UsageError


def parse_as_of(text: str | None) -> dt.date | None:
    """`--as-of YYYY-MM-DD` → date; None when not given. Bad text is a usage error."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            Diagnostic(
                "bad-option",
                f"--as-of `{text}` is not a date",
                Location(),
                hint="write it as YYYY-MM-DD, e.g. 2026-09-30",
            )
        ) from None
