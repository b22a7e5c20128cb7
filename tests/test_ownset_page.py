"""AppTest: "Your pictures" in the Training lab, as a student fills, trains and reads it (tiny runs only)."""
from __future__ import annotations

import pytest
import streamlit as st
from test_page_texts import foreign_words, visible_texts

from playground.i18n import t
from playground.training import ownset
from testkit.apptest import open_app
from testkit.pictures import encode, picture_set, zip_set
from testkit.wait import wait_until

KINDS = ("ball", "box", "stick")


@pytest.fixture(autouse=True)
def fresh_session():
    """AppTest shares one session id: drop the session-scoped picture set and runs between tests."""
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def widget(at, kind: str, key_part: str):
    """The widget of a kind whose key contains key_part (keys with a generation counter change)."""
    found = [w for w in at.get(kind) if key_part in w.proto.id]
    assert found, f"no {kind} with {key_part!r} in its key"
    return found[0]


def yours(lang: str = "en"):
    """The Training lab with "Your pictures" chosen, small and quick settings."""
    at = open_app("pages/training.py", lang=lang, timeout=120)
    at.radio(key="w.train.dataset").set_value("yours").run()
    at.slider(key="w.train.size").set_value(16).run()
    at.slider(key="w.train.epochs").set_value(4).run()
    return at


def upload(at, k: int, files) -> None:
    """Choose class k and upload (name, bytes) files to it at once."""
    at.radio(key="w.own.class").set_value(k).run()
    widget(at, "file_uploader", "w.own.upload.").set_value([(n, d, "image/png") for n, d in files]).run()


def fill(at, per_class: int = 6, seed: int = 1, names=KINDS) -> None:
    """Three named classes of generated photos (balls, boxes, sticks), uploaded class by class."""
    for k, photos in enumerate(picture_set(per_class, seed).values()):
        if k >= 2:
            at.button(key="b.own.add_class").click().run()
        upload(at, k, [(f"{names[k]}_{i}.png", encode(p)) for i, p in enumerate(photos)])
        at.text_input(key=f"w.own.name.{k}").set_value(names[k]).run()


def train(at, seconds: float = 120):
    at.button(key="b.train.start").click().run()
    wait_until(lambda: at.run().success, seconds, "the run's Finished message", poll=0.3)
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def problem_lines(at) -> list[str]:
    """The lines of the main area's st.text elements (where refused files are listed)."""
    return [line for el in at.main.get("text") for line in el.value.splitlines()]


def assert_translated(at, lang: str, names=KINDS) -> None:
    """Every visible word is from the language's catalogue, once the student's own class names are taken out."""
    bad = {}
    for text in visible_texts(at):
        for name in names:
            text = text.replace(name, " ")
        if words := foreign_words(text, lang):
            bad[text] = words
    assert not bad, f"untranslated text on a {lang} page: {bad}"


def test_choosing_your_pictures_applies_the_small_set_settings_once_and_says_so():
    at = open_app("pages/training.py", timeout=120)
    at.radio(key="w.train.dataset").set_value("yours").run()
    spec = at.session_state["spec"]
    assert (spec.train.size, spec.train.colour, spec.train.batch, spec.train.epochs, spec.norm.method) == \
        (32, True, 16, 30, "minmax11") and spec.train.augment and spec.augment.max_angle == 15
    assert any(i.startswith("Settings for a small set are now on") for i in texts(at, "info"))
    at.slider(key="w.train.epochs").set_value(5).run()  # the student's own choice stays
    at.radio(key="w.train.dataset").set_value("digits").run()
    at.radio(key="w.train.dataset").set_value("yours").run()
    assert at.session_state["spec"].train.epochs == 5
    assert not any(i.startswith("Settings for a small set") for i in texts(at, "info"))
    at.button(key="b.own.defaults").click().run()  # offered again, on request
    assert at.session_state["spec"].train.epochs == 30


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_under_a_lock_the_small_set_note_names_the_values_that_stayed(lang):
    at = open_app("pages/training.py", lang=lang, timeout=120, query={"lock": "norm,augment"})
    at.radio(key="w.train.dataset").set_value("yours").run()
    spec = at.session_state["spec"]
    assert spec.norm.method == "none" and spec.augment.max_angle == 30  # locked: kept
    note = next(i for i in texts(at, "info") if i.startswith(t("own.defaults_applied", lang).split("{")[0]))
    kept_norm = t("image.methods.none", lang)
    assert f"“{kept_norm}”" in note and "±30°" in note and "±15°" not in note
    assert t("own.defaults_locked", lang, count=2).split("2")[0] in note
    assert spec.train.size == 32  # what is not locked is applied as the note says


