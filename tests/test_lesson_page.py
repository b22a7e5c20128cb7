"""AppTest: the lesson page walks every scene of every built-in lesson in English and Chinese, answers, links."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from playground.i18n import t
from playground.lessons import builtin, say
from playground.lessons.library import LEGACY
from playground.ui.state import LESSON, button_key, widget_key
from testkit.apptest import open_app


def shown(at) -> str:
    """Every markdown, caption, alert and subheader text of the last run, joined."""
    parts = [m.value for m in (*at.markdown, *at.caption, *at.success, *at.warning, *at.info, *at.error)]
    return "\n".join(parts)


def plain(text: str) -> str:
    """Markdown escapes and word joiners removed, for comparing with the lesson's own text."""
    return text.replace("\\", "").replace("\u2060", "")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_scene_of_every_lesson_renders_with_alt_text_on_every_picture(lang):
    at = open_app("pages/lesson.py", lang=lang, timeout=120)
    assert not at.exception
    for lesson_id, lesson in builtin().items():
        for i, scene in enumerate(lesson.scenes):
            at.session_state[LESSON] = {**at.session_state[LESSON], "lesson": lesson_id, "index": i}
            at.run()
            assert not at.exception, (lesson_id, scene.id, at.exception[0].value)
            text = plain(shown(at))
            assert say(scene.title, lang) in text, (lesson_id, scene.id)
            assert say(scene.text, lang)[:20] in text
            assert "-0.00" not in text and "−0.00" not in text, (lesson_id, scene.id)  # a mean of −0.004 reads 0.00
            assert not scene.teacher_notes.en or say(scene.teacher_notes, lang)[:20] not in text  # solo: no notes
            pictures = [img for el in at.get("image") for img in el.proto.imgs]
            assert all(img.alt.strip() for img in pictures), (lesson_id, scene.id)  # which-map options too


def test_next_and_back_move_one_scene_and_apply_its_settings():
    at = open_app("pages/lesson.py", query={"lesson": "pooling"})
    lesson = builtin()["pooling"]
    assert at.session_state[LESSON]["index"] == 0
    for i in range(1, 4):
        at.button(key=button_key("lesson.next")).click().run()
        assert at.session_state[LESSON]["index"] == i
        assert at.session_state["spec"] == lesson.scenes[i].settings
    at.button(key=button_key("lesson.back")).click().run()
    assert at.session_state[LESSON]["index"] == 2
    assert at.session_state["spec"] == lesson.scenes[2].settings


def test_a_solo_answer_is_checked_and_the_working_shown():
    at = open_app("pages/lesson.py", query={"lesson": "pooling"})
    scene = builtin()["pooling"].scenes[0]
    at.text_input(key=widget_key(f"lesson.answer.pooling.{scene.id}")).input("7").run()
    at.button(key=button_key(f"lesson.check.{scene.id}")).click().run()
    assert at.warning and "9" in at.warning[0].value  # wrong: the answer is named
    assert plain(say(scene.prediction.working[1], "en")) in plain(shown(at))
    at.button(key=button_key(f"lesson.again.{scene.id}")).click().run()
    at.text_input(key=widget_key(f"lesson.answer.pooling.{scene.id}")).input("9").run()
    at.button(key=button_key(f"lesson.check.{scene.id}")).click().run()
    assert at.success and t("lesson.page.right", "en", answer="9") == plain(at.success[0].value)


def test_an_unreadable_answer_is_said_so_and_not_recorded():
    at = open_app("pages/lesson.py", query={"lesson": "pooling"})
    scene = builtin()["pooling"].scenes[0]
    at.text_input(key=widget_key(f"lesson.answer.pooling.{scene.id}")).input("nine-ish").run()
    at.button(key=button_key(f"lesson.check.{scene.id}")).click().run()
    assert any(t("lesson.page.unreadable", "en") in w.value for w in at.warning)
    assert not at.session_state[LESSON].get("answers")


@pytest.mark.parametrize("preset", sorted(LEGACY))
def test_an_old_preset_link_opens_the_scene_that_took_it_over(preset):
    lesson_id, scene_id = LEGACY[preset]
    at = open_app("pages/lesson.py", query={"lesson": preset})
    state = at.session_state[LESSON]
    lesson = builtin()[lesson_id]
    assert state["lesson"] == lesson_id and lesson.scenes[state["index"]].id == scene_id
    assert at.session_state["spec"] == lesson.scenes[state["index"]].settings


def _teacher_scene():
    from playground.lessons import builtin
    from playground.ui.lesson.scene import show_scene

    show_scene(builtin()["pooling"], 1, role="teacher")


def _student_scene():
    from playground.lessons import builtin
    from playground.ui.lesson.scene import show_scene

    show_scene(builtin()["pooling"], 1, role="student", revealed=False)


def test_teacher_notes_only_for_the_teacher():
    scene = builtin()["pooling"].scenes[1]
    teacher = AppTest.from_function(_teacher_scene, default_timeout=60)
    teacher.session_state["ui.lang"] = "zh"
    teacher.run()
    assert not teacher.exception
    assert plain(say(scene.teacher_notes, "zh")) in plain(shown(teacher))
    student = AppTest.from_function(_student_scene, default_timeout=60)
    student.run()
    assert not student.exception
    assert plain(say(scene.teacher_notes, "en")) not in plain(shown(student))


def test_a_class_student_sees_recorded_not_the_answer_before_the_reveal():
    scene = builtin()["pooling"].scenes[1]
    at = AppTest.from_function(_student_scene, default_timeout=60)
    at.run()
    at.text_input(key=widget_key(f"lesson.answer.pooling.{scene.id}")).input("4.5").run()
    at.button(key=button_key(f"lesson.check.{scene.id}")).click().run()
    assert at.info and t("lesson.page.recorded", "en", answer="4.5") == plain(at.info[0].value)
    assert not at.success and not at.warning


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_teachers_file_loads_and_a_bad_one_names_its_line_in_the_pages_language(lang):
    from playground.lessons.library import FILES

    good = (FILES / "02_pooling.toml").read_text(encoding="utf-8")
    needle = "minutes = 600"
    bad = good.replace("minutes = 6", needle, 1)
    line = next(i for i, text in enumerate(bad.splitlines(), start=1) if needle in text)
    at = open_app("pages/lesson.py", lang=lang, query={"lesson": "convolution"})
    at.button(key=button_key("lesson.next")).click().run()
    before = dict(at.session_state[LESSON])

    at.get("file_uploader")[0].set_value(("mine.toml", bad.encode(), "application/toml")).run()
    assert not at.exception
    message = at.error[0].value
    assert t("lesson.at_line", lang, line=line) in message
    assert message.startswith(t("lesson.page.upload_bad", lang, reason="").strip())
    state = at.session_state[LESSON]
    assert (state["lesson"], state["index"]) == (before["lesson"], before["index"])  # nothing lost

    at.get("file_uploader")[0].set_value(("mine.toml", good.encode(), "application/toml")).run()
    assert not at.exception and not at.error
    assert at.session_state[LESSON]["lesson"].startswith("own:")
    assert say(builtin()["pooling"].scenes[0].title, lang) in plain(shown(at))
