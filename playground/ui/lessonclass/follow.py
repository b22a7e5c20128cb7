"""A student's lesson page in a class: it follows the teacher's scene, answers the class's question, and after
the reveal shows the right answer, its working, and the student's answer against the class's.

The lesson page calls `class_page(lessons)` first: in a class that runs one of them it draws the page (the
scene through the page's own show_scene, the class's question, Back / Next, the watcher) and returns True. The
watcher polls the class every FOLLOW_S seconds; a tick where
nothing moved reads one small row per process (shared.WATCH) and reruns nothing.
"""
from __future__ import annotations

import time

import streamlit as st

from playground.board import BoardError
from playground.board.pace import HEARTBEAT_S, ClassState
from playground.board.validate import NICK_MAX
from playground.errors import Message
from playground.lessons import say
from playground.spec import PipelineSpec
from playground.ui import bind, messages
from playground.ui.board.publish import author
from playground.ui.lesson import predict
from playground.ui.lesson.scene import lesson_state, show_scene
from playground.ui.lessonclass import chart
from playground.ui.lessonclass.shared import answers_of, call, state_of, stored_answer, stored_is_right, stored_value
from playground.ui.state import (
    LC_ANSWERS,
    LC_FOLLOWED,
    LC_NOTE,
    LC_REVEAL_NOTE,
    LC_SEEN,
    button_key,
    get_spec,
    lang,
    read,
    room,
    tr,
    widget_key,
)

CHART_PX, MAP_CHART_PX = 300, 210  # the teacher's answers chart; shorter under a which-map question's pictures
FOLLOW_S = 2.0  # a student's page is on the teacher's scene within FOLLOW_S + one page run
TYPED, CHOSEN = widget_key("lc.typed"), widget_key("lc.chosen")


def scene_to_show(state: ClassState, asked: int) -> int:
    """The teacher moved since this tab last followed: the teacher's scene. Otherwise the scene the student
    looks at, but (paced) never past the teacher's."""
    key = (room().board, state.lesson)
    followed = st.session_state.setdefault(LC_FOLLOWED, {})
    if followed.get(key) != state.scene:
        followed[key] = state.scene
        return state.scene
    index = max(0, min(int(asked), state.scenes - 1))
    return index if state.may_show(index) else state.scene


def signature(state: ClassState) -> tuple:
    """What a student's page draws from the class: a change of any of it reruns the page."""
    return state.lesson, state.scene, state.paced, tuple(sorted(state.revealed))


def report(code: str, index: int) -> None:
    """Tell the class where this tab is: when its scene changed, else once per HEARTBEAT_S."""
    last = st.session_state.get(LC_SEEN)
    now = time.monotonic()
    if last is not None and last[:2] == (code, index) and now - last[2] < HEARTBEAT_S:
        return
    try:
        call("seen", code, author(), read("view.board.nickname"), index)
    except BoardError:
        return  # the board is down or the lesson ended: the next tick tries again
    st.session_state[LC_SEEN] = (code, index, now)


@st.fragment(run_every=FOLLOW_S)
def watcher(code: str, drawn: tuple, index: int, teacher: bool = False) -> None:
    """Every FOLLOW_S s: report where a student's tab is; when the class moved (or revealed, or ended), rerun the
    page. The teacher's own tab is not one of the students on the scene."""
    if not teacher:
        report(code, index)
    try:
        state = state_of(code)
    except BoardError:
        return
    if signature(state) != drawn:
        st.rerun(scope="app")
    if teacher:
        return
    st.caption(tr("lessonclass.following" if state.paced else "lessonclass.following_self", no=state.scene + 1,
                  of=state.scenes))


def class_page(found: dict) -> bool:
    """The lesson page in a class that runs one of these lessons: the class's scene, not past the teacher's (paced),
    the class's question, and for the teacher Back / Next that move the class. False: not in such a class."""
    code = room().board
    if not code:
        return False
    try:
        state = state_of(code)
    except BoardError:
        return False
    lesson = found.get(state.lesson) if state.running else None
    if lesson is None or len(lesson.scenes) != state.scenes:
        return False
    page = lesson_state()
    teacher = bool(room().teacher)
    index = state.scene if teacher else scene_to_show(state, page.get("index", state.scene)
                                                      if page.get("lesson") == lesson.id else state.scene)
    page["lesson"], page["index"] = lesson.id, index
    prediction = lesson.scenes[index].prediction
    on_answers = teacher and prediction is not None and bool(st.session_state.get(answers_key(index)))
    show_scene(lesson, index, role="teacher" if teacher else "student", revealed=index in state.revealed,
               ask=lambda scene: (teacher_question if teacher else question)(code, lesson, index, state,
                                                                            scene.prediction),
               toolbar=lambda: navigation(lesson, index, state, teacher),
               body=(lambda scene: answers_body(code, index, scene)) if on_answers else None)
    watcher(code, signature(state), index, teacher)
    if not teacher:
        share_box()
    if (why := st.session_state.pop(LC_NOTE, None)) is not None:  # a move refused, settings shared
        (st.info if why.key == "lessonclass.shared" else st.error)(messages.text(why))
    return True


