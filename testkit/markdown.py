"""Read markdown sources the way a student sees them (AppTest shows an element's markdown, not its text)."""
from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
WORD_JOINER = "\u2060"  # invisible; the page puts it where an autolink could start (playground/ui/messages.py)


def shown(markdown: str) -> str:
    """The text a markdown source shows: backslash escapes of punctuation and invisible word joiners removed."""
    return _ESCAPED.sub(r"\1", markdown).replace(WORD_JOINER, "")


def tables(markdowns) -> list[list[dict[str, str]]]:
    """Every markdown table among the given markdown sources, as lists of {header: cell} records (shown text)."""
    out = []
    for source in markdowns:
        lines = [ln for ln in source.strip().splitlines() if ln.startswith("|")]
        if len(lines) < 2 or not set(lines[1].replace("|", "").replace(" ", "")) <= set("-:"):
            continue
        cells = [[shown(c.strip()) for c in _split(ln)] for ln in lines]
        out.append([dict(zip(cells[0], row, strict=True)) for row in cells[2:]])
    return out


def _split(line: str) -> list[str]:
    """The cells of one table row; an escaped pipe (\\|) stays inside its cell."""
    parts, cur, i = [], "", 1
    body = line.strip()
    while i < len(body) - 1:
        if body[i] == "\\" and i + 1 < len(body) - 1:
            cur += body[i:i + 2]
            i += 2
            continue
        if body[i] == "|":
            parts.append(cur)
            cur = ""
        else:
            cur += body[i]
        i += 1
    return parts + [cur]
