"""AppTest: the Layer lab's stage (playground/ui/layer_lab/stage.py). torch is the oracle of every shape it states."""
from __future__ import annotations

import base64
import hashlib
import json

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from playground.i18n import t
from playground.ui.layer_lab.stage import grid_picture
from testkit.apptest import open_app

KERNEL = "stage.w.net.layers.0.kernel"


@pytest.fixture
def at():
    return open_app("pages/layer_lab.py", timeout=90)


def stage_shape(at) -> tuple[str, str]:
    """The stage's 'Shape: A → B' line as (A, B)."""
    head = t("stage.shape", "en", before="", after="").split("→")[0].strip()
    line = next(m.value for m in at.markdown if m.value.startswith(head))
    before, after = line.removeprefix(head).split("→")
    return before.strip(), after.strip()


def torch_shape(in_shape: str, layer) -> str:
    """The output shape torch gives a Conv2d / MaxPool2d of this layer's settings on zeros of in_shape."""
    c, h, w = (int(v) for v in in_shape.split("×"))
    if layer.kind == "conv":
        module = torch.nn.Conv2d(c, layer.out_channels, layer.kernel, layer.stride, layer.padding)
    else:
        module = torch.nn.MaxPool2d(layer.kernel, layer.stride, layer.padding)
    return "×".join(str(v) for v in module(torch.zeros(1, c, h, w)).shape[1:])


def stage_maps(at) -> dict:
    """The data of the stage's maps element, its "pictures" joined by those of the neighbours' element that was
    sent after it for these maps (anchor: the id of the maps drawn), as the browser joins them."""
    data = {d["role"]: d for d in (json.loads(e.proto.json) for e in at.get("bidi_component")
                                   if e.proto.component_name == "playground.stage_maps")}
    maps, ahead = data["maps"], data.get("ahead")
    assert ahead is None or (ahead["box"] == maps["box"] and not set(ahead["pictures"]) & set(maps["pictures"]))
    if ahead is not None and ahead["anchor"] == maps["pictures"][maps["now"]]["id"]:
        maps["pictures"] = {**maps["pictures"], **ahead["pictures"]}
    return maps


def stage_urls(at) -> list[str]:
    """The stage's two pictures: the input's URL (the page's first image) and the output maps' data URI."""
    maps = stage_maps(at)
    return [at.get("image")[0].proto.imgs[0].url, maps["pictures"][maps["now"]]["src"]]


def test_stage_slider_changes_the_map_and_the_shape_torch_gives(at):
    before = stage_urls(at)
    in_shape, out_shape = stage_shape(at)
    assert out_shape == torch_shape(in_shape, at.session_state["spec"].net.layers[0])
    at.slider(key=KERNEL).set_value(7).run()
    assert not at.exception and not at.error
    layer = at.session_state["spec"].net.layers[0]
    assert layer.kernel == 7 and at.slider(key="w.net.layers.0.kernel").value == 7  # the editor follows
    in_shape, out_shape = stage_shape(at)
    assert out_shape == torch_shape(in_shape, layer)
    after = stage_urls(at)
    assert after[0] == before[0] and after[1] != before[1]  # the input stays, the output maps are new


def test_next_and_previous_layer_are_one_click(at):
    at.button(key="b.stage.next").click().run()
    at.button(key="b.stage.next").click().run()  # layer 3: max pooling
    assert not at.exception
    layer = at.session_state["spec"].net.layers[2]
    in_shape, out_shape = stage_shape(at)
    assert (in_shape, out_shape) == ("16×171×256", torch_shape("16×171×256", layer))
    assert at.slider(key="stage.w.net.layers.2.kernel").value == 2
    at.button(key="b.stage.prev").click().run()
    assert stage_shape(at)[1] == "16×171×256"  # layer 2: ReLU keeps the shape


def test_only_the_stage_leaves_the_rest_out(at):
    at.toggle(key="w.view.layers.stage_only").set_value(True).run()
    assert not at.exception
    assert len(at.get("image")) == 1 and not at.get("latex")  # the stage's input (its output is stage_maps)
    assert len(at.get("bidi_component")) == 2  # the maps and their neighbours
    at.slider(key=KERNEL).set_value(5).run()
    assert stage_shape(at)[1] == "16×169×254"  # padding 1: a 5×5 kernel loses 2
    assert at.session_state["spec"].net.layers[0].kernel == 5


