"""Reading plan and settings files safely: YAML or JSON text → plain data + positions.

The YAML library is used only as a *parser* (events with line and column); this module
builds the data itself so that every trap of SECURITY.md is closed here, in one place:

* every scalar stays a string (or ``None`` for an empty/``null`` plain scalar): the
  pydantic model types it, so ``NO``, ``0012345``, ``1:20`` and ``2024-02-30`` never get
  a YAML 1.1 meaning;
* duplicate keys, anchors and aliases, explicit tags, several documents, nesting deeper
  than :data:`MAX_DEPTH`, files over :data:`MAX_BYTES`, invalid UTF-8 and control
  characters are errors;
* every error is collected with ``file:line:col`` and the source line.

Positions are recorded per *location tuple* — the same shape pydantic uses for error
locations (``("goals", "this_year", 1, "target")``) — for the key and for the value, so
that callers can point at either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.errors import Diagnostic, Location

MAX_BYTES = 2_000_000
"""Largest plan or settings file read (a real plan is a few tens of kB)."""

MAX_DEPTH = 32
"""Deepest nesting accepted (the plan model itself is at most 6 levels deep)."""

NULLS = frozenset({"", "~", "null", "Null", "NULL"})

# C0/C1 controls except tab/LF/CR, DEL, BOM inside the text, line/paragraph separators.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff]")

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Pos:
    line: int  # 1-based
    col: int  # 1-based
    end_col: int | None = None  # exclusive, on the same line


@dataclass
class Source:
    """A parsed text file: its data, where each part came from, and what went wrong."""

    file: str
    lines: tuple[str, ...] = ()
    data: Any = None
    keys: dict[Loc, Pos] = field(default_factory=dict)  # position of the key of a mapping entry
    values: dict[Loc, Pos] = field(default_factory=dict)  # position of the value (or list item)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _paths: list[tuple[int, Loc]] = field(
        default_factory=list, repr=False
    )  # diagnostics whose path is named at the end

    @property
    def ok(self) -> bool:
        return not self.diagnostics

    def location(self, pos: Pos | None, path: str | None = None) -> Location:
        if pos is None:
            return Location(file=self.file, line=1, col=1, path=path)
        src = self.lines[pos.line - 1] if 0 < pos.line <= len(self.lines) else None
        return Location(file=self.file, line=pos.line, col=pos.col, end_col=pos.end_col, path=path, source_line=src)

    def value_pos(self, loc: Loc) -> Pos | None:
        """Position of the value at `loc`, else of its key, else of the nearest ancestor."""
        probe = tuple(loc)
        while probe:
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get(())

    def key_pos(self, loc: Loc) -> Pos | None:
        return self.keys.get(tuple(loc)) or self.value_pos(loc)

    def error(self, code: str, message: str, pos: Pos | None, hint: str | None = None, loc: Loc | None = None) -> None:
        if loc:
            self._paths.append((len(self.diagnostics), loc))
        self.diagnostics.append(Diagnostic(code, message, self.location(pos), hint=hint))

    def name_paths(self) -> None:
        """Give located diagnostics their id-based path, once the data is complete."""
        for i, loc in self._paths:
            d = self.diagnostics[i]
            self.diagnostics[i] = replace(d, location=replace(d.location, path=id_path(self.data, loc)))
        self._paths.clear()


def read_text_file(raw: bytes, file: str) -> Source:
    """Parse `raw` (the bytes of a ``.yaml``/``.yml``/``.json`` file) into a :class:`Source`."""
    src = Source(file=file)
    if len(raw) > MAX_BYTES:
        src.error(
            "file-too-large",
            f"file is {len(raw):,} bytes; plans and settings are limited to {MAX_BYTES:,} bytes",
            None,
            hint="split the file or remove pasted attachments",
        )
        return src
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        src.lines = tuple(raw.decode("utf-8", "replace").splitlines())
        src.error(
            "not-utf8",
            f"byte 0x{raw[exc.start]:02X} is not valid UTF-8",
            Pos(line, col, col + 1),
            hint="save the file as UTF-8 (plans may contain Chinese; GBK/GB18030 files must be converted)",
        )
        return src
    if text.startswith("\ufeff"):
        text = text[1:]
    src.lines = tuple(text.split("\n"))
    # Raw control characters: remember where they are, blank them so parsing can go on and
    # name the field they are in.
    bad: list[tuple[int, int, str]] = []
    for m in _BAD_CHARS.finditer(text):
        before = text[: m.start()]
        line = before.count("\n") + 1
        col = m.start() - (before.rfind("\n") + 1) + 1
        bad.append((line, col, m.group()))
    if bad:
        text = _BAD_CHARS.sub(" ", text)
        src.lines = tuple(text.split("\n"))
    _Builder(src).build(text)
    for line, col, ch in bad:
        loc = _innermost(src, line, col)
        src.error(
            "control-character",
            f"control character U+{ord(ch):04X} is not allowed in plan text",
            Pos(line, col, col + 1),
            hint="delete it (it often comes from copying out of a PDF or a chat window)",
            loc=loc,
        )
    src.name_paths()
    return src


def _innermost(src: Source, line: int, col: int) -> Loc | None:
    """The deepest location whose value starts at or before (line, col) on that line."""
    best: tuple[tuple[int, int], Loc] | None = None
    for loc, pos in src.values.items():
        if pos.line == line and pos.col <= col and (pos.end_col is None or col < pos.end_col + 1):
            key = (pos.col, len(loc))
            if best is None or key > best[0]:
                best = (key, loc)
    return best[1] if best else None


def id_path(data: Any, loc: Sequence[str | int]) -> str:
    """``("goals", "this_year", 1, "target")`` → ``goals.this_year[G2].target`` (list items
    named by their ``id`` when they have one, else by their index)."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out += f"[{ident}]" if isinstance(ident, str) and ident else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


