"""One scene on screen: its idea and text, the controls that matter next to their effect, the prediction.

show_scene is what every role sees: "solo" (a student alone, self-paced), "student" (in a class that
the teacher paces) and "teacher" (the same, plus the teacher notes). The class mode decides which scene
is shown and whether the prediction is revealed; this module only draws.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from playground.lessons import Lesson, Scene, say
from playground.lessons.steps import STEP_VIEW
from playground.ui import messages
from playground.ui.lesson import controls, layout, predict, views
from playground.ui.state import LESSON, get_spec, lang, set_spec, tr, view, write

ROLES = ("solo", "student", "teacher")
PREDICT_UNDER_VIEW = ("layers",)  # short, wide views: the question goes under the picture, not under the text


def lesson_state() -> dict:
    """This tab's lesson page state (lesson id, scene index, the scene entered, a loaded file, answers)."""
    return st.session_state.setdefault(LESSON, {})


def enter(lesson: Lesson, index: int) -> Scene:
    """The scene at index; on arriving at it, its settings become the pipeline and its grid the step-through's."""
    scene = lesson.scene(index)
    here = (lesson.id, lesson.source, scene.id)
    if lesson_state().get("entered") != here:
        lesson_state()["entered"] = here
        set_spec(scene.settings)  # a teacher's lock still holds (set_spec keeps locked fields)
        steps = {**STEP_VIEW, **dict(scene.view_settings)}
        for name, value in steps.items():
            view()[f"steps.{name}"] = value
        write("view.steps.pos", 1)
        write("view.steps.playing", False)
        write("view.train.own_open", False)  # the picture panel folded: the scene fits; a click opens it
    return scene


def header(lesson: Lesson, index: int, scene: Scene, toolbar: Callable[[], None] | None) -> None:
    """Lesson title and where we are, the scene's title; the toolbar (Back / Next) at the right of the same row."""
    where = tr("lesson.page.scene_of", i=index + 1, n=len(lesson.scenes), minutes=scene.minutes)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        row = st.container(horizontal=True, vertical_alignment="center", gap="small", key="lesson-head")
        row.markdown(f"# {messages.plain(say(lesson.title, lang()))}", width="content", anchors=False)  # the h1, small
        row.caption(f"· {where}", width="content")
        st.markdown(f"### {messages.plain(say(scene.title, lang()))}")
    if toolbar is not None:
        with right:
            toolbar()


def _ask(lesson: Lesson, scene: Scene, revealed: bool | None, ask: Callable[[Scene], None] | None) -> None:
    if ask is not None:
        ask(scene)
    else:
        predict.panel(lesson, scene, revealed)


def show_scene(lesson: Lesson, index: int, *, role: str = "solo", revealed: bool | None = None,
               ask: Callable[[Scene], None] | None = None, toolbar: Callable[[], None] | None = None,
               body: Callable[[Scene], None] | None = None) -> Scene:
    """Draw scene index of lesson for role; returns the scene shown.

    revealed: None lets a solo student reveal by answering; True / False is the class's reveal state.
    ask: draws the prediction instead of the solo panel (the class mode's answer box); None: the solo panel.
    toolbar: drawn at the right of the title row (self-paced Back / Next, or the teacher's).
    body: drawn under the title row instead of the scene's text and view (the teacher's class answers).
    """
    scene = enter(lesson, index)
    layout.apply()
    header(lesson, index, scene, toolbar)
    if body is not None:
        body(scene)
        return scene
    pred = scene.prediction
    shown = revealed if revealed is not None else predict.solved(lesson, scene)
    hide_view = pred is not None and pred.kind == "map" and not shown
    if scene.view == "text":
        left, right = st.container(), None
    else:
        left, right = st.columns([2, 3], gap="medium")
    beside = right is not None and scene.view in PREDICT_UNDER_VIEW
    with left:
        st.markdown(messages.plain(say(scene.text, lang())))
        for name in () if hide_view else scene.open_controls:  # a control would name the answer before the reveal
            controls.draw(name)
        if pred is not None and not beside:
            _ask(lesson, scene, revealed, ask)
        if role == "teacher" and say(scene.teacher_notes, lang()):
            with st.expander(tr("lesson.page.notes_title"), icon=":material/school:"):
                st.markdown(messages.plain(say(scene.teacher_notes, lang())))
    if right is not None:
        with right:
            with st.container(key=f"lesson-view-{scene.view}"):
                if hide_view:
                    predict.map_options(scene)
                else:
                    views.draw(scene.view, get_spec())
            if pred is not None and beside:
                _ask(lesson, scene, revealed, ask)
    return scene

