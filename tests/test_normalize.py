"""Normalization against scikit-learn's scalers applied per channel (one column per channel)."""
import numpy as np
import pytest
import torch
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from playground.image.normalize import IMAGENET_MEAN, IMAGENET_STD, channel_stats, display_fixed, normalize, to_tensor

SCALERS = {
    "minmax01": lambda: MinMaxScaler(),
    "minmax11": lambda: MinMaxScaler(feature_range=(-1, 1)),
    "zscore": lambda: StandardScaler(),
}


def _rand(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.mark.parametrize("method", sorted(SCALERS))
@pytest.mark.parametrize("channels", [1, 3])
def test_matches_sklearn_per_channel(method, channels):
    img = _rand((31, 45, channels))
    out, notes = normalize(img, method)
    ref = SCALERS[method]().fit_transform(img.reshape(-1, channels).astype(np.float64)).reshape(img.shape)
    assert out.dtype == np.float32 and out.shape == img.shape
    np.testing.assert_allclose(out, ref, atol=1e-5)
    assert notes == ()


def test_per_channel_not_global():
    img = _rand((10, 10, 3))
    img[..., 2] //= 4  # channel 2 has a much smaller range
    out, _ = normalize(img, "minmax01")
    for c in range(3):
        assert out[..., c].min() == 0.0 and out[..., c].max() == pytest.approx(1.0)


@pytest.mark.parametrize("method", sorted(SCALERS))
def test_constant_image_gives_no_nan_and_matches_sklearn(method):
    img = np.full((8, 8, 3), 200, np.uint8)
    out, notes = normalize(img, method)
    ref = SCALERS[method]().fit_transform(img.reshape(-1, 3).astype(np.float64)).reshape(img.shape)
    assert not np.isnan(out).any()
    np.testing.assert_allclose(out, ref)
    assert notes and notes[0].key == "norm.constant_channel" and notes[0].params["channels"] == "0, 1, 2"


def test_uint8_wraparound_avoided():
    img = np.array([[[0], [255]]], np.uint8)
    out, _ = normalize(img, "zscore")
    np.testing.assert_allclose(out.ravel(), [-1, 1])


def test_imagenet_values():
    img = _rand((5, 6, 3))
    out, _ = normalize(img, "imagenet")
    expected = (img / 255.0 - np.array(IMAGENET_MEAN)) / np.array(IMAGENET_STD)
    np.testing.assert_allclose(out, expected, rtol=1e-5)
    grey, _ = normalize(img[..., :1], "imagenet")
    assert grey.shape == (5, 6, 1)


def test_none_keeps_raw_values_as_float():
    img = _rand((4, 4, 3))
    out, _ = normalize(img, "none")
    np.testing.assert_array_equal(out, img.astype(np.float32))


def test_stats_match_numpy_population_std():
    img = _rand((9, 7, 3))
    s = channel_stats(img)
    flat = img.reshape(-1, 3).astype(float)
    np.testing.assert_allclose(s.std, StandardScaler().fit(flat).scale_)
    np.testing.assert_allclose(s.mean, flat.mean(0))
    assert s.min == tuple(flat.min(0)) and s.max == tuple(flat.max(0))


def test_to_tensor_layout():
    x = np.random.default_rng(0).random((6, 8, 3)).astype(np.float32)
    t = to_tensor(x)
    assert t.shape == (1, 3, 6, 8) and t.dtype == torch.float32 and t.is_contiguous()
    assert t[0, 2, 5, 7].item() == pytest.approx(x[5, 7, 2])


def test_display_is_one_fixed_scale_so_methods_differ():
    """The normalized picture differs between methods (none is re-stretched for display)."""
    x = np.array([-3.0, 0.0, 3.0, 9.0], np.float32).reshape(1, 4, 1)
    np.testing.assert_array_equal(display_fixed(x).ravel(), [0, 128, 255, 255])
    img = np.random.default_rng(0).integers(0, 256, (16, 16, 3)).astype(np.uint8)
    shown = {m: display_fixed(normalize(img, m)[0]).mean() for m in ("none", "minmax01", "minmax11", "zscore")}
    assert shown["none"] > 250 and shown["minmax11"] < shown["minmax01"] and len(set(shown.values())) == 4
