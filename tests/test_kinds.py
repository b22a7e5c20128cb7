"""Tests for playground/layers/kinds.py: every registry entry builds, prints, validates and has its texts."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from playground.i18n import LANGUAGES, catalogue
from playground.layers.kinds import KIND_IDS, KINDS, kind
from playground.layers.shapes import validate
from playground.layers.stacks import new_layer
from playground.layers.torchcode import _call, stack_code
from playground.model import build_model, build_stack, feature_maps, layer_seed
from playground.spec import LayerSpec as L
from playground.spec import NetSpec
from playground.training.attribution import last_conv_index


@pytest.mark.parametrize("kind_id", KIND_IDS)
def test_maker_and_code_line_build_the_same_module(kind_id):
    """The printed nn call, evaluated, makes a module of the same class with the same settings."""
    layer = new_layer(kind_id)
    made = build_stack(NetSpec((layer,)), 3)[0]
    assert type(made).__name__ == kind(kind_id).torch_name
    printed = eval(_call(layer, 3), {"nn": nn})  # noqa: S307 - our own generated code
    assert type(printed) is type(made) and printed.extra_repr() == made.extra_repr()


@pytest.mark.parametrize("kind_id", KIND_IDS)
def test_new_row_validates_and_torch_agrees(kind_id):
    net = NetSpec((L("conv", 4, 3, same=True), new_layer(kind_id)))
    rows = validate(net, (3, 32, 32))
    maps = feature_maps(net, torch.rand(1, 3, 32, 32))
    assert rows[-1].out_shape == maps[-1].shape


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_kind_has_its_texts(lang):
    cat = catalogue(lang)
    for kind_id, entry in KINDS.items():
        assert f"layers.kinds.{kind_id}" in cat and f"layers.about.{kind_id}" in cat
        for name in entry.fields + entry.more:
            assert f"layers.editor.{name}" in cat, (kind_id, name)
        for name in entry.fields:  # a closed layer's summary line names each plain-view field (ui/layer_lab/editor.py)
            assert f"layers.summary.{name}" in cat, (kind_id, name)
        assert not entry.note or entry.note in cat


def test_dropout_is_off_in_the_layer_lab_and_on_in_training():
    net = NetSpec((L("dropout", p=0.9),))
    x = torch.rand(1, 8, 16, 16) + 0.1
    assert torch.equal(torch.from_numpy(feature_maps(net, x)[0]), x[0])  # the shared model is in eval mode
    assert not build_model(net, 8).training
    trained = build_stack(net, 8).train()
    zeroed = (trained(x)[0].flatten(1).abs().sum(1) == 0).sum()
    assert zeroed > 0  # whole channels switched off while training


def test_adaptive_pool_equals_torch_functional():
    x = torch.rand(1, 2, 13, 9)
    net = NetSpec((L("adaptiveavgpool", out_size=4),))
    assert torch.allclose(torch.from_numpy(feature_maps(net, x)[0]), torch.nn.functional.adaptive_avg_pool2d(x, 4)[0])


def test_stack_code_of_the_new_kinds_runs_and_prints_the_table():
    net = NetSpec((L("conv", 4, 3), L("dropout", p=0.3), L("adaptiveavgpool", out_size=2)))
    rows = validate(net, (1, 10, 10))
    code = stack_code(net, (1, 10, 10))
    printed = []
    exec(code, {"print": printed.append})  # noqa: S102 - our own generated code
    assert [line.split(": ")[1] for line in printed] == [str((1, *r.out_shape)) for r in rows]


@pytest.mark.parametrize("k,s,p,bias", [(2, 2, 0, True), (3, 2, 1, False), (4, 1, 0, True), (1, 3, 0, True), (5, 2, 4, True)])
def test_transposed_conv_matches_torch(k, s, p, bias):
    """Shape, values and parameter count of a ConvTranspose2d row against torch's own layer, built from the same seed."""
    net = NetSpec((L("convtranspose", 5, k, stride=s, padding=p, bias=bias),), seed=4)
    x = torch.rand(1, 3, 9, 7)
    torch.manual_seed(layer_seed(4, 1))
    oracle = nn.ConvTranspose2d(3, 5, k, stride=s, padding=p, bias=bias)
    want = oracle(x)[0].detach()
    row = validate(net, (3, 9, 7))[0]
    assert row.out_shape == tuple(want.shape) == (5, (9 - 1) * s - 2 * p + k, (7 - 1) * s - 2 * p + k)
    assert torch.allclose(torch.from_numpy(feature_maps(net, x)[0]), want, atol=1e-6)
    assert row.params == sum(q.numel() for q in oracle.parameters())


def test_transposed_conv_code_runs_and_prints_the_table():
    net = NetSpec((L("conv", 4, 3, stride=2), L("relu"), L("convtranspose", 2, 3, stride=2, padding=1)))
    rows = validate(net, (1, 11, 11))
    printed = []
    exec(stack_code(net, (1, 11, 11)), {"print": printed.append})  # noqa: S102 - our own generated code
    assert [line.split(": ")[1] for line in printed] == [str((1, *r.out_shape)) for r in rows]


def test_grad_cam_reads_a_transposed_conv_when_it_is_the_last_conv():
    model = build_stack(NetSpec((L("conv", 4, 3), L("convtranspose", 2, 2, stride=2), L("relu"), L("maxpool"))), 1)
    assert isinstance(model[last_conv_index(model)], nn.ReLU)  # read after the ReLU that follows it
    assert isinstance(model[last_conv_index(model) - 1], nn.ConvTranspose2d)
