"""AppTest: the conv step-through page; what it shows equals torch's conv2d / max_pool2d at each position."""
from __future__ import annotations

import re

import numpy as np
import plotly.io as pio
import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from playground.i18n import t
from playground.stepinputs import fmt_number, preset_kernel, random_grid
from playground.ui.steps_view import skey


@pytest.fixture
def at():
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.session_state["ui.lang"] = "en"
    app.run()
    app.switch_page("pages/conv_steps.py")
    return app.run()


def slider(at, name):
    return at.slider(key=skey(name))


def shown_result(at) -> str:
    """The number after the last '=' of the bold arithmetic line."""
    body = at.get("html")[-1].proto.body
    return re.findall(r"= ([^<]+)</b>", body)[-1].strip()


def output_texts(at) -> list[str]:
    """The cell texts of the (first) output grid, row by row."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id and "fig_out0" in c.proto.id)
    return [s for row in pio.from_json(chart.proto.spec).data[0].text for s in row]


def torch_sobel(stride=1, padding=0, channels=1) -> np.ndarray:
    """torch's output for the page's default input (seed 0, 5×5) and Sobel x kernel: (H', W')."""
    x = torch.tensor(random_grid(5, channels, 0))[None]
    w = torch.tensor(preset_kernel("sobel_x", 3, channels))[None]
    return F.conv2d(x, w, stride=stride, padding=padding)[0, 0].numpy()


def test_page_renders_the_first_step(at):
    assert not at.exception and not at.error
    assert at.title[0].value == t("steps.title", "en")
    assert shown_result(at) == fmt_number(torch_sobel()[0, 0])
    assert len(at.get("plotly_chart")) == 4  # input, kernel, products, output


def test_step_and_scrubber_show_torchs_numbers(at):
    slider(at, "stride").set_value(2).run()
    slider(at, "padding").set_value(1).run()
    expected = torch_sobel(stride=2, padding=1)  # (3, 3)
    assert any("⌊4 / 2⌋ + 1 = **3**" in m.value for m in at.markdown)
    at.button(key=skey("fwd_btn")).click().run()
    assert slider(at, "pos").value == 2
    assert shown_result(at) == fmt_number(expected[0, 1])
    assert output_texts(at)[:3] == [fmt_number(expected[0, 0]), fmt_number(expected[0, 1]), ""]
    slider(at, "pos").set_value(7).run()
    assert shown_result(at) == fmt_number(expected[2, 0])
    at.button(key=skey("back_btn")).click().run()
    assert shown_result(at) == fmt_number(expected[1, 2])
    assert not at.exception


def test_every_position_matches_torch(at):
    expected = torch_sobel()
    for pos in range(1, expected.size + 1):
        slider(at, "pos").set_value(pos).run()
        assert shown_result(at) == fmt_number(expected.flat[pos - 1])
    assert at.success  # the "done" note on the last step


def test_three_channels_sum_across_slices(at):
    at.toggle(key=skey("multi")).set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3 * 3 + 1
    assert shown_result(at) == fmt_number(torch_sobel(channels=3)[0, 0])


def test_max_pool_matches_torch(at):
    at.radio(key=skey("op")).set_value("maxpool").run()
    slider(at, "kernel").set_value(2).run()
    slider(at, "stride").set_value(2).run()
    x = torch.tensor(random_grid(5, 1, 0))[None]
    expected = F.max_pool2d(x, 2, 2)[0, 0].numpy()
    slider(at, "pos").set_value(3).run()
    assert at.get("html")[-1].proto.body.rstrip("</div>").endswith(fmt_number(expected[1, 0]))


def test_invalid_setting_is_explained_and_the_last_drawing_kept(at):
    at.radio(key=skey("op")).set_value("maxpool").run()
    slider(at, "kernel").set_value(2).run()
    slider(at, "padding").set_value(2).run()
    assert not at.exception
    assert "more than half the window" in at.error[0].value
    assert any(c.value == t("steps.kept_last", "en") for c in at.caption)
    assert len(at.get("plotly_chart")) == 3  # the last valid max-pool step (input, window, output) stays


def test_typed_input_error_names_the_row(at):
    at.radio(key=skey("in_src")).set_value("typed").run()
    at.text_area(key=skey("in_text")).input("1 2 3\n4 x 6\n7 8 9").run()
    assert not at.exception
    assert "row 2" in at.error[0].value and "“x”" in at.error[0].value


def test_chinese_page(at):
    at.session_state["ui.lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.title[0].value == t("steps.title", "zh")
    assert t("steps.forward", "zh") in [b.label for b in at.button]
