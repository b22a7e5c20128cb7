"""The teacher's lesson on the class board: start a lesson, Next / Back, paced or self-paced, who is where and who
answered, Reveal, the spotlight; the projector shows the scene, the class's answers live and the spotlight."""
from __future__ import annotations

import time

import streamlit as st

from playground.board import Board, BoardError
from playground.board.pace import ClassState, Spotlight, present
from playground.classroom.lessonlink import clashes
from playground.classroom.lock import lockable
from playground.errors import Message
from playground.lessons import say
from playground.ui import messages
from playground.ui.board import actions
from playground.ui.board.table import show_big
from playground.ui.lesson import views
from playground.ui.lessonclass import chart
from playground.ui.lessonclass.follow import show_settings
from playground.ui.lessonclass.shared import call, lesson_link, lesson_of, lessons, state_of, stored_answer
from playground.ui.sidebar.classroom import lock_label
from playground.ui.state import BOARD_RELOAD, button_key, lang, read, room, tr, widget_key

POLL_S = 1.5
PICTURED = ("layers", "augment", "normalize")  # scene views drawn from a spec alone (a spotlight can show them)
PICK, PACE, LOCKS = widget_key("lc.lesson"), widget_key("lc.paced"), widget_key("lc.locks")
RUN_PICK, STUDENT_PICK = widget_key("lc.spot_run"), widget_key("lc.spot_student")


def _do(method: str, *args, done: str | None = None) -> None:
    """A teacher action with the tab's key; a refusal (or what happened) shows as the board's note."""
    r = room()
    try:
        call(method, r.board, r.teacher, *args)
    except BoardError as err:
        actions.note("error", err.message)
        return
    if done is not None:
        actions.note("success", Message(done))


def start() -> None:
    """Start the picked lesson, unless a lock would stop one of its scenes' own tasks (then say which and why)."""
    lesson = lessons()[st.session_state[PICK]]
    locks = tuple(st.session_state.get(LOCKS, ()))
    found = clashes(lesson, locks)
    if found:
        c = found[0]
        actions.note("error", Message("lessonclass.lock_refused", {
            "lock": lock_label(c.lock), "scene": c.scene + 1, "title": say(lesson.scenes[c.scene].title, lang()),
            "control": control_label(c.control), "more": len(found) - 1}))
        return
    _do("start_lesson", lesson.id, len(lesson.scenes), st.session_state.get(PACE, "paced") == "paced", locks,
        done="lessonclass.started")
    st.session_state[BOARD_RELOAD] = True  # the join panel (outside this fragment) now hands out the lesson link


def stop() -> None:
    """End the lesson; the join panel goes back to the board's own link."""
    _do("stop_lesson")
    st.session_state[BOARD_RELOAD] = True


def control_label(control: str) -> str:
    """A control a scene opens, named as the lock picker names it ('Layers', 'Augmentation › rotation angle')."""
    owner = next((p for p in reversed(lockable()) if control == p or control.startswith(p + ".")), None)
    return lock_label(owner) if owner is not None else control


def start_form() -> None:
    """Which lesson, at whose pace, with which controls locked; the Start button."""
    found = lessons()
    titles = {k: tr("lessonclass.pick_item", title=lesson.title.of(lang()), minutes=lesson.minutes,
                    scenes=len(lesson.scenes)) for k, lesson in found.items()}
    st.selectbox(tr("lessonclass.pick"), options=tuple(titles), format_func=titles.__getitem__, key=PICK)
    paces = {"paced": tr("lessonclass.paced"), "self": tr("lessonclass.self_paced")}
    st.radio(tr("lessonclass.pace"), options=tuple(paces), format_func=paces.__getitem__, key=PACE, horizontal=True)
    labels = {n: lock_label(n) for n in lockable()}
    st.multiselect(tr("lessonclass.locks"), options=lockable(), format_func=labels.__getitem__, key=LOCKS,
                   help=tr("lessonclass.locks_help"))
    st.button(tr("lessonclass.start"), key=button_key("lc.start"), type="primary", on_click=start,
              icon=":material/play_arrow:")


