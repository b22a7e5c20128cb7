"""What the board's buttons do (on_click callbacks): each one talks to the store and leaves a note to show."""
from __future__ import annotations

from dataclasses import replace
from functools import partial

import streamlit as st

from playground import boardlink
from playground.board import BoardError, Challenge
from playground.board import validate as check
from playground.classroom.lessons import lesson_of
from playground.classroom.lock import link_code
from playground.errors import Message
from playground.ui import messages
from playground.ui.state import (
    BOARD_LINK_NOTE,
    BOARD_NOTE,
    BOARD_RELOAD,
    note_once,
    read,
    room,
    set_room,
    set_spec,
    take_note,
    widget_key,
)

MANY = widget_key("view.board.many")  # the entry numbers picked for a bulk action (the store checks them)


def note(kind: str, message: Message) -> None:
    """Remember what happened ("success", "error" or "info"); the page shows it once."""
    note_once(BOARD_NOTE, (kind, message))


def show_note() -> None:
    """The last action's note, once."""
    kind, message = take_note(BOARD_NOTE, (None, None))
    if kind is not None:
        {"success": st.success, "error": st.error}.get(kind, st.info)(messages.text(message))


def _try(work, done: Message | None = None) -> bool:
    """Run work(); a BoardError becomes an error note and nothing changes. True when it worked."""
    try:
        work()
    except BoardError as err:
        note("error", err.message)
        return False
    if done is not None:
        note("success", done)
    return True


def _joined(code: str, key: str) -> None:
    """This tab is now in class `code` (its teacher when key): an old note about the link's class goes."""
    set_room(replace(room(), board=code, teacher=key))
    take_note(BOARD_LINK_NOTE)


def create() -> None:
    """Create a board with the chosen lesson and life; this tab becomes its teacher."""
    def work():
        _joined(*boardlink.call("create_board", read("view.board.new_lesson"), read("view.board.days")))
    _try(work, Message("board.page.created"))


def join() -> None:
    """Join the board whose code was typed."""
    def work():
        _joined(boardlink.call("board", read("view.board.join_code")).code, "")
    _try(work, Message("board.page.joined"))


def unlock() -> None:
    """Check the typed teacher key; a right key makes this tab the board's teacher."""
    def work():
        boardlink.call("teacher_board", room().board, read("view.board.key"))
        _joined(room().board, link_code(read("view.board.key")))
    _try(work, Message("board.page.unlocked"))


def leave() -> None:
    """Leave the class (the board itself stays)."""
    set_room(replace(room(), board="", teacher=""))


def retry() -> None:
    """Try the database again now."""
    boardlink.forget_failure()


def moderate(method: str, entry_id: int, *args) -> None:
    """hide / unhide / delete_entry one entry with the tab's teacher key."""
    r = room()
    _try(lambda: boardlink.call(method, r.board, r.teacher, entry_id, *args), Message(f"board.page.done_{method}"))


def moderate_nickname(nickname: str, hidden: bool | None) -> None:
    """Hide (True), show (False) or delete (None) every entry under nickname, with the tab's teacher key."""
    r = room()
    if hidden is None:
        _counted(partial(boardlink.call, "delete_nickname", r.board, r.teacher, nickname), "board.page.done_many_delete")
    else:
        _counted(partial(boardlink.call, "hide_nickname", r.board, r.teacher, nickname, hidden),
                 "board.page.done_many_hide" if hidden else "board.page.done_many_unhide")


def moderate_many(method: str) -> None:
    """hide / unhide / delete the entries picked in the bulk box, with the tab's teacher key."""
    r, ids = room(), list(st.session_state.get(MANY, []))
    if method == "delete":
        work = partial(boardlink.call, "delete_many", r.board, r.teacher, ids)
    else:
        work = partial(boardlink.call, "hide_many", r.board, r.teacher, ids, method == "hide")
    if _counted(work, f"board.page.done_many_{method}"):
        st.session_state[MANY] = []


def _counted(work, done: str) -> bool:
    """Run work() (returns how many entries changed); note how many, or why nothing changed."""
    try:
        n = work()
    except BoardError as err:
        note("error", err.message)
        return False
    note("success", Message(done, {"n": n}))
    return True


def set_challenge(clear: bool = False) -> None:
    """The rule from the form (0 / "any" mean no limit), or no rule with clear."""
    rule = None if clear else Challenge(read("view.board.ch_params") or None, read("view.board.ch_dataset") or None,
                                        read("view.board.ch_epochs") or None)
    r = room()
    _try(lambda: boardlink.call("set_challenge", r.board, r.teacher, rule), Message("board.page.challenge_set"))


def close(closed: bool) -> None:
    """Close the board to new entries, or reopen it."""
    r = room()
    _try(lambda: boardlink.call("close", r.board, r.teacher, closed),
         Message("board.page.closed_now" if closed else "board.page.reopened"))


def open_setup(spec_json: str, lesson: str, nickname: str) -> None:
    """Load an entry's settings into this tab (anyone may); the page then runs in full."""
    def work():
        set_spec(check.spec(spec_json))
        set_room(replace(room(), lesson=lesson if lesson_of(lesson) else ""))
        note_once(BOARD_RELOAD)
    _try(work, Message("board.page.opened", {"nick": nickname}))
