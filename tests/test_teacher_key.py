"""AppTest: after a teacher creates a board, the key is in the session and in the board page's teacher link only.

Every page is run; each element's whole proto (code boxes, markdown, captions, alerts, widget labels and help,
folded expanders and popovers included), the address (query params) and every text made into a QR code are
searched for the key. The teacher link, opened in a new tab, makes that tab the teacher and leaves no key in
its address.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1.element_tree import Block

from playground import boardlink
from playground.classroom import qr
from playground.i18n import t
from playground.labs import LABS
from playground.ui.board import links
from playground.ui.sidebar import share
from testkit.apptest import open_app
from testkit.boarddata import sample_entry
from testkit.markdown import shown

PAGES = tuple(lab.page for lab in LABS)


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    """No remembered database failure, no cached QR code; every text made into a QR code is recorded."""
    boardlink.forget_failure()
    st.cache_resource.clear()
    st.cache_data.clear()
    links.qr.cache_clear()
    made: list[str] = []

    def recorded(text: str, *args, **kwargs):
        made.append(text)
        return qr.qr_png(text, *args, **kwargs)
    monkeypatch.setattr(links, "qr_png", recorded)
    monkeypatch.setattr(share, "qr_png", recorded)
    yield made
    boardlink.forget_failure()


def protos(node) -> list[str]:
    """Every element of the page (or a block) as the text of its proto."""
    if isinstance(node, Block):
        return [text for child in node.children.values() for text in protos(child)]
    return [str(node.proto)]


def teacher_link(at) -> str:
    (link,) = [c.value for c in at.code if "teacher=" in c.value]
    return link


def test_the_key_is_in_no_address_link_qr_or_text_but_the_teacher_link(fresh):
    at = open_app("pages/class_board.py", "en")
    at.button(key="b.board.create").click().run()
    room = at.session_state["ui.room"]
    code, key = room.board, room.teacher
    assert code and key and dict(parse_qsl(urlsplit(teacher_link(at)).query)) == {"class": code, "teacher": key}
    at.toggle(key="w.view.ui.share_qr").set_value(True).run()  # the share panel's QR code too
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert at.session_state["ui.room"].teacher == key, "the tab stays the teacher"
        assert at.query_params["class"] == code and "teacher" not in at.query_params, page
        holding = [p for p in protos(at.main) + protos(at.sidebar) if key in p]
        assert len(holding) == (1 if page.endswith("class_board.py") else 0), (page, holding)
        if holding:
            assert "teacher=" in holding[0] and teacher_link(at) in holding[0], "only the teacher link box"
    assert fresh and not [text for text in fresh if key in text], fresh  # join link and share link QR codes


def test_the_teacher_link_opens_a_teacher_tab_whose_address_drops_the_key():
    creator = open_app("pages/class_board.py", "en")
    creator.button(key="b.board.create").click().run()
    link = teacher_link(creator)
    at = open_app("pages/class_board.py", "en", query=dict(parse_qsl(urlsplit(link).query)))
    assert at.session_state["ui.room"].teacher == creator.session_state["ui.room"].teacher
    assert "teacher" not in at.query_params and at.query_params["class"] == creator.session_state["ui.room"].board
    assert at.button(key="b.board.close"), "the teacher's tools"


def test_every_moderation_button_is_checked_by_the_store_not_by_the_page():
    """A tab drawn as the teacher but holding a key the store does not accept changes nothing."""
    code, key = boardlink.store().create_board()
    entry = boardlink.store().publish(code, "one", sample_entry(1))
    at = open_app("pages/class_board.py", "en", query={"class": code, "teacher": key})
    at.session_state["ui.room"] = replace(at.session_state["ui.room"], teacher="WRONG" * 5)
    at.run()
    assert t("board.wrong_key", "en") in [shown(e.value) for e in at.error]  # the teacher's list of entries
    drawn = [b.key for b in at.button if b.key in ("b.board.hide", "b.board.delete", "b.board.close", "b.board.ch_set")]
    assert {"b.board.close", "b.board.ch_set"} <= set(drawn)
    for button in drawn:
        at.button(key=button).click().run()
        assert not at.exception
        assert t("board.wrong_key", "en") in [shown(e.value) for e in at.error], button
    board = boardlink.store().teacher_board(code, key)
    assert not board.closed and not board.challenge.active
    assert [(e.id, e.hidden) for e in boardlink.store().entries(code, include_hidden=True, key=key)] == [(entry.id, False)]
