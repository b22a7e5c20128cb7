"""AppTest: the Class board page as a teacher and a student use it, in English and Chinese.

Every test works on the throwaway database tests/conftest.py points PLAYGROUND_DB at; boards are made
through the UI or the store the page itself uses (playground/boardlink.py).
"""
from __future__ import annotations

import csv
import io

import pytest
import streamlit as st

from playground import boardlink
from playground.board import Challenge
from playground.board.codes import group
from playground.i18n import t
from playground.spec import PipelineSpec
from testkit.apptest import open_app
from testkit.boarddata import sample_entry
from testkit.markdown import shown

BOARD = "pages/class_board.py"


@pytest.fixture(autouse=True)
def fresh():
    """No failure remembered from another test; no session-scoped object left over."""
    boardlink.forget_failure()
    st.cache_resource.clear()
    yield
    boardlink.forget_failure()


def new_board(**kw) -> tuple[str, str]:
    return boardlink.store().create_board(**kw)


def publish(code: str, nick: str, i: int = 0, **changes):
    return boardlink.store().publish(code, nick, sample_entry(i, **changes))


def texts(at, kind: str) -> list[str]:
    return [shown(e.value) for e in getattr(at, kind)]


def frame(at, n: int = -1, lang: str = "en"):
    """The n-th data frame the page drew, its columns named by their ids ("nickname") again."""
    table = at.dataframe[n].value
    ids = {t(f"board.col.{c}", lang): c for c in ("no", "nickname", "acc", "curve", "params", "epochs", "seconds",
                                                    "dataset", "time", "stack", "hidden")}
    return table.rename(columns=ids)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_creates_a_board_and_gets_code_links_and_qr(lang):
    at = open_app(BOARD, lang)
    at.selectbox(key="w.view.board.new_lesson").set_value("high_lr")
    at.number_input(key="w.view.board.days").set_value(3)
    at.button(key="b.board.create").click().run()
    assert not at.exception
    code, key = at.query_params["class"], at.session_state["ui.room"].teacher
    assert key and "teacher" not in at.query_params  # the key lives in the session, not in the address
    board = boardlink.store().teacher_board(code, key)
    assert board.lesson == "high_lr" and round((board.expires - board.created).total_seconds()) == 3 * 86400
    assert at.title[0].value == t("board.page.title_code", lang, code=group(code))
    join = next(c.value for c in at.code if "class=" in c.value and "teacher=" not in c.value)
    assert f"class={code}" in join and "lesson=high_lr" in join and key not in join  # the key stays out
    assert any(f"teacher={key}" in c.value for c in at.code)  # the teacher link, folded away
    captions = [img.caption for el in at.get("image") for img in el.proto.imgs]
    assert t("board.page.qr_caption", lang) in captions, "the join link's QR code"
    assert texts(at, "success") == [t("board.page.created", lang)]


def test_student_link_joins_the_class_and_the_sidebar_says_which():
    code, _ = new_board()
    at = open_app(BOARD, "en", query={"class": code.lower()})
    assert at.session_state["ui.room"].board == code
    assert any(group(code) in shown(m.value) for m in at.sidebar.markdown)
    assert at.title[0].value == t("board.page.title_code", "en", code=group(code))
    assert not [b for b in at.button if b.key == "b.board.hide"], "no moderation without the key"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_class_code_in_a_link_is_dropped_with_a_message(lang):
    at = open_app(BOARD, lang, query={"class": "ABCDEFGHJK"})
    assert at.session_state["ui.room"].board == ""
    assert "class" not in at.query_params
    assert t("board.unknown", lang, code="ABCDEFGHJK") in texts(at, "warning")
    assert at.button(key="b.board.create")  # the forms to join or create instead


def test_wrong_teacher_key_in_a_link_keeps_the_student_view():
    code, _ = new_board()
    at = open_app(BOARD, "en", query={"class": code, "teacher": "X" * 24})
    room = at.session_state["ui.room"]
    assert room.board == code and room.teacher == ""
    assert t("board.wrong_key", "en") in texts(at, "warning")
    assert "teacher" not in at.query_params


