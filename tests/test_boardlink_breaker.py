"""boardlink's circuit breaker: refused calls do not restart the down time, one probe goes through after it,
and a board left open comes back by itself once the database answers (a fake clock, no sleeps)."""
from __future__ import annotations

import pytest
import streamlit as st

from playground import boardlink
from playground.board import BoardError, BoardUnavailable
from playground.i18n import t
from testkit.apptest import open_app
from testkit.boarddata import sample_entry
from testkit.markdown import shown

POLL_S = 1.5  # the live view's tick


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """boardlink's breaker on a clock the test moves."""
    fake = Clock()
    monkeypatch.setattr(boardlink, "BREAKER", boardlink.Breaker(clock=fake))
    boardlink.WATCH.clear()
    yield fake
    boardlink.WATCH.clear()


@pytest.fixture
def database(monkeypatch, tmp_path):
    """Switch the board's database off (a path no folder can be made at) and on again; counts real attempts."""
    good = f"sqlite+pysqlite:///{tmp_path}/db/board.sqlite3"
    (tmp_path / "db").mkdir()
    state = {"attempts": 0}
    real = boardlink._open_store

    def counted():
        state["attempts"] += 1
        return real()
    monkeypatch.setattr(boardlink, "_open_store", counted)

    class Switch:
        attempts = property(lambda self: state["attempts"])

        def down(self):
            (tmp_path / "afile").write_text("not a folder")
            monkeypatch.setenv("PLAYGROUND_DB", f"sqlite+pysqlite:///{tmp_path}/afile/board.sqlite3")

        def up(self):
            monkeypatch.setenv("PLAYGROUND_DB", good)
    switch = Switch()
    switch.up()
    return switch


def watch_for(clock: Clock, seconds: float, code: str) -> list[bool]:
    """A watcher's calls every POLL_S s for seconds: True for each that answered."""
    answered = []
    for _ in range(round(seconds / POLL_S)):
        clock.now += POLL_S
        try:
            boardlink.call("board", code)
            answered.append(True)
        except BoardUnavailable:
            answered.append(False)
    return answered


def test_a_frozen_database_ends_by_itself_once_it_answers(clock, database):
    code, _ = boardlink.store().create_board()
    database.down()
    before = database.attempts
    assert not any(watch_for(clock, 30, code))  # 20 watcher calls while it is down
    tried = database.attempts - before
    assert 1 <= tried <= 30 / boardlink.RETRY_S + 1, "refused calls do not reach the database or restart the time"
    database.up()
    answered = watch_for(clock, 10, code)
    first = answered.index(True)
    assert (first + 1) * POLL_S <= boardlink.RETRY_S + POLL_S, "back within one down time and one tick"
    assert all(answered[first:]), "then every call is served again"


def test_one_probe_at_a_time_and_a_failed_probe_waits_again(clock):
    breaker = boardlink.Breaker(down_s=5, clock=clock)
    with pytest.raises(BoardUnavailable):
        breaker.through(lambda: (_ for _ in ()).throw(BoardUnavailable()))
    for _ in range(8):  # refused calls leave the down time as it was
        clock.now += 0.5
        with pytest.raises(BoardUnavailable):
            breaker.admit()
    clock.now += 1.0  # 5 s since the failure
    breaker.admit()  # the probe
    with pytest.raises(BoardUnavailable):
        breaker.admit()  # nobody else while it is out
    breaker.failed()
    clock.now += 4.5
    with pytest.raises(BoardUnavailable):
        breaker.admit()
    clock.now += 0.5
    with pytest.raises(BoardError):  # the database answered "no such board": that is an answer
        breaker.through(lambda: (_ for _ in ()).throw(BoardError("board.unknown", code="X")))
    assert not breaker.is_open
    assert breaker.through(lambda: 42) == 42


def test_the_open_board_page_comes_back_without_a_reload(clock, database):
    st.cache_resource.clear()
    code, _ = boardlink.store().create_board()
    boardlink.store().publish(code, "Ana", sample_entry(1), run_id="ana-1")
    database.down()
    at = open_app("pages/class_board.py", "en", query={"class": code})
    assert [shown(e.value) for e in at.error] == [t("board.unavailable", "en")]
    assert t("board.page.waiting", "en") in [c.value for c in at.caption]
    database.up()
    clock.now += boardlink.RETRY_S
    at.run()  # the next tick of the waiting fragment: its probe answers and the page runs in full
    assert not at.error and at.session_state["ui.room"].board == code
    assert [s.value for s in at.subheader if s.value == t("board.page.entries", "en", n=1)]
