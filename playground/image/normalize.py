"""Normalization per channel; values match scikit-learn's MinMaxScaler / StandardScaler column by column."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from playground.errors import Message

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
# Grayscale images use the mean of the three ImageNet values.
IMAGENET_GREY = ((sum(IMAGENET_MEAN) / 3,), (sum(IMAGENET_STD) / 3,))


@dataclass(frozen=True)
class ChannelStats:
    """Per-channel mean / std (population, as StandardScaler) / min / max."""

    mean: tuple[float, ...]
    std: tuple[float, ...]
    min: tuple[float, ...]
    max: tuple[float, ...]


def channel_stats(x: np.ndarray) -> ChannelStats:
    """Stats of an (H, W, C) array, one value per channel."""
    flat = x.reshape(-1, x.shape[-1]).astype(np.float64)
    return ChannelStats(*(tuple(float(v) for v in f(flat, axis=0)) for f in (np.mean, np.std, np.min, np.max)))


def _minmax(flat: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """MinMaxScaler(feature_range=(lo, hi)) per column; a constant column maps to lo, as sklearn does."""
    span = flat.max(axis=0) - flat.min(axis=0)
    span[span == 0] = 1.0
    return (flat - flat.min(axis=0)) / span * (hi - lo) + lo


def _zscore(flat: np.ndarray) -> np.ndarray:
    """StandardScaler per column; a constant column becomes 0 (centred, left unscaled)."""
    std = flat.std(axis=0)
    std[std == 0] = 1.0
    return (flat - flat.mean(axis=0)) / std


def _imagenet(flat: np.ndarray) -> np.ndarray:
    """Scale to [0, 1], then subtract the ImageNet mean and divide by its std."""
    mean, std = (IMAGENET_MEAN, IMAGENET_STD) if flat.shape[1] == 3 else IMAGENET_GREY
    return (flat / 255.0 - np.array(mean)) / np.array(std)


def normalize(img: np.ndarray, method: str) -> tuple[np.ndarray, tuple[Message, ...]]:
    """Normalize an (H, W, C) uint8 image; returns float32 (H, W, C) and notes (e.g. constant channels)."""
    flat = img.reshape(-1, img.shape[-1]).astype(np.float64)  # float first: uint8 arithmetic wraps
    funcs = {
        "none": lambda f: f,
        "minmax01": lambda f: _minmax(f, 0.0, 1.0),
        "minmax11": lambda f: _minmax(f, -1.0, 1.0),
        "zscore": _zscore,
        "imagenet": _imagenet,
    }
    out = funcs[method](flat).astype(np.float32).reshape(img.shape)
    return out, _constant_notes(flat, method)


def _constant_notes(flat: np.ndarray, method: str) -> tuple[Message, ...]:
    """Say which channels are constant when the method divides by their spread."""
    if method not in ("minmax01", "minmax11", "zscore"):
        return ()
    const = [str(i) for i in np.flatnonzero(flat.max(axis=0) == flat.min(axis=0))]
    if not const:
        return ()
    value = {"minmax01": 0, "minmax11": -1, "zscore": 0}[method]
    return (Message("norm.constant_channel", {"channels": ", ".join(const), "value": value}),)


def to_tensor(x: np.ndarray) -> torch.Tensor:
    """(H, W, C) float array -> (1, C, H, W) float32 tensor, contiguous."""
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32))


def histograms(x: np.ndarray, bins: int = 64) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per-channel (counts, bin_edges) over the channel's own range."""
    return [np.histogram(x[..., c], bins=bins) for c in range(x.shape[-1])]


DISPLAY_LIMIT = 3.0  # the normalized image is shown on one scale for every method: −3 black … 0 grey … +3 white


def display_fixed(x: np.ndarray, limit: float = DISPLAY_LIMIT) -> np.ndarray:
    """A normalized float image as uint8 on the fixed scale −limit … +limit (values beyond are clipped).

    One scale for every method, so the methods' differences show: z-score spreads around grey, min-max 0..1
    sits in the light half, and raw 0..255 values are far off the scale (white).
    """
    unit = (np.asarray(x, np.float64) + limit) / (2 * limit)
    return np.round(np.clip(unit, 0.0, 1.0) * 255).astype(np.uint8)
