"""The receptive field against autograd: the input pixels with a nonzero gradient of one output.

The oracle builds the same stack in torch with weights that make every tap count (conv weights 1, max
pooling read as average pooling over the same window, BatchNorm shifted positive so the activations after
it pass), feeds a positive input and back-propagates one output: the pixels whose gradient is not zero are
the pixels that output reads.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from torch import nn

from playground.errors import SpecError
from playground.i18n import LANGUAGES, catalogue
from playground.layers.shapes import footprint, input_region, validate
from playground.model import build_stack
from playground.spec import LayerSpec as L
from playground.spec import NetSpec
from testkit.hypo import examples


def oracle_stack(net: NetSpec, c: int) -> nn.Sequential:
    """The stack with every tap counting: ones for weights, zero bias, average for max pooling."""
    modules = []
    for m in build_stack(net, c):
        if isinstance(m, nn.MaxPool2d):
            m = nn.AvgPool2d(m.kernel_size, m.stride, m.padding)
        for name, p in m.named_parameters():
            with torch.no_grad():
                p.fill_(1.0 if name == "weight" else 0.0)
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.bias.fill_(50.0)  # normalized values stay positive: a ReLU after it passes every gradient
        modules.append(m)
    return nn.Sequential(*modules).eval()


def autograd_footprint(net: NetSpec, shape, layer: int, y: int, x: int) -> np.ndarray:
    """(H, W) bool: input pixels whose gradient of output (channel 0, y, x) of 1-based `layer` is not zero."""
    model = oracle_stack(net, shape[0])[:layer]
    inp = (torch.rand(1, *shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) + 0.5)
    inp.requires_grad_(True)
    model.double()(inp)[0, 0, y, x].backward()
    return (inp.grad[0].abs().sum(0) != 0).numpy()


def ours(rows, layer: int, y: int, x: int) -> np.ndarray:
    seen = footprint(rows, layer, y, x)
    return np.outer(seen.rows, seen.cols)


@st.composite
def stacks(draw):
    """1–4 layers of every family that moves pixels, with small maps."""
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("conv", "conv", "maxpool", "avgpool", "adaptiveavgpool", "relu", "convtranspose",
                                     "batchnorm")))
        k = draw(st.integers(1, 4))
        layers.append(L(kind, out_channels=draw(st.integers(1, 2)), kernel=k, stride=draw(st.integers(1, 3)),
                        padding=draw(st.integers(0, 3)), same=draw(st.booleans()) and kind == "conv",
                        dilation=draw(st.integers(1, 3)), out_size=draw(st.integers(1, 5))))
    return NetSpec(tuple(layers))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=stacks(), h=st.integers(4, 16), w=st.integers(4, 16), data=st.data())
def test_footprint_equals_autograd(net, h, w, data):
    """Exactly the pixels autograd finds (within them when BatchNorm's statistics join every pixel of a map)."""
    try:
        rows = validate(net, (1, h, w))
    except SpecError:
        assume(False)
    layer = data.draw(st.integers(1, len(rows)))
    _, oh, ow = rows[layer - 1].out_shape
    y, x = data.draw(st.integers(0, oh - 1)), data.draw(st.integers(0, ow - 1))
    truth, mine = autograd_footprint(net, (1, h, w), layer, y, x), ours(rows, layer, y, x)
    if footprint(rows, layer, y, x).whole_at is None:
        assert np.array_equal(truth, mine)
    else:  # a value whose gradient cancels exactly is still read
        assert not (truth & ~mine).any()
    box = input_region(rows, layer, y, x)
    if truth.any() and footprint(rows, layer, y, x).whole_at is None:
        ys, xs = np.nonzero(truth)
        assert box == (ys.min(), xs.min(), ys.max(), xs.max())  # the outline holds no pixel it never reads


def test_an_output_that_reads_only_padding_says_so():
    rows = validate(NetSpec((L("conv", 1, 1, padding=1),)), (1, 6, 6))
    assert input_region(rows, 1, 0, 0) is None and footprint(rows, 1, 0, 0).empty
    assert not autograd_footprint(NetSpec((L("conv", 1, 1, padding=1),)), (1, 6, 6), 1, 0, 0).any()
    assert input_region(rows, 1, 1, 1) == (0, 0, 0, 0)


def test_edge_spill_keeps_to_the_pixels_read():
    """Dilation 2 at the bottom-right edge: the last tap falls on padding, the pixel before it is never read."""
    net = NetSpec((L("conv", 1, 3, padding=2, dilation=2),))
    rows = validate(net, (1, 7, 7))
    truth = autograd_footprint(net, (1, 7, 7), 1, 6, 6)
    ys, xs = np.nonzero(truth)
    assert input_region(rows, 1, 6, 6) == (ys.min(), xs.min(), ys.max(), xs.max()) == (4, 4, 6, 6)
    assert not truth[5, 5]


def test_adaptive_pool_field_in_height_and_width():
    """171×256 photo, conv 3×3 then an adaptive pool to 4×4: windows 43–44 rows high and 64 columns wide."""
    net = NetSpec((L("conv", 1, 3), L("adaptiveavgpool", out_size=4)))
    row = validate(net, (1, 171, 256))[-1]
    spans = [autograd_footprint(net, (1, 171, 256), 2, y, x) for y, x in ((0, 0), (1, 1), (3, 3))]
    heights = [int(np.ptp(np.nonzero(s.any(1))[0])) + 1 for s in spans]
    widths = [int(np.ptp(np.nonzero(s.any(0))[0])) + 1 for s in spans]
    assert (row.rf_size, row.rf_size_w) == (max(heights), max(widths)) == (45, 66)
    assert row.rf_uneven  # 169 rows do not split into 4 equal windows


def test_batchnorm_makes_the_field_the_whole_image():
    net = NetSpec((L("conv", 1, 3), L("batchnorm"), L("relu")))
    rows = validate(net, (1, 12, 12))
    assert [r.rf_whole for r in rows] == [False, True, True]
    assert footprint(rows, 3, 0, 0).whole_at == 2
    assert autograd_footprint(net, (1, 12, 12), 3, 0, 0).all()  # every pixel changes the picture's statistics


@pytest.mark.parametrize("lang", LANGUAGES)
def test_field_texts_exist(lang):
    cat = catalogue(lang)
    for key in ("value", "value_steps", "uneven", "whole", "only_padding", "whole_text", "uneven_note", "cut", "none_alt"):
        assert f"families.rf.{key}" in cat
