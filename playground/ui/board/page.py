"""Class board: a teacher creates a board, students join and publish their runs, everyone watches it live."""
from __future__ import annotations

import streamlit as st

from playground import boardlink
from playground.board import Board, BoardError, BoardUnavailable
from playground.board.codes import group
from playground.classroom.lessons import lesson_of
from playground.ui import messages
from playground.ui.board import actions, forms, live, teacher
from playground.ui.lessonclass import teacher as lessonclass
from playground.ui.state import BOARD_RELOAD, button_key, read, room, take_note, tr


def no_board() -> None:
    """Not in a class yet: join one by its code, or create one."""
    st.caption(tr("board.page.intro"))
    left, right = st.columns(2, gap="large")
    with left:
        forms.join_form()
    with right:
        forms.create_form()


def unavailable(code: str) -> None:
    """The database cannot be reached: say so here, with a retry; the board comes back by itself when it answers."""
    st.error(tr("board.unavailable"))
    st.button(tr("board.page.retry"), key=button_key("board.retry"), on_click=actions.retry, icon=":material/refresh:")
    live.wait_for_board(code)


def header(board: Board) -> None:
    """Which board, its lesson, until when, and whether it takes entries."""
    facts = [tr("board.page.expires", date=board.expires.strftime("%Y-%m-%d"))]
    if (lesson := lesson_of(board.lesson)) is not None:
        facts.insert(0, tr("board.page.lesson_is", title=tr(f"lessons.{lesson.id}.title")))
    if room().teacher:
        facts.append(tr("board.page.you_teach"))
    st.caption(" · ".join(facts))
    if board.closed:
        st.warning(tr("board.page.is_closed"), icon=":material/lock:")


def leave_button() -> None:
    """Leave this class in this tab."""
    st.button(tr("board.page.leave"), key=button_key("board.leave"), on_click=actions.leave, icon=":material/logout:")


def one_board(board: Board) -> None:
    """The board: the join panel, the teacher's tools (or the key form), then the live view."""
    big = read("room.projector")
    header(board)
    lesson_first = big and lessonclass.running(board)  # the projector shows the lesson above the fold
    if lesson_first:
        lessonclass.panel(board)
    if room().teacher or big:
        teacher.join_panel(board, big)
    if room().teacher and not big:
        teacher.tools(board)
    elif not room().teacher:
        forms.key_form()
    if not lesson_first:
        lessonclass.panel(board)
    live.live_view(board.code)
    leave_button()


def main() -> None:
    """Title, the last action's note, then the board of this tab (or the forms to get one)."""
    take_note(BOARD_RELOAD)  # this run is a full one already (see live.live_view)
    code = room().board
    st.title(tr("board.page.title_code", code=group(code)) if code else tr("board.page.title"))
    actions.show_note()
    if not code:
        no_board()
        return
    try:
        board = boardlink.call("board", code)
    except BoardUnavailable:
        unavailable(code)
        return
    except BoardError as err:
        st.error(messages.error_text(err))
        leave_button()
        return
    one_board(board)
