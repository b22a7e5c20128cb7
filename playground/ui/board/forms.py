"""The board page's forms: join a class by its code, create a board, and the teacher key for a board."""
from __future__ import annotations

import streamlit as st

from playground.board.validate import DAYS_MAX, DAYS_MIN
from playground.classroom.lessons import LESSONS
from playground.ui import bind
from playground.ui.board import actions
from playground.ui.state import button_key, tr


def join_form() -> None:
    """A student who has only the code types it here."""
    st.subheader(tr("board.page.join_title"))
    bind.control("view.board.join_code", st.text_input, label=tr("board.page.join_code"),
                 placeholder="ABCDE-FGHJK", max_chars=40, help=tr("board.page.join_help"))
    st.button(tr("board.page.join"), key=button_key("board.join"), on_click=actions.join, type="primary",
              icon=":material/login:")


def create_form() -> None:
    """A teacher makes a new board: optional lesson, how many days it lives."""
    st.subheader(tr("board.page.create_title"))
    st.caption(tr("board.page.create_help"))
    titles = {"": tr("classroom.lesson_none"), **{k: tr(f"lessons.{k}.title") for k in LESSONS}}
    bind.control("view.board.new_lesson", st.selectbox, label=tr("board.page.lesson"), options=tuple(titles),
                 format_func=titles.__getitem__)
    bind.control("view.board.days", st.number_input, label=tr("board.page.days"), min_value=DAYS_MIN,
                 max_value=DAYS_MAX, step=1, help=tr("board.page.days_help"))
    st.button(tr("board.page.create"), key=button_key("board.create"), on_click=actions.create,
              icon=":material/add_circle:")


def key_form() -> None:
    """The teacher's key, typed on a device that opened the students' link."""
    with st.expander(tr("board.page.key_title")):
        bind.control("view.board.key", st.text_input, label=tr("board.page.key"), type="password", max_chars=60)
        st.button(tr("board.page.key_use"), key=button_key("board.key"), on_click=actions.unlock)