def _look(index: int) -> None:
    lesson_state()["index"] = index


def _move(index: int) -> None:
    try:
        call("go_to", room().board, room().teacher, index)
    except BoardError as err:
        st.session_state[LC_NOTE] = err.message


def answers_key(index: int) -> str:
    """The teacher's switch between the scene and the class's answers, one per scene (each scene opens on itself)."""
    return widget_key(f"lc.answers_view.{index}")


def navigation(lesson, index: int, state: ClassState, teacher: bool) -> None:
    """Back / Next: the teacher's move the class; a student's look around, never past the teacher's scene (paced).
    On a question, the teacher's switch between the scene and the class's answers."""
    row = st.container(horizontal=True, vertical_alignment="center")
    act = _move if teacher else _look
    row.button(tr("lessonclass.back"), key=button_key("lc.page_back"), icon=":material/arrow_back:",
               disabled=index <= 0, on_click=act, args=(index - 1,))
    ahead = index + 1 < state.scenes and (teacher or state.may_show(index + 1))
    row.button(tr("lessonclass.next"), key=button_key("lc.page_next"), icon=":material/arrow_forward:",
               type="primary", disabled=not ahead, on_click=act, args=(index + 1,))
    if teacher and lesson.scenes[index].prediction is not None:
        row.toggle(tr("lessonclass.answers_view"), key=answers_key(index), help=tr("lessonclass.answers_view_help"))


def teacher_question(code: str, lesson, index: int, state: ClassState, prediction) -> None:
    """The teacher's view of the question on the scene: how many have answered (the answers have their own view)."""
    predict.question(prediction)
    live_count(code, index, prediction)


@st.fragment(run_every=FOLLOW_S)
def live_count(code: str, index: int, prediction) -> None:
    """'N answers so far', live."""
    try:
        counted = chart.tally_of(prediction, answers_of(code, state_of(code), index))
    except BoardError as err:
        st.error(messages.error_text(err))
        return
    st.markdown(tr("lessonclass.answers_count", n=counted.total))


def _reveal(index: int, shown: bool) -> None:
    st.session_state.pop(LC_REVEAL_NOTE, None)
    try:
        call("reveal", room().board, room().teacher, index, shown)
    except BoardError as err:
        st.session_state[LC_REVEAL_NOTE] = err.message


def answers_body(code: str, index: int, scene) -> None:
    """The teacher's projector view of a question: the class's answers, live, large; Reveal; the answer and its
    working once revealed. A which-map question shows its options' pictures above the bars of their letters."""
    predict.question(scene.prediction)
    live_answers(code, index, scene)


@st.fragment(run_every=FOLLOW_S)
def live_answers(code: str, index: int, scene) -> None:
    prediction = scene.prediction
    try:
        state = state_of(code)
        values = answers_of(code, state, index)
    except BoardError as err:
        st.error(messages.error_text(err))
        return
    revealed = index in state.revealed
    right = stored_answer(prediction) if revealed else None
    left, side = st.columns([3, 2], gap="medium")
    with left:
        st.button(tr("lessonclass.hide_answer" if revealed else "lessonclass.reveal"), key=button_key("lc.page_reveal"),
                  on_click=_reveal, args=(index, not revealed), icon=":material/visibility:")
        if (why := st.session_state.get(LC_REVEAL_NOTE)) is not None:  # the press reran this fragment alone
            st.error(messages.text(why))
        if right is not None:
            st.success(tr("lessonclass.right_answer", answer=messages.plain(shown(prediction, right))))
            with st.container(key="lc-working"):  # a long working scrolls in its box on the projector
                st.markdown("\n".join([tr("lessonclass.working_title"), "",
                                        *(f"- {predict.show(line)}" for line in prediction.working)]))
    with side:
        pictures = prediction.kind == "map"
        if pictures:
            predict.map_options(scene)
        chart.show(f"lc.page.{index}", prediction, values, right=right, height=MAP_CHART_PX if pictures else CHART_PX)


