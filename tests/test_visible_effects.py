"""Kernels whose effect grows with the kernel size, as the first conv of a stack shows them on a photo.

Oracles: cv2 (Laplacian for high-frequency energy, GaussianBlur / blur / Sobel for the filtered picture) and
torch's conv2d for the output shapes.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground.image.samples import load_sample
from playground.layers.kernels import GROWING, SIZE_RULES, SIZED, conv_weight, preset, sized_kernels, sizes
from playground.limits import LIMITS
from playground.model import feature_maps
from playground.spec import LayerSpec as L
from playground.spec import NetSpec

ODD = (3, 5, 7, 9, 11)


def photo() -> np.ndarray:
    """The sample photo as a (3, H, W) float32 tensor of 0..255 values (the Layer lab's "none" normalization)."""
    return load_sample("china").astype(np.float32).transpose(2, 0, 1)


def blurred(init: str, k: int, x: np.ndarray) -> np.ndarray:
    """The first conv's maps: the preset applied to each colour channel, no padding (no border edges)."""
    return feature_maps(NetSpec((L("conv", 3, k, init=init),)), x)[0]  # (3, H-k+1, W-k+1)


def high_frequency_energy(maps: np.ndarray) -> float:
    """Mean squared Laplacian over the channels, computed by cv2."""
    return float(np.mean([np.mean(cv2.Laplacian(m, cv2.CV_64F) ** 2) for m in maps.astype(np.float64)]))


def test_a_blur_exists_for_every_kernel_size_in_the_limits():
    lim = LIMITS["layer.kernel"]
    every = tuple(range(int(lim.min), int(lim.max) + 1))
    assert every == tuple(range(1, 12))
    for name in ("box", "gaussian"):
        assert sizes(name) == every
        for k in every:
            kernel = preset(name, k)
            assert kernel.shape == (k, k) and (kernel >= 0).all() and kernel.sum() == pytest.approx(1.0, abs=1e-6)
    assert set(GROWING) <= set(SIZE_RULES) and sizes("sobel_x") == ODD


@pytest.mark.parametrize("init", ["gaussian", "box"])
def test_blur_high_frequency_energy_falls_as_the_kernel_grows(init):
    x = photo()
    energy = [high_frequency_energy(blurred(init, k, x)) for k in ODD]
    assert all(a > b for a, b in zip(energy, energy[1:], strict=False)), energy
    assert energy[-1] < energy[0] / 5  # 3 → 11 is not a subtle change: the class sees it
    assert high_frequency_energy(x) > energy[0]


@pytest.mark.parametrize("k", ODD)
def test_blur_maps_are_cv2s_blurs(k):
    x = photo()
    img = np.ascontiguousarray(x.transpose(1, 2, 0))
    m = k // 2
    for init, want in (("gaussian", cv2.GaussianBlur(img, (k, k), 0)), ("box", cv2.blur(img, (k, k)))):
        got = blurred(init, k, x).transpose(1, 2, 0)
        np.testing.assert_allclose(got, want[m:img.shape[0] - m, m:img.shape[1] - m], rtol=1e-4, atol=1e-2)


def test_edges_thicken_as_the_sobel_kernel_grows():
    x = load_sample("circle").astype(np.float32).transpose(2, 0, 1)
    widths = []
    for k in ODD:
        edge = feature_maps(NetSpec((L("conv", 1, k, init="sobel_x", combine="sum"),)), x)[0][0]
        want = cv2.Sobel(np.ascontiguousarray(x.sum(0), dtype=np.float32), cv2.CV_32F, 1, 0, ksize=k)
        m = k // 2
        np.testing.assert_allclose(edge, want[m:-m, m:-m], rtol=1e-3, atol=1e-2 * np.abs(want).max())
        widths.append(float((np.abs(edge) > 0.25 * np.abs(edge).max()).mean()))  # share of pixels on an edge
    assert all(a < b for a, b in zip(widths, widths[1:], strict=False)), widths


@pytest.mark.parametrize("k", ODD)
def test_stride_two_halves_the_map(k):
    x = photo()
    layer = L("conv", 3, k, stride=2, padding=k // 2, init="gaussian")
    got = feature_maps(NetSpec((layer,)), x)[0]
    want = F.conv2d(torch.from_numpy(x)[None], torch.zeros(3, 3, k, k), stride=2, padding=k // 2)[0]
    assert got.shape == tuple(want.shape) == (3, -(-x.shape[1] // 2), -(-x.shape[2] // 2))
    full = feature_maps(NetSpec((L("conv", 3, k, padding=k // 2, init="gaussian"),)), x)[0]
    np.testing.assert_allclose(got, full[:, ::2, ::2], rtol=1e-5, atol=1e-3)  # every other pixel of stride 1


def sized_maps(k: int, x: np.ndarray) -> np.ndarray:
    """The stage's first conv with blur and edges sized to k: 4 maps, no padding."""
    return feature_maps(NetSpec((L("conv", 4, k, init="sized"),)), x)[0]


@pytest.mark.parametrize("k", range(1, 12))
def test_sized_maps_are_cv2s_filters_of_the_mean_picture(k):
    x = photo()
    mean = np.ascontiguousarray(x.mean(0))  # the mean of the colour channels, which every sized map reads
    g = cv2.getGaussianKernel(k, 0)
    edge = g @ (np.linspace(-1, 1, k)[None] if k > 1 else np.zeros((1, 1)))
    edge = edge / edge[edge > 0].sum() if k > 1 else edge
    kernels = (np.full((k, k), 1 / k ** 2), g @ g.T, edge, edge.T)
    got = sized_maps(k, x)
    m = k // 2  # cv2 anchors a k×k kernel at k // 2: its output there is torch's valid output at 0
    for name, map_, kernel in zip(SIZED, got, kernels, strict=True):
        want = cv2.filter2D(mean, cv2.CV_32F, kernel.astype(np.float32))[m:m + got.shape[1], m:m + got.shape[2]]
        np.testing.assert_allclose(map_, want, rtol=1e-4, atol=1e-2, err_msg=name)
    if k == 3:
        np.testing.assert_allclose(sized_kernels(3)[2] * 4, preset("sobel_x", 3))  # Sobel x / 4 at k = 3


def test_sized_weights_cycle_the_four_kernels_over_the_output_channels():
    w = conv_weight(L("conv", 10, 5, init="sized"), 3)
    kernels = sized_kernels(5)
    assert w.shape == (10, 3, 5, 5)
    for o in range(10):
        for c in range(3):
            np.testing.assert_allclose(w[o, c], kernels[o % 4] / 3)


def test_sized_blurs_soften_and_edges_thicken_as_k_grows():
    x, circle = photo(), load_sample("circle").astype(np.float32).transpose(2, 0, 1)
    energy = {name: [] for name in SIZED}
    widths = []
    for k in ODD:
        for name, map_ in zip(SIZED, sized_maps(k, x), strict=True):
            energy[name].append(high_frequency_energy(map_[None]))
        edge = np.abs(sized_maps(k, circle)[2])
        widths.append(float((edge > 0.25 * edge.max()).mean()))  # share of the picture on a vertical edge
    for name in ("box", "gaussian"):
        assert all(a > b for a, b in zip(energy[name], energy[name][1:], strict=False)), (name, energy[name])
    assert all(a < b for a, b in zip(widths, widths[1:], strict=False)), widths
