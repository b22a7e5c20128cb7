"""Tests for playground/image/samples.py: every sample loads offline, has the promised content and is read-only."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_sample_image

from playground.errors import ImageError
from playground.i18n import catalogue, tm
from playground.image.decode import to_working
from playground.image.samples import load_sample
from playground.limits import SAMPLES


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_is_rgb_uint8(name):
    rgb = load_sample(name)
    assert rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.uint8
    assert min(rgb.shape[:2]) >= 64 and rgb.min() < rgb.max()


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_are_cached_and_read_only(name):
    rgb = load_sample(name)
    assert load_sample(name) is rgb
    with pytest.raises(ValueError):
        rgb[0, 0, 0] = 1
    work, _ = to_working(rgb, 32, grayscale=True)  # the read-only array still feeds the pipeline
    assert max(work.shape[:2]) == 32 and work.shape[2] == 1


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_has_a_display_name_in_both_languages(name):
    assert catalogue("en")[f"samples.{name}"] != catalogue("zh")[f"samples.{name}"]


def test_catalogue_lists_no_sample_that_does_not_exist():
    for lang in ("en", "zh"):
        names = {key.split(".", 1)[1] for key in catalogue(lang) if key.startswith("samples.")}
        assert names == set(SAMPLES)


@pytest.mark.parametrize("name", ["", "China", "cat", "../china", None])
def test_unknown_sample(name):
    with pytest.raises(ImageError) as info:
        load_sample(name)
    assert info.value.key == "sample.unknown" and info.value.params == {"name": str(name)}
    assert "“" in tm(info.value.message, "en") and tm(info.value.message, "zh")


@pytest.mark.parametrize("name", ["china", "flower"])
def test_photos_are_sklearns(name):
    np.testing.assert_array_equal(load_sample(name), load_sample_image(f"{name}.jpg"))


def test_digit_is_sklearn_digit_zero_white_on_black():
    ink = load_digits().images[0]  # (8, 8), 0..16
    rgb = load_sample("digit")
    assert rgb.shape == (64, 64, 3)
    centres = rgb[4::8, 4::8, 0]  # one pixel from the middle of every 8×8 block
    np.testing.assert_array_equal(centres, np.rint(ink * 255 / 16))
    blocks = rgb[..., 0].reshape(8, 8, 8, 8).transpose(0, 2, 1, 3).reshape(64, 64)
    assert (blocks.min(axis=1) == blocks.max(axis=1)).all()  # nearest neighbour: flat blocks
    assert rgb[0, 0, 0] == 0 and rgb.max() > 200  # background black, ink bright


def test_checkerboard_has_32_pixel_squares():
    grey = load_sample("checkerboard")[..., 0]
    assert grey.shape == (256, 256) and set(np.unique(grey)) == {0, 255}
    assert grey[0, 0] == 255 and grey[0, 31] == 255 and grey[0, 32] == 0 and grey[32, 0] == 0
    assert grey[32, 32] == 255
    np.testing.assert_array_equal(grey[:, :32], np.roll(grey, 64, axis=0)[:, :32])


def test_gradient_runs_across_and_down():
    rgb = load_sample("gradient").astype(int)
    assert rgb.shape == (256, 256, 3)
    assert (np.diff(rgb[..., 0], axis=1) > 0).all() and (np.diff(rgb[..., 0], axis=0) == 0).all()
    assert (np.diff(rgb[..., 1], axis=0) > 0).all() and (np.diff(rgb[..., 1], axis=1) == 0).all()
    assert rgb[0, 0, 2] == 255 and rgb[-1, -1, 2] == 0


def test_circle_is_white_on_black_with_hard_edges():
    rgb = load_sample("circle")
    grey = rgb[..., 0]
    assert set(np.unique(rgb)) == {0, 255}
    assert (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()
    assert grey[128, 128] == 255 and grey[0, 0] == 0 and grey[0, 255] == 0
    np.testing.assert_array_equal(grey, grey.T)
    np.testing.assert_array_equal(grey, grey[::-1, ::-1])
    area = np.count_nonzero(grey) / np.pi  # ≈ radius²
    assert 70**2 < area < 90**2


def test_stripes_are_diagonal_and_two_valued():
    grey = load_sample("stripes")[..., 0]
    assert set(np.unique(grey)) == {0, 255}
    np.testing.assert_array_equal(grey[1:, :-1], grey[:-1, 1:])  # constant along anti-diagonals
    assert (grey[0, :] != grey[0, 0]).any() and (grey[:, 0] != grey[0, 0]).any()
