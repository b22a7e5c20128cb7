"""AppTest: joining and publishing from the Training lab, short links, the share panel, a database that is down."""
from __future__ import annotations

import re

import pytest
import streamlit as st

from playground import boardlink
from playground.board.codes import group
from playground.i18n import t
from playground.spec import PipelineSpec
from testkit.apptest import open_app
from testkit.boarddata import sample_entry
from testkit.markdown import shown
from testkit.wait import wait_until
from tests.test_page_texts import foreign_words, visible_texts

TRAINING, BOARD = "pages/training.py", "pages/class_board.py"
TINY = {"train.size": "8", "train.epochs": "2"}  # a run of a second or two


@pytest.fixture(autouse=True)
def fresh():
    boardlink.forget_failure()
    st.cache_resource.clear()  # AppTest reuses one session id: no TrainLab from another test
    yield
    st.cache_resource.clear()
    boardlink.forget_failure()


def texts(at, kind: str) -> list[str]:
    return [shown(e.value) for e in getattr(at, kind)]


def assert_translated(at, lang: str, data: str = "") -> None:
    """Only catalogue words on the page, apart from the words of data (class codes, nicknames: not language)."""
    allowed = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", data)}
    bad = {x: w for x in visible_texts(at) if (w := [v for v in foreign_words(x, lang) if v.lower() not in allowed])}
    assert not bad, f"untranslated text on a {lang} page: {bad}"


def trained(query: dict, lang: str = "en"):
    """The Training lab opened from query, one tiny run started and awaited."""
    at = open_app(TRAINING, lang, timeout=120, query={**TINY, **query})
    at.button(key="b.train.start").click().run()
    wait_until(lambda: at.run().success, 120, "the run's Finished message", poll=0.3)
    assert not at.exception and at.success, "the run finished"
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_publish_after_training_puts_the_run_on_the_board(lang):
    code, key = boardlink.store().create_board()
    at = trained({"class": code}, lang)
    assert any(s.value == t("board.publish.title", lang, code=group(code)) for s in at.subheader)
    at.text_input(key="w.view.board.nickname").input("  Ana <i>x</i>  ").run()
    at.button(key="b.board.publish").click().run()
    assert not at.exception
    [entry] = boardlink.store().entries(code)
    spec = at.session_state["spec"]
    assert (entry.nickname, entry.dataset, entry.epochs) == ("Ana <i>x</i>", "digits", 2)
    assert entry.spec() == spec and entry.stack.startswith("Conv2d 16@3×3") and 0 < entry.val_acc <= 1
    assert entry.params > 1000 and entry.seconds > 0 and len(entry.curve) >= 2
    assert texts(at, "success")[-1] == t("board.publish.done", lang, nick="Ana <i>x</i>")
    assert not [b for b in at.button if b.key == "b.board.publish"], "published once"
    assert_translated(at, lang, data=f"{group(code)} Ana")


def test_a_refused_nickname_keeps_the_run_and_publishing_again_works():
    code, _ = boardlink.store().create_board()
    at = trained({"class": code})
    for bad in ("", " \u200b ", "x" * 2000):
        at.text_input(key="w.view.board.nickname").input(bad).run()
        at.button(key="b.board.publish").click().run()
        assert at.error and not boardlink.store().entries(code)
        assert at.get("plotly_chart"), "the results are still there"
    at.text_input(key="w.view.board.nickname").input("ok").run()
    at.button(key="b.board.publish").click().run()
    assert [e.nickname for e in boardlink.store().entries(code)] == ["ok"]


def test_a_closed_board_refuses_and_the_student_can_publish_after_it_reopens():
    code, key = boardlink.store().create_board()
    at = trained({"class": code})
    boardlink.store().close(code, key)
    at.text_input(key="w.view.board.nickname").input("late").run()
    at.button(key="b.board.publish").click().run()
    assert texts(at, "error")[-1] == t("board.closed", "en", code=code)
    boardlink.store().close(code, key, closed=False)
    at.button(key="b.board.publish").click().run()
    assert [e.nickname for e in boardlink.store().entries(code)] == ["late"]


