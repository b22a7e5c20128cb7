"""AppTest: the learning-rate prediction end to end (predict, run both trainings, settle), and the class board hook."""
from __future__ import annotations

import pytest
import streamlit as st
from test_exercises_panel import open_lab, pin_language, shown, values
from test_page_texts import assert_translated

from playground.board.errors import BoardUnavailable
from playground.board.store import open_store
from playground.i18n import t
from playground.ui import state
from testkit.exercises import right_text, wrong_text
from testkit.wait import wait_until


@pytest.fixture(autouse=True)
def fresh_session():
    """AppTest reuses one session id: drop session-scoped runners (TrainLab, the prediction's pair) between tests."""
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def rerun_until(at, done, seconds: float = 240):
    """Rerun the page (as the panel's timer would) until done(at); fails if that never comes."""
    wait_until(lambda: done(at.run()), seconds, "the panel's runs to end", poll=0.5)
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_predict_then_run_both_trainings_and_see(lang, monkeypatch):
    pin_language(monkeypatch, lang)
    at = open_lab("training", lang, query={"ex": "training.diverge"})
    spec = at.session_state["spec"]
    q = shown(at, "training")
    assert q.id == "training.diverge" and len(q.runs) == 2 and spec.train.lr in [r.train.lr for r in q.runs]
    at.radio(key="w.ex.choice.training").set_value(q.figure["likely"])
    at.button(key="b.ex.check.training").click().run()
    assert values(at, "info", lang)[-1] == t("exercises.verdict.recorded", lang)
    at.button(key="b.ex.pair.training").click().run()
    assert at.button(key="b.ex.check.training").disabled, "the prediction is fixed while its runs train"
    verdict = t("exercises.verdict.prediction_right", lang)
    at = rerun_until(at, lambda a: verdict in values(a, "success", lang) or values(a, "warning", lang))
    assert values(at, "success", lang) == [verdict]  # Adam at 0.5 against 0.003: the large rate diverges
    lines = [m for m in values(at, "markdown", lang) if m.startswith("1. ")][0]
    assert t("exercises.training.diverge.seen_diverged", lang, run="A" if q.figure["likely"] == "a" else "B",
             lr=f"{max(q.figure['lrs']):g}") in lines
    assert at.session_state["ex.record"].get(q.id).done
    assert at.session_state["spec"] == spec, "the prediction's runs never touch the student's settings"
    assert_translated(at, lang)


@pytest.fixture
def board(tmp_path, monkeypatch):
    """A class board on a fresh SQLite file, and this tab in its class (the board page's session key)."""
    monkeypatch.setenv("PLAYGROUND_DB", f"sqlite:///{tmp_path / 'board.sqlite3'}")
    monkeypatch.setattr(state, "CLASS_CODE", "test.class_code", raising=False)
    code, _key = open_store().create_board()
    return code


def test_each_check_counts_for_the_class_without_a_name(board):
    at = open_lab("layers", state={"test.class_code": board})
    q = shown(at, "layers")
    for text in ("banana", wrong_text(q), right_text(q)):  # unreadable: not a check
        at.text_input(key="w.ex.answer.layers").input(text)
        at.button(key="b.ex.check.layers").click().run()
    (count,) = open_store().counts(board)
    assert (count.exercise, count.attempts, count.correct) == (q.id, 2, 1)


@pytest.mark.parametrize("code", ["NOSUCHCODE", "<b>x</b>"])
def test_an_unknown_class_never_breaks_an_exercise(board, code):
    at = open_lab("image", state={"test.class_code": code})
    q = shown(at, "image")
    at.radio(key="w.ex.choice.image").set_value(right_text(q))
    at.button(key="b.ex.check.image").click().run()
    assert not at.exception and values(at, "success") == [t("exercises.verdict.right", "en")]


def test_a_database_that_is_down_never_breaks_an_exercise(board, monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYGROUND_DB", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'board.sqlite3'}")
    at = open_lab("image", state={"test.class_code": board})
    q = shown(at, "image")
    at.radio(key="w.ex.choice.image").set_value(wrong_text(q))
    at.button(key="b.ex.check.image").click().run()
    assert not at.exception and values(at, "warning")[0].startswith(t("exercises.verdict.wrong", "en"))
    with pytest.raises(BoardUnavailable):  # the check really met a database that cannot be opened
        open_store().record_check(board, q.id, True)
