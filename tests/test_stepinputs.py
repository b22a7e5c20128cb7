"""Tests for playground/steps/inputs.py: seeded grids, typed grids, image patches and kernels."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from playground.errors import SpecError
from playground.layers.kernels import preset
from playground.model import build_model
from playground.spec import LayerSpec, NetSpec
from playground.steps.inputs import (
    RANDOM_INPUT,
    conv_layers,
    fmt_number,
    format_grid,
    image_patch,
    layer_kernel,
    parse_grid,
    preset_kernel,
    preset_sizes,
    random_grid,
    random_kernel,
)


def test_random_grids_are_seeded_integers():
    a, b = random_grid(5, 3, 7), random_grid(5, 3, 7)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (3, 5, 5) and (a == a.round()).all()
    assert RANDOM_INPUT[0] <= a.min() and a.max() <= RANDOM_INPUT[1]
    assert not np.array_equal(random_kernel(3, 1, 7), random_kernel(3, 1, 8))


def test_typed_grid_round_trips():
    grid = np.array([[[1, -2.5, 3], [4, 5, 6], [7, 8, 9]]])
    np.testing.assert_array_equal(parse_grid(format_grid(grid).replace("−", "-"), 1), grid)
    three = parse_grid("1, 2\n3 4\n\n5 6\n7 8\n\n0 0\n0 0", 3)
    assert three.shape == (3, 2, 2) and three[1, 1, 1] == 8
    assert parse_grid("1 2\n3 4", 3).shape == (3, 2, 2)  # one block is copied to every channel


@pytest.mark.parametrize("text, key", [
    ("1 2\n3 x", "steps.errors.parse_number"),
    ("1 2\n3", "steps.errors.parse_ragged"),
    ("   ", "steps.errors.parse_empty"),
    ("1\n\n2", "steps.errors.parse_blocks"),
])
def test_typed_grid_errors(text, key):
    with pytest.raises(SpecError) as exc:
        parse_grid(text, 3 if key != "steps.errors.parse_blocks" else 1)
    assert exc.value.key == key


def test_fmt_number():
    assert [fmt_number(v) for v in (3.0, -2.0, 0.125, -0.0, 2 / 3)] == ["3", "−2", "0.125", "0", "0.667"]


def test_image_patch_values_and_channels():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    grey = image_patch(image, 2, 3, 5, "grey", 1)
    np.testing.assert_array_equal(grey[0], cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[2:7, 3:8])
    np.testing.assert_array_equal(image_patch(image, 0, 0, 4, "g", 1)[0], image[:4, :4, 1])
    assert image_patch(image, 99, 99, 5, "grey", 3).shape == (3, 5, 5)  # clamped into the image
    with pytest.raises(SpecError):
        image_patch(image[:, :, :1], 0, 0, 5, "grey", 3)
    with pytest.raises(SpecError):
        image_patch(image, 0, 0, 25, "grey", 1)


def test_presets_come_from_the_layer_labs_kernels():
    np.testing.assert_array_equal(preset_kernel("sobel_x", 3, 3)[2], preset("sobel_x", 3))
    assert preset_sizes("laplacian") == [3] and preset_sizes("box") == [1, 2, 3, 4, 5]
    with pytest.raises(SpecError):
        preset_kernel("laplacian", 5, 1)


def test_layer_kernel_matches_the_model_weights():
    net = NetSpec(layers=(LayerSpec(kind="maxpool", kernel=2), LayerSpec(kind="conv", out_channels=4)), seed=3)
    assert conv_layers(net) == [2]
    weight = build_model(net, 3)[1].weight.detach().numpy()  # (4, 3, 3, 3)
    np.testing.assert_allclose(layer_kernel(net, 2, 1, 3, 3), weight[1])
    np.testing.assert_allclose(layer_kernel(net, 2, 1, 1, 3)[0], weight[1, 1])


def test_layer_kernel_of_a_preset_layer():
    net = NetSpec(layers=(LayerSpec(kind="conv", init="sobel_y", out_channels=3),))
    np.testing.assert_allclose(layer_kernel(net, 1, 0, 1, 3)[0], preset("sobel_y", 3))
