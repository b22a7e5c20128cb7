"""Read markdown sources the way a student sees them (AppTest shows an element's markdown, not its text)."""
from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """The text a markdown source shows: backslash escapes of punctuation removed."""
    return _ESCAPED.sub(r"\1", markdown)
