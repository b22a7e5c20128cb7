"""Answers a student could type to a "Check yourself" question: the right one and a readable wrong one."""
from __future__ import annotations

from playground.exercises.answers import Cells, Choice, Decimal, Integer, Integers
from playground.exercises.model import Question


def right_text(q: Question) -> str:
    """The right answer written the way a student would type it."""
    a, v = q.answer, q.answer.value
    if isinstance(a, Choice):
        return v
    if isinstance(a, Decimal):
        return f"{100 * v:.2f}%" if a.percent else f"{v:.3f}"
    if isinstance(a, Integers):
        return "×".join(str(x) for x in v)
    if isinstance(a, Cells):
        return " ".join(f"({r}, {c})" for r, c in sorted(v))
    assert isinstance(a, Integer)
    return str(v)


def wrong_text(q: Question) -> str:
    """A readable answer that is not the right one (it may match a typical mistake)."""
    a, v = q.answer, q.answer.value
    if isinstance(a, Choice):
        return next(o for o in a.options if o != v)
    if isinstance(a, Decimal):
        return f"{100 * v + 20:.2f}%" if a.percent else f"{v + 0.5:.3f}"
    if isinstance(a, Integers):
        return "×".join(str(x + 1) for x in v)
    if isinstance(a, Cells):
        cells = sorted(v)
        return " ".join(f"({r}, {c})" for r, c in (cells[1:] or [(cells[0][0] + 1, cells[0][1])]))
    return str(v + 7)
