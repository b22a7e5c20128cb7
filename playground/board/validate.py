"""Checks for everything a user or a page hands to the board; each failure is a BoardError with a key.

Nicknames (and the stack line) are text, never markup: they are stored as typed, after this cleaning:
NFC normalization; control characters, bidi controls (LRM/RLM, embeddings, overrides, isolates) and
other invisible format characters are REMOVED, except the zero-width joiners that emoji and some
scripts need; lone surrogates, private-use and unassigned code points are removed too, and so are the
letters that draw nothing (Hangul fillers, the braille blank: "invisible names"); combining marks past
four in a row are dropped (no "Zalgo" text spilling over other rows); every run of white space becomes
one space, and the ends are stripped. What is left must be 1-24 code points, or the
nickname is REFUSED (never cut). HTML and markdown stay literal characters: escaping is the page's job.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import fields
from numbers import Integral, Real

from playground.board.errors import BoardError
from playground.board.models import Challenge, NewEntry
from playground.classroom.lessons import LESSONS
from playground.errors import SpecError
from playground.limits import CHOICES, LIMITS
from playground.spec import PipelineSpec

NICK_MAX = 24
STACK_MAX = 300
MAX_CURVE = 100  # points kept per entry
MAX_CURVE_IN = 100_000  # points accepted before downsampling
CURVE_MAX_VALUE = 1e6
MAX_PARAMS = 10**9
MAX_SECONDS = 7 * 86400.0
MAX_SPEC_CHARS = 100_000  # 12 layers of 11×11 custom kernels, pretty-printed, fit easily
DAYS_MIN, DAYS_MAX = 1, 365
DATASETS = CHOICES["train.dataset"]
MAX_EPOCHS = int(LIMITS["train.epochs"].max)
_KEEP_FORMAT = {"\u200c", "\u200d"}  # ZWNJ, ZWJ: emoji sequences, Persian and Indic text need them
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}
_BLANK = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f"}  # draw nothing, yet are not "C" characters
MAX_MARKS = 4  # combining marks in a row (Vietnamese or Devanagari need two or three)
_EXERCISE = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")


def clean_text(value: object, limit: int, field: str) -> str:
    """Text after the cleaning described above (not yet length-checked against its minimum)."""
    if not isinstance(value, str):
        raise BoardError("board.bad_field", field=field)
    if len(value) > 50 * limit:  # far too long whatever cleaning would remove: refuse before the work
        raise BoardError("board.text_too_long", field=field, max=limit)
    kept, marks = [], 0
    for ch in unicodedata.normalize("NFC", value):
        cat = unicodedata.category(ch)
        marks = marks + 1 if cat in ("Mn", "Me") else 0
        if ch.isspace() or cat in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif (ch in _KEEP_FORMAT or cat not in _DROP) and ch not in _BLANK and marks <= MAX_MARKS:
            kept.append(ch)
    text = " ".join("".join(kept).split())
    if len(text) > limit:
        raise BoardError("board.text_too_long", field=field, max=limit)
    return text


def nickname(value: object) -> str:
    """A cleaned nickname of 1-24 code points."""
    if not isinstance(value, str):
        raise BoardError("board.nick_empty")
    try:
        nick = clean_text(value, NICK_MAX, "nickname")
    except BoardError:
        raise BoardError("board.nick_too_long", max=NICK_MAX) from None
    if not nick:
        raise BoardError("board.nick_empty")
    return nick


def integer(value: object, field: str, lo: int, hi: int) -> int:
    """A whole number in [lo, hi] (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, Integral) or not lo <= value <= hi:
        raise BoardError("board.bad_number", field=field, min=lo, max=hi)
    return int(value)


def _in(value: object, lo: float, hi: float) -> bool:
    """True for a real number (not a bool) in [lo, hi]; NaN and ints too big for a float are not."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    try:
        return lo <= float(value) <= hi  # NaN fails the comparison
    except OverflowError:
        return False


def real(value: object, field: str, lo: float, hi: float) -> float:
    """A finite number in [lo, hi] (bools refused)."""
    if not _in(value, lo, hi):
        raise BoardError("board.bad_number", field=field, min=lo, max=hi)
    return float(value)


def downsample(values: Sequence[float], count: int = MAX_CURVE) -> tuple[float, ...]:
    """At most count points: the means of count equal slices (the whole curve, smoothed), ends kept."""
    n = len(values)
    if n <= count:
        return tuple(float(v) for v in values)
    cuts = [round(i * n / count) for i in range(count + 1)]
    means = [math.fsum(values[a:b]) / (b - a) for a, b in zip(cuts, cuts[1:], strict=False)]
    means[0], means[-1] = float(values[0]), float(values[-1])  # the first and the final loss as they were
    return tuple(means)


def curve(value: object) -> tuple[float, ...]:
    """A loss curve: 1..100,000 finite numbers in [0, 1e6], downsampled to at most 100."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__") or not 1 <= len(value) <= MAX_CURVE_IN:
        raise BoardError("board.bad_curve", max=MAX_CURVE_IN, top=CURVE_MAX_VALUE)
    points = list(value)
    for v in points:
        if not _in(v, 0.0, CURVE_MAX_VALUE):
            raise BoardError("board.bad_curve", max=MAX_CURVE_IN, top=CURVE_MAX_VALUE)
    return downsample([float(v) for v in points])