def _mine(code: str, lesson_id: str, index: int) -> str | None:
    """This tab's answer to the scene: remembered, or read back once (a reloaded tab keeps its token only)."""
    key = f"{code}:{lesson_id}:{index}"
    answers = st.session_state.setdefault(LC_ANSWERS, {})
    if key not in answers:
        try:
            answers[key] = call("my_answer", code, author(), index)
        except BoardError:
            return None
    return answers[key]


def send(code: str, lesson_id: str, index: int, prediction) -> None:
    """Button callback: read the typed number or the picked option, then store it as this tab's answer."""
    if prediction.kind == "number":
        value = prediction.read(str(st.session_state.get(TYPED, "")))
        if value is None:
            st.session_state[LC_NOTE] = Message("lessonclass.bad_number")
            return
        choices = None
        value = tuple(value) if isinstance(value, (list, tuple)) else value
    else:
        value, choices = st.session_state.get(CHOSEN), tuple(o.id for o in prediction.choices)
    try:
        stored = call("answer", code, author(), read("view.board.nickname"), index, value, choices)
    except BoardError as err:
        st.session_state[LC_NOTE] = err.message
        return
    st.session_state.setdefault(LC_ANSWERS, {})[f"{code}:{lesson_id}:{index}"] = stored


def question(code: str, lesson, index: int, state: ClassState, prediction) -> None:
    """Before the reveal: the answer form (an answer may change). After: right answer, working, mine vs the class."""
    mine = _mine(code, lesson.id, index)
    with st.container(border=True):
        predict.question(prediction)
        if index not in state.revealed:
            answer_form(code, lesson, index, prediction)
            if mine is not None:
                st.success(tr("lessonclass.your_answer_sent", answer=messages.plain(shown(prediction, mine))))
            return
        right = stored_answer(prediction)
        st.success(tr("lessonclass.right_answer", answer=messages.plain(shown(prediction, right))))
        st.markdown(tr("lessonclass.working_title"))
        predict.reveal(prediction)
        if mine is None:
            st.info(tr("lessonclass.you_did_not_answer"))
        else:
            st.markdown(tr("lessonclass.yours_right" if stored_is_right(prediction, mine) else "lessonclass.yours_wrong",
                           answer=messages.plain(shown(prediction, mine))))
        chart.show(f"lc.mine.{index}", prediction, answers_of(code, state, index), right=right, own=mine)


def shown(prediction, stored: str) -> str:
    """An answer as stored, in words: an option's label, or the number as the lesson page writes it (8×8)."""
    try:
        return predict.value_text(prediction, stored_value(prediction, stored))
    except ValueError:
        return stored


def answer_form(code: str, lesson, index: int, prediction) -> None:
    """A number box or the options, the nickname the teacher sees, and Send."""
    if prediction.kind == "number":
        st.text_input(tr("lessonclass.type_answer"), key=TYPED)
    else:
        labels = {o.id: say(o.label, lang()) for o in prediction.choices}
        st.radio(tr("lessonclass.pick_answer"), options=tuple(labels), format_func=labels.__getitem__, key=CHOSEN,
                 index=None)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        bind.control("view.board.nickname", st.text_input, label=tr("board.publish.nickname"), max_chars=NICK_MAX,
                     help=tr("lessonclass.nickname_help"))
    right.button(tr("lessonclass.send"), key=button_key("lc.send"), type="primary", width="stretch",
                 on_click=send, args=(code, lesson.id, index, prediction), icon=":material/send:")
    if (why := st.session_state.pop(LC_NOTE, None)) is not None:
        st.error(messages.text(why))


def share() -> None:
    """Button callback: send this tab's settings to the class (the teacher may spotlight them)."""
    try:
        call("share_settings", room().board, author(), read("view.board.nickname"), get_spec().to_json())
    except BoardError as err:
        st.session_state[LC_NOTE] = err.message
        return
    st.session_state[LC_NOTE] = Message("lessonclass.shared")


def share_box() -> None:
    """'Show the teacher my settings': the teacher may then put them on the projector."""
    st.button(tr("lessonclass.share"), key=button_key("lc.share"), on_click=share, icon=":material/co_present:",
              help=tr("lessonclass.share_help"))


def show_settings(settings: PipelineSpec) -> None:
    """A student's settings as the projector shows them: every value that differs from the defaults."""
    changed = settings.to_query()
    if not changed:
        st.caption(tr("lessonclass.settings_default"))
        return
    st.markdown("\n".join(f"- {messages.plain(k)} = {messages.plain(v)}" for k, v in sorted(changed.items())))
