"""The self-paced prediction panel: answer first, then the right answer and its working."""
from __future__ import annotations

import streamlit as st

from playground.exercises.answers import times
from playground.exercises.common import num
from playground.lessons import Lesson, Prediction, Scene, Text, say
from playground.ui import messages
from playground.ui.exercises import session as exercise_state
from playground.ui.lesson import views
from playground.ui.state import LESSON, button_key, lang, tr, widget_key


def _answers() -> dict:
    return st.session_state.setdefault(LESSON, {}).setdefault("answers", {})


def _slot(lesson: Lesson, scene: Scene) -> tuple:
    return (lesson.id, lesson.source, scene.id)


def answer_of(lesson: Lesson, scene: Scene):
    """This tab's read answer to the scene's prediction, or None."""
    return _answers().get(_slot(lesson, scene))


def solved(lesson: Lesson, scene: Scene) -> bool:
    """True once this tab has answered the scene's prediction (alone, answering reveals it)."""
    return _slot(lesson, scene) in _answers()


def value_text(pred: Prediction, value) -> str:
    """An answer as the page writes it: a number, a shape, or a choice's label."""
    if pred.kind != "number":
        option = next((o for o in pred.choices if o.id == value), None)
        return say(option.label, lang()) if option is not None else str(value)
    if isinstance(value, tuple):
        return times(value)
    return num(value, 3)


def _check(lesson: Lesson, scene: Scene, key: str) -> None:
    """Check button callback: read the answer; an unreadable one is kept out and said so."""
    raw = st.session_state.get(key)
    pred = scene.prediction
    value = pred.read(raw)
    state = st.session_state.setdefault(LESSON, {})
    if value is None:
        state["unreadable"] = _slot(lesson, scene)
        return
    state.pop("unreadable", None)
    _answers()[_slot(lesson, scene)] = value


def _again(lesson: Lesson, scene: Scene) -> None:
    _answers().pop(_slot(lesson, scene), None)


def show(item) -> str:
    """Lesson text (a teacher's words: shown as plain text) or an exercise's Message, as markdown."""
    return messages.plain(item.of(lang())) if isinstance(item, Text) else exercise_state.text(item)


def question(pred: Prediction) -> None:
    """The facts given (folded away when there are many) and the question, in the page's language."""
    if len(pred.given) > 2:
        with st.expander(tr("lesson.page.given", n=len(pred.given))):
            for line in pred.given:
                st.caption(show(line))
    elif pred.given:
        st.caption(" ".join(show(line) for line in pred.given))  # one paragraph: a scene has little height
    st.markdown(f":material/psychology_alt: **{tr('lesson.page.predict_title')}:** {show(pred.question)}")


def panel(lesson: Lesson, scene: Scene, revealed: bool | None = None) -> None:
    """Ask, record, and (when revealed, or alone once answered) show right / wrong with the working."""
    pred = scene.prediction
    question(pred)
    mine = answer_of(lesson, scene)
    key = widget_key(f"lesson.answer.{lesson.id}.{scene.id}")
    if mine is None:
        row = st.container(horizontal=True, vertical_alignment="bottom")
        if pred.kind == "number":
            row.text_input(tr("lesson.page.answer"), key=key, width=160)
        else:
            labels = {o.id: show(o.label) for o in pred.choices}
            row.radio(tr("lesson.page.choose"), tuple(labels), index=None, key=key, horizontal=True,
                      format_func=labels.__getitem__)
        row.button(tr("lesson.page.check"), key=button_key(f"lesson.check.{scene.id}"), type="primary",
                   on_click=_check, args=(lesson, scene, key))
        if st.session_state.get(LESSON, {}).get("unreadable") == _slot(lesson, scene):
            st.warning(tr("lesson.page.unreadable" if pred.kind == "number" else "lesson.page.pick_one"))
        return
    if revealed is False:
        st.info(tr("lesson.page.recorded", answer=messages.plain(value_text(pred, mine))))
        return
    right = pred.is_right(mine)
    answer = messages.plain(value_text(pred, pred.answer))
    if right:
        st.success(tr("lesson.page.right", answer=answer))
    else:
        st.warning(tr("lesson.page.wrong", mine=messages.plain(value_text(pred, mine)), answer=answer))
    reveal(pred)
    st.button(tr("lesson.page.again"), key=button_key(f"lesson.again.{scene.id}"), on_click=_again,
              args=(lesson, scene))


def reveal(pred: Prediction) -> None:
    """The working, one line each."""
    for line in pred.working:
        st.markdown(f"- {show(line)}")


def map_options(scene: Scene) -> None:
    """The pictures of a which-map question, side by side, each under its label (the view stays hidden)."""
    pred = scene.prediction
    columns = st.columns(len(pred.choices))
    for i, (column, option) in enumerate(zip(columns, pred.choices, strict=True)):
        with column:
            st.markdown(f"**{show(option.label)}**")
            views.option_picture(scene.view, option.settings, f"lesson.option.{i}")
