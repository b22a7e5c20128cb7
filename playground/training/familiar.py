"""Is a new picture anything like the training pictures? Two plain measures, both calibrated on validation data.

A network always answers with one of its classes, often at 100 %, even for a photo shown to a digit model.
So before the page states a class it checks:

- distance: the RMS pixel difference (0..1 scale, at most FEATURE_SIDE per side) to the *nearest* training
  picture. The limit is the DISTANCE_QUANTILE of the same distance over the validation pictures, which the
  network never trained on: so about 1 % of real, unseen pictures of the data set lie beyond it. A picture
  farther than that is "unlike the training pictures" and its class means little.
- confidence: the top softmax probability. The limit is the CONFIDENCE_QUANTILE of the validation pictures'
  top probability: below it the network is less sure than it is for 95 % of real pictures: "unsure".

Neither is a guarantee (a far-off picture can still sit close in pixels; a confident answer can still be
wrong), and the page says so; both are honest, simple and computed from the student's own run.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from playground.training.datasets import Dataset

FEATURE_SIDE = 16  # pictures are compared at their input size, at most 16×16 (area-averaged)
DISTANCE_QUANTILE = 0.99
CONFIDENCE_QUANTILE = 0.05
CHUNK = 512  # validation pictures per distance block: (CHUNK, N) floats at a time


def features(pixels: np.ndarray) -> np.ndarray:
    """(N, H, W, C) uint8 -> (N, D) float32 in 0..1, shrunk to at most FEATURE_SIDE per side (area average)."""
    n, h, w, c = pixels.shape
    if max(h, w) > FEATURE_SIDE:
        side = (min(w, FEATURE_SIDE), min(h, FEATURE_SIDE))
        pixels = np.stack([cv2.resize(p, side, interpolation=cv2.INTER_AREA).reshape(side[1], side[0], c)
                           for p in pixels])
    return pixels.reshape(n, -1).astype(np.float32) / 255.0


def nearest(train: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(M,) RMS distance from each row of x (M, D) to its nearest row of train (N, D)."""
    t2 = (train * train).sum(1)  # (N,)
    out = np.empty(len(x), np.float32)
    for i in range(0, len(x), CHUNK):
        part = x[i:i + CHUNK]
        d2 = (part * part).sum(1)[:, None] + t2[None, :] - 2.0 * part @ train.T  # (m, N) squared distances
        out[i:i + CHUNK] = np.sqrt(np.maximum(d2.min(1), 0.0) / train.shape[1])
    return out


@dataclass(frozen=True, eq=False)
class Familiarity:
    """The training pictures as features and the two limits read off the validation pictures."""

    train: np.ndarray  # (N, D) float32
    distance_limit: float
    confidence_limit: float


@dataclass(frozen=True)
class Verdict:
    """What the page says about one picture: "like" (trust the class), "unsure" or "unlike"."""

    kind: str
    distance: float
    distance_limit: float
    confidence: float
    confidence_limit: float


def fit(ds: Dataset, val_pixels: np.ndarray, val_probs: np.ndarray) -> Familiarity:
    """Features of the training split; limits from validation pictures (M, H, W, C) and their (M, K) probabilities.

    val_pixels: the validation split as a new picture would reach the model (prepare.calibration_pictures).
    """
    train = features(np.asarray(ds.train_pixels))
    val_dist = nearest(train, features(np.asarray(val_pixels)))
    limit = float(np.quantile(val_dist, DISTANCE_QUANTILE))
    confidence = float(np.quantile(val_probs.max(1), CONFIDENCE_QUANTILE))
    return Familiarity(train, limit, confidence)


def judge(fam: Familiarity, pixels: np.ndarray, probs: np.ndarray) -> Verdict:
    """The verdict for one (H, W, C) uint8 picture as the model gets it and its (K,) probabilities."""
    distance = float(nearest(fam.train, features(pixels[None]))[0])
    confidence = float(probs.max())
    kind = "unlike" if distance > fam.distance_limit else "unsure" if confidence < fam.confidence_limit else "like"
    return Verdict(kind, distance, fam.distance_limit, confidence, fam.confidence_limit)
