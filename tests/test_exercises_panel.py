"""AppTest: the "Check yourself" panel of every lab answered like a student would, in both languages.

A wrong answer then the right one on every lab; the settings (spec and the labs' view settings) are the
same afterwards; unreadable answers, the working after two wrong ones, a New question, the share link's
question and a lesson's progress. The expected answers come from the exercise registry for the page's
own settings (the generators themselves are checked against torch / OpenCV / scikit-learn elsewhere).
"""
from __future__ import annotations

import pytest
import streamlit as st
from test_page_texts import assert_translated

from playground.exercises.answers import Choice
from playground.exercises.checker import check
from playground.exercises.registry import make
from playground.exercises.text import say
from playground.i18n import t
from playground.labs import LABS
from playground.spec import PipelineSpec
from playground.ui.exercises.panel import grid_table
from testkit.apptest import open_app
from testkit.exercises import right_text, wrong_text

PAGES = {lab.exercises: lab.page for lab in LABS if lab.exercises}  # exercise prefix -> page file


@pytest.fixture(autouse=True)
def fresh_session():
    """AppTest reuses one session id: drop session-scoped runners (the prediction's pair) between tests."""
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def pin_language(monkeypatch, lang: str) -> None:
    """AppTest formats other widgets' selectbox options between runs, outside the script, where the session's
    language cannot be read (a label made there falls back to English): pin tr's language for the test."""
    from playground.ui import state

    monkeypatch.setattr(state, "lang", lambda: lang)


def open_lab(lab: str, lang: str = "en", query: dict | None = None, state: dict | None = None):
    at = open_app(None, lang=lang, timeout=120, query=query)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(PAGES[lab])
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at, lab: str):
    """The question the lab's panel shows."""
    return at.session_state["ex.shown"][lab][1]


def answer(at, lab: str, text: str):
    """Type (or choose) an answer and press Check."""
    q = shown(at, lab)
    if isinstance(q.answer, Choice):
        at.radio(key=f"w.ex.choice.{lab}").set_value(text)
    else:
        at.text_input(key=f"w.ex.answer.{lab}").input(text)
    at.button(key=f"b.ex.check.{lab}").click()
    at.run()
    assert not at.exception, at.exception
    return at


def settings(at) -> tuple:
    """What the student set: the spec and every view setting that is not the panel's own."""
    view = at.session_state["view"] if "view" in at.session_state else {}
    return at.session_state["spec"], {k: v for k, v in view.items() if not k.startswith("ex.")}


def box(at, lang: str = "en"):
    """The panel's expander."""
    return next(e for e in at.main.expander if e.label == t("exercises.panel.title", lang))


def values(at, kind: str, lang: str = "en") -> list[str]:
    """The values of the panel's elements of one kind (warning, success, info, caption, markdown)."""
    return [e.value for e in getattr(box(at, lang), kind)]


def context(at, lab: str) -> dict:
    """The page context the lab hands its panel, read back from the page's own state."""
    if lab == "steps":
        return {"problem": at.session_state["last_valid"]["steps"], "step": 0}
    if lab == "layers":
        return {"in_shape": at.session_state["last_valid"]["layers.main"].in_shape}
    return {}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lab", list(PAGES))
def test_a_wrong_answer_then_the_right_one(lab, lang, monkeypatch):
    pin_language(monkeypatch, lang)
    at = open_lab(lab, lang)
    before = settings(at)
    q = shown(at, lab)
    assert q == make(q.id, at.session_state["spec"], 1, **context(at, lab)), "built from the page's own settings"
    wrong = check(q, wrong_text(q), 1)
    answer(at, lab, wrong_text(q))
    assert values(at, "warning", lang) == [f"{say(wrong.headline, lang)} {say(wrong.hint, lang)}"]
    assert not at.session_state["ex.record"].get(q.id).done
    answer(at, lab, right_text(q))
    assert values(at, "success", lang) == [t("exercises.verdict.right", lang)]
    working = [m for m in values(at, "markdown", lang) if m.startswith("1. ")]
    assert working == ["\n".join(f"1. {say(line, lang)}" for line in q.working)]
    assert at.session_state["ex.record"].get(q.id).done
    assert settings(at) == before, "answering changed a setting"
    assert_translated(at, lang)


def test_an_unreadable_answer_gets_the_format_not_a_wrong():
    at = answer(open_lab("layers"), "layers", "banana")
    q = shown(at, "layers")
    assert values(at, "info")[-1] == f"{t('exercises.verdict.unreadable', 'en')} {say(q.format, 'en')}"
    assert not values(at, "warning") and at.session_state["ex.record"].get(q.id).attempts == 0


