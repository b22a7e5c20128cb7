"""The tab's "Check yourself" state: progress Record, question numbers, shown questions and verdicts, class counts.

Nothing here touches the spec or the view settings of a lab: answering never changes what the student set.
The class board hook counts each check (right or not) for the tab's class, without a name.
"""
from __future__ import annotations

import logging

import streamlit as st

from playground.board.errors import BoardError
from playground.classroom.lessons import lesson_of
from playground.exercises.model import RIGHT, WRONG, Question, Verdict
from playground.exercises.progress import Record, progress
from playground.exercises.registry import EXERCISES, exercises_for, lab_of
from playground.exercises.text import say
from playground.labs import with_exercises
from playground.ui import state
from playground.ui.state import (
    EX_DEFAULTED,
    EX_LINKED,
    EX_RECORD,
    EX_REFRESH,
    EX_SEEDS,
    EX_SHOWN,
    EX_VERDICTS,
    room,
    tr,
    widget_key,
    write,
)

DEFAULT_SEED = 1  # a first question everyone shares: a class without a link still starts on the same one
GIVEAWAYS = {"layers.params": "params"}  # exercise id -> what its lab shows beside it that answers it
LOG = logging.getLogger("playground.exercises")


def text(message) -> str:
    """An exercise Message (its params may be Messages) in the session's language."""
    return say(message, state.lang())


def record() -> Record:
    """This tab's results of every exercise."""
    return state.tab_slot(EX_RECORD, Record)


def seed_of(exercise_id: str) -> int:
    """The question number of the exercise's current question."""
    return state.tab_slot(EX_SEEDS, dict).get(exercise_id, DEFAULT_SEED)


def set_seed(exercise_id: str, seed: int) -> None:
    """Another question of the exercise from now on."""
    state.tab_slot(EX_SEEDS, dict)[exercise_id] = int(seed)


def title(exercise_id: str) -> str:
    """The exercise's title in the session's language."""
    lab, name = exercise_id.split(".", 1)
    return tr(f"exercises.titles.{lab}.{name}")


def answer_keys(lab: str) -> tuple[str, str, str]:
    """Widget keys of a lab's typed answer, chosen option and "show the working" switch (inputs, not values of record)."""
    return widget_key(f"ex.answer.{lab}"), widget_key(f"ex.choice.{lab}"), widget_key(f"ex.reveal.{lab}")


def shown(lab: str) -> tuple[tuple, Question] | None:
    """((id, seed, practice), Question) the lab's panel showed last."""
    return state.tab_slot(EX_SHOWN, dict).get(lab)


def verdict_for(lab: str, question: Question) -> Verdict | None:
    """The last verdict of the lab's panel, if it was on this question."""
    last = state.tab_slot(EX_VERDICTS, dict).get(lab)
    return last[1] if last is not None and last[0] == question else None


def current(lab: str, ask: tuple, fresh: Question) -> tuple[Question, bool]:
    """(question to show, True if the settings moved since it was asked): a question once answered stays put.

    A question nobody answered yet follows the settings; once answered it stays (with its verdict) until the
    student asks for another, so a check always answers the question the student saw.
    """
    last = shown(lab)
    if last is not None and last[0] == ask and verdict_for(lab, last[1]) is not None:
        return last[1], last[1] != fresh
    if last is None or last[1] != fresh:
        forget(lab)
    state.tab_slot(EX_SHOWN, dict)[lab] = (ask, fresh)
    return fresh, False


def forget(lab: str) -> None:
    """Drop the lab's verdict and the typed answer (a new question starts empty)."""
    state.tab_slot(EX_VERDICTS, dict).pop(lab, None)
    for key in answer_keys(lab):
        st.session_state.pop(key, None)


def add(lab: str, question: Question, verdict: Verdict) -> None:
    """Keep a verdict: the tab's record, the panel's last verdict and the class's count; a lesson's progress reruns the page."""
    before = record().get(question.id).done
    st.session_state[EX_RECORD] = record().add(question, verdict)
    state.tab_slot(EX_VERDICTS, dict)[lab] = (question, verdict)
    if verdict.status in (RIGHT, WRONG):
        record_for_class(question.id, verdict.right)
    if not before and record().get(question.id).done and question.id in lesson_exercises():
        state.note_once(EX_REFRESH)
    elif question.id in GIVEAWAYS and verdict.working:  # the page may show what it hid, in a full run
        state.note_once(EX_REFRESH)