def test_a_set_from_uploads_trains_and_the_results_use_its_class_names():
    at = yours()
    assert at.button(key="b.train.start").disabled
    assert 'Class “A” has 0 pictures: it needs at least 5 before training can start.' in texts(at, "caption")
    fill(at)
    assert not at.exception and not at.button(key="b.train.start").disabled
    assert any("✓ ball: 6 · ✓ box: 6 · ✓ stick: 6" in m for m in texts(at, "markdown"))
    split = at.dataframe[0].value
    assert split["class"].tolist() == list(KINDS) and split["validation"].tolist() == [1, 1, 1]
    assert any(c.startswith("From the Image lab: normalization") for c in texts(at, "caption"))
    at = train(at)
    assert texts(at, "success")[-1].startswith("Finished:")
    assert at.session_state["view"]["train.own_open"] is False  # Start folded the panel away
    cm = [c for c in at.get("plotly_chart") if '"Predicted class"' in c.proto.spec][0]
    assert all(f'"{k}"' in cm.proto.spec for k in KINDS)
    captions = [i.caption for el in at.get("image") for i in el.proto.imgs]
    assert any(c.startswith(("✓ ball", "✓ box", "✓ stick", "✗")) for c in captions)
    assert any("three ways to ask" in m for m in texts(at, "markdown"))  # the Your image tab, three views
    assert len([c for c in texts(at, "caption") if c.startswith(("Grad-CAM:", "Integrated", "Occlusion:"))]) == 3
    assert_translated(at, "en")


def test_class_names_are_shown_as_text_not_markup():
    at = yours()
    at.text_input(key="w.own.name.0").set_value("_cat_ [x](y) `z`").run()
    assert at.session_state["w.own.name.0"] == "_cat_ [x](y) `z`"
    label = at.radio(key="w.own.class").options[0]
    assert label.startswith(r"\_cat\_ \[x\]\(y\) \`z\`")  # escaped: the radio shows it literally
    assert any(r"✗ \_cat\_ \[x\]\(y\) \`z\`: 0" in m for m in texts(at, "markdown"))
    at.radio(key="w.own.class").set_value(1).run()
    at.text_input(key="w.own.name.1").set_value("a/b").run()  # not a valid folder name: refused, said why
    assert at.error and r"a\/b" in at.error[0].value and at.session_state["w.own.name.1"] == "B"  # escaped


def test_a_zip_fills_every_class_and_each_bad_file_is_named():
    extra = {"set/ball/notes.txt": b"hello", "set/readme.png": encode(picture_set(1, 9)["box"][0]),
             "set/box/again.jpg": encode(picture_set(6, 2)["box"][0], "jpg")}
    at = yours()
    widget(at, "file_uploader", "w.own.zip.").set_value(("set.zip", zip_set(6, seed=2, extra=extra),
                                                         "application/zip")).run()
    assert not at.exception
    assert texts(at, "success")[-1] == "Read the zip: 3 classes, 18 pictures."
    assert texts(at, "warning")[-1] == "3 files were not added:"
    problems = problem_lines(at)
    assert any(p.startswith("“set/ball/notes.txt”: ") for p in problems)
    assert any(p.startswith("“set/readme.png”: not in a class folder") for p in problems)
    assert any(p.startswith("“set/box/") and "already in the set (class “box”)" in p for p in problems)
    assert len(problems) == 3
    assert [o.split(" (")[0] for o in at.radio(key="w.own.class").options] == list(KINDS)
    widget(at, "file_uploader", "w.own.zip.").set_value(("x.zip", b"not a zip", "application/zip")).run()
    assert problem_lines(at) == ["This is not a zip file, or it is damaged."]
    assert any("✓ ball: 6" in m for m in texts(at, "markdown"))  # the set is kept