@pytest.mark.parametrize("only", [False, True], ids=["whole-lab", "only-stage"])
def test_pictures_sent_ahead_are_what_the_next_run_draws(at, only):
    """The maps of each neighbouring kernel size and stride are sent with the current ones, and each is the very
    picture the stage draws once the slider is there; the shape of each neighbour is torch's."""
    assert all("src" in p for p in stage_maps(at)["pictures"].values())  # the first run: the page has none yet
    if only:
        at.toggle(key="w.view.layers.stage_only").set_value(True).run()
    maps = stage_maps(at)
    assert maps["now"] == "3,1,1,16" and maps["watch"] == [f"st-key-stage-w-net-layers-0-{f}" for f in
                                                           ("kernel", "stride", "padding", "out_channels")]
    assert maps["box"] == "st-key-stage-box-stage"
    assert set(maps["pictures"]) == {"3,1,1,16", "2,1,1,16", "4,1,1,16", "3,2,1,16"}  # stride 0 is no stride
    for values, picture in maps["pictures"].items():
        k, s, _, _ = (int(v) for v in values.split(","))
        at.slider(key=KERNEL).set_value(k)
        at.slider(key="stage.w.net.layers.0.stride").set_value(s).run()
        assert not at.exception and (at.session_state["spec"].net.layers[0].kernel,
                                     at.session_state["spec"].net.layers[0].stride) == (k, s)
        drawn = stage_maps(at)
        assert drawn["now"] == values and not drawn["fixed"]
        now = drawn["pictures"][values]
        assert (now["id"], now["alt"]) == (picture["id"], picture["alt"])  # the picture sent ahead, and its alt
        jpeg = base64.b64decode(now["src"].removeprefix("data:image/jpeg;base64,"))
        assert hashlib.blake2b(jpeg, digest_size=12).hexdigest() == picture["id"]  # its id names these bytes
        in_shape, out_shape = stage_shape(at)
        assert out_shape == torch_shape(in_shape, at.session_state["spec"].net.layers[0])


def test_a_locked_slider_and_a_heavy_session_get_nothing_ahead(monkeypatch):
    from playground.ui.layer_lab import stage

    at = open_app("pages/layer_lab.py", query={"lock": "net.layers"}, timeout=90)
    assert not at.exception and set(stage_maps(at)["pictures"]) == {"3,1,1,16"}
    monkeypatch.setattr(stage, "heavy_turn", lambda: True)
    at = open_app("pages/layer_lab.py", timeout=90)
    assert not at.exception and set(stage_maps(at)["pictures"]) == {"3,1,1,16"}


def test_old_values_of_the_editors_twin_do_not_undo_quick_presses(at):
    """Quick presses on the stage's slider: each request may carry the editor twin's value from before a seed the
    browser has not received yet. Those are ignored, the editor is sent its value on every run until the browser
    sends it back unchanged, and then the same old value is the student's own move."""
    editor = "w.net.layers.0.kernel"
    kernel = lambda: at.session_state["spec"].net.layers[0].kernel  # noqa: E731
    at.slider(key=KERNEL).set_value(4).run()  # right: the editor is seeded 3 -> 4
    assert kernel() == 4 and at.slider(key=editor).value == 4
    at.slider(key=KERNEL).set_value(3)  # left, before the editor's 4 arrived: it still says 3
    at.slider(key=editor).set_value(3).run()
    assert not at.exception and kernel() == 3 and at.slider(key=editor).value == 3
    at.slider(key=KERNEL).set_value(2)  # left again: the late 4 has just arrived, the editor's 3 not yet
    at.slider(key=editor).set_value(4).run()
    assert not at.exception and kernel() == 2
    assert at.slider(key=editor).value == 2 and at.slider(key=KERNEL).value == 2
    at.run()  # the browser has caught up: nothing changed with this request
    at.slider(key=editor).set_value(4).run()  # a value the editor had, moved by the student alone
    assert kernel() == 4 and at.slider(key=KERNEL).value == 4


def test_the_last_valid_maps_stay_dimmed_under_an_error(at):
    """A setting a layer refuses: the stage shows the last maps that worked, fixed (not waiting for a run) and
    with nothing sent ahead, and the next valid setting shows its own again."""
    at.button(key="b.stage.next").click().run()
    at.button(key="b.stage.next").click().run()  # layer 3: max pooling, kernel 2 stride 2 padding 0
    at.slider(key="stage.w.net.layers.2.padding").set_value(2).run()  # more than half the kernel
    assert at.session_state["spec"].net.layers[2].padding == 2 and at.error
    maps = stage_maps(at)
    assert maps["fixed"] and maps["now"] == "2,2,0" and set(maps["pictures"]) == {"2,2,0"}
    at.slider(key="stage.w.net.layers.2.padding").set_value(1).run()
    maps = stage_maps(at)
    assert not at.exception and not maps["fixed"] and maps["now"] == "2,2,1"


def test_a_picture_the_page_has_goes_by_its_id(at):
    """The browser keeps the pictures it was sent: moving back and forth sends the drawn maps whole and the
    neighbours it already has by id alone."""
    at.slider(key=KERNEL).set_value(4).run()
    maps = stage_maps(at)
    assert "src" in maps["pictures"]["4,1,1,16"]  # the drawn maps: always whole
    assert "src" not in maps["pictures"]["3,1,1,16"]  # sent with the first run, as the picture then drawn
    assert "src" in maps["pictures"]["5,1,1,16"] and "src" in maps["pictures"]["4,2,1,16"]  # new neighbours


def test_a_spent_budget_still_sends_the_first_neighbour_ahead(at, monkeypatch):
    """However long the maps take on a busy server, one neighbour goes ahead for the browser to paint (the kernel
    a step down, the first tried); the budget stops the others."""
    from playground.ui.layer_lab import stage

    monkeypatch.setattr(stage, "AHEAD_BUDGET_S", -1.0)
    at.slider(key=KERNEL).set_value(4).run()
    assert set(stage_maps(at)["pictures"]) == {"4,1,1,16", "3,1,1,16"}