def moves(state: ClassState, lesson) -> None:
    """Back, Next, Reveal (a prediction scene), the pace switch and Stop, in one row."""
    scene = lesson.scenes[state.scene]
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.button(tr("lessonclass.back"), key=button_key("lc.back"), on_click=_do, args=("go_to", state.scene - 1),
              disabled=state.scene == 0, icon=":material/arrow_back:", width="stretch")
    c2.button(tr("lessonclass.next"), key=button_key("lc.next"), on_click=_do, args=("go_to", state.scene + 1),
              disabled=state.scene >= state.scenes - 1, icon=":material/arrow_forward:", type="primary", width="stretch")
    if scene.prediction is not None:
        shown = state.scene in state.revealed
        c3.button(tr("lessonclass.hide_answer" if shown else "lessonclass.reveal"), key=button_key("lc.reveal"),
                  on_click=_do, args=("reveal", state.scene, not shown), icon=":material/visibility:", width="stretch")
    c4.button(tr("lessonclass.to_self" if state.paced else "lessonclass.to_paced"), key=button_key("lc.pace"),
              on_click=_do, args=("set_paced", not state.paced), width="stretch")
    c5.button(tr("lessonclass.stop"), key=button_key("lc.stop"), on_click=stop,
              icon=":material/stop:", width="stretch")


def roster(state: ClassState) -> None:
    """How many are on the teacher's scene, and who has answered its question (and who not yet)."""
    r = room()
    try:
        students = call("roster", r.board, r.teacher)
    except BoardError as err:
        st.error(messages.error_text(err))
        return
    here = present(students, state.scene, time.time())
    st.markdown(tr("lessonclass.on_scene", n=len(here), total=len(students)))
    answered = [s for s in students if state.scene in s.answered]
    if answered or any(s.answered for s in students):
        waiting = [s for s in here if state.scene not in s.answered]
        names = ", ".join(messages.plain(s.nickname or tr("lessonclass.no_name")) for s in answered) or "—"
        st.caption(tr("lessonclass.answered", n=len(answered), names=names))
        if waiting:
            st.caption(tr("lessonclass.waiting", n=len(waiting), names=", ".join(
                messages.plain(s.nickname or tr("lessonclass.no_name")) for s in waiting)))


def spotlight_tools(state: ClassState, board: Board) -> None:
    """Put one published run, or one student's settings on this scene, on the projector; take it down."""
    r = room()
    with st.expander(tr("lessonclass.spot_title"), expanded=state.spotlight is not None):
        if state.spotlight is not None:
            st.button(tr("lessonclass.spot_clear"), key=button_key("lc.spot_clear"), on_click=_do,
                      args=("set_spotlight", None), icon=":material/close:")
        try:
            page = call("page", board.code, sort="new", limit=25)
            students = [s for s in call("roster", r.board, r.teacher) if s.shared]
        except BoardError as err:
            st.error(messages.error_text(err))
            return
        left, right = st.columns(2)
        with left:
            runs = {e.id: tr("board.page.pick_item", no=e.id, nick=e.nickname, acc=f"{100 * e.val_acc:.1f}")
                    for e in page.entries}
            if runs:
                pick = st.selectbox(tr("lessonclass.spot_run"), options=tuple(runs), format_func=runs.__getitem__,
                                    key=RUN_PICK)
                st.button(tr("lessonclass.spot_show"), key=button_key("lc.spot_run"), on_click=_do,
                          args=("set_spotlight", Spotlight(entry=pick)), icon=":material/flashlight_on:")
            else:
                st.caption(tr("board.page.empty"))
        with right:
            names = {s.author: messages.plain(s.nickname or tr("lessonclass.no_name")) for s in students}
            if names:
                who = st.selectbox(tr("lessonclass.spot_student"), options=tuple(names), format_func=names.__getitem__,
                                   key=STUDENT_PICK)
                st.button(tr("lessonclass.spot_show"), key=button_key("lc.spot_student"), on_click=_do,
                          args=("set_spotlight", Spotlight(author=who, scene=state.scene)),
                          icon=":material/flashlight_on:")
            else:
                st.caption(tr("lessonclass.spot_none_shared"))


