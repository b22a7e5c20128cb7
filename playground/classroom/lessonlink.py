"""A lesson handed out to a class: one link (class, lesson, locks), locks checked against the lesson's own tasks,
and the class's answers counted for the histogram.

Core only: the lesson is anything with scenes whose open_controls name the controls each scene leaves open, and
whose prediction (if any) has kind and choices (playground/lessons/model.py).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from playground.classroom.lock import CLASS, LESSON, LOCK, Classroom, _ordered

LESSON_PATH = "lesson"  # the lesson page's url_path in app.py
DISTINCT_MAX = 12  # up to this many different numbers get a bar each; more are binned
BINS = 10


@dataclass(frozen=True)
class Clash:
    """A lock that would stop a scene's own task: the lock, the scene (0-based) and the control it closes."""

    lock: str
    scene: int
    control: str


def clashes(lesson, locks: frozenset[str] | tuple[str, ...]) -> tuple[Clash, ...]:
    """Every (lock, scene, control) where locking (or what the lock implies) closes a control the scene opens."""
    out: list[Clash] = []
    for name in _ordered(frozenset(locks)):
        room = Classroom(locked=frozenset({name}))
        for index, scene in enumerate(lesson.scenes):
            for control in scene.open_controls:
                if room.is_locked(control):
                    out.append(Clash(name, index, control))
    return tuple(out)


def lesson_query(code: str, lesson_id: str, locks: tuple[str, ...] = ()) -> dict[str, str]:
    """The one link's query: the class, its lesson and the locks (never the teacher key)."""
    query = {CLASS: code, LESSON: lesson_id, LOCK: ",".join(_ordered(frozenset(locks)))}
    return {k: v for k, v in query.items() if v}


@dataclass(frozen=True)
class Tally:
    """The class's answers to one question, counted: a label per bar (option ids or numbers) and its count."""

    labels: tuple[str, ...]
    counts: tuple[int, ...]
    binned: bool = False  # numbers grouped in ranges (labels "lo to hi")

    @property
    def total(self) -> int:
        return sum(self.counts)

    def bar_of(self, value: str | None) -> int | None:
        """Which bar an answer (as stored) falls in, or None."""
        if value is None:
            return None
        if not self.binned:
            return self.labels.index(value) if value in self.labels else None
        number = float(value)
        for i, label in enumerate(self.labels):
            lo, hi = (float(x) for x in label.split(" to "))
            if lo <= number <= hi:
                return i
        return None


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def tally(values: tuple[str, ...], options: tuple[str, ...] = ()) -> Tally:
    """Count answers: per option (in the given order, zeros kept) or per number (few distinct: one bar each in
    numeric order; many: BINS equal ranges from numpy.histogram). Shapes ("8,8") count as their own labels."""
    if options:
        seen = Counter(values)
        return Tally(tuple(options), tuple(seen[o] for o in options))
    seen = Counter(values)
    numbers = {v: _as_number(v) for v in seen}
    if len(seen) <= DISTINCT_MAX or any(n is None for n in numbers.values()):
        order = sorted(seen, key=lambda v: (numbers[v] is None, numbers[v] or 0.0, v))
        return Tally(tuple(order), tuple(seen[v] for v in order))
    data = np.array([float(v) for v in values])
    counts, edges = np.histogram(data, bins=BINS)
    labels = tuple(f"{edges[i]:.4g} to {edges[i + 1]:.4g}" for i in range(BINS))
    return Tally(labels, tuple(int(c) for c in counts), binned=True)
