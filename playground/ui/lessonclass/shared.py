"""What the teacher's panel and the students' pages share: the class state through one per-process watch, the
lessons by id, the answer's text, and the one lesson link."""
from __future__ import annotations

from functools import cache

from playground import boardlink
from playground.board.pace import ClassState, ClassWatch
from playground.classroom.lessonlink import LESSON_PATH, lesson_query
from playground.ui.board.links import app_link

WATCH = ClassWatch()  # every session of this process shares one read of a class per tick
CHANGES = frozenset({"start_lesson", "stop_lesson", "go_to", "set_paced", "reveal", "set_spotlight", "answer",
                     "seen", "share_settings"})


@cache
def lessons() -> dict:
    """The built-in lessons by id (read once per process)."""
    from playground.lessons import builtin

    return builtin()


def lesson_of(state: ClassState):
    """The running lesson of a class state, or None (none runs, or an id this app does not know)."""
    return lessons().get(state.lesson) if state.running else None


def call(method: str, *args, **kwargs):
    """boardlink.call, and this process's watch forgets the class it changed (the writer sees it at once)."""
    result = boardlink.call(method, *args, **kwargs)
    if method in CHANGES:
        WATCH.forget(args[0])
    return result


def state_of(code: str) -> ClassState:
    """The class's state, read at most once per WATCH.fresh_s for every tab of this process."""
    return WATCH.state(call, code)


def answers_of(code: str, state: ClassState, scene: int) -> tuple[str, ...]:
    """The class's answers to scene at state's revision (one read per revision per process)."""
    return WATCH.answers(call, code, state, scene)


def lesson_link(code: str, state: ClassState) -> str:
    """The one link of the running lesson: the lesson page with the class, the lesson and the locks."""
    return app_link(lesson_query(code, state.lesson, state.locks), LESSON_PATH)


def stored_answer(prediction) -> str:
    """The right answer as the store writes an answer ("8,8" for a shape, the option id for a choice)."""
    from playground.board.pace import answer_value

    value = prediction.answer
    if prediction.kind != "number":
        return str(value)
    return answer_value(tuple(value) if isinstance(value, (list, tuple)) else value)


def stored_value(prediction, stored: str):
    """An answer as stored, back as the value the lesson compares: an option id, a number, or a shape tuple."""
    if prediction.kind != "number":
        return stored
    if "," in stored:
        return tuple(int(float(part)) for part in stored.split(","))
    number = float(stored)
    return int(number) if number.is_integer() else number


def stored_is_right(prediction, stored: str | None) -> bool:
    """Whether an answer as stored is right, as the lesson checks it (a number within its tolerance)."""
    if stored is None:
        return False
    try:
        return prediction.is_right(stored_value(prediction, stored))
    except ValueError:
        return False


def lesson_join_link(board) -> str | None:
    """The running lesson's link for the board's join panel; None when no lesson runs (or the class is unreadable)."""
    from playground.board import BoardError

    try:
        state = state_of(board.code)
    except BoardError:
        return None
    return lesson_link(board.code, state) if lesson_of(state) is not None else None
