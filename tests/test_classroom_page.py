"""AppTest: lessons load in one click, a link's lock / hide reaches the controls, JSON import refuses bad files."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from playground.classroom.lessons import LESSONS
from playground.i18n import t
from playground.spec import PipelineSpec
from playground.ui.sidebar.classroom import IMPORT
from testkit.markdown import shown, tables

PICK = "w.view.ui.lesson_pick"

LAYER_LAB = "pages/layer_lab.py"


def run(query: dict | None = None, lang: str = "en", page: str | None = None) -> AppTest:
    """app.py opened from a link with this query (set before the first run, as a browser would)."""
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["ui.lang"] = lang
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def spec(at) -> PipelineSpec:
    return at.session_state["spec"]


def button(at, key: str, lang: str = "en"):
    return next(b for b in at.button if b.label == t(key, lang))


@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_lesson_loads_the_whole_pipeline_in_one_click(lesson_id):
    at = run()
    at.selectbox(key=PICK).set_value(lesson_id)
    button(at, "classroom.lesson_load").click().run()
    assert not at.exception
    assert spec(at) == LESSONS[lesson_id].spec()
    assert at.query_params["lesson"] == lesson_id
    goal = t(f"lessons.{lesson_id}.goal", "en", **LESSONS[lesson_id].text_params())
    assert any(goal in m.value for m in at.markdown)
    assert not at.error, [e.value for e in at.error]


def test_lesson_resets_the_widgets_to_its_values():
    at = run()
    at.slider(key="w.augment.angle").set_value(40).run()
    at.selectbox(key=PICK).set_value("sobel_edges")
    button(at, "classroom.lesson_load").click().run()
    assert at.slider(key="w.augment.angle").value == 0
    assert at.toggle(key="w.image.grayscale").value is True


def test_lesson_link_in_chinese_shows_the_chinese_goal():
    at = run({**LESSONS["high_lr"].spec().to_query(), "lesson": "high_lr"}, lang="zh")
    assert spec(at) == LESSONS["high_lr"].spec()
    goal = t("lessons.high_lr.goal", "zh", **LESSONS["high_lr"].text_params())
    assert any(goal in m.value for m in at.markdown) and "0.3" in goal and "{" not in goal


def test_lock_disables_the_named_controls_only():
    at = run({"augment.angle": "30", "lock": "augment.angle,norm"})
    assert at.slider(key="w.augment.angle").disabled and at.slider(key="w.augment.angle").value == 30
    assert at.radio(key="w.norm.method").disabled
    assert not at.slider(key="w.image.long_side").disabled
    assert any(t("classroom.fields.augment_angle", "en") in i.value for i in at.info)


def test_hide_removes_the_named_controls_and_keeps_their_values():
    at = run({"augment.angle": "30", "hide": "augment"})
    keys = {w.key for w in list(at.slider) + list(at.selectbox) + list(at.radio) + list(at.toggle)}
    assert not any(k and k.startswith("w.augment.") for k in keys)
    assert "w.image.long_side" in keys
    assert spec(at).augment.angle == 30
    assert at.query_params["hide"] == "augment" and at.query_params["augment.angle"] == "30"


def test_locked_students_get_no_lesson_picker_and_no_import():
    at = run({"lock": "norm"})
    assert not [s for s in at.selectbox if s.key == PICK]
    assert not at.get("file_uploader")
    assert any(c.value == t("classroom.import_locked", "en") for c in at.caption)


def test_lock_of_the_layer_stack_disables_the_layer_editor():
    at = run({"lock": "net.layers"}, page=LAYER_LAB)
    editor = [s for s in at.slider if s.key and s.key.startswith("w.net.layers.")]
    assert editor and all(s.disabled for s in editor)
    changing = [b for b in at.button if b.key and b.key.startswith("b.layers.") and ".edit." not in b.key]
    assert changing and all(b.disabled for b in changing)  # opening an editor to look stays possible


def test_hide_of_the_layer_stack_keeps_the_pictures_and_drops_the_editor():
    at = run({"hide": "net"}, page=LAYER_LAB)
    assert not [s for s in at.slider if s.key and s.key.startswith("w.net.layers.")]
    assert tables(m.value for m in at.markdown), "the shape table is still shown"


def test_teacher_link_carries_spec_and_chosen_locks():
    at = run({"augment.angle": "15"})
    at.multiselect(key="w.view.ui.lock_pick").set_value(["augment", "norm.method"])
    at.radio(key="w.view.ui.lock_mode").set_value("hide").run()
    link = next(c.value for c in at.code if "hide=" in c.value)
    assert "augment.angle=15" in link and "hide=augment%2Cnorm.method" in link
    assert "lock" not in at.query_params, "the teacher's own controls stay unlocked"


def _upload(at, data: bytes, name: str = "settings.json") -> AppTest:
    at.file_uploader(key=IMPORT).set_value((name, data, "application/json")).run()
    assert not at.exception
    return at


def test_import_of_a_good_file_replaces_the_pipeline():
    wanted = LESSONS["receptive_field"].spec()
    at = _upload(run(), wanted.to_json().encode())
    assert spec(at) == wanted
    assert at.success[-1].value == t("classroom.import_ok", "en")


def test_export_offers_the_current_pipeline_as_json():
    at = run({"augment.angle": "25"})
    button_proto = at.get("download_button")[0].proto
    assert button_proto.label == t("classroom.export", "en")


BAD_FILES = {
    "not_json": b"{not json",
    "not_utf8": b"\xff\xfe\x00{",
    "unknown_field": json.dumps({"augment": {"angel": 10}}).encode(),
    "out_of_range": json.dumps({"augment": {"angle": 720}}).encode(),
    "wrong_type": json.dumps({"net": {"layers": "conv"}}).encode(),
    "not_an_object": b"[1, 2, 3]",
    "too_big": b" " * 300_000 + b"{}",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_import_of_a_bad_file_changes_nothing_and_says_why(kind, lang):
    at = run({"augment.angle": "30", "norm.method": "zscore"}, lang=lang)
    before = spec(at)
    at = _upload(at, BAD_FILES[kind])
    assert spec(at) == before
    prefix = t("classroom.import_bad", lang, reason="").strip()
    assert at.error and at.error[-1].value.startswith(prefix[:8]), [e.value for e in at.error]
    assert at.slider(key="w.augment.angle").value == 30


def test_bad_import_message_names_the_field():
    at = _upload(run(), BAD_FILES["out_of_range"])
    assert "augment.angle" in shown(at.error[-1].value) and "720" in at.error[-1].value


def test_lock_reaches_the_training_lab_learning_rate():
    at = run({"train.lr": "0.5", "lock": "train.lr"}, page="pages/training.py")
    lr = at.get("select_slider")
    assert lr and lr[0].proto.disabled
    assert spec(at).train.lr == 0.5


def _projector_css(at) -> bool:
    return any("font-size: 125%" in h.proto.body for h in at.get("html"))


def test_projector_mode_from_the_link_and_from_the_toggle():
    assert _projector_css(run({"projector": "1"}))
    at = run()
    assert not _projector_css(at)
    at.toggle(key="w.room.projector").set_value(True).run()
    assert _projector_css(at) and at.query_params["projector"] == "1"


def test_glossary_explains_every_idea_in_the_session_language():
    at = run(lang="zh")
    texts = " ".join(m.value for m in at.markdown)
    for topic in ("kernel", "cross_entropy", "learning_rate"):
        assert t(f"explain.{topic}", "zh") in texts
