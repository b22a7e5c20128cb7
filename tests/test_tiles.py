"""Tests for playground/tiles.py: colour maps, scaling, the tile grid and region outlines."""
from __future__ import annotations

import numpy as np
import pytest
from plotly import colors as pc

from playground.colours import COLOUR_MAPS, PLOTLY_SCALES, lut
from playground.tiles import encode_jpeg, grid_shape, outline_region, ranges, subsample, tile_maps, to_unit, value_sample


def test_luts_are_256_rgb_and_diverging_is_white_in_the_middle():
    assert all(lut(n).shape == (256, 3) and lut(n).dtype == np.uint8 for n in COLOUR_MAPS)
    assert tuple(lut("diverging")[128]) == pytest.approx((247, 247, 247), abs=2)
    assert lut("diverging")[0][2] > lut("diverging")[0][0]  # negative end is blue
    # the tiles' colours are plotly's own scales: the zoom heatmap (plotly) colours a value the same way
    for name, scale in PLOTLY_SCALES.items():
        for v in (0, 77, 200, 255):
            want = pc.unlabel_rgb(pc.convert_colors_to_same_type(
                pc.sample_colorscale(scale if isinstance(scale, list) else pc.get_colorscale(scale), [v / 255])[0],
                "rgb")[0][0])
            assert tuple(int(x) for x in lut(name)[v]) == pytest.approx(want, abs=1), (name, v)


def test_per_channel_and_per_layer_scaling():
    maps = np.stack([np.linspace(0, 1, 16).reshape(4, 4), np.linspace(0, 10, 16).reshape(4, 4)]).astype(np.float32)
    lo, hi = ranges(maps)
    per_channel = to_unit(maps, lo, hi, "grey", "channel")
    assert per_channel[0].max() == per_channel[1].max() == 255 and per_channel[0].min() == 0
    per_layer = to_unit(maps, lo, hi, "grey", "layer")
    assert per_layer[0].max() < 30 and per_layer[1].max() == 255
    signed = to_unit(np.array([[[-2.0, 0.0, 1.0]]], np.float32), np.array([-2.0]), np.array([1.0]), "diverging", "channel")
    assert signed.tolist() == [[[0, 128, 191]]]  # 0.75 × 255, rounded


def test_constant_channel_does_not_divide_by_zero():
    maps = np.full((2, 3, 3), 7.0, np.float32)
    lo, hi = ranges(maps)
    assert to_unit(maps, lo, hi, "viridis", "channel").max() == 0


@pytest.mark.parametrize("shape", [(16, 510, 510), (3, 5, 7), (1, 1, 1), (64, 1000, 3), (8, 257, 513)])
def test_grid_holds_every_channel(shape):
    maps = np.random.default_rng(0).random(shape, dtype=np.float32)
    out = tile_maps(maps, "viridis")
    rows, cols = grid_shape(shape[0])
    assert rows * cols >= shape[0] and out.dtype == np.uint8 and out.shape[2] == 3
    assert out.shape[1] <= 820  # about one page column
    assert encode_jpeg(out)[:2] == b"\xff\xd8"


def test_small_maps_are_blown_up_by_whole_pixels():
    maps = np.arange(9, dtype=np.float32).reshape(1, 3, 3)
    out = tile_maps(maps, "grey", labels=False)
    f = out.shape[0] // 3
    assert out.shape[:2] == (3 * f, 3 * f) and f > 1
    assert (out[:f, :f] == 0).all() and (out[-f:, -f:] == 255).all()


def test_outline_and_samples():
    img = np.full((20, 30, 3), 200, np.uint8)
    out = outline_region(img, (5, 6, 9, 12))
    assert out[0, 0, 0] < 100 and out[7, 8, 0] == 200  # outside dimmed, inside kept
    z, ys, xs = subsample(np.arange(400 * 300, dtype=np.float32).reshape(400, 300), side=100)
    assert z.shape == (100, 75) and z[1, 1] == 4 * 300 + 4 and ys[1] == 4 and xs[1] == 4
    assert value_sample(np.zeros(10 ** 6), limit=1000).size <= 1001
