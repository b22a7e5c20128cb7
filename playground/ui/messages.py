"""Errors and notes from the core as text in the page's language, with every filled-in value kept as text.

Streamlit renders st.error / st.warning / st.info / st.caption as markdown. Values that fill a catalogue
template can come from a user (a field name in a link, a file name, a class name), so each one is escaped:
a backslash before every ASCII punctuation mark is CommonMark's way to say "this character, literally",
which also stops links, images, HTML and $…$ formulas. Our own template text keeps its formatting.

Escaping does not stop GitHub's autolinks: Streamlit's markdown finds "www.x.example", "http://x.example" and
"a@x.example" in the text left after escapes are read, and draws a link. So a WORD JOINER (U+2060: invisible,
no line break) goes where those patterns start: between "www" and its dot, after every colon (http:, mailto:)
and after every "@". The text reads the same (copied, it carries the invisible joiners). Checked in Chromium
on st.markdown, alerts, captions, st.table cells and radio labels (tests/browser/test_markup_injection.py).
"""
from __future__ import annotations

import re

from playground.errors import Message, PlaygroundError
from playground.ui.state import tr

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
WORD_JOINER = "\u2060"
_LINK_STARTS = re.compile(r"(?i)(?<=www)(?=\.)|(?<=[:@])")  # where a www., scheme: or e-mail autolink could begin
# Parameters that name one of our own options: shown by their translated name.
_OPTION_PARAMS = {"preset": "layers.inits", "what": "steps.what"}


def plain(value) -> str:
    """A value as markdown that shows exactly its characters (newlines become spaces), never as a link."""
    return _PUNCTUATION.sub(r"\\\1", _LINK_STARTS.sub(WORD_JOINER, " ".join(str(value).split())))


def _param(name: str, value):
    if isinstance(value, Message):  # a reason inside a message: translated (and escaped) in turn
        return text(value)
    if isinstance(value, (int, float)):  # numbers hold no markup, and templates may format them ({acc:.1f})
        return value
    if name in _OPTION_PARAMS and isinstance(value, str):
        prefix = _OPTION_PARAMS[name]
        return tr(f"{prefix}.{value}" if prefix != "steps.what" else f"steps.what_{value}")
    return plain(value)


def text(message: Message) -> str:
    """A core Message in the session's language, ready for any markdown element."""
    return tr(message.key, **{k: _param(k, v) for k, v in message.params.items()})


def error_text(exc: PlaygroundError) -> str:
    """A core error in the session's language."""
    return text(exc.message)
