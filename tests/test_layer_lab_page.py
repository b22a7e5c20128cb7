"""AppTest: the Layer lab page driven like a student would; the shape table and images are the witnesses."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from playground.i18n import t
from testkit.apptest import open_app
from testkit.markdown import shown, tables


@pytest.fixture
def at():
    return open_app("pages/layer_lab.py", timeout=90)


def table(at) -> list[dict]:
    """The shape table as records (the first markdown table on the page)."""
    return tables(m.value for m in at.markdown)[0]


def outputs(at) -> list[str]:
    return [row[t("layers.table.output", "en")] for row in table(at)]


STAGE = 1  # the stage's input picture (its output maps are the stage_maps component)


def image_urls(at) -> list[str]:
    return [img.url for el in at.get("image") for img in el.proto.imgs]


def test_default_stack_renders_without_exception(at):
    assert not at.exception and not at.error
    assert at.title[0].value == t("layers.page.title", "en")
    assert outputs(at) == ["16×171×256", "16×171×256", "16×85×128", "32×85×128", "32×85×128", "32×42×64"]
    assert len(image_urls(at)) == STAGE + 1 + 6  # the stage, the input, one tiled picture per layer
    assert not at.get("plotly_chart")  # the close-up is closed until asked for
    at.toggle(key="w.view.layers.zoom").set_value(True).run()
    assert len(at.get("plotly_chart")) == 2  # zoomed map and histogram (a pooling layer has no kernel)
    assert len(image_urls(at)) == STAGE + 1 + 6 + 1  # + the receptive field


def test_kernel_slider_updates_the_shape_table(at):
    at.slider(key="w.net.layers.0.kernel").set_value(5).run()
    assert not at.exception
    assert outputs(at)[:3] == ["16×169×254", "16×169×254", "16×84×127"]  # padding 1: a 5×5 kernel loses 2
    assert at.session_state["spec"].net.layers[0].kernel == 5
    assert any("171 + 2\\cdot1 - 1\\cdot(5-1) - 1" in m.value and "= 169" in m.value for m in at.get("latex") or [])


def test_stride_slider_updates_the_shape_table_and_formula(at):
    at.slider(key="w.net.layers.0.stride").set_value(2).run()
    assert outputs(at)[0] == "16×86×128"
    latex = at.get("latex")[0].value
    assert r"\frac{170}{2}" in latex and "= 86" in latex  # (171 + 2·1 − 2 − 1) / 2


def test_invalid_setting_shows_error_at_its_layer_and_marks_the_last_maps(at):
    """The message sits at the layer that caused it (and on top); later layers are marked as old."""
    before_urls = image_urls(at)
    at.button(key="b.layers.edit.2").click().run()  # open layer 3's editor
    at.slider(key="w.net.layers.2.padding").set_value(2).run()  # max-pool kernel 2 with padding 2
    assert not at.exception
    message = t("layers.pool_padding", "en", layer=3, kind="MaxPool2d", p=2, k=2, max_p=1)
    assert [shown(e.value) for e in at.error] == [message, message]  # on top, and in layer 3's row
    assert outputs(at) == ["16×171×256", "16×171×256"]  # layers 1-2 of the current stack still run
    assert image_urls(at) == before_urls  # 1-2 unchanged, 3-6 from the last valid setting ...
    stale = [w.value for w in at.warning]
    assert [s for s in stale if "from the last setting that worked" in s] == [
        t("layers.maps.stale", "en", i=i) for i in range(3, 7)]  # ... and said so at each of them
    assert any("= 0" not in m.value and "2\\cdot2" in m.value for m in at.get("latex"))  # the formula has p = 2
    at.slider(key="w.net.layers.2.padding").set_value(1).run()  # fixed: maps follow the new spec again
    assert not at.error and not at.warning and outputs(at)[2] == "16×86×129"


def test_memory_budget_refuses_and_names_the_fix():
    """A share link with 4 × 64 channels at 640×427 (≈ 270 MiB of maps) is refused before torch runs."""
    app = AppTest.from_file("../app.py", default_timeout=90)
    app.session_state["ui.lang"] = "en"
    app.query_params["net.layers"] = '[' + ','.join(['{"kind":"conv","out_channels":64,"same":true}'] * 4) + ']'
    app.query_params["image.long_side"] = "1024"
    app.run()
    app.switch_page("pages/layer_lab.py")
    app.run()
    assert not app.exception
    assert app.error[0].value.startswith("All feature maps together would need about 270 MiB")
    assert "640×427" in app.error[0].value and not app.get("image")


def test_ready_stack_and_row_buttons(at):
    at.selectbox(key="w.view.layers.ready").set_value("edges").run()
    at.button(key="b.layers.load").click().run()
    assert [r[t("layers.table.layer", "en")] for r in table(at)] == ["Conv2d", "Conv2d", "ReLU"]
    at.button(key="b.layers.remove.0").click().run()
    assert at.selectbox(key="w.net.layers.0.kind").value == "conv"  # widgets re-seeded from the spec
    assert len(table(at)) == 2
    at.button(key="b.layers.edit.1").click().run()
    at.button(key="b.layers.copy.1").click().run()
    at.button(key="b.layers.up.1").click().run()
    assert [layer.kind for layer in at.session_state["spec"].net.layers] == ["relu", "conv", "relu"]
    assert not at.exception


def test_custom_kernel_grid_starts_as_identity(at):
    at.selectbox(key="w.net.layers.0.init").set_value("custom").run()
    assert not at.exception and not at.error
    layer = at.session_state["spec"].net.layers[0]
    assert layer.custom == (0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)


def test_compare_and_code(at):
    at.toggle(key="w.view.layers.compare").set_value(True).run()
    assert not at.exception
    assert len(image_urls(at)) == STAGE + 1 + 6 + 6 + 2  # + both stacks side by side (strided: 2 layers)
    code = next(e for e in at.expander if e.label == t("layers.code.title", "en")).code[0].value
    assert "nn.Sequential(layer1, layer2, layer3, layer4, layer5, layer6)" in code


def test_page_in_chinese():
    app = AppTest.from_file("../app.py", default_timeout=90)
    app.session_state["ui.lang"] = "zh"
    app.run()
    app.switch_page("pages/layer_lab.py")
    app.run()
    assert not app.exception
    assert app.title[0].value == t("layers.page.title", "zh")


def test_preset_size_error_names_the_kernel_in_words(at):
    at.selectbox(key="w.net.layers.0.init").set_value("sharpen").run()
    assert not at.error
    at.slider(key="w.net.layers.0.kernel").set_value(5).run()
    assert not at.exception
    assert at.error[0].value.startswith("Layer 1 Conv2d: the Sharpen kernel exists only as 3×3")


def test_zoom_on_a_conv_layer_shows_its_kernel(at):
    at.toggle(key="w.view.layers.zoom").set_value(True).run()
    at.selectbox(key="w.view.layers.zoom_layer").set_value(1).run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 3  # map, kernel, histogram
    assert '"type":"heatmap"' in charts[1].proto.spec.replace(" ", "")
