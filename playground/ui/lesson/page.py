"""The lesson page, self-paced: pick a lesson (or load your own file), then one scene at a time with Back / Next."""
from __future__ import annotations

import streamlit as st

from playground.lessons import Lesson, LessonError, builtin, legacy, load, say
from playground.ui import messages
from playground.ui.lesson.scene import lesson_state, show_scene
from playground.ui.lessonclass import follow
from playground.ui.state import button_key, lang, room, tr, widget_key

MAX_FILE_BYTES = 200_000


def error_lines(exc: LessonError) -> str:
    """A lesson file's error in the page's language, starting with the line it names."""
    line = exc.params.get("line", 0)
    where = tr("lesson.at_line", line=line) if line else tr("lesson.in_file")
    return f"{where}: {messages.error_text(exc)}"


def _receive() -> None:
    """Uploader callback: a good file becomes the tab's own lesson; a bad one leaves its messages."""
    uploaded = st.session_state.get(widget_key("lesson.file"))
    state = lesson_state()
    if uploaded is None:
        return
    data = uploaded.getvalue()
    try:
        if len(data) > MAX_FILE_BYTES:
            raise LessonError("lesson.errors.too_long", line=0, where="(file)", chars=len(data), max=MAX_FILE_BYTES)
        lesson = load(data, uploaded.name)
    except LessonError as exc:
        state["file_error"] = exc
        return
    state.pop("file_error", None)
    state.update(own=lesson, lesson=f"own:{lesson.id}", index=0)


def lessons() -> dict[str, Lesson]:
    """Every lesson this tab can open: the built-in ones, then its own loaded file."""
    found = {lesson_id: lesson for lesson_id, lesson in builtin().items()}
    own = lesson_state().get("own")
    if own is not None:
        found[f"own:{own.id}"] = own
    return found


def _title(found: dict[str, Lesson], key: str) -> str:
    lesson = found[key]
    text = tr("lesson.page.pick_item", title=say(lesson.title, lang()), minutes=lesson.minutes)
    return tr("lesson.page.own_item", title=text) if key.startswith("own:") else text


def _start_from_link(found: dict[str, Lesson]) -> None:
    """A link's lesson (a lesson id, or an old preset's id) opens that lesson, at the scene that took it over."""
    state = lesson_state()
    if "lesson" in state:
        return
    asked = room().lesson
    old = legacy(asked)
    lesson_id, scene_id = old if old is not None else (asked, None)
    if lesson_id in found:
        state["lesson"], state["index"] = lesson_id, found[lesson_id].index_of(scene_id) or 0 if scene_id else 0
    else:
        state["lesson"], state["index"] = next(iter(found)), 0


def _go(delta: int, count: int) -> None:
    state = lesson_state()
    state["index"] = max(0, min(count - 1, state.get("index", 0) + delta))


def _pick() -> None:
    state = lesson_state()
    state["lesson"] = st.session_state[widget_key("lesson.pick")]
    state["index"] = 0


def _jump() -> None:
    lesson_state()["index"] = st.session_state[widget_key("lesson.jump")]


def navigation(lesson: Lesson, index: int) -> None:
    """Back, Next and the list of scenes (self-paced only)."""
    count = len(lesson.scenes)
    row = st.container(horizontal=True, vertical_alignment="center", horizontal_alignment="right", gap="small")
    row.button(tr("lesson.page.back"), key=button_key("lesson.back"), icon=":material/arrow_back:",
               disabled=index <= 0, on_click=_go, args=(-1, count))
    row.button(tr("lesson.page.next"), key=button_key("lesson.next"), icon=":material/arrow_forward:", type="primary",
               disabled=index >= count - 1, on_click=_go, args=(1, count))
    with row.popover(tr("lesson.page.scenes"), icon=":material/list:"):
        titles = {i: f"{i + 1}. {say(s.title, lang())} ({s.minutes} min)" for i, s in enumerate(lesson.scenes)}
        st.session_state[widget_key("lesson.jump")] = index
        st.radio(tr("lesson.page.scene"), tuple(titles), format_func=titles.__getitem__, key=widget_key("lesson.jump"),
                 on_change=_jump)
        chooser(lessons())


def chooser(found: dict[str, Lesson]) -> None:
    """The lesson picker and a teacher's own file, folded away."""
    state = lesson_state()
    with st.container(border=True):
        st.markdown(f"**{tr('lesson.page.choose_title')}**")
        st.session_state[widget_key("lesson.pick")] = state["lesson"]
        titles = {k: _title(found, k) for k in found}  # resolved now: AppTest formats options after the run
        st.selectbox(tr("lesson.page.pick"), tuple(found), format_func=titles.__getitem__,
                     key=widget_key("lesson.pick"), on_change=_pick)
        st.file_uploader(tr("lesson.page.upload"), type=["toml"], key=widget_key("lesson.file"), on_change=_receive,
                         help=tr("lesson.page.upload_help"))


def file_errors() -> None:
    """The messages of a lesson file that did not load, above the scene."""
    if (exc := lesson_state().get("file_error")) is not None:
        st.error(tr("lesson.page.upload_bad", reason=error_lines(exc)))


def main() -> None:
    """Self-paced: the chooser, the scene, Back / Next."""
    found = lessons()
    if follow.class_page(found):  # in a class running one of these lessons: the teacher's pace
        return
    _start_from_link(found)
    state = lesson_state()
    if state["lesson"] not in found:
        state["lesson"], state["index"] = next(iter(found)), 0
    file_errors()
    lesson = found[state["lesson"]]
    index = max(0, min(state.get("index", 0), len(lesson.scenes) - 1))
    show_scene(lesson, index, role="solo", toolbar=lambda: navigation(lesson, index))