def test_two_stages_on_one_page_keep_their_own_widgets():
    """A lesson scene can draw a stage beside the lab's: prefixed keys, one spec."""
    def two_stages():
        from playground.layers.stacks import READY_STACKS
        from playground.ui import images
        from playground.ui.layer_lab import stage
        from playground.ui.state import get_spec, set_spec

        if not get_spec().net.layers:
            set_spec(get_spec().set("net.layers", READY_STACKS["classic"]))
        working, _ = images.working_image(get_spec().image)
        stage.draw_stage(get_spec(), working, prefix="one")
        stage.draw_stage(get_spec(), working, prefix="two", index=2)

    at = AppTest.from_function(two_stages, default_timeout=90).run()
    assert not at.exception
    at.slider(key="two.w.net.layers.2.stride").set_value(1).run()
    assert not at.exception
    assert at.session_state["spec"].net.layers[2].stride == 1
    assert at.slider(key="one.w.net.layers.0.kernel").value == 3


def test_grid_picture_is_large_and_keeps_the_maps_order():
    """Four maps become a 2×2 grid of maps about 240 px across; a map that is bright on the right stays so."""
    from io import BytesIO

    from PIL import Image

    maps = np.zeros((16, 50, 100), np.float32)
    maps[:, :, 50:] = 1.0  # every map: right half bright
    picture = np.asarray(Image.open(BytesIO(grid_picture(maps, "grey", "channel"))).convert("L"), np.float32)
    assert picture.shape == (2 * 120 + 6, 2 * 240 + 6)
    assert picture[:120, 130:240].mean() > 200 > 50 > picture[:120, :110].mean()


def stage_out_layers(at):
    """The layers the stage's output picture was made from (its picture key, state.memo)."""
    from playground.ui.state import MEMO
    return at.session_state[MEMO]["stage.stage"]["out"][2]


def test_blur_and_edges_sized_to_k_by_default_random_weights_one_switch_away(at):
    captions = lambda: [c.value for c in at.caption]  # noqa: E731
    assert t("stage.sized_note", "en") in captions()
    assert stage_out_layers(at)[0].init == "sized" and at.session_state["spec"].net.layers[0].init == "random"
    before, lab = stage_urls(at), [img.url for el in at.get("image")[1:] for img in el.proto.imgs]
    at.toggle(key="stage.w.view.layers.stage_sized").set_value(False).run()
    assert not at.exception and t("stage.random_note", "en") in captions()
    assert stage_out_layers(at)[0].init == "random"
    after = stage_urls(at)
    assert after[0] == before[0] and after[1] != before[1]  # the same input, the stack's own random maps
    assert [img.url for el in at.get("image")[1:] for img in el.proto.imgs] == lab  # the rest of the lab unchanged


def test_sized_weights_are_offered_only_for_the_first_random_conv(at):
    at.button(key="b.stage.next").click().run()  # layer 2: ReLU, after the sized conv
    assert not at.exception
    assert "stage.w.view.layers.stage_sized" not in [w.key for w in at.toggle]
    assert stage_out_layers(at)[0].init == "sized"  # the ReLU reads the sized maps


def test_the_stage_pauses_only_after_a_new_picture_it_did_not_send_ahead(monkeypatch):
    """stage.head_start: after a new stage picture that was not sent ahead, the stage waits HEAD_START_S before
    computing the neighbours' maps and the rest of the lab (so the picture is sent and painted first); not after
    the picture drawn before or one sent ahead, whole lab or "Only the stage"."""
    from playground.ui.layer_lab import stage

    pauses = []
    monkeypatch.setattr(stage, "sleep", pauses.append)
    at = open_app("pages/layer_lab.py", timeout=90)
    assert pauses == [stage.HEAD_START_S]  # the first picture is new
    at.run()
    assert len(pauses) == 1  # the same picture: no pause
    at.slider(key=KERNEL).set_value(7).run()
    assert len(pauses) == 2  # 7 was no neighbour of 3: the browser had no picture of it
    at.slider(key=KERNEL).set_value(8).run()
    assert not at.exception and len(pauses) == 2  # 8 was sent ahead: painted before the run
    last = len(at.selectbox(key="w.view.layers.formula_layer").options) - 1
    at.selectbox(key="w.view.layers.formula_layer").select_index(last).run()  # another layer's formula
    assert not at.exception and at.selectbox(key="w.view.layers.formula_layer").index == last
    assert len(pauses) == 2
    at.toggle(key="w.view.layers.stage_only").set_value(True).run()
    at.slider(key=KERNEL).set_value(9).run()  # sent ahead
    assert not at.exception and at.session_state["spec"].net.layers[0].kernel == 9 and len(pauses) == 2
    at.slider(key="stage.w.net.layers.0.padding").set_value(2).run()  # padding is never sent ahead
    assert not at.exception and pauses == [stage.HEAD_START_S] * 3
