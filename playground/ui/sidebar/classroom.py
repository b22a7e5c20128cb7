"""Classroom parts of the sidebar: lessons, the teacher's share link with locks, JSON import / export."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from playground.classroom.lessons import LESSONS, lesson_of
from playground.classroom.lock import Classroom, implied, lockable, sections
from playground.errors import SpecError
from playground.spec import PipelineSpec
from playground.ui import bind, messages
from playground.ui.exercises import session as exercise_state
from playground.ui.runtime import chrome
from playground.ui.sidebar import share
from playground.ui.state import IMPORTED, button_key, get_spec, read, room, set_room, set_spec, tr, view, widget_key

IMPORT = widget_key("ui.import")  # the settings-file uploader (its file is handled once, see file_panel)
MAX_IMPORT_BYTES = 200_000  # a spec is a few kB; anything larger is not one


def lock_label(name: str) -> str:
    """'Whole augmentation section' or 'Augmentation › rotation angle', in the session's language."""
    if name in sections():
        return tr(f"classroom.sections.{name}")
    return tr(f"classroom.fields.{name.replace('.', '_')}")


def _load_lesson() -> None:
    """Button callback: the picked lesson replaces the whole pipeline and re-seeds every widget."""
    lesson = lesson_of(read("view.ui.lesson_pick"))
    if lesson is None:
        set_room(replace(room(), lesson=""))
        return
    set_spec(lesson.spec())
    set_room(replace(room(), lesson=lesson.id))


def lesson_picker() -> None:
    """Lesson selector and load button (not for students under a lock); then the active lesson's texts."""
    current = room().lesson if lesson_of(room().lesson) else ""
    if not room().restricted:
        view().setdefault("ui.lesson_pick", current)
        titles = {"": tr("classroom.lesson_none"), **{k: tr(f"lessons.{k}.title") for k in LESSONS}}
        bind.control("view.ui.lesson_pick", st.selectbox, label=tr("classroom.lesson"), options=tuple(titles),
                     format_func=titles.__getitem__, help=tr("classroom.lesson_help"))
        st.button(tr("classroom.lesson_load"), key=button_key("ui.lesson_load"), on_click=_load_lesson,
                  width="stretch")
    if current:
        lesson_notes(current)


def lesson_notes(lesson_id: str) -> None:
    """The active lesson's title, goal and what to try (with the numbers the lesson names, e.g. slider stops)."""
    lesson = lesson_of(lesson_id)
    numbers = lesson.text_params() if lesson is not None else {}
    with st.expander(tr(f"lessons.{lesson_id}.title"), expanded=True):
        st.markdown(f"**{tr('classroom.goal')}**")
        st.write(tr(f"lessons.{lesson_id}.goal", **numbers))
        st.markdown(f"**{tr('classroom.try')}**")
        st.write(tr(f"lessons.{lesson_id}.try", **numbers))
        exercise_state.lesson_checklist(lesson_id)


def locked_note() -> None:
    """Tell a student which controls the teacher fixed."""
    r = room()
    names = sorted(r.locked | r.hidden | implied(r.locked | r.hidden), key=lockable().index)
    if names:
        st.info(tr("classroom.locked_note", names=", ".join(lock_label(n) for n in names)))


def share_link(query: dict[str, str]) -> str:
    """The app's current address with this query (the page path kept, so the link opens the same lab)."""
    parts = urlsplit(st.context.url or "")
    if not parts.netloc:
        return "?" + urlencode(query)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def teacher_panel() -> None:
    """Choose controls to lock or hide, and copy the student link (not shown to locked students)."""
    if room().restricted:
        return
    with st.expander(tr("classroom.share_title")):
        st.caption(tr("classroom.share_intro"))
        labels = {n: lock_label(n) for n in lockable()}  # resolved now: AppTest formats options after the run
        modes = {v: tr(f"classroom.lock_modes.{v}") for v in ("lock", "hide")}
        bind.control("view.ui.lock_pick", st.multiselect, label=tr("classroom.lock_what"), options=lockable(),
                     format_func=labels.__getitem__, **chrome.multiselect_texts())
        bind.control("view.ui.lock_mode", st.radio, label=tr("classroom.lock_how"), options=tuple(modes),
                     horizontal=True, format_func=modes.__getitem__)
        bind.control("view.ui.share_projector", st.checkbox, label=tr("share.with_projector"))
        st.caption(tr("classroom.share_link"))
        share.link_tools(student_room(), share_link)  # the link (copy button), what it does, a short link, the QR code


def student_room() -> Classroom:
    """The classroom part of the teacher's student link: the chosen locks or hides, the lesson, projector, class."""
    chosen, mode = frozenset(read("view.ui.lock_pick")), read("view.ui.lock_mode")
    return Classroom(locked=chosen if mode == "lock" else frozenset(), hidden=chosen if mode == "hide" else frozenset(),
                     lesson=room().lesson, projector=read("view.ui.share_projector"), board=room().board)


def _read_upload(upload) -> str | None:
    """Apply an uploaded JSON spec; returns the error text, or None when it was loaded."""
    data = upload.getvalue()
    if len(data) > MAX_IMPORT_BYTES:
        return tr("classroom.import_bad", reason=tr("classroom.import_too_big", kb=MAX_IMPORT_BYTES // 1000))
    try:
        spec = PipelineSpec.from_json(data.decode("utf-8-sig"))  # a BOM is not an error
    except UnicodeDecodeError:
        return tr("classroom.import_bad", reason=tr("classroom.import_not_utf8"))
    except SpecError as exc:
        return tr("classroom.import_bad", reason=messages.text(exc.message))
    set_spec(spec)
    set_room(replace(room(), lesson=""))
    return None


def file_panel() -> None:
    """Download the pipeline as JSON; load one (once per uploaded file; a bad file changes nothing)."""
    with st.expander(tr("classroom.file_title")):
        st.download_button(tr("classroom.export"), get_spec().to_json(), file_name="cnn-playground.json",
                           mime="application/json", key=button_key("ui.export"), width="stretch", on_click="ignore")
        if room().restricted:
            st.caption(tr("classroom.import_locked"))
            return
        upload = st.file_uploader(tr("classroom.import"), type=["json"], key=IMPORT)
        if upload is None:
            return
        done = st.session_state.get(IMPORTED)
        if done is None or done[0] != upload.file_id:
            done = (upload.file_id, _read_upload(upload))
            st.session_state[IMPORTED] = done
        if done[1] is None:
            st.success(tr("classroom.import_ok"))
        else:
            st.error(done[1])