def scene_head(state: ClassState, lesson, big: bool) -> None:
    """'Scene 2 of 6 · Stride' and, for the teacher only, the scene's notes."""
    scene = lesson.scenes[state.scene]
    st.caption(messages.plain(lesson.title.of(lang())))
    st.markdown(tr("lessonclass.scene_head", no=state.scene + 1, of=state.scenes,
                   title=messages.plain(scene.title.of(lang()))))
    if not big and room().teacher:
        st.caption(tr("lessonclass.notes", notes=messages.plain(scene.teacher_notes.of(lang())), minutes=scene.minutes))
    if scene.prediction is not None:
        st.markdown(tr("lessonclass.question", text=messages.plain(say(scene.prediction.question, lang()))))


def histogram(state: ClassState, lesson, big: bool) -> None:
    """The class's answers to the scene's question, live; the right bar marked once revealed."""
    prediction = lesson.scenes[state.scene].prediction
    if prediction is None:
        return
    values = call("answers", room().board, state.scene)
    right = stored_answer(prediction) if state.scene in state.revealed else None
    chart.show(f"lc.hist.{state.scene}", prediction, values, right=right, height=300 if big else 280)
    if right is not None:
        working(prediction)


def working(prediction) -> None:
    """The right answer's working, one line each."""
    st.markdown(tr("lessonclass.working_title"))
    for line in prediction.working:
        st.markdown(messages.plain(say(line, lang())))


def spotlight_view(state: ClassState, lesson, code: str) -> None:
    """What the teacher put on the projector: a run's row, or a student's settings on the scene."""
    spot = state.spotlight
    if spot is None:
        return
    with st.container(border=True):
        if spot.entry is not None:
            st.subheader(tr("lessonclass.spot_run_title"))
            found = [e for e in call("page", code, sort="new", limit=200).entries if e.id == spot.entry]
            if found:
                show_big(found, limit=1)
            return
        st.subheader(tr("lessonclass.spot_student_title", nick=messages.plain(spot.nickname or tr("lessonclass.no_name")),
                        no=(spot.scene or 0) + 1))
        spec = call("spotlight_settings", code)
        if spec is None:
            return
        scene = lesson.scene(spot.scene or 0)
        if scene.view in PICTURED:
            views.draw(scene.view, spec)  # the scene's own view, under the student's settings
        show_settings(spec)


@st.fragment(run_every=POLL_S)
def live(board: Board) -> None:
    """The running lesson, redrawn every POLL_S s: scene, moves (teacher), who is where, answers, spotlight."""
    if st.session_state.pop(BOARD_RELOAD, False):
        st.rerun(scope="app")
    big = read("room.projector")
    actions.show_note()
    try:
        state = state_of(board.code)
    except BoardError as err:
        st.error(messages.error_text(err))
        return
    lesson = lesson_of(state)
    if lesson is None:
        if room().teacher and not big:
            start_form()
        return
    with st.container(border=True):
        scene_head(state, lesson, big)
        if room().teacher:
            moves(state, lesson)
        if room().teacher and not big:
            roster(state)
        histogram(state, lesson, big)
        if room().teacher and not big:
            spotlight_tools(state, board)
        spotlight_view(state, lesson, board.code)


def panel(board: Board) -> None:
    """The lesson part of the class board: the teacher's (and the projector's) live lesson; a student's link."""
    if room().teacher or read("room.projector"):
        if not read("room.projector"):
            st.subheader(tr("lessonclass.title"))
        live(board)
        return
    try:
        state = state_of(board.code)
    except BoardError:
        return
    if lesson_of(state) is not None:
        st.info(tr("lessonclass.student_go", title=messages.plain(lesson_of(state).title.of(lang()))))
        st.link_button(tr("lessonclass.open_lesson"), lesson_link(board.code, state), icon=":material/school:")


def running(board: Board) -> bool:
    """True while the board runs a lesson this app knows (False when the class cannot be read)."""
    try:
        return lesson_of(state_of(board.code)) is not None
    except BoardError:
        return False
