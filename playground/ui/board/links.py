"""The board's links: the students' join link (with a QR code) and the teacher's own link."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from playground.board import Board
from playground.classroom.lessons import LESSONS
from playground.classroom.lock import CLASS, LESSON, TEACHER
from playground.classroom.qr import qr_png
from playground.labs import lab

BOARD_PATH = lab("class_board").url_path
JOIN_PATH = lab("training").url_path  # students arrive in the Training lab: train, then publish


def join_query(board: Board) -> dict[str, str]:
    """?class=<code>, with the board's lesson (its settings and id) when it has one; never the teacher key."""
    lesson = LESSONS.get(board.lesson)
    base = {**lesson.spec().to_query(), LESSON: lesson.id} if lesson else {}
    return {**base, CLASS: board.code}


def app_link(query: dict[str, str], url_path: str) -> str:
    """This app's address on page url_path with query; without a known address, just '?query'."""
    parts = urlsplit(st.context.url or "")
    if not parts.netloc:
        return "?" + urlencode(query)
    head, _, last = parts.path.rpartition("/")
    root = head if last else parts.path.rstrip("/")  # drop the current page's own path segment
    return urlunsplit((parts.scheme, parts.netloc, f"{root}/{url_path}", urlencode(query), ""))


def join_link(board: Board) -> str:
    """The link students open to join (the Training lab)."""
    return app_link(join_query(board), JOIN_PATH)


def teacher_link(code: str, key: str) -> str:
    """The teacher's link back to this board with the key: whoever holds it can moderate."""
    return app_link({CLASS: code, TEACHER: key}, BOARD_PATH)


@lru_cache(maxsize=128)
def qr(text: str) -> bytes | None:
    """The QR code PNG of a link (cached: links repeat on every rerun), None when too long for one."""
    return qr_png(text)