def test_the_second_wrong_answer_can_show_the_working(monkeypatch):
    pin_language(monkeypatch, "zh")
    at = open_lab("image", "zh")
    q = shown(at, "image")
    answer(at, "image", wrong_text(q))
    assert not [w for w in at.toggle if w.key == "w.ex.reveal.image"], "no working after one wrong answer"
    answer(at, "image", wrong_text(q))
    at.toggle(key="w.ex.reveal.image").set_value(True).run()
    assert [m for m in values(at, "markdown", "zh") if m.startswith("1. ")] == [
        "\n".join(f"1. {say(line, 'zh')}" for line in q.working)]
    assert_translated(at, "zh")


def test_new_question_changes_the_question_but_no_setting():
    at = open_lab("layers")
    before, first = settings(at), shown(at, "layers")
    at.button(key="b.ex.new.layers").click().run()
    second = shown(at, "layers")
    assert second != first and second.seed != first.seed and settings(at) == before


def test_a_question_fixed_by_the_settings_turns_to_practice_on_new_question():
    at = open_lab("training")  # chance level: the data set alone decides the question
    at.button(key="b.ex.new.training").click().run()
    q = shown(at, "training")
    assert q.variant and at.session_state["view"]["ex.practice.training"] is True
    assert values(at, "info")[0] == t("exercises.panel.only_one", "en")
    assert at.session_state["spec"] == PipelineSpec()


def test_a_checked_question_stays_while_the_settings_move_on():
    at = open_lab("layers")
    q = shown(at, "layers")
    answer(at, "layers", wrong_text(q))
    at.session_state["spec"] = at.session_state["spec"].set("image.long_side", 128)  # another input size
    at.run()
    assert shown(at, "layers") == q and values(at, "warning")
    assert t("exercises.panel.moved", "en") in values(at, "caption")
    at.button(key="b.ex.refresh.layers").click().run()
    assert shown(at, "layers") != q and not values(at, "warning")


def test_the_share_link_opens_the_same_question_for_the_class():
    query = {"ex": "layers.params", "ex_seed": "42"}
    at = open_lab("layers", query=query)
    q = shown(at, "layers")
    assert (q.id, q.seed, q.variant) == ("layers.params", 42, False)
    assert q == make("layers.params", at.session_state["spec"], 42, **context(at, "layers"))
    assert box(at).proto.expanded  # the panel opens by itself
    assert {k: at.query_params[k] for k in query} == query  # the address bar keeps it (sync_query)
    links = [c.value for c in at.code if "ex=" in c.value]
    assert "ex=layers.params" in links[-1] and "ex_seed=42" in links[-1]


def test_a_practice_link_gives_everyone_the_seeds_practice_question():
    at = open_lab("steps", query={"ex": "steps.next_value", "ex_seed": "7", "ex_practice": "1"})
    q = shown(at, "steps")
    assert q.variant and q == make("steps.next_value", PipelineSpec(), 7, True)
    problem = q.figure["problem"]  # a practice grid the page does not show: the panel draws it
    tables = [m for m in values(at, "markdown") if m.startswith("**") and "| **1** |" in m]
    grids = list(problem.x) + (list(problem.weight) if problem.weight is not None else [])
    assert [m.split("\n\n", 1)[1] for m in tables] == [grid_table(g) for g in grids]


def test_an_unknown_exercise_in_a_link_is_ignored():
    at = open_lab("layers", query={"ex": "layers.nothing", "ex_seed": "99999"})
    assert shown(at, "layers").id == "layers.out_shape" and not at.exception


def lesson_lines(at, lang: str) -> list[str]:
    """The sidebar's checklist: its heading with the count, then one line per exercise."""
    head = f"**{t('exercises.panel.title', lang)}**"
    return [m.value for m in at.sidebar.markdown if m.value.startswith(("✓", "○", head))]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_lesson_shows_its_exercises_and_counts_the_checked_ones(lang, monkeypatch):
    pin_language(monkeypatch, lang)
    at = open_lab("layers", lang, query={"lesson": "sobel_edges"})
    assert at.session_state["view"]["ex.pick.layers"] == "layers.params", "the lesson's exercise comes first"
    assert at.selectbox(key="w.view.ex.pick.layers").options[0] == t(
        "exercises.panel.in_lesson", lang, title=t("exercises.titles.layers.params", lang))
    lines = lesson_lines(at, lang)
    assert lines[0].endswith(t("exercises.progress", lang, done=0, total=2)) and len(lines) == 3
    assert [line[0] for line in lines[1:]] == ["○", "○"]
    q = shown(at, "layers")
    answer(at, "layers", right_text(q))
    lines = lesson_lines(at, lang)
    assert lines[0].endswith(t("exercises.progress", lang, done=1, total=2))
    assert [line[0] for line in lines[1:]] == ["○", "✓"]  # steps.next_value open, layers.params done
    assert_translated(at, lang)
