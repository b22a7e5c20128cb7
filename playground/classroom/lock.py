"""Teacher lock: which spec paths a share link locks or hides, parsed from and written to the link's query."""
from __future__ import annotations

from dataclasses import dataclass, fields

from playground.spec import PipelineSpec

LOCK, HIDE, LESSON, PROJECTOR = "lock", "hide", "lesson", "projector"


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


@dataclass(frozen=True)
class Classroom:
    """The classroom part of a link: locked and hidden paths, the lesson, projector mode."""

    locked: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    lesson: str = ""
    projector: bool = False

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Classroom:
        """Read the classroom keys of a link's query; the rest belongs to the spec."""
        return cls(parse_paths(query.get(LOCK)), parse_paths(query.get(HIDE)),
                   query.get(LESSON, ""), query.get(PROJECTOR) == "1")

    def to_query(self) -> dict[str, str]:
        """The classroom keys that differ from a plain link."""
        out = {LOCK: ",".join(_ordered(self.locked)), HIDE: ",".join(_ordered(self.hidden)),
               LESSON: self.lesson, PROJECTOR: "1" if self.projector else ""}
        return {k: v for k, v in out.items() if v}

    def is_locked(self, path: str) -> bool:
        """Drawn disabled (hidden wins over locked)."""
        return covers(self.locked, path) and not self.is_hidden(path)

    def is_hidden(self, path: str) -> bool:
        """Not drawn at all."""
        return covers(self.hidden, path)

    @property
    def restricted(self) -> bool:
        """Anything locked or hidden: the student may not replace the whole pipeline."""
        return bool(self.locked or self.hidden)


def _ordered(names: frozenset[str]) -> list[str]:
    order = {n: i for i, n in enumerate(lockable())}
    return sorted(names, key=order.__getitem__)


def student_query(spec: PipelineSpec, room: Classroom) -> dict[str, str]:
    """The whole query of a share link: the spec's non-default fields plus the classroom keys."""
    return {**spec.to_query(), **room.to_query()}
