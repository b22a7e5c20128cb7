"""Reading typed answers: one cleaning step (full-width forms, Chinese punctuation, ×, −), then numbers and cells.

Every reader returns None when the text is not in its form; it raises AnswerFormatError only to give a
more specific hint (too long, a decimal comma that could be a thousands separator). Nothing else escapes:
numbers are matched by ASCII regexes of bounded length before int() / float() ever sees them.
"""
from __future__ import annotations

import re
import unicodedata

from playground.exercises.model import AnswerFormatError

MAX_CHARS = 200
MAX_PARTS = 8  # numbers in a tuple answer
MAX_SPAN = 50  # longest row / column range in a cells answer
_TRANS = str.maketrans({"×": "x", "✕": "x", "✖": "x", "⨯": "x", "*": "x", "、": ",", "−": "-", "–": "-", "—": "-",
                        "‐": "-", "‑": "-"})
_RANGE_TRANS = str.maketrans({"~": "-", "〜": "-", "至": "-", "到": "-", "第": " ", "和": ",", "与": ",", "及": ","})
_INT = re.compile(r"[+-]?[0-9]{1,15}", re.A)
_WHOLE = re.compile(r"([+-]?[0-9]{1,15})\.0{1,6}", re.A)
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:[, '_][0-9]{3}){1,4}", re.A)
_DEC = re.compile(r"[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})", re.A)
_UNITS = re.compile(r"\s*(?:px|pixels?|params?|parameters?|weights?|像素|个参数|个)$")
_BRACKETS = "()[]{}<> "


def clean(text) -> str:
    """NFKC (full-width digits and punctuation to ASCII), lower case, one spelling of ×, − and ranges."""
    if not isinstance(text, str):
        raise AnswerFormatError("exercises.formats.empty")
    if len(text) > MAX_CHARS:
        raise AnswerFormatError("exercises.formats.too_long", max=MAX_CHARS)
    s = unicodedata.normalize("NFKC", text).casefold().translate(_TRANS)
    s = re.sub(r"\s+", " ", s)
    s = s.strip().rstrip(".。!！?？").strip()
    if not s:
        raise AnswerFormatError("exercises.formats.empty")
    return s


def read_int(s: str) -> int | None:
    """One whole number: '1216', '1,216', '1 216', '16.0', '7 px'; None otherwise."""
    s = _UNITS.sub("", s.strip(_BRACKETS)).strip()
    if _INT.fullmatch(s):
        return int(s)
    if _THOUSANDS.fullmatch(s):
        return int(re.sub(r"[, '_]", "", s))
    m = _WHOLE.fullmatch(s)
    return int(m.group(1)) if m else None


def read_ints(s: str) -> tuple[int, ...] | None:
    """Whole numbers split by x, commas, semicolons or spaces: '16x84x127', '(16, 84, 127)', '16 84 127'."""
    s = _UNITS.sub("", s.strip(_BRACKETS)).strip()
    if s.startswith("x") or s.endswith("x"):  # "16x84x": not finished
        return None
    parts = [p for p in re.split(r"[x,;\s]+", s) if p]
    if not parts or len(parts) > MAX_PARTS or not all(_INT.fullmatch(p) for p in parts):
        return None
    return tuple(int(p) for p in parts)


def read_decimal(s: str, example: str = "0.25") -> float | None:
    """A decimal ('0.25', '-1.5', '.5', '0,25'), or a fraction 'a/b'; a comma only where it cannot mean thousands."""
    s = s.replace(" ", "").strip(_BRACKETS)
    if s.count("/") == 1:
        top, bottom = (read_decimal(part, example) for part in s.split("/"))
        return None if top is None or not bottom else top / bottom
    if "," in s:
        whole, _, frac = s.partition(",")
        if "." in s or "," in frac or not frac:
            return None
        if len(frac) == 3 and whole.lstrip("+-") not in ("", "0"):  # "1,500": 1.5 or 1500?
            raise AnswerFormatError("exercises.formats.decimal_comma", example=example)
        s = f"{whole}.{frac}"
    return float(s) if _DEC.fullmatch(s) and any(ch.isdigit() for ch in s) else None


def read_percent(s: str) -> float | None:
    """A share as a fraction 0..1: '25%', '25' (read as percent), '0.25', '1/4'; a bare '1' is ambiguous."""
    s = s.replace(" ", "")
    if s.endswith("%"):
        v = read_decimal(s[:-1], "25%")
        return None if v is None else v / 100
    v = read_decimal(s, "25%")
    if v is None:
        return None
    if v == 1 and "/" not in s:
        raise AnswerFormatError("exercises.formats.percent_one")
    return v / 100 if v > 1 else v


_ROW = r"rows?|r|行"
_COL = r"columns?|cols?|c|列"
_TOKEN = re.compile(rf"(?P<row>{_ROW})|(?P<col>{_COL})|(?P<range>[0-9]{{1,3}}\s*-\s*[0-9]{{1,3}})|(?P<num>[0-9]{{1,3}})"
                    r"|(?P<sep>[\s,;:=：])", re.A)
_PAIR = re.compile(r"\(\s*([0-9]{1,3})\s*,\s*([0-9]{1,3})\s*\)", re.A)


def _numbers(spec: str) -> list[int] | None:
    """'3' -> [3]; '2-4' -> [2, 3, 4] (either order)."""
    if "-" not in spec:
        return [int(spec)]
    a, b = sorted(int(v) for v in spec.split("-"))
    return list(range(a, b + 1)) if b - a < MAX_SPAN else None


def _tokens(s: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens without separators; None if anything else is in the text."""
    out, pos = [], 0
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if m is None:
            return None
        if m.lastgroup != "sep":
            out.append((m.lastgroup, m.group()))
        pos = m.end()
    return out


def _groups(tokens: list[tuple[str, str]]) -> dict[str, list[int]] | None:
    """Rows and columns: 'rows 2-4 columns 1-3' (word first) or '2-4 行 1-3 列' (numbers first)."""
    words_first = tokens[0][0] in ("row", "col")
    groups: dict[str, list[int]] = {}
    current, pending = None, []
    for kind, text in tokens:
        if kind in ("row", "col"):
            if kind in groups or (words_first and current and not groups.get(current)):
                return None
            if words_first:
                current = kind
                groups[kind] = []
            else:
                groups[kind], pending = pending, []
            continue
        values = _numbers(text)
        if values is None:
            return None
        (groups[current] if words_first else pending).extend(values)
    if pending or set(groups) != {"row", "col"} or not all(groups.values()):
        return None
    return groups


def read_cells(s: str) -> frozenset[tuple[int, int]] | None:
    """(row, column) pairs, 1-based: 'rows 2–4, columns 1–3', '第 2–4 行，第 1–3 列', or '(1, 2) (1, 3)'."""
    s = re.sub(r"\band\b", ",", re.sub(r"\bto\b|\bthrough\b", "-", s.translate(_RANGE_TRANS)))
    if "(" in s:
        pairs = _PAIR.findall(s)
        rest = _PAIR.sub("", s)
        if not pairs or rest.strip(" ,;") or len(pairs) > MAX_SPAN:
            return None
        return frozenset((int(r), int(c)) for r, c in pairs)
    tokens = _tokens(s)
    groups = _groups(tokens) if tokens else None
    if groups is None:
        return None
    return frozenset((r, c) for r in groups["row"] for c in groups["col"])
