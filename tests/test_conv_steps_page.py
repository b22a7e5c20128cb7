"""AppTest: the conv step-through page; what it shows equals torch's conv2d / max_pool2d at each position."""
from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground.i18n import t
from playground.image.decode import to_working
from playground.image.samples import load_sample
from playground.spec import LayerSpec, NetSpec, PipelineSpec
from playground.steps.inputs import distinct_grid, fmt_number, preset_kernel, random_grid
from playground.ui.state import widget_key
from testkit.apptest import open_app


def skey(name: str) -> str:
    """The widget key of a step-through setting (bound to view.steps.<name>)."""
    return widget_key(f"view.steps.{name}")


@pytest.fixture
def at():
    return open_app("pages/conv_steps.py", timeout=60)


def slider(at, name):
    return at.slider(key=skey(name))


def shown_result(at) -> str:
    """The number after the last '=' of the bold arithmetic line."""
    return re.findall(r"= ([^<]+)</b>", board(at))[-1].strip()


def board(at) -> str:
    """The HTML of the step board (grids and arithmetic)."""
    return next(m.value for m in at.markdown if "steps-board" in m.value)


def grid(at, name: str) -> tuple[list[str], list[str]]:
    """(cell classes, shown numbers) of one grid of the board, row by row; blank cells have no number."""
    svg = board(at).split(f'data-grid="{name}"', 1)[1].split("</svg>", 1)[0]
    return re.findall(r'<rect class="([a-z-]+)" data-r', svg), re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def panels(at) -> int:
    """How many grids the board shows."""
    return board(at).count("data-grid=")


def torch_sobel(stride=1, padding=0, channels=1) -> np.ndarray:
    """torch's output for the page's default input (seed 0, 5×5) and Sobel x kernel: (H', W')."""
    x = torch.tensor(random_grid(5, channels, 0))[None]
    w = torch.tensor(preset_kernel("sobel_x", 3, channels))[None]
    return F.conv2d(x, w, stride=stride, padding=padding)[0, 0].numpy()


def test_page_renders_the_first_step(at):
    assert not at.exception and not at.error
    assert at.title[0].value == t("steps.title", "en")
    assert shown_result(at) == fmt_number(torch_sobel()[0, 0])
    assert panels(at) == 4  # input, kernel, products, output


def test_step_and_scrubber_show_torchs_numbers(at):
    slider(at, "stride").set_value(2).run()
    slider(at, "padding").set_value(1).run()
    expected = torch_sobel(stride=2, padding=1)  # (3, 3)
    assert any("⌊4 / 2⌋ + 1 = **3**" in m.value for m in at.markdown)
    at.button(key="b.steps.forward").click().run()
    assert slider(at, "pos").value == 2
    assert shown_result(at) == fmt_number(expected[0, 1])
    classes, numbers = grid(at, "out0")
    assert classes[:3] == ["done", "current", "empty"]
    assert numbers == [fmt_number(expected[0, 0]), fmt_number(expected[0, 1])]
    window = grid(at, "input0")[0]
    assert window.count("sampled") == 6 and window.count("sampled-pad") == 3  # top row of the window is padding
    slider(at, "pos").set_value(7).run()
    assert shown_result(at) == fmt_number(expected[2, 0])
    at.button(key="b.steps.back").click().run()
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
    assert panels(at) == 3 * 3 + 1
    assert shown_result(at) == fmt_number(torch_sobel(channels=3)[0, 0])


def test_max_pool_matches_torch(at):
    at.radio(key=skey("op")).set_value("maxpool").run()
    slider(at, "kernel").set_value(2).run()
    slider(at, "stride").set_value(2).run()
    x = torch.tensor(distinct_grid(5, 1, 0))[None]
    expected = F.max_pool2d(x, 2, 2)[0, 0].numpy()
    slider(at, "pos").set_value(3).run()
    assert board(at).endswith(f"= {fmt_number(expected[1, 0])}</div>")
    assert grid(at, "input0")[0].count("chosen") == 1 and grid(at, "window0")[0].count("chosen") == 1


def test_pooling_starts_with_a_window_that_teaches(at):
    at.radio(key=skey("op")).set_value("maxpool").run()
    assert slider(at, "kernel").value == 2 and slider(at, "stride").value == 2
    expected = F.max_pool2d(torch.tensor(distinct_grid(5, 1, 0))[None], 2, 2)[0, 0].numpy()
    assert len(set(expected.flat)) > 1  # not one number everywhere
    slider(at, "pos").set_value(expected.size).run()
    assert grid(at, "out0")[1] == [fmt_number(v) for v in expected.flat]


def test_a_three_by_three_max_pool_is_not_all_one_number(at):
    """With digits 0..9 a 3×3, stride 1 max pool of the 5×5 example was all 9s; the example input now differs."""
    at.radio(key=skey("op")).set_value("maxpool").run()
    slider(at, "kernel").set_value(3).run()
    slider(at, "stride").set_value(1).run()
    shown = grid(at, "input0")[1]
    assert sorted(int(v) for v in shown) == list(range(1, 26))  # every number once
    expected = F.max_pool2d(torch.tensor(distinct_grid(5, 1, 0))[None], 3, 1)[0, 0].numpy()
    slider(at, "pos").set_value(expected.size).run()
    assert grid(at, "out0")[1] == [fmt_number(v) for v in expected.flat]
    assert len(set(expected.flat)) > 1