def spec(text: object) -> PipelineSpec:
    """A spec that PipelineSpec.from_json accepts; anything else (forged, oversized, nested) is refused."""
    if not isinstance(text, str) or len(text) > MAX_SPEC_CHARS:
        raise BoardError("board.bad_spec", cause="size")
    try:
        return PipelineSpec.from_json(text)
    except SpecError as err:
        raise BoardError("board.bad_spec", cause=err.key) from None
    except (RecursionError, ValueError, TypeError, KeyError, OverflowError):  # deep nesting and the like: never leak
        raise BoardError("board.bad_spec", cause="parse") from None


def canonical_spec(parsed: PipelineSpec) -> str:
    """The JSON the board stores: re-serialized from the parsed spec, so nothing forged survives."""
    return json.dumps(parsed.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def lesson(value: object) -> str:
    """'' (free exploration) or a known lesson id."""
    if value == "":
        return ""
    if not isinstance(value, str) or value not in LESSONS:
        raise BoardError("board.bad_lesson")
    return value


def dataset(value: object, field: str = "dataset") -> str:
    """One of the Training lab's data sets."""
    if not isinstance(value, str) or value not in DATASETS:
        raise BoardError("board.bad_dataset", field=field, choices=", ".join(DATASETS))
    return value


def days(value: object) -> int:
    """A board's life in days."""
    if isinstance(value, bool) or not isinstance(value, Integral) or not DAYS_MIN <= value <= DAYS_MAX:
        raise BoardError("board.bad_days", min=DAYS_MIN, max=DAYS_MAX)
    return int(value)


def exercise(value: object) -> str:
    """An exercise id: lower-case letters, digits, '_', '.', '-'; at most 64."""
    if not isinstance(value, str) or not _EXERCISE.fullmatch(value):
        raise BoardError("board.bad_exercise")
    return value


def challenge(rule: object) -> Challenge:
    """A validated challenge rule (None clears the rule)."""
    if rule is None:
        return Challenge()
    if not isinstance(rule, Challenge):
        raise BoardError("board.bad_field", field="challenge")
    return Challenge(
        max_params=None if rule.max_params is None else integer(rule.max_params, "max_params", 1, MAX_PARAMS),
        dataset=None if rule.dataset is None else dataset(rule.dataset, "challenge.dataset"),
        max_epochs=None if rule.max_epochs is None else integer(rule.max_epochs, "max_epochs", 1, MAX_EPOCHS))


def as_new_entry(value: object) -> NewEntry:
    """A NewEntry, or a mapping with exactly NewEntry's fields (lesson optional)."""
    if isinstance(value, NewEntry):
        return value
    if not isinstance(value, Mapping):
        raise BoardError("board.bad_field", field="entry")
    names = {f.name for f in fields(NewEntry)}
    unknown = [str(k)[:40] for k in value if k not in names]
    missing = sorted(names - set(value) - {"lesson"})
    if unknown or missing:
        raise BoardError("board.bad_field", field=(unknown + missing)[0])
    return NewEntry(**value)


def entry_row(value: object) -> dict:
    """The checked columns of a new entry (all but board, nickname, time); a forged part is refused."""
    new = as_new_entry(value)
    parsed = spec(new.spec_json)
    row = {"dataset": dataset(new.dataset), "stack": clean_text(new.stack, STACK_MAX, "stack"),
           "params": integer(new.params, "params", 1, MAX_PARAMS),
           "epochs": integer(new.epochs, "epochs", 1, MAX_EPOCHS),
           "seconds": real(new.seconds, "seconds", 0.0, MAX_SECONDS),
           "val_acc": real(new.val_acc, "val_acc", 0.0, 1.0),
           "curve": json.dumps(curve(new.curve)), "spec": canonical_spec(parsed), "lesson": lesson(new.lesson)}
    if parsed.train.dataset != row["dataset"]:
        raise BoardError("board.spec_mismatch", field="dataset")
    if row["epochs"] > parsed.train.epochs:
        raise BoardError("board.spec_mismatch", field="epochs")
    return row


_TOKEN = re.compile(r"[A-Za-z0-9_\-]{1,64}")


def token(value: object, field: str) -> str:
    """An opaque identifier (a run id, a tab's token): 1-64 letters, digits, '_' or '-'."""
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise BoardError("board.bad_field", field=field)
    return value
