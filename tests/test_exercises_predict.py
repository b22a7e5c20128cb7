"""AppTest: the learning-rate prediction end to end (predict, run both trainings, settle), and the class board hook.

The hook is tested the way a class uses it: a teacher creates a board on the board page, a student opens the
join link shown there, and the student's checks appear in the teacher's "Exercise checks" table.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
import streamlit as st
from test_exercises_panel import open_lab, pin_language, shown, values
from test_page_texts import assert_translated

from playground import boardlink
from playground.board.errors import BoardUnavailable
from playground.board.store import open_store
from playground.i18n import t
from testkit.apptest import open_app
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


def join_link(teacher) -> str:
    """The students' join link the board page shows the teacher (the code box with the class and no key)."""
    return next(c.value for c in teacher.code if "class=" in c.value and "teacher=" not in c.value)


def open_link(link: str, lab: str):
    """A student's tab opened on the link (its query read on the first run), then the lab whose panel is used."""
    return open_lab(lab, query=dict(parse_qsl(urlsplit(link).query)))


def counts(teacher) -> dict[str, tuple[int, int]]:
    """The teacher's "Exercise checks" table after a rerun: exercise title -> (attempts, correct)."""
    teacher.run()
    assert not teacher.exception, teacher.exception
    heads = (t("board.col.exercise", "en"), t("board.col.attempts", "en"), t("board.col.correct", "en"))
    frames = [d.value for d in teacher.dataframe if tuple(d.value.columns) == heads]
    return {row[0]: (int(row[1]), int(row[2])) for frame in frames for row in frame.itertuples(index=False)}


@pytest.fixture
def teacher(tmp_path, monkeypatch):
    """A teacher's tab that created a class board on a fresh SQLite file through the board page."""
    monkeypatch.setenv("PLAYGROUND_DB", f"sqlite:///{tmp_path / 'board.sqlite3'}")
    boardlink.forget_failure()
    at = open_app("pages/class_board.py", "en")
    at.button(key="b.board.create").click().run()
    assert not at.exception and at.session_state["ui.room"].teacher
    yield at
    boardlink.forget_failure()


def test_a_student_who_joined_by_the_link_has_each_check_counted_for_the_teacher(teacher):
    assert counts(teacher) == {}
    student = open_link(join_link(teacher), "layers")
    assert student.session_state["ui.room"].board == teacher.session_state["ui.room"].board
    q = shown(student, "layers")
    for text in ("banana", wrong_text(q), right_text(q)):  # unreadable: not a check
        student.text_input(key="w.ex.answer.layers").input(text)
        student.button(key="b.ex.check.layers").click().run()
    title = t(f"exercises.titles.{q.id}", "en")
    assert counts(teacher) == {title: (2, 1)}  # no name: only how often, and how often right


def test_a_link_with_an_unknown_class_counts_nothing_and_never_breaks_an_exercise(teacher):
    link = join_link(teacher).replace(teacher.session_state["ui.room"].board, "NOSUCHCODE")
    student = open_link(link, "image")
    assert student.session_state["ui.room"].board == ""
    q = shown(student, "image")
    student.radio(key="w.ex.choice.image").set_value(right_text(q))
    student.button(key="b.ex.check.image").click().run()
    assert not student.exception and values(student, "success") == [t("exercises.verdict.right", "en")]
    assert counts(teacher) == {}


def test_a_closed_board_or_a_database_that_is_down_never_breaks_an_exercise(teacher, monkeypatch, tmp_path):
    student = open_link(join_link(teacher), "image")
    teacher.button(key="b.board.close").click().run()
    assert boardlink.store().board(teacher.session_state["ui.room"].board).closed
    q = shown(student, "image")
    student.radio(key="w.ex.choice.image").set_value(wrong_text(q))
    student.button(key="b.ex.check.image").click().run()
    assert not student.exception and values(student, "warning")[0].startswith(t("exercises.verdict.wrong", "en"))
    assert counts(teacher) == {}  # a closed board takes no checks
    monkeypatch.setenv("PLAYGROUND_DB", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'board.sqlite3'}")
    student.button(key="b.ex.check.image").click().run()
    assert not student.exception
    with pytest.raises(BoardUnavailable):  # the check really met a database that cannot be opened
        open_store().record_check(student.session_state["ui.room"].board, q.id, True)