def test_a_kernel_set_before_pooling_is_kept(at):
    at.radio(key=skey("k_src")).set_value("random").run()
    slider(at, "stride").set_value(3).run()
    slider(at, "kernel").set_value(4).run()
    at.radio(key=skey("op")).set_value("avgpool").run()
    assert slider(at, "kernel").value == 4 and slider(at, "stride").value == 3


def test_invalid_setting_is_explained_and_the_last_drawing_kept(at):
    at.radio(key=skey("op")).set_value("maxpool").run()
    slider(at, "kernel").set_value(2).run()
    slider(at, "padding").set_value(2).run()
    assert not at.exception
    assert "more than half the window" in at.error[0].value
    assert any(c.value == t("steps.kept_last", "en") for c in at.caption)
    assert panels(at) == 3  # the last valid max-pool step (input, window, output) stays


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


def test_image_patch_shows_the_image_pixels(at):
    at.radio(key=skey("in_src")).set_value("image").run()
    assert not at.exception and not at.error
    slider(at, "patch_top").set_value(10).run()
    slider(at, "patch_left").set_value(20).run()
    image, _ = to_working(load_sample("china"), 256, False)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[10:15, 20:25]
    classes, numbers = grid(at, "input0")
    assert numbers[:5] == [fmt_number(v) for v in grey[0]]


def test_kernel_from_the_layer_lab(at):
    at.radio(key=skey("k_src")).set_value("layer").run()
    assert not at.exception
    assert at.error[0].value == t("steps.no_layers", "en")
    spec = PipelineSpec(net=NetSpec(layers=(LayerSpec(kind="conv", init="laplacian", out_channels=2),)))
    at.session_state["spec"] = spec
    at.run()
    assert not at.exception and not at.error
    kernel = grid(at, "kernel0")[1]
    assert kernel == ["0", "1", "0", "1", "−4", "1", "0", "1", "0"]


def test_three_channel_average_pool_keeps_channels_apart(at):
    at.toggle(key=skey("multi")).set_value(True).run()
    at.radio(key=skey("op")).set_value("avgpool").run()
    slider(at, "kernel").set_value(3).run()
    slider(at, "stride").set_value(1).run()
    slider(at, "padding").set_value(1).run()
    expected = F.avg_pool2d(torch.tensor(random_grid(5, 3, 0))[None], 3, 1, 1)[0].numpy()  # (3, 5, 5)
    slider(at, "pos").set_value(8).run()
    assert not at.exception and panels(at) == 3 * 2 + 3
    for c in range(3):
        classes, numbers = grid(at, f"out{c}")
        assert classes.count("done") == 7 and classes.count("current") == 1
        assert numbers == [fmt_number(v) for v in expected[c].flat[:8]]


def test_layer_option_names_the_weights_in_words(at):
    spec = PipelineSpec(net=NetSpec(layers=(LayerSpec(kind="conv"), LayerSpec(kind="conv", init="sobel_y"))))
    at.session_state["spec"] = spec
    at.session_state["ui.lang"] = "zh"
    at.radio(key=skey("k_src")).set_value("layer").run()
    assert not at.exception and not at.error
    options = at.selectbox(key=skey("layer")).options
    assert t("steps.more.init_random", "zh") in options[0] and t("steps.presets.sobel_y", "zh") in options[1]


def test_playing_into_a_one_step_setting_stops_cleanly(at):
    at.button(key="b.steps.play").click().run()
    assert at.button(key="b.steps.pause")  # playing
    at.radio(key=skey("k_src")).set_value("random").run()
    slider(at, "kernel").set_value(5).run()  # 5×5 input, 5×5 kernel: a single step
    assert not at.exception
    assert at.session_state["view"]["steps.playing"] is False
    assert shown_result(at)


def test_switching_the_operation_and_back_keeps_every_setting(at):
    """conv -> max -> avg -> conv keeps the kernel and the bias (no reset to identity and −10)."""
    at.selectbox(key=skey("preset")).set_value("laplacian").run()
    slider(at, "bias").set_value(2.5).run()
    slider(at, "dilation").set_value(2).run()
    before = (board(at), at.session_state["view"].copy())
    for op in ("maxpool", "avgpool", "conv"):
        at.radio(key=skey("op")).set_value(op).run()
        assert not at.exception
    assert at.selectbox(key=skey("preset")).value == "laplacian"
    assert slider(at, "bias").value == 2.5 and slider(at, "dilation").value == 2
    assert board(at) == before[0]  # the same numbers in every cell
    x = torch.tensor(random_grid(5, 1, 0))[None]
    kernel = torch.tensor([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]])[None, None].double()
    expected = F.conv2d(x, kernel, dilation=2)[0, 0] + 2.5
    assert shown_result(at) == fmt_number(expected[0, 0])


def test_a_control_hidden_and_shown_again_keeps_its_value(at):
    """The same cause anywhere: a widget drawn only in one mode must not lose its value in the other."""
    at.radio(key=skey("k_src")).set_value("random").run()
    slider(at, "kernel").set_value(4).run()
    at.radio(key=skey("k_src")).set_value("preset").run()
    at.radio(key=skey("k_src")).set_value("random").run()
    assert slider(at, "kernel").value == 4
