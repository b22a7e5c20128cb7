"""AppTest: the teacher runs a lesson from the class board; the projector counts the class's answers."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import streamlit as st

from playground import boardlink
from playground.i18n import t
from playground.lessons import builtin, say
from playground.ui.lessonclass.shared import WATCH
from testkit.apptest import open_app
from testkit.markdown import shown

BOARD = "pages/class_board.py"


@pytest.fixture(autouse=True)
def fresh():
    boardlink.forget_failure()
    st.cache_resource.clear()
    WATCH.clear()
    yield
    WATCH.clear()


def texts(at, kind: str) -> list[str]:
    return [shown(e.value) for e in getattr(at, kind)]


def first_lesson():
    lesson = next(iter(builtin().values()))
    return lesson


def teacher_tab(code: str, key: str, lang: str = "en", **query):
    return open_app(BOARD, lang, query={"class": code, "teacher": key, **query})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_starts_a_lesson_moves_on_and_reveals(lang):
    code, key = boardlink.store().create_board()
    lesson = first_lesson()
    at = teacher_tab(code, key, lang)
    at.selectbox(key="w.lc.lesson").set_value(lesson.id)
    at.button(key="b.lc.start").click().run()
    state = boardlink.store().class_state(code)
    assert (state.lesson, state.scene, state.scenes) == (lesson.id, 0, len(lesson.scenes))
    assert any(say(lesson.scenes[0].title, lang) in m for m in texts(at, "markdown"))
    assert any(f"lesson={lesson.id}" in c.value and f"class={code}" in c.value for c in at.code)  # the one link
    at.button(key="b.lc.next").click().run()
    assert boardlink.store().class_state(code).scene == 1
    assert any(say(lesson.scenes[1].title, lang) in m for m in texts(at, "markdown"))
    at.button(key="b.lc.back").click().run()
    assert boardlink.store().class_state(code).scene == 0
    at.button(key="b.lc.reveal").click().run()
    assert boardlink.store().class_state(code).revealed == {0}
    at.button(key="b.lc.pace").click().run()
    assert boardlink.store().class_state(code).paced is False


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_lock_that_stops_a_scene_is_refused_with_the_scene(lang):
    code, key = boardlink.store().create_board()
    lesson = first_lesson()
    index, scene = next((i, s) for i, s in enumerate(lesson.scenes) if s.open_controls)
    control = scene.open_controls[0]
    lock = control if not control.startswith("view.") else None
    if lock is None:
        index, scene = next((i, s) for i, s in enumerate(lesson.scenes)
                            if any(not c.startswith("view.") for c in s.open_controls))
        lock = next(c for c in scene.open_controls if not c.startswith("view."))
    section = lock.split(".")[0]
    at = teacher_tab(code, key, lang)
    at.selectbox(key="w.lc.lesson").set_value(lesson.id)
    at.multiselect(key="w.lc.locks").set_value([section])
    at.button(key="b.lc.start").click().run()
    assert boardlink.store().class_state(code).running is False
    errors = " ".join(texts(at, "error"))
    assert say(scene.title, lang) in errors and t(f"classroom.sections.{section}", lang) in errors
    assert t("lessonclass.lock_refused", lang, lock="", scene=0, title="", control="", more=0)[:4] in errors


def test_projector_shows_the_answers_live():
    code, key = boardlink.store().create_board()
    lesson = first_lesson()
    index = next(i for i, s in enumerate(lesson.scenes) if s.prediction is not None and s.prediction.kind == "number")
    store = boardlink.store()
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    store.go_to(code, key, index)
    for i, value in enumerate((3, 3, 5)):
        store.answer(code, f"tab{i}", f"S{i}", index, value)
    at = teacher_tab(code, key, projector="1")
    assert any(t("lessonclass.answers_count", "en", n=3) == m for m in texts(at, "markdown"))
    chart = at.get("plotly_chart")[0]
    assert chart.proto.alt == t("lessonclass.hist_alt", "en", total=3, bars=2, top="3", top_count=2)
    bars = json.loads(chart.proto.spec)["data"][0]
    assert (list(bars["x"]), list(bars["y"])) == (["3", "5"], [2, 1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_sees_who_is_on_the_scene_who_answered_and_who_not_yet(lang):
    code, key = boardlink.store().create_board()
    lesson = first_lesson()
    index = next(i for i, s in enumerate(lesson.scenes) if i >= 1 and s.prediction is not None
                 and s.prediction.kind == "number")
    store = boardlink.store()
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    store.go_to(code, key, index)
    for tab, nick in (("tab1", "Ann"), ("tab2", "Bo"), ("tab3", "Cy")):
        store.seen(code, tab, nick, index)
    store.seen(code, "tab4", "Di", index - 1)  # still on the scene before: in the class, not here
    store.answer(code, "tab1", "Ann", index, 3)
    store.answer(code, "tab2", "Bo", index, 5)
    at = teacher_tab(code, key, lang)
    assert t("lessonclass.on_scene", lang, n=3, total=4) in texts(at, "markdown")
    captions = texts(at, "caption")
    assert t("lessonclass.answered", lang, n=2, names="Ann, Bo") in captions
    assert t("lessonclass.waiting", lang, n=1, names="Cy") in captions
    assert all("Di" not in c for c in captions)


LESSON_PAGE = "pages/lesson.py"


def subheaders(at) -> list[str]:
    """Scene titles: the lesson page writes them as level-3 markdown headings."""
    return [shown(m.value)[4:] for m in at.markdown if m.value.startswith("### ")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_student_follows_the_teacher_and_answers_the_class(lang):
    code, key = boardlink.store().create_board()
    lesson = first_lesson()
    index = next(i for i, s in enumerate(lesson.scenes)
                 if i > 0 and s.prediction is not None and s.prediction.kind == "number")
    store = boardlink.store()
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    at = open_app(LESSON_PAGE, lang, query={"class": code, "lesson": lesson.id})
    assert say(lesson.scenes[0].title, lang) in subheaders(at)
    assert at.button(key="b.lc.page_next").disabled  # paced: not past the teacher's scene
    store.go_to(code, key, index)
    WATCH.clear()
    at.run()
    assert say(lesson.scenes[index].title, lang) in subheaders(at)
    right = lesson.scenes[index].prediction.answer
    at.text_input(key="w.lc.typed").input(str(right)).run()
    at.text_input(key="w.view.board.nickname").input("Ann").run()
    at.button(key="b.lc.send").click().run()
    assert store.answers(code, index) == (str(right),)
    assert [s.nickname for s in store.roster(code, key)] == ["Ann"]
    store.reveal(code, key, index)
    WATCH.clear()
    at.run()
    assert t("lessonclass.yours_right", lang, answer=str(right)) in [shown(m.value) for m in at.markdown]
    assert at.get("plotly_chart")  # the class's answers against mine
    at.button(key="b.lc.page_back").click().run()  # looking back is allowed
    assert say(lesson.scenes[index - 1].title, lang) in subheaders(at)


def test_projector_spotlights_a_students_settings_on_the_scene_and_a_run():
    from playground.board.pace import Spotlight
    from testkit.boarddata import sample_entry

    code, key = boardlink.store().create_board()
    lesson = first_lesson()
    index = next(i for i, s in enumerate(lesson.scenes) if s.view == "layers")
    store = boardlink.store()
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    store.go_to(code, key, index)
    spec = lesson.scenes[index].settings.set("image.grayscale", True)
    store.share_settings(code, "tab1", "Ann", spec.to_json())
    store.set_spotlight(code, key, Spotlight(author="tab1", scene=index))
    at = teacher_tab(code, key, projector="1")
    assert not at.exception
    assert t("lessonclass.spot_student_title", "en", nick="Ann", no=index + 1) in texts(at, "subheader")
    assert at.get("imgs") or at.get("image")  # the scene's own pictures under Ann's settings
    entry = store.publish(code, "Bo", sample_entry(2))
    store.set_spotlight(code, key, Spotlight(entry=entry.id))
    WATCH.clear()
    at.run()
    assert t("lessonclass.spot_run_title", "en") in texts(at, "subheader")
    assert any("Bo" in str(tb.value) for tb in at.table)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_number_within_the_tolerance_is_right_for_the_class_as_it_is_alone(lang):
    """-1.60 for -1.6019… (tolerance 0.01): the student hears "right", the answer reads as the lesson page writes
    it, and the bar of the typed answer is the one marked right, on the student's and the teacher's charts."""
    code, key = boardlink.store().create_board()
    lesson = builtin()["normalization"]
    index = next(i for i, s in enumerate(lesson.scenes) if s.prediction is not None
                 and s.prediction.tolerance > 0 and not float(s.prediction.answer).is_integer())
    prediction = lesson.scenes[index].prediction
    typed = f"{prediction.answer:.2f}"
    assert typed != repr(prediction.answer) and prediction.is_right(prediction.read(typed))
    store = boardlink.store()
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    store.go_to(code, key, index)
    store.answer(code, "tab9", "Bo", index, prediction.answer + 1)  # a wrong one beside it
    at = open_app(LESSON_PAGE, lang, query={"class": code, "lesson": lesson.id})
    at.text_input(key="w.lc.typed").input(typed).run()
    at.text_input(key="w.view.board.nickname").input("Ann").run()
    at.button(key="b.lc.send").click().run()
    store.reveal(code, key, index)
    WATCH.clear()
    at.run()
    mine = store.answers(code, index)
    assert len(mine) == 2
    marked = t("lessonclass.right_mark", lang)
    written = f"{prediction.answer:.3f}"
    assert t("lessonclass.right_answer", lang, answer=written) in [shown(s.value) for s in at.success]
    assert t("lessonclass.yours_right", lang, answer=typed.rstrip("0")) in [shown(m.value) for m in at.markdown]
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    right_bars = [x for x, label in zip(bars["x"], bars["text"], strict=True) if marked in label]
    assert [float(x) for x in right_bars] == [float(typed)]

    teacher = teacher_tab(code, key, lang)
    bars = json.loads(teacher.get("plotly_chart")[0].proto.spec)["data"][0]
    assert [float(x) for x, label in zip(bars["x"], bars["text"], strict=True) if marked in label] == [float(typed)]



@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_reveal_says_why_beside_the_button(lang, monkeypatch, board_database):
    """Reveal sits in the class answers' live fragment, which a press reruns alone: a refusal is written there,
    beside the button (not at the page's foot, which that rerun does not draw), and stays until the next press.
    Refused here as on a full disk: the database reads but no longer writes."""
    store = boardlink.store()
    code, key = store.create_board()
    lesson = first_lesson()
    index = next(i for i, s in enumerate(lesson.scenes) if s.prediction is not None)
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    store.go_to(code, key, index)
    at = open_app("pages/lesson.py", lang, query={"class": code, "teacher": key, "lesson": lesson.id})
    at.toggle(key=f"w.lc.answers_view.{index}").set_value(True).run()
    path = sa.make_url(board_database).database
    read_only = sa.URL.create("sqlite+pysqlite", database=f"file:{path}", query={"mode": "ro", "uri": "true"})
    monkeypatch.setenv("PLAYGROUND_DB", read_only.render_as_string(hide_password=False))
    # The refused write opens the breaker; with no down time the page's reads in the same run still go through
    # (the database reads): else, for 5 s, the answers view itself says the board is unavailable.
    monkeypatch.setattr(boardlink.BREAKER, "down_s", 0.0)
    at.button(key="b.lc.page_reveal").click().run()
    beside = [c for c in at.columns if any(b.key == "b.lc.page_reveal" for b in c.button)]
    assert len(beside) == 1 and [e.value for e in beside[0].error] == [t("board.unavailable", lang)]
    assert store.class_state(code).revealed == set()
    monkeypatch.setenv("PLAYGROUND_DB", board_database)
    boardlink.forget_failure()
    at.button(key="b.lc.page_reveal").click().run()
    assert store.class_state(code).revealed == {index}
    assert not at.error


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_which_map_answers_view_shows_the_options_pictures_above_their_bars(lang):
    """The histogram's bars are the options' letters: the projector shows each letter's picture beside them."""
    store = boardlink.store()
    code, key = store.create_board()
    lesson = builtin()["convolution"]
    index = next(i for i, s in enumerate(lesson.scenes) if s.prediction is not None and s.prediction.kind == "map")
    options = lesson.scenes[index].prediction.choices
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    store.go_to(code, key, index)
    at = open_app("pages/lesson.py", lang, query={"class": code, "teacher": key, "lesson": lesson.id})
    at.toggle(key=f"w.lc.answers_view.{index}").set_value(True).run()
    assert not at.exception
    side = [c for c in at.columns if c.get("plotly_chart")]
    assert len(side) == 1
    pictures = [img for el in side[0].get("image") for img in el.proto.imgs]
    assert len(pictures) == len(options) and all(img.alt.strip() for img in pictures)
    letters = [f"**{say(o.label, lang)}**" for o in options]
    assert [x for x in (shown(m.value) for m in side[0].markdown) if x in letters] == letters  # in the bars' order
