"""Tests for playground/layers/kernels.py: presets match OpenCV's filters, weights follow the documented layout."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground.errors import SpecError
from playground.layers.kernels import SIZE_RULES, check_kernel, conv_weight, kernel_of, preset, size_ok
from playground.limits import KERNEL_PRESETS
from playground.spec import LayerSpec as L

RNG = np.random.default_rng(0)
IMG = RNG.random((20, 24)).astype(np.float32)


def correlate(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """torch's conv2d (a cross-correlation), valid region."""
    return F.conv2d(torch.from_numpy(img)[None, None], torch.from_numpy(kernel)[None, None])[0, 0].numpy()


def interior(full: np.ndarray, k: int) -> np.ndarray:
    """The part of a same-size filter output that no border rule touched."""
    r = k // 2
    return full[r:full.shape[0] - r, r:full.shape[1] - r]


def test_every_preset_has_a_size_rule():
    assert set(SIZE_RULES) == set(KERNEL_PRESETS)


@pytest.mark.parametrize("k", [3, 5, 7])
def test_sobel_matches_cv2(k):
    got_x, got_y = correlate(IMG, preset("sobel_x", k)), correlate(IMG, preset("sobel_y", k))
    np.testing.assert_allclose(got_x, interior(cv2.Sobel(IMG, cv2.CV_32F, 1, 0, ksize=k), k), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(got_y, interior(cv2.Sobel(IMG, cv2.CV_32F, 0, 1, ksize=k), k), rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("k", [1, 3, 5, 9])
def test_gaussian_and_box_match_cv2(k):
    np.testing.assert_allclose(correlate(IMG, preset("gaussian", k)), interior(cv2.GaussianBlur(IMG, (k, k), 0), k), atol=1e-5)
    np.testing.assert_allclose(correlate(IMG, preset("box", k)), interior(cv2.blur(IMG, (k, k)), k), atol=1e-5)


def test_laplacian_matches_cv2_and_identity_copies():
    np.testing.assert_allclose(correlate(IMG, preset("laplacian", 3)), interior(cv2.Laplacian(IMG, cv2.CV_32F), 3), atol=1e-5)
    np.testing.assert_array_equal(correlate(IMG, preset("identity", 5)), IMG[2:-2, 2:-2])


@pytest.mark.parametrize("name", ["sharpen", "outline", "box", "gaussian", "identity"])
def test_smoothing_and_sharpening_kernels_keep_flat_areas(name):
    """These kernels sum to 1 (outline to 0): a flat patch stays flat."""
    expected = 0.0 if name == "outline" else 1.0
    assert preset(name, 3).sum() == pytest.approx(expected, abs=1e-6)


def test_per_channel_reads_input_o_mod_c():
    w = conv_weight(L("conv", 5, 3, init="sobel_x"), 3)  # (5, 3, 3, 3)
    for o in range(5):
        for c in range(3):
            expected = preset("sobel_x", 3) if c == o % 3 else np.zeros((3, 3))
            np.testing.assert_array_equal(w[o, c], expected)


def test_sum_puts_the_kernel_on_every_input():
    w = conv_weight(L("conv", 2, 3, init="box", combine="sum"), 3)
    assert w.shape == (2, 3, 3, 3) and np.all(w == 1 / 9)


def test_random_has_no_fixed_weight_and_custom_is_row_major():
    assert conv_weight(L("conv", 2, 3), 3) is None
    k = kernel_of(L("conv", 2, 2, init="custom", custom=(1.0, 2.0, 3.0, 4.0)))
    np.testing.assert_array_equal(k, [[1, 2], [3, 4]])


@pytest.mark.parametrize("name,k,ok", [("identity", 3, True), ("identity", 4, False), ("box", 4, True),
                                       ("sobel_y", 1, False), ("sobel_y", 9, True), ("emboss", 5, False)])
def test_size_rules(name, k, ok):
    assert size_ok(SIZE_RULES[name], k) is ok
    if ok:
        check_kernel(L("conv", kernel=k, init=name), 1)
        assert preset(name, k).shape == (k, k)
    else:
        with pytest.raises(SpecError):
            check_kernel(L("conv", kernel=k, init=name), 1)
