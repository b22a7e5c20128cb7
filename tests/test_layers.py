"""Tests for playground/layers/shapes.py: torch is the oracle for every shape, and for what must fail."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.errors import SpecError
from playground.i18n import t
from playground.layers.shapes import BUDGET_MB, formula_numbers, input_region, out_size, validate
from playground.limits import KERNEL_PRESETS, LAYER_KINDS
from playground.model import build_stack
from playground.spec import LayerSpec as L
from playground.spec import NetSpec
from testkit.hypo import examples

# Errors where torch itself refuses the stack (the others are our own rules: preset sizes, memory).
TORCH_ALSO_FAILS = {"layers.kernel_too_big", "layers.pool_padding", "layers.same_stride", "layers.bn_single"}


@st.composite
def layer_specs(draw):
    """Any layer the limits table allows (small channel counts keep it quick)."""
    k = draw(st.integers(1, 11))
    init = draw(st.sampled_from(("random", "sized", "custom") + KERNEL_PRESETS))
    n_custom = draw(st.sampled_from((k * k, k * k, max(0, k * k - 1))))
    return L(kind=draw(st.sampled_from(LAYER_KINDS)), out_channels=draw(st.integers(1, 5)), kernel=k,
             stride=draw(st.integers(1, 4)), padding=draw(st.integers(0, 5)), same=draw(st.booleans()),
             dilation=draw(st.integers(1, 3)), bias=draw(st.booleans()), init=init,
             combine=draw(st.sampled_from(("per_channel", "sum"))), custom=tuple([0.5] * n_custom) if init == "custom" else (),
             slope=draw(st.sampled_from((0.0, 0.01, 0.3))), p=draw(st.sampled_from((0.0, 0.5, 0.9))),
             out_size=draw(st.integers(1, 16)))


def run_torch(net: NetSpec, shape) -> list[tuple]:
    """Output (C, H, W) shapes from actually running the stack in torch."""
    x, shapes = torch.rand(1, *shape), []
    with torch.no_grad():
        for layer in build_stack(net, shape[0]):
            x = layer(x)
            shapes.append(tuple(x.shape[1:]))
    return shapes


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.lists(layer_specs(), max_size=4), c=st.sampled_from((1, 3)), h=st.integers(1, 24), w=st.integers(1, 24))
def test_table_equals_torch_or_our_error(layers, c, h, w):
    """A spec that passes validate runs in torch with the same shapes; one that fails gives our SpecError."""
    net = NetSpec(tuple(layers), seed=3)
    try:
        rows = validate(net, (c, h, w))
    except SpecError as exc:
        assert exc.key.startswith("layers.") and exc.params.get("layer", 1) >= 1
        if exc.key == "layers.transposed_empty":  # torch refuses it, or (output side exactly 0) returns an empty map
            geometry_only = NetSpec(tuple(layers[:exc.params["layer"]]))
            try:
                assert 0 in run_torch(geometry_only, (c, h, w))[-1]
            except RuntimeError:
                pass
        if exc.key in TORCH_ALSO_FAILS:  # not over-strict: torch refuses the same stack
            bad = exc.params["layer"]
            geometry_only = NetSpec(tuple(L(**{**vars(x), "init": "random"}) for x in layers[:bad]))
            with pytest.raises((RuntimeError, ValueError)):
                run_torch(geometry_only, (c, h, w))
        return
    assert [r.out_shape for r in rows] == run_torch(net, (c, h, w))


@pytest.mark.parametrize("h,k,s,p,d", [(7, 3, 1, 0, 1), (7, 3, 2, 1, 1), (10, 4, 3, 2, 2), (5, 5, 1, 0, 1), (28, 2, 2, 0, 1)])
def test_out_size_matches_conv2d(h, k, s, p, d):
    y = F.conv2d(torch.zeros(1, 1, h, h), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
    assert y.shape[-1] == out_size(h, k, s, p, d)


def test_message_names_layer_kind_numbers_and_fix():
    net = NetSpec((L("conv", 4, 3), L("maxpool", kernel=2, stride=2), L("maxpool", kernel=4, stride=1)))
    with pytest.raises(SpecError) as info:
        validate(net, (1, 6, 6))
    text = t(info.value.key, "en", **info.value.params)
    assert text.startswith("Layer 3 MaxPool2d: kernel 4") and "2×2" in text and "remove a pooling layer" in text
    assert "第 3 层" in t(info.value.key, "zh", **info.value.params)


@pytest.mark.parametrize("layer,key", [
    (L("conv", kernel=3, stride=2, same=True), "layers.same_stride"),
    (L("maxpool", kernel=2, padding=2), "layers.pool_padding"),
    (L("conv", kernel=5, init="sharpen"), "layers.preset_three"),
    (L("conv", kernel=4, init="identity"), "layers.preset_odd"),
    (L("conv", kernel=1, init="sobel_x"), "layers.preset_odd3"),
    (L("conv", kernel=3, init="custom", custom=(1.0,) * 4), "layers.custom_count"),
    (L("conv", kernel=11, dilation=3), "layers.kernel_too_big"),
])
def test_each_rule_has_its_key_in_both_languages(layer, key):
    with pytest.raises(SpecError) as info:
        validate(NetSpec((L("relu"), layer)), (3, 16, 16))
    assert info.value.key == key and info.value.params["layer"] == 2
    for lang in ("en", "zh"):
        assert "2" in t(key, lang, **info.value.params)


def test_batchnorm_on_a_single_pixel_is_refused():
    with pytest.raises(SpecError) as info:
        validate(NetSpec((L("maxpool", kernel=2, stride=2), L("batchnorm"))), (3, 2, 2))
    assert info.value.key == "layers.bn_single"


def test_memory_budget_refuses_with_a_suggestion():
    net = NetSpec((L("conv", 64, 3, same=True), L("relu")))
    rows = validate(net, (3, 256, 256))  # 2 × 16 MB: fine
    assert rows[0].act_bytes == 64 * 256 * 256 * 4
    with pytest.raises(SpecError) as info:
        validate(net, (3, 1024, 1024))  # 2 × 256 MB
    assert info.value.key == "layers.memory" and info.value.params["budget"] == BUDGET_MB
    assert "1024×1024" in t("layers.memory", "en", **info.value.params)


def test_rows_count_params_and_receptive_field():
    net = NetSpec((L("conv", 8, 3, bias=True), L("maxpool", kernel=2, stride=2), L("conv", 4, 5, bias=False, dilation=2)))
    rows = validate(net, (3, 32, 32))
    assert [r.params for r in rows] == [8 * 3 * 9 + 8, 0, 4 * 8 * 25]
    assert [(r.rf_size, r.rf_jump) for r in rows] == [(3, 1), (4, 2), (4 + 8 * 2, 2)]
    assert [r.index for r in rows] == [1, 2, 3] and rows[2].in_shape == (8, 15, 15)


def test_formula_numbers_fill_the_formula():
    row = validate(NetSpec((L("conv", 2, 5, stride=2, padding=1),)), (1, 20, 20))[0]
    n = formula_numbers(row)
    assert n == {"h": 20, "pads": 2, "d": 1, "k": 5, "s": 2, "top": 20 + 2 - 4 - 1, "out": 9}
    assert n["top"] // n["s"] + 1 == n["out"]
    same = formula_numbers(validate(NetSpec((L("conv", 2, 4, same=True),)), (1, 9, 9))[0])
    assert same["top"] // same["s"] + 1 == same["out"] == 9


RF_NETS = [
    NetSpec((L("conv", 2, 3, init="box"), L("avgpool", kernel=2, stride=2), L("conv", 2, 3, init="box", dilation=2))),
    NetSpec((L("conv", 2, 5, stride=2, padding=2, init="box"), L("relu"), L("avgpool", kernel=3, stride=2, padding=1))),
    NetSpec((L("conv", 1, 4, same=True, init="box"), L("conv", 1, 3, stride=3, init="box"))),
    # adaptive windows overlap and vary in size (24 -> 5): the region follows torch's start/end rule
    NetSpec((L("conv", 1, 3, init="box"), L("adaptiveavgpool", out_size=5), L("dropout"))),
]


@pytest.mark.parametrize("net", RF_NETS)
@pytest.mark.parametrize("pos", [(0, 0), (1, 2), (3, 1)])
def test_input_region_equals_the_gradient_footprint(net, pos):
    """With positive weights every input pixel in the region moves the output: autograd shows the region."""
    rows = validate(net, (1, 24, 24))
    x = (torch.rand(1, 1, 24, 24) + 0.5).requires_grad_()
    out = build_stack(net, 1).eval()(x)  # eval: as the Layer lab runs it (dropout off)
    y, xx = min(pos[0], out.shape[2] - 1), min(pos[1], out.shape[3] - 1)
    out[0, :, y, xx].sum().backward()
    nz = x.grad[0, 0].nonzero()
    found = (int(nz[:, 0].min()), int(nz[:, 1].min()), int(nz[:, 0].max()), int(nz[:, 1].max()))
    assert input_region(rows, len(rows), y, xx) == found


def test_adaptive_pool_refuses_to_grow_the_map():
    with pytest.raises(SpecError) as info:
        validate(NetSpec((L("maxpool", kernel=2, stride=2), L("adaptiveavgpool", out_size=7))), (1, 12, 12))
    assert info.value.key == "layers.adaptive_too_big" and info.value.params["max_n"] == 6
    assert "第 2 层" in t(info.value.key, "zh", **info.value.params)


def test_adaptive_pool_receptive_field_is_its_largest_window():
    rows = validate(NetSpec((L("adaptiveavgpool", out_size=3),)), (1, 8, 8))
    # torch's windows over 8 cells into 3: [0, 2], [2, 5], [5, 7] -> largest 4, smallest step 2
    assert (rows[0].rf_size, rows[0].rf_jump, rows[0].out_shape) == (4, 2, (1, 3, 3))
