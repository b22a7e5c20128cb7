"""The teacher's CSV export: one row per entry; no text cell can become a spreadsheet formula."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable

from playground.board.models import Challenge, Entry
from playground.i18n import t

# A cell starting with one of these is a formula (or DDE trigger) in Excel, LibreOffice or Sheets;
# the full-width forms are included because some spreadsheets fold them to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
COLUMNS = ("id", "time", "nickname", "lesson", "dataset", "stack", "params", "epochs", "seconds", "val_acc",
           "hidden", "meets_challenge", "spec")


# Where a spreadsheet may cut a cell into several: the separators of comma, semicolon and tab locales.
_SEPARATORS = re.compile(r"[,;\t|]")


def _visible(text: str) -> str:
    """The text from its first character that is neither white space nor invisible (zero-width, BOM)."""
    start = 0
    while start < len(text) and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    return text[start:]


def safe_cell(text: str) -> str:
    """Text that a spreadsheet shows as text: a leading apostrophe if any piece could start a formula (OWASP).

    A piece is the cell, or what follows a separator in a locale that splits there ("x;=cmd"); invisible
    characters before the formula start ("\u200b=cmd") do not hide it. Cells are also written quoted.
    """
    pieces = [text, *_SEPARATORS.split(text)[1:]]
    risky = any(p.startswith(FORMULA_STARTS) or _visible(p).startswith(FORMULA_STARTS) for p in pieces)
    return "'" + text if risky else text


def _row(e: Entry, rule: Challenge) -> list:
    texts = [e.created.isoformat(timespec="seconds"), e.nickname, e.lesson, e.dataset, e.stack]
    time, nick, lesson, dataset, stack = (safe_cell(x) for x in texts)
    return [e.id, time, nick, lesson, dataset, stack, e.params, e.epochs, round(e.seconds, 2),
            round(e.val_acc, 4), int(e.hidden), int(rule.admits(e)), safe_cell(e.spec_json)]


def entries_csv(entries: Iterable[Entry], rule: Challenge, lang: str = "en") -> str:
    """CSV text (header in lang) of the entries, in the order given."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")  # quoted: no locale splits a cell
    writer.writerow([t(f"board.csv.{c}", lang) for c in COLUMNS])
    writer.writerows(_row(e, rule) for e in entries)
    return out.getvalue()
