"""Which line of a TOML text a key path was written on, so a schema error can name it.

tomllib gives lines only for syntax errors. This scan follows table headers ([a.b], [[a]]) and
`key =` assignments; a path that was not written on its own line (inside an inline table or an
array) gets the line of the nearest written part above it.
"""
from __future__ import annotations

import re

_ARRAY = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*'""")


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted)]


def key_lines(text: str) -> dict[tuple, int]:
    """{("scene", 2, "prediction", "answer"): 41, ...}: 1-based lines of headers and keys."""
    lines: dict[tuple, int] = {}
    arrays: dict[tuple, int] = {}  # concrete array path -> index of its last element
    current: tuple = ()
    in_string = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:  # inside a multi-line string
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if (m := _ARRAY.match(line)) is not None:
            path = _concrete(_parts(m.group(1)), arrays)
            arrays[path] = arrays.get(path, -1) + 1
            current = (*path, arrays[path])
            lines.setdefault(path, number)
            lines[current] = number
        elif (m := _TABLE.match(line)) is not None:
            current = _concrete(_parts(m.group(1)), arrays)
            lines.setdefault(current, number)
        elif (m := _KEY.match(line)) is not None:
            lines.setdefault((*current, *_parts(m.group(1))), number)
            rest = line[m.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
    return lines


def _concrete(parts: list[str], arrays: dict[tuple, int]) -> tuple:
    """Header parts with the current index after each array of tables they pass through."""
    out: tuple = ()
    for i, part in enumerate(parts):
        out = (*out, part)
        if out in arrays and i < len(parts) - 1:
            out = (*out, arrays[out])
    return out


def line_of(lines: dict[tuple, int], path: tuple) -> int:
    """The line of path, or of its nearest written ancestor; 0 when none was written."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 0
