"""The live view: a fragment that polls the board every POLL_S seconds and redraws the ranking and one page.

A tick reads the board's row; its page is read again only when the board's revision moved (boardlink.watch),
and a page holds at most PAGE_SIZE entries: a watcher costs the same on a board of 10 entries or 2,000.
"""
from __future__ import annotations

import streamlit as st

from playground import boardlink
from playground.board import Board, BoardError, BoardUnavailable, Entry
from playground.board.entries import SORTS
from playground.board.watch import Snapshot, View
from playground.classroom.lessons import LESSONS
from playground.limits import CHOICES
from playground.ui import bind, messages
from playground.ui.board import actions, teacher
from playground.ui.board.table import show_big, show_entries
from playground.ui.state import BOARD_RELOAD, button_key, read, room, take_note, tr, write

POLL_S = 1.5


def order_and_filters() -> dict:
    """Sort order and the data-set / lesson filters; returns the store's entries() arguments."""
    sorts = {s: tr(f"board.sorts.{s}") for s in SORTS}
    sets = {"": tr("board.page.any_dataset"), **{d: tr(f"train.datasets.{d}") for d in CHOICES["train.dataset"]}}
    lessons = {"": tr("board.page.any_lesson"), "-": tr("classroom.lesson_none"),
               **{k: tr(f"lessons.{k}.title") for k in LESSONS}}
    c1, c2, c3 = st.columns([3, 2, 2])
    with c1:
        sort = bind.control("view.board.sort", st.radio, label=tr("board.page.sort"), options=tuple(sorts),
                            format_func=sorts.__getitem__, horizontal=True)
    with c2:
        dataset = bind.control("view.board.dataset", st.selectbox, label=tr("board.page.filter_dataset"),
                               options=tuple(sets), format_func=sets.__getitem__)
    with c3:
        lesson = bind.control("view.board.lesson", st.selectbox, label=tr("board.page.filter_lesson"),
                              options=tuple(lessons), format_func=lessons.__getitem__)
    return {"sort": sort, "dataset": dataset or None, "lesson": {"": None, "-": ""}.get(lesson, lesson)}


def challenge_text(board: Board) -> str:
    """The rule in one line: '≤ 5,000 parameters · digits · ≤ 5 epochs'."""
    rule = board.challenge
    parts = [tr("board.page.rule_params", n=f"{rule.max_params:,}")] if rule.max_params else []
    parts += [tr(f"train.datasets.{rule.dataset}")] if rule.dataset else []
    parts += [tr("board.page.rule_epochs", n=rule.max_epochs)] if rule.max_epochs else []
    return " · ".join(parts)


def ranking(board: Board, ranked: list[Entry], big: bool) -> None:
    """The challenge's ranking: each nickname's best entry that meets the rule."""
    st.subheader(tr("board.page.ranking", rule=challenge_text(board)))
    if not ranked:
        st.info(tr("board.page.ranking_empty"))
    elif big:
        show_big(ranked)
    else:
        show_entries(ranked, teacher=False)


def entry_actions(entries: tuple[Entry, ...]) -> None:
    """Pick an entry by number, then open its setup (anyone) or moderate it or its nickname (the teacher)."""
    ids = [e.id for e in entries]
    if read("view.board.pick") not in ids:
        write("view.board.pick", ids[0])
    names = {e.id: tr("board.page.pick_item", no=e.id, nick=e.nickname, acc=f"{100 * e.val_acc:.1f}") for e in entries}
    pick = bind.control("view.board.pick", st.selectbox, label=tr("board.page.pick"), options=tuple(ids),
                        format_func=names.__getitem__)
    c2, c3, c4 = st.columns(3)
    entry = next(e for e in entries if e.id == pick)
    c2.button(tr("board.page.open_setup"), key=button_key("board.open"), icon=":material/open_in_browser:",
              on_click=actions.open_setup, args=(entry.spec_json, entry.lesson, entry.nickname),
              disabled=room().restricted, help=tr("board.page.open_locked") if room().restricted else None,
              width="stretch")
    if room().teacher:
        method = "unhide" if entry.hidden else "hide"
        c3.button(tr(f"board.page.{method}"), key=button_key("board.hide"), on_click=actions.moderate,
                  args=(method, entry.id), width="stretch")
        with c4.popover(tr("board.page.delete"), width="stretch"):
            st.caption(tr("board.page.delete_sure", no=entry.id))
            st.button(tr("board.page.delete_yes"), key=button_key("board.delete"), type="primary",
                      on_click=actions.moderate, args=("delete_entry", entry.id))
        teacher.nickname_actions(entry)


def view_of(big: bool, filters: dict) -> View:
    """What this tab looks at: the projector shows the best 15; a normal tab its order, filters and page."""
    if big:
        return View(sort="acc", size=15)
    return View(**filters, page=read("view.board.page") - 1)


def pager(snap: Snapshot) -> None:
    """Which rows these are, and the page number when there is more than one page."""
    total, shown = snap.page.total, len(snap.page.entries)
    if snap.pages > 1:
        page = bind.control("view.board.page", st.number_input, label=tr("board.page.page"), min_value=1,
                            max_value=snap.pages, step=1)
        first = (page - 1) * snap.size + 1
        st.caption(tr("board.page.page_range", first=first, last=first + shown - 1, total=f"{total:,}", page=page,
                      pages=snap.pages))


def _snapshot(code: str, big: bool, filters: dict) -> Snapshot:
    """The board and this tab's page; a page past the end (entries were deleted) goes back to the last one."""
    key = None if big else room().teacher or None
    snap = boardlink.watch(code, view_of(big, filters), key)
    if not big and snap.page.total and not snap.page.entries and read("view.board.page") > snap.pages:
        write("view.board.page", snap.pages)
        snap = boardlink.watch(code, view_of(big, filters), key)
    return snap


@st.fragment
def live_view(code: str) -> None:
    """The order and filters (they rerun this part), then the part that redraws itself every POLL_S s."""
    big = read("room.projector")
    ticking(code, big, {"sort": "acc"} if big else order_and_filters())


@st.fragment(run_every=POLL_S)
def ticking(code: str, big: bool, filters: dict) -> None:
    """Ranking and one page of entries, redrawn every POLL_S s from what changed; its controls rerun only this."""
    if take_note(BOARD_RELOAD, False):
        st.rerun(scope="app")  # an entry's setup was loaded: the sidebar and the other pages follow
    actions.show_note()
    try:
        snap = _snapshot(code, big, filters)
    except BoardError as err:
        st.error(messages.error_text(err))
        return
    if snap.board.challenge.active:
        ranking(snap.board, list(snap.ranked), big)
    st.subheader(tr("board.page.entries", n=f"{snap.page.total:,}"))
    if not snap.page.entries:
        st.info(tr("board.page.empty"))
        return
    if big:
        show_big(list(snap.page.entries), limit=15)
        return
    show_entries(list(snap.page.entries), teacher=bool(room().teacher), slot=snap.slot)
    pager(snap)
    entry_actions(snap.page.entries)
    if room().teacher:
        teacher.many_actions(snap.page.entries)


@st.fragment(run_every=POLL_S)
def wait_for_board(code: str) -> None:
    """While the database is down: try again every POLL_S s (the breaker lets one probe through at a time);
    once the board answers, the whole page runs again and shows it."""
    try:
        boardlink.call("board", code)
    except BoardUnavailable:
        st.caption(tr("board.page.waiting"))
        return
    except BoardError:
        pass  # it answered (the board is gone, say): the page says what happened
    st.rerun(scope="app")
