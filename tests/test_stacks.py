"""Tests for playground/layers/stacks.py: every ready stack runs on the sample photo; custom kernels resize."""
from __future__ import annotations

import pytest

from playground.layers.shapes import validate
from playground.layers.stacks import READY_STACKS, new_layer, resize_custom
from playground.limits import LAYER_KINDS
from playground.spec import NetSpec, PipelineSpec


@pytest.mark.parametrize("name", sorted(READY_STACKS))
@pytest.mark.parametrize("shape", [(3, 171, 256), (1, 32, 32)])
def test_ready_stacks_are_valid(name, shape):
    PipelineSpec().set("net.layers", READY_STACKS[name])  # within the limits table
    assert validate(NetSpec(READY_STACKS[name]), shape)


def test_new_layers_are_valid_after_the_default_stack():
    base = validate(NetSpec(READY_STACKS["classic"]), (3, 171, 256))
    for kind in LAYER_KINDS:
        rows = validate(NetSpec(READY_STACKS["classic"] + (new_layer(kind),)), (3, 171, 256))
        assert len(rows) == len(base) + 1 and rows[-1].in_shape == base[-1].out_shape
        c, h, w = rows[-1].out_shape
        _, bh, bw = base[-1].out_shape
        if kind == "convtranspose":  # a new upsampling row (k = s = 2) doubles the map
            assert (h, w) == (2 * bh, 2 * bw)
        else:
            assert c >= 1 and 1 <= h <= bh and 1 <= w <= bw


def test_resize_custom_keeps_the_centre():
    three = tuple(float(v) for v in range(1, 10))
    five = resize_custom(three, 3, 5)
    assert len(five) == 25 and five[12] == 5.0 and five[6] == 1.0 and five[0] == 0.0
    assert resize_custom(five, 5, 3) == three
    assert resize_custom((), 3, 3) == (0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)
