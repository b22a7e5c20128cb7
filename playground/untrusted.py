"""Untrusted text in: JSON parsed under a length and nesting cap, and short display forms of user values.

Python's json module recurses once per nesting level, so about 1,000 nested brackets raise RecursionError;
the depth is therefore measured with a cheap scan before json sees the text. Values that go into messages
(unknown field names, a version, a wrong value) are cut to SHORT characters here; the UI escapes markup.
"""
from __future__ import annotations

import json
import re
import reprlib
from itertools import accumulate
from typing import Any

from playground.errors import Message, SpecError

MAX_TEXT_CHARS = 200_000  # a 12-layer stack with 11×11 custom kernels, pretty-printed, is about 60,000
MAX_DEPTH = 16  # a spec nests 5 deep: root, net, layers, a layer, its custom kernel
SHORT = 40  # characters of a user value shown in a message

_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)  # a JSON string literal (possessive: linear time)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlong = 3, SHORT, SHORT, SHORT


def short(value: Any, limit: int = SHORT) -> str:
    """A one-line display form of any value, at most limit characters (… marks a cut); never raises."""
    try:
        text = value if isinstance(value, str) else _REPR.repr(value)
    except Exception:  # a repr that fails (an int beyond Python's digit limit, a broken object)
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())  # no line breaks: a value cannot start a new paragraph or heading
    return text if len(text) <= limit else text[:limit - 1] + "…"


def nesting_depth(text: str) -> int:
    """Deepest bracket nesting of JSON text, counting [ and { outside string literals."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)


def as_text(data: Any, what: str = "json") -> str:
    """str, or bytes decoded as json.loads would (UTF-8/16/32 by their first bytes); SpecError otherwise."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > 4 * MAX_TEXT_CHARS:  # UTF-32 needs 4 bytes a character: decode nothing bigger
            raise SpecError("spec.too_long", chars=len(data), max=MAX_TEXT_CHARS)
        try:
            data = bytes(data).decode(json.detect_encoding(bytes(data)), "surrogatepass")
        except (UnicodeDecodeError, LookupError):
            raise SpecError("spec.bad_json", detail=Message("spec.json_reason.encoding", {})) from None
    if not isinstance(data, str):
        raise SpecError("spec.bad_json", detail=Message("spec.json_reason.not_text", {"kind": type(data).__name__}))
    return data.removeprefix("\ufeff")  # editors on Windows save UTF-8 with a byte-order mark


# The start of each json.JSONDecodeError.msg (CPython's json decoder and scanner) -> our reason key.
_JSON_REASONS = (("Expecting value", "value"), ("Expecting property name", "name"), ("Expecting ':'", "colon"),
                 ("Expecting ','", "comma"), ("Unterminated string", "string"), ("Invalid control", "control"),
                 ("Invalid \\uXXXX", "unicode"), ("Invalid \\escape", "escape"), ("Extra data", "extra"))


def load_json(data: Any) -> Any:
    """json.loads under MAX_TEXT_CHARS and MAX_DEPTH; every failure is a SpecError."""
    text = as_text(data)
    if len(text) > MAX_TEXT_CHARS:
        raise SpecError("spec.too_long", chars=len(text), max=MAX_TEXT_CHARS)
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise SpecError("spec.too_deep", depth=depth, max=MAX_DEPTH)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:  # the reason as a catalogue key, so it reads in the page's language
        reason = next((key for start, key in _JSON_REASONS if exc.msg.startswith(start)), "other")
        detail = Message(f"spec.json_reason.{reason}", {"line": exc.lineno, "col": exc.colno})
        raise SpecError("spec.bad_json", detail=detail) from None
    except (ValueError, RecursionError):  # a number over int's digit limit; RecursionError unreachable under MAX_DEPTH
        raise SpecError("spec.bad_json", detail=Message("spec.json_reason.number", {})) from None
