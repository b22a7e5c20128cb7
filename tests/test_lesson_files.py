"""The lesson file loader: built-in lessons load; any text gives a Lesson or a LessonError naming the line."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.i18n import LANGUAGES, catalogue, tm
from playground.lessons import Lesson, LessonError, builtin, load
from playground.lessons.library import FILES

GOOD = (FILES / "01_convolution.toml").read_text(encoding="utf-8")


def error_of(text: str) -> LessonError:
    with pytest.raises(LessonError) as info:
        load(text, "test.toml")
    return info.value


def test_builtin_lessons_load_and_have_their_files_ids():
    lessons = builtin()
    assert "convolution" in lessons
    for lesson in lessons.values():
        assert isinstance(lesson, Lesson) and lesson.scenes
        assert lesson.minutes == sum(s.minutes for s in lesson.scenes)


def test_syntax_error_names_tomllibs_line():
    lines = GOOD.splitlines()
    lines[9] = "minutes = 7 7"  # two values for one key on line 10
    err = error_of("\n".join(lines))
    assert err.key == "lesson.errors.syntax" and err.params["line"] == 10


def line_with(text: str, needle: str, nth: int = 0) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth]


@pytest.mark.parametrize(("old", "new", "needle", "key"), [
    ('view = "layers"', 'view = "sideways"', 'view = "sideways"', "bad_view"),
    ("minutes = 6", "minutes = 600", "minutes = 600", "bad_int"),
    ('exercise = "layers.params"', 'exercise = "layers.nothing"', "layers.nothing", "unknown_exercise"),
    ('answer = "sobel_x"', 'answer = "sobel_z"', "sobel_z", "answer_not_choice"),
    ('open = ["view.steps.padding"]', 'open = ["view.steps.colour"]', "view.steps.colour", "unknown_control"),
    ('id = "stride"', 'id = "slide"', 'id = "slide"', "repeated_id"),
    ("minutes = 6\nopen", "minutes = 6\ncolour = 3\nopen", "colour = 3", "unknown_key"),
])
def test_schema_errors_name_the_line_of_the_bad_key(old, new, needle, key):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    err = error_of(text)
    assert err.key == f"lesson.errors.{key}"
    assert err.params["line"] == line_with(text, needle, 1 if key == "repeated_id" else 0)


def test_bad_settings_name_their_line_and_the_reason():
    text = GOOD.replace("long_side = 128", "long_side = 99999", 1)
    err = error_of(text)
    assert err.key == "lesson.errors.settings" and err.params["line"] == line_with(text, "long_side = 99999")


def test_every_error_key_has_text_in_both_languages():
    for lang in LANGUAGES:
        cat = catalogue(lang)
        keys = {k for k in cat if k.startswith("lesson.errors.")}
        assert keys == {k for k in catalogue("en") if k.startswith("lesson.errors.")}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400) | st.binary(max_size=200))
def test_any_text_gives_a_lesson_or_a_lesson_error(text):
    try:
        load(text, "fuzz.toml")
    except LessonError as exc:
        for lang in LANGUAGES:
            assert tm(exc.message, lang)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(GOOD) - 1), st.integers(0, 40), st.text(max_size=12))
def test_any_edit_of_a_good_file_gives_a_lesson_or_a_lesson_error(at, cut, insert):
    text = GOOD[:at] + insert + GOOD[at + cut:]
    try:
        load(text, "fuzz.toml")
    except LessonError as exc:
        assert isinstance(exc.params["line"], int)
        assert 0 <= exc.params["line"] <= len(text.splitlines()) + 1


def test_files_folder_holds_only_lessons():
    assert all(p.suffix == ".toml" for p in Path(FILES).iterdir() if p.is_file())


def test_no_lesson_id_is_an_old_preset_id():
    from playground.classroom.lessons import LESSONS
    from playground.lessons.library import LEGACY

    assert not set(builtin()) & set(LESSONS)
    assert set(LEGACY) == set(LESSONS)
    for preset, (lesson_id, scene_id) in LEGACY.items():
        lesson = builtin()[lesson_id]
        assert lesson.scenes[lesson.index_of(scene_id)].settings == LESSONS[preset].spec()