def test_the_per_tab_cap_stops_uploads_with_a_message(monkeypatch):
    monkeypatch.setattr(ownset, "MAX_PICTURES", 8)
    at = yours()
    photos = picture_set(12, 4)["ball"]
    upload(at, 0, [(f"b{i}.png", encode(p)) for i, p in enumerate(photos)])
    assert sum("the set is full: at most 8 pictures per tab" in p for p in problem_lines(at)) == 4
    assert any(w.startswith("The set is full: this tab can hold 8 pictures") for w in texts(at, "warning"))
    assert widget(at, "file_uploader", "w.own.upload.").disabled


def test_one_camera_shot_is_added_once():
    at = yours()
    at.toggle(key="w.view.train.own_camera").set_value(True).run()
    shot = encode(picture_set(1, 5)["stick"][0], "jpg")
    widget(at, "camera_input", "w.own.camera.").set_value(("image.jpg", shot, "image/jpeg")).run()
    at.run()
    at.run()
    assert any("✗ A: 1 (needs 4 more)" in m for m in texts(at, "markdown"))
    assert widget(at, "camera_input", "w.own.camera.1").proto.id  # a new, live camera for the next shot
    second = encode(picture_set(1, 6)["stick"][0], "jpg")
    widget(at, "camera_input", "w.own.camera.").set_value(("image.jpg", second, "image/jpeg")).run()
    assert any("✗ A: 2 (needs 3 more)" in m for m in texts(at, "markdown"))


def test_the_augmentation_experiment_overlays_both_runs():
    at = yours()
    fill(at, per_class=6)
    at.slider(key="w.train.epochs").set_value(2).run()
    at.button(key="b.own.experiment.start").click().run()
    wait_until(lambda: any("Validation accuracy at the end" in m for m in texts(at.run(), "markdown")), 120,
               "both runs of the experiment to end", poll=0.3)
    assert not at.exception
    chart = [c for c in at.get("plotly_chart") if "with augmentation" in c.proto.spec][0]
    assert chart.proto.spec.count('"name":"with augmentation') == 2 and '"name":"without augmentation' in chart.proto.spec
    assert any(c.startswith("A higher curve with augmentation") for c in texts(at, "caption"))


def test_the_chinese_page_speaks_chinese_all_the_way():
    at = open_app("pages/training.py", lang="zh", timeout=120)
    at.radio(key="w.train.dataset").set_value("yours").run()
    assert any(i.startswith("已经换成适合小图片集的设置") for i in texts(at, "info"))
    at.slider(key="w.train.epochs").set_value(4).run()
    names = ("球", "盒子", "棍子")
    fill(at, names=names)
    upload(at, 0, [("笔记.txt", b"not a picture")])
    assert texts(at, "warning")[-1] == "有 1 个文件没有添加:"  # problems_one
    assert problem_lines(at)[0].startswith("“笔记.txt”:")
    at = train(at)
    assert texts(at, "success")[-1].startswith("训练完成")
    assert_translated(at, "zh", names)


def test_a_camera_shot_is_tested_on_the_trained_model():
    at = yours()
    fill(at)
    at = train(at)
    at.radio(key="w.view.train.predict_from").set_value("camera").run()
    assert t("own.predict.no_shot", "en") in texts(at, "info")
    shot = encode(picture_set(1, 1)["box"][0], "jpg")  # a training picture, through JPEG
    at.camera_input(key="w.own.predict_shot").set_value(("image.jpg", shot, "image/jpeg")).run()
    assert not at.exception
    assert any(m.startswith(("The model says **", "The model is unsure")) for m in texts(at, "markdown") + texts(at, "info"))


def test_closing_the_tab_stops_a_zip_in_the_middle_of_being_read():
    """Streamlit calls the session cache's on_release when the tab closes; it sets the Desk's event that
    read_zip checks between files (the zip is refused as cancelled, whatever it held)."""
    from playground.training.ownset import OwnSetError
    from playground.training.zipset import read_zip
    from playground.ui.training.ownset_store import Desk

    desk = Desk()
    assert not desk.gone.is_set()
    Desk.release(desk)  # what @tab_store(Desk.release) runs on tab close
    assert desk.gone.is_set()
    with pytest.raises(OwnSetError) as err:
        read_zip(zip_set(5, seed=1), desk.gone)
    assert err.value.key == "ownset.cancelled"
