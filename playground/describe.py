"""Plain facts about pictures and curves, for text alternatives: where a map is strongest, how a curve went.

The UI turns these facts into a sentence in the page's language; nothing here knows any words.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ROWS = ("top", "middle", "bottom")
COLS = ("left", "centre", "right")


def where(values: np.ndarray) -> str:
    """The ninth of a (H, W) map with the largest mean, as "top_left" … "bottom_right" ("middle_centre" = centre).

    Means over a 3×3 grid rather than the single largest pixel: one hot pixel does not decide it.
    """
    values = np.asarray(values, np.float64)  # (H, W)
    h, w = values.shape
    best, name = -np.inf, "middle_centre"
    for r, rows in enumerate(np.array_split(np.arange(h), 3)):
        for c, cols in enumerate(np.array_split(np.arange(w), 3)):
            if rows.size == 0 or cols.size == 0:
                continue
            mean = float(values[np.ix_(rows, cols)].mean())
            if mean > best:
                best, name = mean, f"{ROWS[r]}_{COLS[c]}"
    return name


@dataclass(frozen=True)
class LayerFacts:
    """One layer's maps in a few facts: how many, their size, the strongest one (its channel number, from 0, as the
    tiles are labelled) and where it peaks."""
    count: int
    height: int
    width: int
    strongest: int
    where: str


def layer_facts(maps: np.ndarray) -> LayerFacts:
    """Facts of (C, H, W) maps: the strongest map is the one of largest mean |value|, placed by where()."""
    maps = np.asarray(maps, np.float64)
    strength = np.abs(maps)  # (C, H, W): a strongly negative response is strong too
    k = int(strength.reshape(len(maps), -1).mean(axis=1).argmax())
    return LayerFacts(len(maps), maps.shape[1], maps.shape[2], k, where(strength[k]))


def image_where(image: np.ndarray) -> str:
    """Where an (H, W) or (H, W, C) picture is brightest."""
    image = np.asarray(image, np.float64)
    return where(image.mean(axis=-1) if image.ndim == 3 else image)


@dataclass(frozen=True)
class CurveFacts:
    """A curve's first and last value, its lowest and highest, and how many points it has."""
    first: float
    last: float
    low: float
    high: float
    points: int


def curve_facts(values) -> CurveFacts | None:
    """Facts of a sequence of numbers (NaN left out); None when nothing is left."""
    data = np.asarray([v for v in values if v is not None], np.float64)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return None
    return CurveFacts(float(data[0]), float(data[-1]), float(data.min()), float(data.max()), int(data.size))


@dataclass(frozen=True)
class CountFacts:
    """Bars of counts in a few facts: how many in all, how many bars, the tallest bar's label and count."""

    total: int
    bars: int
    top: str
    top_count: int


def count_facts(labels, counts) -> CountFacts | None:
    """Facts of a bar chart of counts (the first tallest bar wins a tie); None when there is no bar."""
    pairs = list(zip(labels, counts, strict=True))
    if not pairs:
        return None
    top, top_count = max(pairs, key=lambda p: p[1])
    return CountFacts(int(sum(c for _, c in pairs)), len(pairs), str(top), int(top_count))
