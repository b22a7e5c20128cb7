"""Tests for playground/describe.py: the facts behind text alternatives, checked against hand-made data."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.describe import curve_facts, image_where, layer_facts, where


@pytest.mark.parametrize("r, c, name", [(0, 0, "top_left"), (0, 2, "top_right"), (1, 1, "middle_centre"),
                                        (2, 0, "bottom_left"), (2, 1, "bottom_centre"), (1, 2, "middle_right")])
def test_where_names_the_bright_ninth(r, c, name):
    values = np.zeros((84, 127))
    values[r * 28:(r + 1) * 28, c * 42 + 1:(c + 1) * 42] = 1.0
    assert where(values) == name


def test_one_hot_pixel_does_not_outweigh_a_bright_region():
    values = np.zeros((30, 30))
    values[20:, 20:] = 1.0  # bottom right ninth all bright
    values[0, 0] = 50.0  # one hot pixel: its ninth's mean is 0.5
    assert where(values) == "bottom_right"


def test_tiny_maps_still_get_a_place():
    assert where(np.array([[0.0, 0.0, 3.0]])) == "top_right"
    assert where(np.array([[7.0]])) == "top_left"


def test_layer_facts_pick_the_strongest_map_of_a_real_conv_layer():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 16, 3, padding=1)
    x = torch.zeros(1, 3, 40, 60)
    x[..., 30:, :15] = 1.0  # a bright patch at the bottom left
    maps = torch.relu(conv(x))[0].detach().numpy()  # (16, 40, 60)
    facts = layer_facts(maps)
    expected = int(np.abs(maps).mean(axis=(1, 2)).argmax())
    assert (facts.count, facts.height, facts.width, facts.strongest) == (16, 40, 60, expected)
    assert facts.where == where(np.abs(maps[expected]))


def test_a_strongly_negative_map_is_strong():
    maps = np.zeros((3, 9, 9))
    maps[1] = 0.1
    maps[2, :3, 6:] = -5.0
    facts = layer_facts(maps)
    assert (facts.strongest, facts.where) == (2, "top_right")


def test_image_where_averages_the_colour_channels():
    image = np.zeros((60, 60, 3), np.uint8)
    image[40:, 20:40] = (255, 255, 255)
    assert image_where(image) == "bottom_centre"


def test_curve_facts_skip_missing_values():
    f = curve_facts([2.3, float("nan"), 1.0, None, 0.11])
    assert (f.first, f.last, f.low, f.high, f.points) == (2.3, 0.11, 0.11, 2.3, 3)
    assert curve_facts([]) is None and curve_facts([float("nan")]) is None
