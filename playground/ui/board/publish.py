"""Training lab → class board: "Publish to the class board" under a finished run, when the tab is in a class.

Called from one line in playground/ui/training/outcome.py:results. A failed publish keeps the run and says
why; the student can press the button again. A run is published once (then the box says where it went): the
board stores it under a run id made here, so a replayed press finds the entry instead of adding one.
"""
from __future__ import annotations

import secrets
import threading
import weakref

import streamlit as st

from playground import boardlink
from playground.board import BoardError
from playground.board.codes import group
from playground.board.runs import entry_from_run
from playground.board.validate import NICK_MAX
from playground.classroom.lessons import lesson_of
from playground.labs import lab
from playground.training.trainer import Trainer
from playground.ui import bind, messages
from playground.ui.state import (
    BOARD_AUTHOR,
    BOARD_PUBLISH_ERROR,
    BOARD_PUBLISHED,
    button_key,
    note_once,
    read,
    room,
    tab_slot,
    take_note,
    tr,
)

BOARD = lab("class_board")
_RUN_IDS: weakref.WeakKeyDictionary[Trainer, str] = weakref.WeakKeyDictionary()  # one random id per run, for life
_RUN_IDS_LOCK = threading.Lock()


def run_id(trainer: Trainer) -> str:
    """The run's identity on the board: made on the server the first time it is asked for, never sent by the page.

    Publishing the same run again (a second press, a replayed trigger) finds its entry by this id."""
    with _RUN_IDS_LOCK:
        return _RUN_IDS.setdefault(trainer, secrets.token_hex(16))


def author() -> str:
    """This tab's random token: the board counts a student's publishes by it as well as by nickname."""
    return tab_slot(BOARD_AUTHOR, lambda: secrets.token_hex(16))


def entry_of(trainer: Trainer):
    """The board entry of an ended run (None before its first full epoch)."""
    h = trainer.snapshot()
    params = sum(p.numel() for p in trainer.model.parameters())
    lesson = room().lesson if lesson_of(room().lesson) else ""
    return entry_from_run(trainer.spec, trainer.net, h.epochs, h.step_loss, h.seconds, params, lesson)


def _publish(trainer: Trainer) -> None:
    """Button callback: publish under the typed nickname; remember the outcome for the next draw."""
    entry = entry_of(trainer)
    try:
        saved = boardlink.call("publish", room().board, read("view.board.nickname"), entry, run_id=run_id(trainer),
                               author=author())
    except BoardError as err:
        note_once(BOARD_PUBLISH_ERROR, err.message)
        return
    tab_slot(BOARD_PUBLISHED, dict)[id(trainer)] = (weakref.ref(trainer), saved.nickname)


def published_as(trainer: Trainer) -> str | None:
    """The nickname this run was published under (an id reused by a newer run does not count)."""
    ref, nick = st.session_state.get(BOARD_PUBLISHED, {}).get(id(trainer), (None, None))
    return nick if ref is not None and ref() is trainer else None


def offer(trainer: Trainer) -> None:
    """The publish box under the results; nothing when the tab is in no class."""
    if room().board:
        publish_box(trainer, room().board)


@st.fragment
def publish_box(trainer: Trainer, code: str) -> None:
    """A fragment: typing the nickname and publishing rerun only this box, not the whole results page."""
    with st.container(border=True):
        st.subheader(tr("board.publish.title", code=group(code)))
        done = published_as(trainer)
        if done is not None:
            st.success(tr("board.publish.done", nick=messages.plain(done)))
            st.page_link(BOARD.page, label=tr("board.publish.see_board"), icon=BOARD.icon)
            return
        if entry_of(trainer) is None:
            st.info(tr("board.publish.no_epoch"))
            return
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        with left:
            bind.control("view.board.nickname", st.text_input, label=tr("board.publish.nickname"), max_chars=NICK_MAX,
                         help=tr("board.publish.nickname_help", max=NICK_MAX))
        right.button(tr("board.publish.button"), key=button_key("board.publish"), type="primary", width="stretch",
                     icon=":material/publish:", on_click=_publish, args=(trainer,))
        if (why := take_note(BOARD_PUBLISH_ERROR)) is not None:
            st.error(messages.text(why))
