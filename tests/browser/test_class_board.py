"""The class board in real browsers: a teacher's tab and a student's tab on one server, then a restart.

The student trains a tiny run, publishes; the teacher's board, open all along, shows the entry within a few
seconds without a reload (the live fragment polls). The server then restarts on the same database file and
the entry is still on the board. Nicknames are text: markup in one is shown as typed.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from playground.i18n import catalogue
from testkit import server
from testkit.browser import wait_idle

pytestmark = pytest.mark.slow  # long: runs first (tests/conftest.py)

NICK = "<b>Ana</b> **x**"
TINY = "train.size=8&train.epochs=2"


@contextmanager
def start(tmp_path: Path, db: str, name: str):
    """A server of our own on the given board database; one that fails to start fails the test with its log tail."""
    try:
        with server.streamlit_server(tmp_path / f"{name}.log", env={"PLAYGROUND_DB": db}) as (url, _proc):
            yield url
    except server.ServerFailed as exc:
        pytest.fail(str(exc), pytrace=False)


def create_board(page, url: str, en: dict) -> str:
    page.goto(f"{url}/class_board")
    wait_idle(page)
    page.get_by_role("button", name=en["board.page.create"]).click()
    page.wait_for_function("() => location.search.includes('class=')", timeout=30_000)
    wait_idle(page)
    assert "teacher=" not in page.url  # the key stays in the session and the teacher link box
    return re.search(r"class=([A-Z0-9]+)", page.url).group(1)


def teacher_link(page) -> str:
    """The link in the board page's (folded) teacher link box."""
    box = page.locator("[data-testid='stCode']").filter(has_text="teacher=")
    return "".join((box.text_content() or "").split())


def publish_run(page, url: str, code: str, zh: dict) -> None:
    page.goto(f"{url}/training?class={code}&{TINY}")
    wait_idle(page)
    page.get_by_role("button", name=zh["train.start"]).click()
    nickname = page.get_by_role("textbox", name=zh["board.publish.nickname"])
    expect(nickname).to_be_visible(timeout=180_000)
    wait_idle(page)
    nickname.fill(NICK)
    nickname.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=zh["board.publish.button"], exact=True).click()
    expect(page.get_by_text(zh["board.publish.see_board"])).to_be_visible(timeout=30_000)


def test_student_publishes_and_the_open_board_shows_it_live_and_after_a_restart(browser, tmp_path):
    en, zh = catalogue("en"), catalogue("zh")
    db = f"sqlite+pysqlite:///{tmp_path / 'board.sqlite3'}"
    with start(tmp_path, db, "first") as url:
        teacher = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US").new_page()
        student = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page()
        code = create_board(teacher, url, en)
        teacher_url = teacher_link(teacher)
        expect(teacher.get_by_text(en["board.page.empty"])).to_be_visible(timeout=30_000)
        publish_run(student, url, code, zh)
        grid = teacher.locator("[data-testid='stDataFrame']").last
        expect(teacher.get_by_text(en["board.page.entries"].format(n=1))).to_be_visible(timeout=8_000)  # no reload
        expect(grid).to_be_visible(timeout=8_000)
        picker = teacher.get_by_role("combobox", name=en["board.page.pick"])
        expect(picker).to_have_value(re.compile(re.escape(NICK)), timeout=8_000)  # the nickname as typed, not as markup
        assert teacher.locator("b", has_text="Ana").count() == 0
        student.context.close()
        teacher.context.close()
    with start(tmp_path, db, "second") as url:
        port = re.search(r":(\d+)", url).group(1)
        again = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US").new_page()
        again.goto(re.sub(r":\d+/", f":{port}/", teacher_url, count=1))
        wait_idle(again)
        expect(again.get_by_text(en["board.page.entries"].format(n=1))).to_be_visible(timeout=30_000)
        picker = again.get_by_role("combobox", name=en["board.page.pick"])
        expect(picker).to_have_value(re.compile(re.escape(NICK)), timeout=30_000)
        expect(again.get_by_role("button", name=en["board.page.hide"])).to_be_visible()  # still the teacher
        again.context.close()
