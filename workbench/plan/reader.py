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

Errors *recover*: a duplicate key keeps its first value, an alias, a tagged value or a
too-deep value is dropped (and its location *poisoned*, so that the model does not
report the same spot again), a control character is blanked. The model and the
cross-reference checks then still run, so one pass reports everything. Only text that is
not YAML at all (a syntax error, an empty file, a file that is too large or not UTF-8)
stops the file: :attr:`Source.fatal`.

Positions are recorded per *location tuple* — the same shape pydantic uses for error
locations (``("goals", "this_year", 1, "target")``) — for the key and for the value, so
that callers can point at either.

Deep nesting is found without letting the parser see it: the parser's scanner is
quadratic in the depth of flow collections (``[[[[…``), so :func:`_deep_regions` finds
collections nested deeper than the cap in one linear pass over the text and blanks them
before parsing; the builder's own depth check then reports them at their exact place.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.errors import Diagnostic, Location

MAX_BYTES = 2_000_000
"""Largest plan or settings file read (a real plan is a few tens of kB)."""

MAX_DEPTH = 32
"""Deepest nesting accepted (the plan model itself is at most 6 levels deep)."""

NULLS = frozenset({"", "~", "null", "Null", "NULL"})

# C0/C1 controls except tab/LF/CR, DEL, BOM inside the text, line/paragraph separators,
# surrogates (lone ones; pairs written as JSON escapes are joined first).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")  # invalid UTF-8 bytes, decoded with surrogateescape
MAX_BAD_BYTE_RUNS = 10
"""More invalid UTF-8 sequences than this: the file is in another encoding; stop there."""

MAX_DEEP_REGIONS = 8
"""Too-deep flow collections blanked and re-parsed at most this often per file."""

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
    fatal: bool = False  # the text could not be read as YAML: no data, no model checks
    poisoned: set[Loc] = field(default_factory=set)  # values dropped or damaged by a reported error
    spans: list[tuple[int, int, Loc]] = field(default_factory=list, repr=False)  # scalar text ranges
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

    def is_poisoned(self, loc: Sequence[str | int]) -> bool:
        """Whether `loc` is (inside) a value that a parse-level error already reported."""
        return any(tuple(loc[:k]) in self.poisoned for k in range(len(loc) + 1))

    def error(
        self,
        code: str,
        message: str,
        pos: Pos | None,
        hint: str | None = None,
        loc: Loc | None = None,
        fatal: bool = False,
        poison: bool = False,
    ) -> None:
        if loc:
            self._paths.append((len(self.diagnostics), loc))
        if loc is not None and poison:
            self.poisoned.add(loc)
        self.fatal = self.fatal or fatal
        self.diagnostics.append(Diagnostic(code, message, self.location(pos), hint=hint))

    def name_paths(self) -> None:
        """Give located diagnostics their id-based path, once the data is complete."""
        for i, loc in self._paths:
            d = self.diagnostics[i]
            self.diagnostics[i] = replace(d, location=replace(d.location, path=id_path(self.data, loc)))
        self._paths.clear()

    def scalar_at(self, index: int, starts: list[int]) -> Loc | None:
        """The location of the scalar (key or value) whose text contains character `index`
        (`starts`: the start of every span, in order)."""
        i = bisect.bisect_right(starts, index) - 1
        if i >= 0:
            start, end, loc = self.spans[i]
            if start <= index < max(end, start + 1):
                return loc
        return None


class _Lines:
    """Character index → (line, column), both 1-based."""

    def __init__(self, text: str):
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def __call__(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def read_text_file(raw: bytes, file: str, size: int | None = None) -> Source:
    """Parse `raw` (the bytes of a ``.yaml``/``.yml``/``.json`` file) into a :class:`Source`.

    `size` is the file's real size when `raw` is only its first bytes."""
    src = Source(file=file)
    total = max(size or 0, len(raw))
    if total > MAX_BYTES:
        src.error(
            "file-too-large",
            f"file is {total:,} bytes; plans and settings are limited to {MAX_BYTES:,} bytes",
            None,
            hint="split the file or remove pasted attachments",
            fatal=True,
        )
        return src
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        src.error(
            "not-utf8",
            "the file is encoded as UTF-16, not UTF-8",
            None,
            hint="save it as UTF-8 (in Excel or Notepad: Save as → Encoding UTF-8)",
            fatal=True,
        )
        return src
    text = raw.decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    damaged: list[tuple[int, int]] = []  # (diagnostic, character index) of invalid bytes: name their field
    runs = list(_ESCAPED_BYTES.finditer(text))
    _line_col = _Lines(text)
    if runs:
        src.lines = tuple(_ESCAPED_BYTES.sub(lambda m: "\ufffd" * len(m.group()), text).split("\n"))
        more = f" (and {len(runs) - 1} more invalid sequences)" if len(runs) > MAX_BAD_BYTE_RUNS else ""
        for m in runs if not more else runs[:1]:
            damaged.append((len(src.diagnostics), m.start()))
            line, col = _line_col(m.start())
            byte = ord(m.group()[0]) - 0xDC00
            src.error(
                "not-utf8",
                f"byte 0x{byte:02X} is not valid UTF-8{more}",
                Pos(line, col, col + len(m.group())),
                hint="save the file as UTF-8 (plans may contain Chinese; GBK/GB18030 files must be converted)",
            )
        if more:
            src.fatal = True
            return src
        text = _ESCAPED_BYTES.sub(lambda m: "\ufffd" * len(m.group()), text)
    # Raw control characters: remember where they are, blank them so parsing can go on and
    # name the field they are in.
    bad = [(m.start(), m.group()) for m in _BAD_CHARS.finditer(text)]
    if bad:
        text = _BAD_CHARS.sub(" ", text)
    src.lines = tuple(text.split("\n"))
    regions = _deep_regions(text, MAX_DEPTH)
    for _ in range(MAX_DEEP_REGIONS + 1):
        mark = (len(src.diagnostics), len(src._paths))
        builder = _Builder(src, _blank(text, regions), {start for start, _ in regions})
        try:
            builder.build()
            break
        except _FlowTooDeep as exc:
            del src.diagnostics[mark[0] :]
            del src._paths[mark[1] :]
            for table in (src.keys, src.values, src.spans, src.poisoned):
                table.clear()
            src.fatal, src.data = False, None
            new = (exc.start, _flow_end(text, exc.start))
            regions = [r for r in regions if not new[0] <= r[0] < new[1]] + [new]
    else:
        line, col = _line_col(regions[-1][0])
        src.error("too-deep", f"nesting deeper than {MAX_DEPTH} levels", Pos(line, col, col + 1), fatal=True)
        return src
    src.spans.sort()
    starts = [s for s, _, _ in src.spans]
    for start, _end in regions if not src.fatal else ():  # blanked, not reached: never silently dropped
        if not any(s <= start < e for s, e in builder.deep_spans):
            line, col = _line_col(start)
            loc = src.scalar_at(start, starts)
            _deep_error(src, Pos(line, col), loc or ())
    for index, ch in bad:  # reported even beside a syntax error (without the field then)
        loc = src.scalar_at(index, starts) if not src.fatal else None
        line, col = _line_col(index)
        src.error(
            "control-character",
            f"control character U+{ord(ch):04X} is not allowed in plan text",
            Pos(line, col, col + 1),
            hint="delete it (it often comes from copying out of a PDF or a chat window)",
            loc=loc,
            poison=True,
        )
    if src.fatal:
        return src
    for number, index in damaged:
        loc = src.scalar_at(index, starts)
        if loc is not None:
            src.poisoned.add(loc)
            src._paths.append((number, loc))
    src.name_paths()
    return src


def _deep_error(src: Source, pos: Pos, loc: Loc) -> None:
    head = loc[:8]  # name the field the nesting hangs from, not 33 list indexes
    named = max((i for i, part in enumerate(head) if isinstance(part, str)), default=0)
    src.error(
        "too-deep",
        f"nesting deeper than {MAX_DEPTH} levels",
        pos,
        hint="a plan is at most a few levels deep; check the brackets and indentation",
        loc=head[: named + 1] or None,
    )
    if loc:
        src.poisoned.add(loc)


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


# ------------------------------------------------------------------- deep nesting


_SCAN = re.compile(r"[\[\]{}\"'#\n]")
_DQ = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SQ = re.compile(r"'(?:[^']|'')*'")
# what may stand between the start of a line and a value in block context: indentation,
# `- `/`? `/`: ` indicators, one `key: `, anchors and tags
_BLOCK_LEAD = re.compile(
    r"[ \t]*(?:[-?:](?:[ \t]+|$))*"
    r"(?:(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^\s#'\"\[\]{}][^#]*?)[ \t]*:[ \t]+)?"
    r"(?:[&!][^ \t]*[ \t]+)*"
)
_COMPACT = re.compile(rf"(?m)^[ \t]*(?:[-?][ \t]+){{{MAX_DEPTH + 1},}}")
_INDICATOR = re.compile(r"[-?][ \t]+")


def _deep_regions(text: str, cap: int) -> list[tuple[int, int]]:
    """Character ranges ``(start, end)`` of collections nested more than `cap` levels:
    flow collections (``[[[…``, ``{"a": {"b": …``) past flow depth `cap`, and block
    sequences written compactly on one line (``- - - …``) past `cap` indicators.

    One linear pass, so that a 100,000-level file is refused at once. It errs on the
    side of finding too much; whatever it blanks is reported (never silently dropped)."""
    regions: list[tuple[int, int]] = []
    if text.count("[") + text.count("{") > cap:
        i, n, line_start = 0, len(text), 0
        while i < n:
            m = _SCAN.search(text, i)
            if m is None:
                break
            ch, j = m.group(), m.start()
            i = j + 1
            if ch == "\n":
                line_start = i
            elif ch == "#":
                if j == line_start or text[j - 1] in " \t":
                    i = _line_end(text, j)
            elif not _BLOCK_LEAD.fullmatch(text, line_start, j):
                i = _line_end(text, j)  # inside plain text: nothing else on this line opens a value
            elif ch in "\"'":
                q = (_DQ if ch == '"' else _SQ).match(text, j)
                if q is None:
                    break  # unclosed quote: the parser reports it
                i = q.end()
                line_start = text.rfind("\n", j, i) + 1 or line_start
            elif ch in "[{":
                i = _flow_scan(text, j, cap, regions)
                line_start = text.rfind("\n", j, i) + 1 or line_start
    for m in _COMPACT.finditer(text):
        indicators = list(_INDICATOR.finditer(text, m.start(), m.end()))
        start = indicators[cap].start()
        if any(s <= start < e for s, e in regions):
            continue
        col = start - (text.rfind("\n", 0, start) + 1)
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        while end < len(text):  # the lines that belong to it: indented at least as far
            nxt = text.find("\n", end + 1)
            nxt = len(text) if nxt < 0 else nxt
            line = text[end + 1 : nxt]
            if line.strip() and len(line) - len(line.lstrip(" ")) < col:
                break
            end = nxt
        regions.append((start, end))
    return sorted(regions)


def _line_end(text: str, i: int) -> int:
    nl = text.find("\n", i)
    return len(text) if nl < 0 else nl


def _flow_scan(text: str, i: int, cap: int, regions: list[tuple[int, int]]) -> int:
    """Scan the flow collection opening at `i`; record the ranges nested past `cap`;
    return the index after its closing bracket (or the end of the text)."""
    depth, n, open_at = 0, len(text), -1
    while i < n:
        m = _SCAN.search(text, i)
        if m is None:
            break
        ch, j = m.group(), m.start()
        i = j + 1
        if ch in "[{":
            depth += 1
            if depth == cap + 1:
                open_at = j
        elif ch in "]}":
            if depth == cap + 1 and open_at >= 0:
                regions.append((open_at, j + 1))
                open_at = -1
            depth -= 1
            if depth <= 0:
                return i
        elif ch in "\"'":
            k = j - 1
            while k >= 0 and text[k] in " \t\r\n":
                k -= 1
            if k < 0 or text[k] in "[{,:?":
                q = (_DQ if ch == '"' else _SQ).match(text, j)
                if q is None:
                    break
                i = q.end()
        elif ch == "#" and text[j - 1] in " \t\n":
            nl = text.find("\n", j)
            i = n if nl < 0 else nl
    if open_at >= 0:
        regions.append((open_at, n))
    return n


def _flow_end(text: str, start: int) -> int:
    """End (exclusive) of the flow collection opening at `start`."""
    found: list[tuple[int, int]] = []
    return _flow_scan(text, start, 10**9, found)


def _blank(text: str, regions: list[tuple[int, int]]) -> str:
    """`text` with each region replaced by ``~`` and spaces (line breaks kept, so every
    position after it stays where it was)."""
    if not regions:
        return text
    parts, last = [], 0
    for start, end in sorted(regions):
        if start < last:
            continue
        parts.append(text[last:start])
        parts.append("~" + re.sub(r"[^\n]", " ", text[start + 1 : end]))
        last = end
    parts.append(text[last:])
    return "".join(parts)


# ------------------------------------------------------------------------ builder


class _FlowTooDeep(Exception):
    """A flow collection past the cap that the linear pre-scan missed: blank it, re-parse."""

    def __init__(self, start: int):
        self.start = start


_COLLECTION_STARTS = ("SequenceStartEvent", "MappingStartEvent")
_COLLECTION_ENDS = ("SequenceEndEvent", "MappingEndEvent")


class _Builder:
    """Events → data. Reports every structural problem it meets and keeps going."""

    def __init__(self, src: Source, text: str, blanked: set[int]):
        self.src = src
        self.text = text
        self.blanked = sorted(blanked)  # starts of the regions already blanked
        self.deep_spans: list[tuple[int, int]] = []  # ranges reported as too deep
        self.events: Iterator[Any] = iter(())
        self.peeked: Any = None

    def _pos(self, mark: Any, end: Any | None = None) -> Pos:
        end_col = end.column + 1 if end is not None and end.line == mark.line else None
        return Pos(mark.line + 1, mark.column + 1, end_col)

    def next(self) -> Any:
        if self.peeked is not None:
            ev, self.peeked = self.peeked, None
            return ev
        return next(self.events)

    def peek(self) -> Any:
        if self.peeked is None:
            self.peeked = next(self.events)
        return self.peeked

    def build(self) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        self.events = iter(YAML(typ="safe", pure=True).parse(self.text))
        try:
            self._document()
        except MarkedYAMLError as exc:
            self.src.data = None
            message, mark, hint = _syntax_message(exc)
            self.src.error("yaml-syntax", message, self._pos(mark) if mark is not None else None, hint, fatal=True)
        except YAMLError as exc:  # pragma: no cover - ruamel raises marked errors for text input
            self.src.data = None
            self.src.error("yaml-syntax", f"YAML syntax error: {exc}", None, fatal=True)

    def _document(self) -> None:
        while type(self.peek()).__name__ in ("StreamStartEvent", "DocumentStartEvent"):
            self.next()
        if type(self.peek()).__name__ in ("DocumentEndEvent", "StreamEndEvent"):
            self.src.error(
                "empty-file", "the file is empty", None, hint="start from `kam new ACCOUNT_ID --name NAME`", fatal=True
            )
            return
        self.src.data = self.node((), 0)
        while True:
            ev = self.next()
            name = type(ev).__name__
            if name == "DocumentStartEvent":
                self.src.error(
                    "several-documents",
                    "the file holds several YAML documents (`---`); a plan is one document",
                    self._pos(ev.start_mark),
                    hint="split it into one file per plan",
                )
                return
            if name == "StreamEndEvent":
                return

    def _bad_props(self, ev: Any, loc: Loc) -> bool:
        """Report anchors and tags; True when the value must be dropped (a tag)."""
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
            if tag not in ("!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                self.src.error(
                    "yaml-tag",
                    f"YAML tags such as `{shown}` are not allowed",
                    self._pos(ev.start_mark, ev.end_mark),
                    hint="remove the tag; the plan format types every value itself",
                    loc=loc,
                    poison=True,
                )
                return True
        return False

    def node(self, loc: Loc, depth: int) -> Any:
        ev = self.next()
        kind = type(ev).__name__
        if depth > MAX_DEPTH:
            self._too_deep(ev, kind, loc)
            return None
        if kind == "AliasEvent":
            self.src.error(
                "yaml-alias",
                f"aliases (`*{ev.anchor}`) are not allowed",
                self._pos(ev.start_mark, ev.end_mark),
                hint="write the value out in full",
                loc=loc,
                poison=True,
            )
            self.src.values[loc] = self._pos(ev.start_mark, ev.end_mark)
            return None
        if self._bad_props(ev, loc):
            self.src.values[loc] = self._pos(ev.start_mark, ev.end_mark)
            self._skip(ev, kind, depth)
            return None
        if kind == "ScalarEvent":
            value: str = ev.value
            if not ev.style and value == "" and loc and isinstance(loc[-1], str):
                return None  # `key:` with nothing after it: located at the key
            self.src.values[loc] = self._pos(ev.start_mark, ev.end_mark)
            self.src.spans.append((ev.start_mark.index, ev.end_mark.index, loc))
            if not ev.style and value in NULLS:
                return None
            return self._checked_text(ev, value, loc)
        if kind == "SequenceStartEvent":
            self.src.values[loc] = self._pos(ev.start_mark)
            items: list[Any] = []
            while type(self.peek()).__name__ != "SequenceEndEvent":
                items.append(self.node((*loc, len(items)), depth + 1))
            self.next()
            return items
        if kind == "MappingStartEvent":
            self.src.values.setdefault(loc, self._pos(ev.start_mark))
            out: dict[str, Any] = {}
            while type(self.peek()).__name__ != "MappingEndEvent":
                kev = self.next()
                kname = type(kev).__name__
                kpos = self._pos(kev.start_mark, kev.end_mark)
                if kname != "ScalarEvent":
                    if kname == "AliasEvent":
                        self.src.error(
                            "yaml-alias", f"aliases (`*{kev.anchor}`) are not allowed", kpos, "write the key out"
                        )
                    else:
                        self.src.error("complex-key", "keys must be plain words", kpos, hint="write `key: value`")
                        self._skip(kev, kname, depth + 1)
                    self._skip(self.next(), None, depth + 1)
                    continue
                self._bad_props(kev, (*loc, kev.value))
                key = self._checked_text(kev, kev.value, (*loc, kev.value))
                if key in out or (*loc, key) in self.src.keys:
                    first = self.src.keys.get((*loc, key))
                    where = f" (first at line {first.line})" if first else ""
                    self.src.error(
                        "duplicate-key",
                        f"key `{key}` appears twice in the same mapping{where}",
                        kpos,
                        hint="keep one of them (the first is used meanwhile); YAML readers silently keep only the last",
                        loc=(*loc, key),
                    )
                    self._skip(self.next(), None, depth + 1)
                    continue
                self.src.keys[(*loc, key)] = kpos
                self.src.spans.append((kev.start_mark.index, kev.end_mark.index, (*loc, key)))
                out[key] = self.node((*loc, key), depth + 1)
            self.next()
            return out
        raise AssertionError(f"unexpected YAML event {kind}")  # pragma: no cover

    def _checked_text(self, ev: Any, value: str, loc: Loc) -> str:
        if _SURROGATE.search(value):  # JSON writes characters beyond U+FFFF as escaped pairs
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        bad = _BAD_CHARS.search(value)
        if bad:  # written as an escape such as "\x00" or "\u0085"
            self.src.error(
                "control-character",
                f"control character U+{ord(bad.group()):04X} is not allowed in plan text",
                self._pos(ev.start_mark, ev.end_mark),
                hint="remove the escape sequence",
                loc=loc,
                poison=True,
            )
        return value

    def _too_deep(self, ev: Any, kind: str, loc: Loc) -> None:
        start = ev.start_mark.index
        if kind in _COLLECTION_STARTS and ev.flow_style and not self._cut(start):
            raise _FlowTooDeep(start)
        _deep_error(self.src, self._pos(ev.start_mark), loc)
        end = self._skip(ev, kind, MAX_DEPTH + 1)
        self.deep_spans.append((start, max(end, ev.end_mark.index, start + 1)))

    def _cut(self, start: int) -> bool:
        """Whether the flow collection opening at `start` was cut short by the pre-scan (it
        holds a blanked region), so that parsing the rest of it is cheap."""
        i = bisect.bisect_left(self.blanked, start)
        return i < len(self.blanked) and self.blanked[i] < _flow_end(self.text, start)

    def _skip(self, ev: Any, kind: str | None, depth: int) -> int:
        """Consume the rest of the node that `ev` starts (`ev` already read, or read it
        when `kind` is None); return the end index of its text."""
        if kind is None:
            kind = type(ev).__name__
        level = 1 if kind in _COLLECTION_STARTS else 0
        end = ev.end_mark.index
        while level:
            ev = self.next()
            name = type(ev).__name__
            if name in _COLLECTION_STARTS:
                if ev.flow_style and depth + level > MAX_DEPTH and not self._cut(ev.start_mark.index):
                    raise _FlowTooDeep(ev.start_mark.index)
                level += 1
            elif name in _COLLECTION_ENDS:
                level -= 1
            end = ev.end_mark.index
        return end


def _syntax_message(exc: Any) -> tuple[str, Any, str]:
    """A YAML syntax error in plain words: (message, mark to point at, hint)."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if "quoted scalar" in context and exc.context_mark is not None:
        return (
            "YAML syntax error: this quote is never closed",
            exc.context_mark,
            'close the quote; inside double quotes write a quote as \\" (or use single quotes around the text)',
        )
    if "'\\t'" in problem or "\\t" in problem:
        return (
            "YAML syntax error: a tab is used for indentation",
            mark,
            "YAML indents with spaces only: replace the tab with spaces",
        )
    if problem == "mapping values are not allowed here":
        return (
            "YAML syntax error: a `: ` where no new key can start",
            mark,
            'quote a value that contains `: ` (`title: "a: b"`), or check the indentation of this line',
        )
    return (
        f"YAML syntax error: {problem or context or 'invalid YAML'}",
        mark,
        "check the indentation and quoting on this line or the one before",
    )