def test_typed_code_joins_and_a_bad_one_changes_nothing():
    code, _ = new_board()
    at = open_app(BOARD, "en")
    at.text_input(key="w.view.board.join_code").input("nope").run()
    at.button(key="b.board.join").click().run()
    assert at.session_state["ui.room"].board == "" and t("board.bad_code", "en") in texts(at, "error")
    at.text_input(key="w.view.board.join_code").input(" " + group(code).lower() + " ").run()
    at.button(key="b.board.join").click().run()
    assert at.session_state["ui.room"].board == code and at.query_params["class"] == code


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_entries_table_shows_the_runs_as_text_sorted_and_filtered(lang):
    code, _ = new_board()
    publish(code, "<b>bold</b> **x**", 1)
    publish(code, "best", 40)
    publish(code, "shapes kid", 20, dataset="shapes", spec_json=PipelineSpec().set("train.dataset", "shapes").to_json())
    at = open_app(BOARD, lang, query={"class": code})
    table = frame(at, lang=lang)
    assert list(table["nickname"]) == ["best", "shapes kid", "<b>bold</b> **x**"]  # best accuracy first, as typed
    assert table["curve"].iloc[0][-1] < table["curve"].iloc[0][0]  # the loss sparkline falls
    at.radio(key="w.view.board.sort").set_value("params").run()
    assert list(frame(at, lang=lang)["nickname"]) == ["<b>bold</b> **x**", "shapes kid", "best"]
    at.selectbox(key="w.view.board.dataset").set_value("shapes").run()
    assert list(frame(at, lang=lang)["nickname"]) == ["shapes kid"]


def test_teacher_hides_and_deletes_and_students_follow():
    code, key = new_board()
    one, two = publish(code, "one", 1), publish(code, "two", 2)
    teacher = open_app(BOARD, "en", query={"class": code, "teacher": key})
    teacher.selectbox(key="w.view.board.pick").set_value(one.id).run()
    teacher.button(key="b.board.hide").click().run()
    assert not teacher.exception and texts(teacher, "success")[-1] == t("board.page.done_hide", "en")
    assert set(frame(teacher)["nickname"]) == {"one", "two"}  # the teacher still sees it, marked
    student = open_app(BOARD, "en", query={"class": code})
    assert list(frame(student)["nickname"]) == ["two"]
    teacher.selectbox(key="w.view.board.pick").set_value(two.id).run()
    teacher.button(key="b.board.delete").click().run()
    assert [e.nickname for e in boardlink.store().entries(code, include_hidden=True, key=key)] == ["one"]


def test_without_the_key_moderation_is_refused_and_nothing_changes():
    code, key = new_board()
    entry = publish(code, "one", 1)
    at = open_app(BOARD, "en", query={"class": code})
    assert not [b for b in at.button if b.key in ("b.board.hide", "b.board.delete", "b.board.ch_set")]
    at.text_input(key="w.view.board.key").input("WRONGWRONGWRONGWRONGWRON").run()
    at.button(key="b.board.key").click().run()
    assert t("board.wrong_key", "en") in texts(at, "error") and at.session_state["ui.room"].teacher == ""
    assert [e.id for e in boardlink.store().entries(code)] == [entry.id]
    at.text_input(key="w.view.board.key").input(group(key, 4).lower()).run()  # typed from the screen
    at.button(key="b.board.key").click().run()
    assert at.session_state["ui.room"].teacher == key and at.button(key="b.board.hide")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_challenge_ranks_only_the_entries_that_meet_it(lang):
    code, key = new_board()
    publish(code, "big", 40, params=9000)
    publish(code, "small", 10, params=4000)
    at = open_app(BOARD, lang, query={"class": code, "teacher": key})
    at.number_input(key="w.view.board.ch_params").set_value(5000)
    at.number_input(key="w.view.board.ch_epochs").set_value(6)
    at.button(key="b.board.ch_set").click().run()
    assert not at.exception
    assert boardlink.store().board(code).challenge == Challenge(5000, None, 6)
    assert list(frame(at, 0, lang)["nickname"]) == ["small"]  # the ranking comes first
    assert any(t("board.page.rule_params", lang, n="5,000") in s.value for s in at.subheader)
    at.button(key="b.board.ch_clear").click().run()
    assert not boardlink.store().board(code).challenge.active


def test_close_and_reopen_the_board():
    code, key = new_board()
    at = open_app(BOARD, "en", query={"class": code, "teacher": key})
    at.button(key="b.board.close").click().run()
    assert boardlink.store().board(code).closed and t("board.page.is_closed", "en") in texts(at, "warning")
    at.button(key="b.board.close").click().run()
    assert not boardlink.store().board(code).closed


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_open_this_setup_loads_the_entry_into_this_tab(lang):
    code, _ = new_board()
    wanted = PipelineSpec().set("train.seed", 77).set("augment.angle", 45)
    entry = publish(code, "ana", 3, spec_json=wanted.to_json())
    at = open_app(BOARD, lang, query={"class": code})
    at.button(key="b.board.open").click().run()
    assert not at.exception
    assert at.session_state["spec"] == entry.spec() == wanted
    assert at.query_params["augment.angle"] == "45" and at.query_params["class"] == code
    assert texts(at, "success")[-1] == t("board.page.opened", lang, nick="ana")


