"""Built-in sample images: two sklearn photos, one sklearn digit and generated test patterns. No network.

Every sample is (H, W, 3) uint8 RGB, built once and cached. The cached array is shared, so it is
returned read-only (flags.writeable is False): copy it before editing in place.
"""
from __future__ import annotations

import gzip
import importlib.util
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

from playground.errors import ImageError
from playground.limits import SAMPLES

PATTERN_SIZE = 256  # side of the generated test patterns
DIGIT_SCALE = 8  # the 8×8 sklearn digit is enlarged by nearest neighbour to 64×64


def load_sample(name: str) -> np.ndarray:
    """The sample called name as a read-only (H, W, 3) uint8 RGB array; unknown names raise ImageError."""
    if name not in SAMPLES:
        raise ImageError("sample.unknown", name=str(name))
    return _cached(name)


@cache
def _cached(name: str) -> np.ndarray:
    """Build a sample once and freeze it, since every caller shares the same array."""
    rgb = np.array(_BUILDERS[name](), dtype=np.uint8)  # (H, W, 3), our own copy to freeze
    rgb.flags.writeable = False
    return rgb


def _sklearn_file(*parts: str) -> Path:
    """A data file that ships inside the installed scikit-learn, found without importing sklearn (seconds)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ImageError("sample.unknown", name=parts[-1])
    return Path(next(iter(spec.submodule_search_locations)), "datasets", *parts)


def _photo(filename: str) -> np.ndarray:
    """One of the photos bundled with scikit-learn (427×640 RGB), read as sklearn's load_sample_image reads it."""
    with Image.open(_sklearn_file("images", filename)) as im:
        return np.asarray(im.convert("RGB"))


def _digit() -> np.ndarray:
    """sklearn digit #0 (a handwritten 0): white ink on black like MNIST, values 0..16 -> 0..255."""
    with gzip.open(_sklearn_file("data", "digits.csv.gz"), "rt") as fh:
        first = fh.readline()  # the row load_digits reads first
    ink = np.array(first.split(",")[:64], np.float64).reshape(8, 8)  # (8, 8), 0..16; the 65th value is the label
    gray = np.rint(ink * 255.0 / 16.0).astype(np.uint8)
    big = np.kron(gray, np.ones((DIGIT_SCALE, DIGIT_SCALE), dtype=np.uint8))  # nearest neighbour
    return _gray_to_rgb(big)


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of a PATTERN_SIZE square, as (H, 1) and (1, W) arrays."""
    return np.ogrid[:PATTERN_SIZE, :PATTERN_SIZE]


def _gray_to_rgb(gray: np.ndarray) -> np.ndarray:
    """(H, W) uint8 to (H, W, 3) with three equal channels."""
    return np.repeat(gray.astype(np.uint8)[..., None], 3, axis=2)


def _checkerboard() -> np.ndarray:
    """Black and white 32 px squares, white in the top-left corner."""
    rows, cols = _grid()
    return _gray_to_rgb(((rows // 32 + cols // 32) % 2 == 0) * 255)


def _gradient() -> np.ndarray:
    """Red grows left to right, green top to bottom, blue falls along the diagonal."""
    ramp = np.linspace(0, 255, PATTERN_SIZE)
    red = np.broadcast_to(ramp[None, :], (PATTERN_SIZE, PATTERN_SIZE))
    green = np.broadcast_to(ramp[:, None], (PATTERN_SIZE, PATTERN_SIZE))
    blue = 255 - (red + green) / 2
    return np.rint(np.stack([red, green, blue], axis=2)).astype(np.uint8)


def _circle() -> np.ndarray:
    """A filled white circle (radius 80 px) with hard edges, centred on black."""
    rows, cols = _grid()
    centre = (PATTERN_SIZE - 1) / 2
    inside = (rows - centre) ** 2 + (cols - centre) ** 2 <= 80**2
    return _gray_to_rgb(inside * 255)


def _stripes() -> np.ndarray:
    """Diagonal black and white stripes, 16 px wide along each row, running bottom-left to top-right."""
    rows, cols = _grid()
    return _gray_to_rgb(((rows + cols) // 16 % 2 == 0) * 255)


_BUILDERS = {
    "china": lambda: _photo("china.jpg"),
    "flower": lambda: _photo("flower.jpg"),
    "digit": _digit,
    "checkerboard": _checkerboard,
    "gradient": _gradient,
    "circle": _circle,
    "stripes": _stripes,
}