def hides(lab: str, what: str) -> bool:
    """True while the lab's panel asks, about the student's own settings, a question that `what` on the page
    ("params": the shape table's parameter counts) would answer, until a check brings the working (a right
    answer, or the second wrong one); the page then hides it.
    Read before the panel draws: the picked exercise and the practice switch are view settings (a share link's
    question is applied first, as the panel would)."""
    open_link(lab)
    picked = state.read(f"view.ex.pick.{lab}")
    if GIVEAWAYS.get(picked) != what or state.read(f"view.ex.practice.{lab}"):
        return False  # a practice question is about another setting: the page does not answer it
    last = shown(lab)
    if last is None or last[1].id != picked:
        return True  # not drawn yet on this run: hide first
    verdict = verdict_for(lab, last[1])
    return not last[1].variant and (verdict is None or not verdict.working)  # the working gives it away anyway


def class_code() -> str:
    """The class code of the board this tab joined, or "" when it joined none."""
    return room().board


def record_for_class(exercise_id: str, correct: bool) -> None:
    """Count one check for the tab's class board (no name); a board or database problem never reaches the student."""
    code = class_code()
    if not code:
        return
    from playground.board.store import open_store  # SQLAlchemy: loaded when a class first counts a check

    try:
        open_store().record_check(code, exercise_id, bool(correct))
    except BoardError as exc:  # BoardUnavailable (database down), or a closed / unknown board
        LOG.warning("check of %s not counted for the class: %s", exercise_id, exc.message.key)


def lesson_exercises() -> tuple[str, ...]:
    """The active lesson's exercise ids (known ones only)."""
    lesson = lesson_of(room().lesson)
    return tuple(e for e in lesson.exercises if e in EXERCISES) if lesson else ()


def ordered(lab: str) -> tuple[str, ...]:
    """The lab's exercises, the active lesson's first; the picker starts on the first one once per lesson."""
    ids = exercises_for(lab)
    first = tuple(e for e in lesson_exercises() if e in ids)
    picks = state.tab_slot(EX_DEFAULTED, dict)
    if first and picks.get(lab) != room().lesson:
        picks[lab] = room().lesson
        write(f"view.ex.pick.{lab}", first[0])
    return first + tuple(e for e in ids if e not in first)


def open_link(lab: str) -> bool:
    """Open the share link's question in its lab (once per tab); True when the link names this lab's exercise."""
    r = room()
    if r.exercise not in EXERCISES or lab_of(r.exercise) != lab:
        return False
    done = state.tab_slot(EX_LINKED, set)
    if lab not in done:
        done.add(lab)
        write(f"view.ex.pick.{lab}", r.exercise)
        write(f"view.ex.practice.{lab}", r.exercise_practice)
        if r.exercise_seed >= 0:
            set_seed(r.exercise, r.exercise_seed)
    return True


def refresh_wanted() -> bool:
    """True once after a check finished an exercise of the active lesson."""
    return bool(state.take_note(EX_REFRESH, False))


def lesson_checklist(lesson_id: str) -> None:
    """The lesson's exercises in the sidebar: "1 of 2 checked" and a mark per exercise, with its lab."""
    state.take_note(EX_REFRESH)  # this run shows the newest count: no extra rerun needed
    lesson = lesson_of(lesson_id)
    ids = [e for e in lesson.exercises if e in EXERCISES] if lesson else []
    if not ids:
        return
    done = record()
    st.markdown(f"**{tr('exercises.panel.title')}** · {text(progress(done, ids).message)}")
    for e in ids:
        key = "exercises.panel.item_done" if done.get(e).done else "exercises.panel.item_open"
        st.markdown(tr(key, title=title(e), lab=tr(with_exercises(lab_of(e)).title_key)))