def test_a_locked_student_cannot_replace_the_whole_setup():
    code, _ = new_board()
    publish(code, "ana", 3)
    at = open_app(BOARD, "en", query={"class": code, "lock": "norm"})
    assert at.button(key="b.board.open").disabled


def test_exercise_counts_for_the_teacher_without_names():
    code, key = new_board()
    for right in (True, False, True):
        boardlink.store().record_check(code, "steps.out_size", right)
    at = open_app(BOARD, "zh", query={"class": code, "teacher": key})
    counts = frame(at, 0)
    assert list(counts.iloc[0]) == [t("exercises.titles.steps.out_size", "zh"), 3, 2]


def test_csv_export_for_the_teacher_and_a_clear_file_for_a_wrong_key():
    from playground.ui.board.teacher import export_bytes

    code, key = new_board()
    publish(code, "=cmd()", 1)
    data = export_bytes(code, key, "zh").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][0] == t("board.csv.id", "zh") and rows[1][2] == "'=cmd()"
    assert export_bytes(code, "WRONG", "en").decode("utf-8-sig") == t("board.wrong_key", "en")


def test_teacher_removes_a_flood_by_nickname_and_several_entries_at_once():
    code, key = new_board()
    store = boardlink.store()
    flood = [store.publish(code, "spam", sample_entry(i), run_id=f"spam-{i}").id for i in range(4)]
    kids = [publish(code, f"kid {i}", 10 + i) for i in range(3)]
    student = open_app(BOARD, "en", query={"class": code})
    assert not [b for b in student.button if b.key.startswith(("b.board.nick_", "b.board.many_"))]
    teacher = open_app(BOARD, "en", query={"class": code, "teacher": key})
    teacher.selectbox(key="w.view.board.pick").set_value(flood[0]).run()
    teacher.button(key="b.board.nick_hide").click().run()
    assert texts(teacher, "success")[-1] == t("board.page.done_many_hide", "en", n=4)
    assert sorted(e.nickname for e in store.entries(code)) == ["kid 0", "kid 1", "kid 2"]
    teacher.selectbox(key="w.view.board.pick").set_value(flood[1]).run()
    teacher.button(key="b.board.nick_delete").click().run()
    assert texts(teacher, "success")[-1] == t("board.page.done_many_delete", "en", n=4)
    assert len(store.entries(code, include_hidden=True, key=key)) == 3
    teacher.multiselect(key="w.view.board.many").set_value([kids[0].id, kids[2].id]).run()
    teacher.button(key="b.board.many_hide").click().run()
    assert texts(teacher, "success")[-1] == t("board.page.done_many_hide", "en", n=2)
    assert [e.nickname for e in store.entries(code)] == ["kid 1"]
    teacher.multiselect(key="w.view.board.many").set_value([kids[0].id, kids[1].id]).run()
    teacher.button(key="b.board.many_delete").click().run()
    assert [e.nickname for e in store.entries(code, include_hidden=True, key=key)] == ["kid 2"]
    student.run()
    assert t("board.page.empty", "en") in texts(student, "info")  # kid 2 is hidden, the rest deleted


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_big_board_draws_one_page_at_a_time(lang):
    from playground.board.watch import PAGE_SIZE

    code, _ = new_board()
    store = boardlink.store()
    for i in range(PAGE_SIZE + 20):
        store.publish(code, f"s{i}", sample_entry(i), run_id=f"page-{i}")
    at = open_app(BOARD, lang, query={"class": code})
    assert len(frame(at, lang=lang)) == PAGE_SIZE
    assert t("board.page.entries", lang, n=PAGE_SIZE + 20) in [s.value for s in at.subheader]
    at.number_input(key="w.view.board.page").set_value(2).run()
    second = frame(at, lang=lang)
    assert len(second) == 20 and not at.exception
    everyone = [e.id for e in store.entries(code)]
    assert list(second["no"]) == everyone[PAGE_SIZE:]
    assert t("board.page.page_range", lang, first=PAGE_SIZE + 1, last=PAGE_SIZE + 20, total=PAGE_SIZE + 20,
             page=2, pages=2) in [c.value for c in at.caption]