def test_no_publish_box_outside_a_class():
    at = trained({})
    assert not [b for b in at.button if b.key == "b.board.publish"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_short_link_stores_the_spec_and_opens_it_elsewhere(lang):
    at = open_app(None, lang, query={"augment.angle": "30", "norm.method": "zscore"})
    at.button(key="b.ui.short").click().run()
    short = next(c.value for c in at.code if c.value.startswith("?s="))
    code = short.split("s=")[1].split("&")[0]
    captions = [img.caption for el in at.get("image") for img in el.proto.imgs]
    assert t("share.qr_caption", lang) in captions, "a short link comes with its QR code"
    fresh = open_app(None, lang, query={"s": code})
    assert fresh.session_state["spec"] == PipelineSpec().set("augment.angle", 30).set("norm.method", "zscore")
    assert dict(fresh.query_params) == {"s": code}  # the address stays short while nothing changed
    fresh.slider(key="w.augment.angle").set_value(10).run()
    assert "s" not in fresh.query_params and fresh.query_params["augment.angle"] == "10"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_short_link_shows_the_bad_link_message_and_defaults(lang):
    at = open_app(None, lang, query={"s": "ABCDEFGHJK"})
    assert at.session_state["spec"] == PipelineSpec()
    want = t("app.bad_link", lang, reason=t("board.unknown_link", lang))
    assert texts(at, "warning")[0] == want or want in texts(at, "warning")


def test_share_panel_previews_the_link_and_keeps_projector_off_unless_ticked():
    at = open_app(None, "en", query={"augment.angle": "30", "projector": "1"})
    at.multiselect(key="w.view.ui.lock_pick").set_value(["augment.angle"]).run()
    link = next(c.value for c in at.code if "lock=" in c.value)
    assert "projector" not in link, "the teacher's projector stays on the teacher's screen"
    preview = " ".join(shown(m.value) for m in at.sidebar.markdown)
    assert t("classroom.fields.augment_angle", "en") in preview and t("classroom.fields.augment_mode", "en") in preview
    at.checkbox(key="w.view.ui.share_projector").check().run()
    assert "projector=1" in next(c.value for c in at.code if "lock=" in c.value)


def test_locking_the_angle_locks_the_mode_and_the_random_fields():
    at = open_app(None, "en", query={"augment.angle": "30", "lock": "augment.angle"})
    assert at.radio(key="w.augment.mode").disabled and at.slider(key="w.augment.angle").disabled
    assert not at.slider(key="w.image.long_side").disabled


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_database_that_is_down_shows_on_the_board_page_only(lang, tmp_path, monkeypatch):
    # a path under a plain file: no folder can be made there (permissions would not stop root)
    monkeypatch.setenv("PLAYGROUND_DB", f"sqlite+pysqlite:///{tmp_path}/afile/board.sqlite3")
    (tmp_path / "afile").write_text("not a folder")
    boardlink.forget_failure()
    at = open_app(BOARD, lang, query={"class": "ABCDEFGHJK"})
    assert not at.exception and at.session_state["ui.room"].board == "ABCDEFGHJK"  # kept: cannot check now
    assert texts(at, "error") == [t("board.unavailable", lang)]
    for page in ("pages/image_lab.py", "pages/layer_lab.py", TRAINING):
        other = open_app(page, lang, query={"class": "ABCDEFGHJK"})
        assert not other.exception and not other.error, page
    at.button(key="b.ui.short").click().run()
    assert [shown(e.value) for e in at.sidebar.error] == [t("board.unavailable", lang)]  # by the button only
    short = open_app(None, lang, query={"s": "ABCDEFGHJK"})
    assert t("board.page.short_unavailable", lang) in " ".join(texts(short, "warning"))
    assert short.query_params["s"] == "ABCDEFGHJK"  # a reload tries again


def test_a_failed_publish_keeps_the_run(tmp_path, monkeypatch):
    code, _ = boardlink.store().create_board()
    at = trained({"class": code})
    monkeypatch.setenv("PLAYGROUND_DB", f"sqlite+pysqlite:///{tmp_path}/afile/board.sqlite3")
    (tmp_path / "afile").write_text("not a folder")
    at.text_input(key="w.view.board.nickname").input("ana").run()
    at.button(key="b.board.publish").click().run()
    assert texts(at, "error")[-1] == t("board.unavailable", "en") and at.get("plotly_chart")
    monkeypatch.undo()
    boardlink.forget_failure()
    at.button(key="b.board.publish").click().run()
    assert [e.nickname for e in boardlink.store().entries(code)] == ["ana"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_board_pages_speak_only_their_language(lang):
    code, key = boardlink.store().create_board(lesson="normalize")
    boardlink.store().publish(code, "Ana", sample_entry(3))
    boardlink.store().record_check(code, "layers.params", True)
    for query in ({}, {"class": code, "teacher": key}, {"class": code, "projector": "1"}):
        assert_translated(open_app(BOARD, lang, query=query), lang, data=f"{group(code)} {group(key, 4)} {code} {key} Ana")
