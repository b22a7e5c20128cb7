"""AppTest: the Image lab page driven like a student would, with the spec in session state as the witness."""
import base64
import io

import numpy as np
import plotly.io as pio
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from playground.i18n import t
from testkit.apptest import open_app, uploader
from testkit.markdown import shown


def _png(arr) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def at():
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.session_state["ui.lang"] = "en"
    return app.run()


def _slider(at, label_key, lang="en"):
    return next(s for s in at.slider if s.label == t(label_key, lang))


def _xs(trace) -> np.ndarray:
    """A trace's x values, whether plain or plotly's typed binary {"dtype", "bdata"}."""
    x = trace.x
    if isinstance(x, dict):
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"])
    return np.asarray(x, dtype=float)


def _hist(at):
    """The two histogram figures (before, after) as one trace list, as plotly decodes them (typed binary arrays)."""
    figs = [pio.from_json(c.proto.spec) for c in at.get("plotly_chart")[:2]]
    return type("Hist", (), {"data": figs[0].data + figs[1].data})


def test_default_page_renders_without_exception(at):
    assert not at.exception
    assert at.title[0].value == "Image lab"
    assert any("(1, 3, 171, 256)" in s.value for s in at.success)


def test_rotation_slider_updates_spec_and_query(at):
    _slider(at, "image.angle").set_value(45).run()
    assert not at.exception
    assert at.session_state["spec"].augment.angle == 45
    assert at.query_params["augment.angle"] == "45"


def test_normalization_changes_histogram_and_stats(at):
    before = _hist(at)
    at.radio(key="w.norm.method").set_value("zscore").run()
    after = _hist(at)
    assert len(after.data) == 6  # 3 channels × (before, after)
    assert _xs(before.data[3]).max() > 200  # "after" panel of method none: raw 0..255
    assert _xs(after.data[3]).max() < 5  # z-scores
    np.testing.assert_array_equal(_xs(before.data[0]), _xs(after.data[0]))  # the "before" panel did not change


def test_grayscale_hands_on_one_channel(at):
    at.toggle(key="w.image.grayscale").set_value(True).run()
    assert any("(1, 1, 171, 256)" in s.value for s in at.success)


def test_upload_good_then_bad_keeps_previous_image_and_settings(at):
    _slider(at, "image.angle").set_value(30).run()
    at.radio(key="w.image.source").set_value("upload").run()
    assert any(i.value == t("image.empty_slot", "en") for i in at.info)
    good = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    uploader(at).set_value(("<b>x</b>../../etc.png", _png(good), "image/png")).run()
    assert not at.error and any("(1, 3, 40, 60)" in s.value for s in at.success)
    uploader(at).set_value(("notes.png", b"hello, not an image", "image/png")).run()
    assert not at.exception
    assert at.error and t("image.upload_failed", "en") in at.error[0].value
    assert any("(1, 3, 40, 60)" in s.value for s in at.success)  # the previous image is still used
    assert at.session_state["spec"].augment.angle == 30
    assert at.text[-1].value == "<b>x</b>../../etc.png" or any(x.value == "<b>x</b>../../etc.png" for x in at.text)


def test_constant_image_says_why_no_nan(at):
    at.radio(key="w.image.source").set_value("upload").run()
    uploader(at).set_value(("flat.png", _png(np.full((20, 20, 3), 90, np.uint8)), "image/png")).run()
    at.radio(key="w.norm.method").set_value("zscore").run()
    assert any("0, 1, 2" in shown(i.value) for i in at.info)
    assert not at.exception


def test_language_switch_keeps_settings(at):
    _slider(at, "image.angle").set_value(-60).run()
    at.selectbox(key="ui.lang").set_value("zh").run()
    assert at.title[0].value == t("image.title", "zh")
    assert _slider(at, "image.angle", "zh").value == -60
    assert at.session_state["spec"].augment.angle == -60


def test_random_mode_shows_grid_captions(at):
    at.radio(key="w.augment.mode").set_value("random").run()
    assert not at.exception
    assert at.session_state["spec"].augment.mode == "random"
    assert any(t("image.random_note", "en") == c.value for c in at.caption)


def test_share_link_query_sets_spec():
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.query_params["augment.angle"] = "20"
    app.query_params["norm.method"] = "minmax11"
    app.run()
    spec = app.session_state["spec"]
    assert spec.augment.angle == 20 and spec.norm.method == "minmax11"
    assert _slider(app, "image.angle").value == 20


def test_bad_share_link_falls_back_with_message():
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.query_params["augment.angle"] = "9999"
    app.run()
    assert not app.exception
    assert app.session_state["spec"].augment.angle == 0
    assert app.warning, "a bad link must be reported, not silently dropped"


def test_the_small_digit_sample_says_why_the_working_size_does_nothing(at):
    """The 64×64 digit follows the working-size slider, or a note says why not."""
    at.selectbox(key="w.image.sample").set_value("digit").run()
    assert any("64×64" in shown(i.value) and "256" in i.value for i in at.info)
    at.slider(key="w.image.long_side").set_value(32).run()
    assert not any("64×64" in shown(i.value) and "never enlarged" in i.value for i in at.info)  # 32 < 64: it shrinks


def test_zscore_stats_read_zero_and_one_not_round_off(at):
    at.radio(key="w.norm.method").set_value("zscore").run()
    stats = next(m.value for m in at.markdown if "| " in m.value and t("image.after", "en") in m.value)
    after = [[cell.strip() for cell in line.strip("|").split("|")] for line in stats.splitlines()
             if t("image.after", "en") in line]
    assert len(after) == 3 and all(row[2] == "0" and row[3] == "1" for row in after), after
    assert "e-" not in stats


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_one_axis_chart_has_its_title_above_it_in_the_page_language(lang):
    """The title is page text (it wraps on a phone), right before the chart it names."""
    at = open_app("pages/image_lab.py", lang)
    title = f"**{t('polish.norm.title', lang)}**"
    assert [m.value for m in at.markdown].count(title) == 1
    assert at.get("plotly_chart")[-1].proto.alt == t("polish.norm.alt", lang)
