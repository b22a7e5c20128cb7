"""Tests for playground/model.py: feature maps equal torch.nn.functional computed independently."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground import model as M
from playground.errors import SpecError
from playground.layers.kernels import conv_weight
from playground.layers.shapes import validate
from playground.spec import LayerSpec as L
from playground.spec import NetSpec

X = torch.rand(1, 3, 40, 36, generator=torch.Generator().manual_seed(1)) * 2 - 1  # (1, C, H, W), signed


def close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)


def test_conv_pool_and_activations_equal_functional():
    net = NetSpec((L("conv", 6, 3, stride=2, padding=1), L("leakyrelu", slope=0.2), L("maxpool", kernel=3, stride=2, padding=1),
                   L("conv", 4, 2, dilation=2, bias=False), L("avgpool", kernel=2, stride=1), L("elu"), L("gelu"),
                   L("tanh"), L("sigmoid"), L("batchnorm"), L("relu")), seed=7)
    maps = M.feature_maps(net, X)
    conv1, conv2 = M.build_model(net, 3)[0], M.build_model(net, 3)[3]
    y = F.conv2d(X, conv1.weight, conv1.bias, stride=2, padding=1)
    expected = [y := y, y := F.leaky_relu(y, 0.2), y := F.max_pool2d(y, 3, 2, 1), y := F.conv2d(y, conv2.weight, dilation=2),
                y := F.avg_pool2d(y, 2, 1), y := F.elu(y), y := F.gelu(y), y := torch.tanh(y), y := torch.sigmoid(y),
                y := F.batch_norm(y, None, None, training=True), y := F.relu(y)]
    assert len(maps) == len(expected)
    for got, want in zip(maps, expected, strict=False):
        assert got.dtype == np.float32 and got.shape == tuple(want.shape[1:])
        close(got, want[0].detach())


def test_hand_designed_conv_equals_conv2d_with_the_preset():
    for combine in ("per_channel", "sum"):
        layer = L("conv", 4, 5, same=True, init="gaussian", combine=combine)
        got = M.feature_maps(NetSpec((layer,)), X)[0]
        close(got, F.conv2d(X, torch.from_numpy(conv_weight(layer, 3)), padding="same")[0])


def test_random_weights_are_seeded_per_layer():
    a = NetSpec((L("conv", 4, 3), L("relu"), L("conv", 2, 3)), seed=1)
    b = NetSpec((L("conv", 4, 3, stride=2), L("relu"), L("conv", 2, 3)), seed=1)  # only layer 1's stride differs
    ma = M.build_stack(a, 3)
    assert torch.equal(ma[0].weight, M.build_stack(a, 3)[0].weight)  # same spec -> same weights
    assert not torch.equal(ma[0].weight, M.build_stack(NetSpec(a.layers, seed=2), 3)[0].weight)
    assert torch.equal(ma[2].weight, M.build_stack(b, 3)[2].weight)  # editing layer 1 keeps layer 3's weights


def test_building_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    M.build_stack(NetSpec((L("conv", 3, 3),), seed=5), 3)
    assert torch.equal(torch.rand(3), expected)


def test_cached_model_is_shared_and_frozen():
    net = NetSpec((L("conv", 2, 3), L("relu")))
    assert M.build_model(net, 3) is M.build_model(NetSpec(tuple(net.layers)), 3)
    assert not any(p.requires_grad for p in M.build_model(net, 3).parameters())


def test_invalid_spec_raises_ours_before_torch():
    with pytest.raises(SpecError):
        M.feature_maps(NetSpec((L("maxpool", kernel=11, stride=1),)), torch.rand(1, 1, 5, 5))


def test_accepts_numpy_chw():
    maps = M.feature_maps(NetSpec((L("relu"),)), X[0].numpy())
    close(maps[0], F.relu(X[0]))


def test_classifier_is_fresh_trainable_and_sized_from_the_table():
    net = NetSpec((L("conv", 4, 3), L("relu"), L("maxpool", kernel=2, stride=2)))
    clf = M.build_classifier(net, 3, (40, 36), 10)
    assert clf(X).shape == (1, 10)
    c, h, w = validate(net, (3, 40, 36))[-1].out_shape
    assert clf[-1].in_features == c * h * w and all(p.requires_grad for p in clf.parameters())
    assert clf is not M.build_classifier(net, 3, (40, 36), 10)
    assert torch.equal(clf[0].weight, M.build_model(net, 3)[0].weight)  # same stack weights as the Layer lab


def test_gate_bounds_concurrent_runs(monkeypatch):
    """More threads than slots run forward passes at once: the slots fill, the rest wait, none overflow."""
    import threading

    from playground.fair import FairGate

    slots, inside, peak, lock, release = 2, 0, 0, threading.Lock(), threading.Event()
    gate = FairGate(slots)
    monkeypatch.setattr(M, "RUN_GATE", gate)

    class Probe(torch.nn.Module):
        def forward(self, x):
            nonlocal inside, peak
            with lock:
                inside += 1
                peak = max(peak, inside)
            release.wait(60)  # hold the slot until every caller is either inside or waiting
            with lock:
                inside -= 1
            return x

    threads = [threading.Thread(target=M.stack_maps, args=(torch.nn.Sequential(Probe()), X)) for _ in range(6)]
    for th in threads:
        th.start()
    assert gate.wait_until(lambda: gate.active == slots and gate.waiting == len(threads) - slots, timeout=60)
    assert inside == slots  # every slot held, the other four callers queued
    release.set()
    for th in threads:
        th.join()
    assert peak == slots and inside == 0 and gate.active == 0
