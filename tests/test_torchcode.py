"""Tests for playground/layers/torchcode.py: the shown code runs, prints the table's shapes and gives the same maps."""
from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest
import torch

from playground.layers.shapes import validate
from playground.layers.torchcode import stack_code
from playground.model import feature_maps
from playground.spec import LayerSpec as L
from playground.spec import NetSpec

NETS = [
    NetSpec((L("conv", 8, 3), L("relu"), L("maxpool", kernel=2, stride=2), L("conv", 6, 5, stride=2, padding=2)), seed=4),
    NetSpec((L("conv", 4, 5, same=True, init="gaussian"), L("conv", 3, 3, init="sobel_x", combine="sum", bias=False),
             L("leakyrelu", slope=0.05), L("avgpool", kernel=3, stride=2, padding=1), L("batchnorm"), L("gelu"))),
    NetSpec((L("conv", 2, 2, init="custom", custom=(0.1, -0.25, 1.0 / 3, 2.0), dilation=3), L("elu"), L("sigmoid"), L("tanh"))),
    NetSpec((L("conv", 6, 4, padding=1, init="sized"), L("relu"), L("conv", 5, 1, init="sized", bias=False))),
    NetSpec(()),
]


def run(code: str) -> tuple[dict, str]:
    """Execute the generated code in a fresh namespace; return it and what it printed."""
    ns, out = {}, io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<shown code>", "exec"), ns)
    return ns, out.getvalue()


@pytest.mark.parametrize("net", NETS)
def test_printed_shapes_equal_the_table(net):
    rows = validate(net, (3, 30, 26))
    _, printed = run(stack_code(net, (3, 30, 26)))
    shapes = [tuple(int(v) for v in m.split(", ")[1:]) for m in re.findall(r"\((\d+(?:, \d+)*)\)", printed)]
    assert shapes == [r.out_shape for r in rows]
    assert [line.split()[2].rstrip(":") for line in printed.splitlines()] == [r.name for r in rows]


@pytest.mark.parametrize("net", NETS[:3])
def test_shown_model_gives_the_playground_maps(net):
    ns, _ = run(stack_code(net, (3, 30, 26)))
    x = torch.rand(1, 3, 30, 26, generator=torch.Generator().manual_seed(0))
    ours = feature_maps(net, x)
    with torch.no_grad():
        for layer, mine in zip(ns["model"], ours, strict=False):
            x = layer(x)
            np.testing.assert_allclose(x[0].numpy(), mine, rtol=1e-6, atol=1e-6)


def test_hand_designed_weights_are_written_out_exactly():
    code = stack_code(NETS[1], (3, 8, 8))
    assert "torch.manual_seed" in code and "kernel = torch.tensor([[" in code and "weight[o, :]" in code
