"""The teacher's tools: links and QR code, the challenge rule, closing the board, CSV export, exercise counts."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from playground import boardlink
from playground.board import Board, BoardError, Entry
from playground.board.codes import group
from playground.board.validate import MAX_PARAMS
from playground.exercises.registry import EXERCISES
from playground.i18n import tm
from playground.limits import CHOICES
from playground.ui import bind, messages
from playground.ui.board import actions, links
from playground.ui.board.actions import MANY
from playground.ui.lessonclass.shared import lesson_join_link
from playground.ui.runtime import chrome
from playground.ui.state import button_key, lang, room, tr


def join_panel(board: Board, big: bool = False) -> None:
    """The class code, the join link and its QR code: what the teacher shows the class (while a lesson runs, the
    lesson's one link: class, lesson and locks)."""
    link = lesson_join_link(board) or links.join_link(board)
    left, right = st.columns([3, 2] if big else [3, 1])
    with left:
        st.markdown(tr("board.page.code_label"))
        st.markdown(tr("board.page.code_big" if big else "board.page.code", code=group(board.code)))
        st.caption(tr("board.page.join_link"))
        st.code(link, language=None, wrap_lines=True)
    picture = links.qr(link)
    if picture is not None:
        right.image(picture, caption=tr("board.page.qr_caption"), width=320 if big else 180,
                    alt=tr("a11y.qr", caption=tr("board.page.qr_caption")))


def key_panel(board: Board) -> None:
    """The teacher link (with the key): shown folded, never in projector mode."""
    with st.expander(tr("board.page.teacher_link_title")):
        st.warning(tr("board.page.teacher_link_warn"))
        st.code(links.teacher_link(board.code, room().teacher), language=None, wrap_lines=True)
        st.caption(tr("board.page.key_shown", secret=group(room().teacher, 4)))


def challenge_form(board: Board) -> None:
    """Parameter limit, data set and epoch limit (0 / any: no limit), set or cleared."""
    sets = {"": tr("board.page.any_dataset"), **{d: tr(f"train.datasets.{d}") for d in CHOICES["train.dataset"]}}
    c1, c2, c3 = st.columns(3)
    with c1:
        bind.control("view.board.ch_params", st.number_input, label=tr("board.page.ch_params"), min_value=0,
                     max_value=MAX_PARAMS, step=500, help=tr("board.page.zero_none"))
    with c2:
        bind.control("view.board.ch_dataset", st.selectbox, label=tr("board.page.ch_dataset"), options=tuple(sets),
                     format_func=sets.__getitem__)
    with c3:
        bind.control("view.board.ch_epochs", st.number_input, label=tr("board.page.ch_epochs"), min_value=0,
                     max_value=50, step=1, help=tr("board.page.zero_none"))
    b1, b2, _ = st.columns([1, 1, 2])
    b1.button(tr("board.page.ch_set"), key=button_key("board.ch_set"), on_click=actions.set_challenge, type="primary",
              width="stretch")
    b2.button(tr("board.page.ch_clear"), key=button_key("board.ch_clear"), on_click=actions.set_challenge,
              args=(True,), disabled=not board.challenge.active, width="stretch")


def export_bytes(code: str, key: str, language: str) -> bytes:
    """The board's CSV (UTF-8 with a byte-order mark, so spreadsheets read Chinese); a failure says why in it."""
    try:
        text = boardlink.call("export_csv", code, key, language)
    except BoardError as err:
        text = tm(err.message, language)
    return ("\ufeff" + text).encode("utf-8")


def counts_table(code: str) -> None:
    """How often each exercise was checked on this board and how often it was right (no names)."""
    try:
        counts = boardlink.call("counts", code)
    except BoardError as err:
        st.error(messages.error_text(err))
        return
    if not counts:
        st.caption(tr("board.page.counts_none"))
        return
    def title(exercise: str) -> str:
        lab, _, name = exercise.partition(".")
        return tr(f"exercises.titles.{lab}.{name}") if exercise in EXERCISES else exercise
    rows = [{tr("board.col.exercise"): title(c.exercise), tr("board.col.attempts"): c.attempts,
             tr("board.col.correct"): c.correct} for c in counts]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def tools(board: Board) -> None:
    """Everything only the teacher key may do, folded under one expander per job."""
    code, key, language = board.code, room().teacher, lang()
    with st.expander(tr("board.page.challenge_title")):
        challenge_form(board)
    with st.expander(tr("board.page.manage_title")):
        c1, c2 = st.columns(2)
        c1.button(tr("board.page.reopen" if board.closed else "board.page.close"), key=button_key("board.close"),
                  on_click=actions.close, args=(not board.closed,), width="stretch")
        c2.download_button(tr("board.page.export"), lambda: export_bytes(code, key, language), file_name=f"board-{code}.csv",
                           mime="text/csv", key=button_key("board.export"), on_click="ignore", width="stretch",
                           icon=":material/download:")
        st.markdown(f"**{tr('board.page.counts_title')}**")
        counts_table(code)
    key_panel(board)


def nickname_actions(entry: Entry) -> None:
    """Hide, show or delete every entry of the picked entry's nickname (a flood under one name, at once)."""
    nick = messages.plain(entry.nickname)
    c1, c2, _ = st.columns(3)
    method = "unhide" if entry.hidden else "hide"
    c1.button(tr(f"board.page.nick_{method}", nick=nick), key=button_key("board.nick_hide"), width="stretch",
              on_click=actions.moderate_nickname, args=(entry.nickname, method == "hide"))
    with c2.popover(tr("board.page.nick_delete", nick=nick), width="stretch"):
        st.caption(tr("board.page.nick_delete_sure", nick=nick))
        st.button(tr("board.page.delete_yes"), key=button_key("board.nick_delete"), type="primary",
                  on_click=actions.moderate_nickname, args=(entry.nickname, None))


def many_actions(entries: tuple[Entry, ...]) -> None:
    """Pick several entries of this page, then hide, show or delete them in one go."""
    names = {e.id: tr("board.page.pick_item", no=e.id, nick=e.nickname, acc=f"{100 * e.val_acc:.1f}") for e in entries}
    st.session_state[MANY] = [i for i in st.session_state.get(MANY, []) if i in names]  # rows of an older page go
    with st.expander(tr("board.page.many_title")):
        picked = st.multiselect(tr("board.page.many_pick"), options=tuple(names), format_func=names.__getitem__,
                                key=MANY, **chrome.multiselect_texts())
        c1, c2, c3 = st.columns(3)
        for col, method in ((c1, "hide"), (c2, "unhide")):
            col.button(tr(f"board.page.many_{method}"), key=button_key(f"board.many_{method}"), width="stretch",
                       disabled=not picked, on_click=actions.moderate_many, args=(method,))
        with c3.popover(tr("board.page.many_delete"), width="stretch", disabled=not picked):
            st.caption(tr("board.page.many_delete_sure", n=len(picked)))
            st.button(tr("board.page.delete_yes"), key=button_key("board.many_delete"), type="primary",
                      on_click=actions.moderate_many, args=("delete",))
