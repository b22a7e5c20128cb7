"""Teacher lock: which spec paths a share link locks or hides, parsed from and written to the link's query.

The same link model carries the class board keys: `class` (the class code a student joined), `teacher`
(the board's teacher key) and `s` (a short link to a stored spec). The teacher key is read from a link (the
board's one "teacher link") but never written into one: it lives in the teacher's session, so the address
bar, a share link, a join link and a QR code cannot hand it on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields

from playground.exercises.model import SEED_MAX
from playground.spec import PipelineSpec

LOCK, HIDE, LESSON, PROJECTOR = "lock", "hide", "lesson", "projector"
CLASS, TEACHER, SHORT = "class", "teacher", "s"
_CODE_CHARS = 40  # a class code, teacher key or short code from a link: longer text is not one

_RANDOM = ("augment.mode", "augment.p_hflip", "augment.p_vflip", "augment.max_angle", "augment.seed", "augment.count")
# What else can change a locked value: locking (or hiding) the key locks these too. A fixed angle or flip
# is worth nothing if the student can switch to random augmentation; a random range needs its mode; the
# sample picture needs its source; training's augmentation uses the augment section's random ranges.
IMPLIES: dict[str, tuple[str, ...]] = {
    "augment.angle": _RANDOM,
    "augment.flip": _RANDOM,
    "augment.p_hflip": ("augment.mode",),
    "augment.p_vflip": ("augment.mode",),
    "augment.max_angle": ("augment.mode",),
    "augment.seed": ("augment.mode",),
    "augment.count": ("augment.mode",),
    "image.sample": ("image.source",),
    "train.augment": ("augment.p_hflip", "augment.p_vflip", "augment.max_angle"),
}
EXERCISE, EXERCISE_SEED, EXERCISE_PRACTICE = "ex", "ex_seed", "ex_practice"  # the question a teacher hands out
_EXERCISE_ID = re.compile(r"[a-z]{1,20}\.[a-z_]{1,40}")


def sections() -> tuple[str, ...]:
    """The spec's top-level sections ('image', 'augment', ...), in order."""
    return tuple(f.name for f in fields(PipelineSpec))


def field_paths() -> tuple[str, ...]:
    """Every lockable dotted field path ('augment.angle', 'net.layers', ...)."""
    spec = PipelineSpec()
    return tuple(f"{s}.{f.name}" for s in sections() for f in fields(getattr(spec, s)))


def lockable() -> tuple[str, ...]:
    """Sections first, then single fields: everything a lock may name."""
    return sections() + field_paths()


def parse_paths(raw: str | None) -> frozenset[str]:
    """'augment,norm.method' -> the known names in it; unknown names from a hand-edited link are dropped."""
    known = set(lockable())
    return frozenset(p.strip() for p in (raw or "").split(",") if p.strip() in known)


def covers(names: frozenset[str], path: str) -> bool:
    """True when path ('augment.angle', 'net.layers.2.kernel') is named itself or lies in a named section/field."""
    return any(path == n or path.startswith(n + ".") for n in names)


def implied(names: frozenset[str]) -> frozenset[str]:
    """The fields IMPLIES adds to names (for a named section: to each of its fields), minus those named."""
    fields_named = [f for f in field_paths() if covers(names, f)]
    return frozenset(p for f in fields_named for p in IMPLIES.get(f, ())) - names


def link_code(raw: str | None) -> str:
    """A code from a link as typed (spaces and dashes dropped, upper case); too long: no code at all."""
    text = "".join((raw or "").split()).replace("-", "").upper()
    return text if len(text) <= _CODE_CHARS and text.isalnum() and text.isascii() else ""


@dataclass(frozen=True)
class Classroom:
    """The classroom part of a link: locked and hidden paths, the lesson, projector mode, the class board, a
    handed-out question.

    short is the code of the short link the spec came from and short_spec that spec (None while it could
    not be loaded): the link stays `?s=<code>` while the spec is unchanged (see student_query).
    """

    locked: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    lesson: str = ""
    projector: bool = False
    board: str = ""  # the class code this tab joined
    teacher: str = ""  # the board's teacher key: read from the teacher link, never written by to_query
    short: str = ""
    short_spec: PipelineSpec | None = None
    exercise: str = ""  # "Check yourself" exercise id the link opens ("" none; the UI ignores ids it does not know)
    exercise_seed: int = -1  # its question number, -1: the panel's own
    exercise_practice: bool = False  # a practice setting made from the seed (the same for everyone)

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Classroom:
        """Read the classroom keys of a link's query; the rest belongs to the spec."""
        board = link_code(query.get(CLASS))
        return cls(parse_paths(query.get(LOCK)), parse_paths(query.get(HIDE)),
                   query.get(LESSON, ""), query.get(PROJECTOR) == "1", board,
                   link_code(query.get(TEACHER)) if board else "", link_code(query.get(SHORT)), **parse_exercise(query))

    def to_query(self) -> dict[str, str]:
        """The classroom keys that differ from a plain link (the short code is student_query's business).

        Never the teacher key: this query becomes the address bar and every share link."""
        out = {LOCK: ",".join(_ordered(self.locked)), HIDE: ",".join(_ordered(self.hidden)),
               LESSON: self.lesson, PROJECTOR: "1" if self.projector else "", CLASS: self.board}
        if self.exercise:
            out |= {EXERCISE: self.exercise, EXERCISE_SEED: str(self.exercise_seed) if self.exercise_seed >= 0 else "",
                    EXERCISE_PRACTICE: "1" if self.exercise_practice else ""}
        return {k: v for k, v in out.items() if v}

    def is_locked(self, path: str) -> bool:
        """Drawn disabled: named, in a named section, or implied by a locked or hidden name (hidden wins)."""
        names = self.locked | implied(self.locked | self.hidden)
        return covers(names, path) and not self.is_hidden(path)

    def is_hidden(self, path: str) -> bool:
        """Not drawn at all."""
        return covers(self.hidden, path)

    def keep_locked(self, old, new):
        """new with every locked or hidden field set back to its value in old: the server side of a lock."""
        for path in field_paths():
            if (self.is_locked(path) or self.is_hidden(path)) and new.get(path) != old.get(path):
                new = new.set(path, old.get(path))
        return new

    @property
    def restricted(self) -> bool:
        """Anything locked or hidden: the student may not replace the whole pipeline."""
        return bool(self.locked or self.hidden)


def parse_exercise(query: dict[str, str]) -> dict:
    """The handed-out question of a link: ex (an id's form), ex_seed (0..SEED_MAX) and ex_practice; bad values dropped."""
    exercise = query.get(EXERCISE, "")
    if not isinstance(exercise, str) or not _EXERCISE_ID.fullmatch(exercise):
        return {}
    raw = query.get(EXERCISE_SEED, "")
    seed = int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 4 else -1
    return {"exercise": exercise, "exercise_seed": seed if 0 <= seed <= SEED_MAX else -1,
            "exercise_practice": query.get(EXERCISE_PRACTICE) == "1"}


def _ordered(names: frozenset[str]) -> list[str]:
    order = {n: i for i, n in enumerate(lockable())}
    return sorted(names, key=order.__getitem__)


def student_query(spec: PipelineSpec, room: Classroom) -> dict[str, str]:
    """The whole query of a share link: the spec's non-default fields (or the short code, while the spec is
    still the one it stands for) plus the classroom keys."""
    if room.short and spec == (room.short_spec or PipelineSpec()):
        return {SHORT: room.short, **room.to_query()}
    return {**spec.to_query(), **room.to_query()}