class _Builder:
    """Events → data. Reports every structural problem it meets and keeps going."""

    def __init__(self, src: Source):
        self.src = src

    def _pos(self, mark: Any, end: Any | None = None) -> Pos:
        end_col = end.column + 1 if end is not None and end.line == mark.line else None
        return Pos(mark.line + 1, mark.column + 1, end_col)

    def build(self, text: str) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        parser = YAML(typ="safe", pure=True)
        try:
            events = list(parser.parse(text))
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = (exc.problem or exc.context or "invalid YAML").strip()
            pos = self._pos(mark) if mark is not None else None
            self.src.error(
                "yaml-syntax",
                f"YAML syntax error: {problem}",
                pos,
                hint="check the indentation and quoting on this line or the one before",
            )
            return
        except YAMLError as exc:  # pragma: no cover - ruamel raises marked errors for text input
            self.src.error("yaml-syntax", f"YAML syntax error: {exc}", None)
            return
        self.events = events
        self.i = 0
        docs = [e for e in events if type(e).__name__ == "DocumentStartEvent"]
        if len(docs) > 1:
            self.src.error(
                "several-documents",
                "the file holds several YAML documents (`---`); a plan is one document",
                self._pos(docs[1].start_mark),
                hint="split it into one file per plan",
            )
        # skip StreamStart, DocumentStart
        while self.i < len(events) and type(events[self.i]).__name__ in ("StreamStartEvent", "DocumentStartEvent"):
            self.i += 1
        if self.i >= len(events) or type(events[self.i]).__name__ in ("DocumentEndEvent", "StreamEndEvent"):
            self.src.error("empty-file", "the file is empty", None, hint="start from `kam new ACCOUNT_ID --name NAME`")
            return
        self.src.data = self.node((), 0)

    def _check_props(self, ev: Any, loc: Loc) -> None:
        anchor = getattr(ev, "anchor", None)
        if anchor:
            self.src.error(
                "yaml-anchor",
                f"anchors (`&{anchor}`) are not allowed",
                self._pos(ev.start_mark, ev.end_mark),
                hint="write the value out in full; anchors and aliases can make a small file expand enormously",
                loc=loc,
            )
        tag = getattr(ev, "tag", None)
        if tag is not None:
            tag = str(getattr(tag, "value", tag))
            if tag not in ("!", "tag:yaml.org,2002:str") and not (
                tag == "tag:yaml.org,2002:map" or tag == "tag:yaml.org,2002:seq"
            ):
                self.src.error(
                    "yaml-tag",
                    f"YAML tags such as `{tag}` are not allowed",
                    self._pos(ev.start_mark, ev.end_mark),
                    hint="remove the tag; the plan format types every value itself",
                    loc=loc,
                )

    def node(self, loc: Loc, depth: int) -> Any:
        ev = self.events[self.i]
        kind = type(ev).__name__
        self.i += 1
        if depth > MAX_DEPTH:
            self.src.error("too-deep", f"nesting deeper than {MAX_DEPTH} levels", self._pos(ev.start_mark))
            self._skip(kind)
            return None
        if kind == "AliasEvent":
            self.src.error(
                "yaml-alias",
                f"aliases (`*{ev.anchor}`) are not allowed",
                self._pos(ev.start_mark, ev.end_mark),
                hint="write the value out in full",
                loc=loc,
            )
            self.src.values[loc] = self._pos(ev.start_mark, ev.end_mark)
            return None
        self._check_props(ev, loc)
        if kind == "ScalarEvent":
            self.src.values[loc] = self._pos(ev.start_mark, ev.end_mark)
            value: str = ev.value
            if not ev.style and value in NULLS:
                return None
            bad = _BAD_CHARS.search(value)
            if bad:  # written as an escape such as "\x00" or "\u0085"
                self.src.error(
                    "control-character",
                    f"control character U+{ord(bad.group()):04X} is not allowed in plan text",
                    self._pos(ev.start_mark, ev.end_mark),
                    hint="remove the escape sequence",
                    loc=loc,
                )
            return value
        if kind == "SequenceStartEvent":
            self.src.values[loc] = self._pos(ev.start_mark)
            items: list[Any] = []
            while type(self.events[self.i]).__name__ != "SequenceEndEvent":
                items.append(self.node((*loc, len(items)), depth + 1))
            self.i += 1
            return items
        if kind == "MappingStartEvent":
            self.src.values.setdefault(loc, self._pos(ev.start_mark))
            out: dict[str, Any] = {}
            while type(self.events[self.i]).__name__ != "MappingEndEvent":
                kev = self.events[self.i]
                kpos = self._pos(kev.start_mark, kev.end_mark)
                if type(kev).__name__ != "ScalarEvent":
                    self.src.error("complex-key", "keys must be plain words", kpos)
                    self.node(loc, depth + 1)
                    self.node(loc, depth + 1)
                    continue
                self.i += 1
                self._check_props(kev, loc)
                key = kev.value
                if key in out or (*loc, key) in self.src.keys:
                    first = self.src.keys.get((*loc, key))
                    where = f" (first at line {first.line})" if first else ""
                    self.src.error(
                        "duplicate-key",
                        f"key `{key}` appears twice in the same mapping{where}",
                        kpos,
                        hint="keep one of them; YAML readers silently keep only the last",
                        loc=(*loc, key),
                    )
                    self.node((*loc, f"{key}#dup"), depth + 1)
                    continue
                self.src.keys[(*loc, key)] = kpos
                out[key] = self.node((*loc, key), depth + 1)
            self.i += 1
            return out
        raise AssertionError(f"unexpected YAML event {kind}")  # pragma: no cover

    def _skip(self, kind: str) -> None:
        if kind not in ("SequenceStartEvent", "MappingStartEvent"):
            return
        level = 1
        while level:
            name = type(self.events[self.i]).__name__
            self.i += 1
            if name in ("SequenceStartEvent", "MappingStartEvent"):
                level += 1
            elif name in ("SequenceEndEvent", "MappingEndEvent"):
                level -= 1
