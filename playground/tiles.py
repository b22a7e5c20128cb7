"""Feature maps as pictures: colour maps, per-channel scaling, one labelled tiled image, region outlines."""
from __future__ import annotations

import io
import math
from functools import cache

import cv2
import numpy as np
from PIL import Image

from playground.colours import lut
from playground.tilegrid import GRID_WIDTH, LARGE_COLS, MAX_TILE, grid_shape, tile_scale  # noqa: F401 - re-exported

SCALINGS = ("channel", "layer")
HEATMAP_SIDE = 160  # zoom heatmaps are subsampled to at most this many points per side


def ranges(maps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw per-channel (min, max) of (C, H, W) maps, each shape (C,)."""
    flat = maps.reshape(maps.shape[0], -1)
    return flat.min(axis=1), flat.max(axis=1)


def to_unit(maps: np.ndarray, lo: np.ndarray, hi: np.ndarray, cmap: str, scaling: str) -> np.ndarray:
    """(C, H, W) floats -> (C, H, W) uint8 indices, scaled per channel or per layer; diverging keeps 0 at 128."""
    if scaling == "layer":
        lo, hi = np.full_like(lo, lo.min()), np.full_like(hi, hi.max())
    lo, hi = lo[:, None, None], hi[:, None, None]
    if cmap == "diverging":
        scale = np.maximum(np.abs(lo), np.abs(hi))
        unit = 0.5 + 0.5 * maps / np.where(scale == 0, 1, scale)
    else:
        unit = (maps - lo) / np.where(hi == lo, 1, hi - lo)
    return np.clip(unit * 255 + 0.5, 0, 255).astype(np.uint8)


@cache
def _label_stamp(text: str, small: bool) -> np.ndarray:
    """The channel number in white on a dark box, (h, w, 3) uint8, drawn once per text and size."""
    scale = 0.3 if small else 0.45
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
    stamp = np.zeros((th + base + 4, tw + 5, 3), np.uint8)
    cv2.putText(stamp, text, (2, th + 2), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1, cv2.LINE_AA)
    stamp.flags.writeable = False
    return stamp


def _shrink(maps: np.ndarray, f: float) -> np.ndarray:
    """(C, H, W) maps scaled by f = 1/n (n×n block means) or f = n (blocky pixels).

    Shrinking drops the last H mod n rows and W mod n columns: OpenCV's area resize is ~3× faster
    for a whole-number ratio, and a few border pixels out of hundreds do not show at this size.
    """
    c, h, w = maps.shape
    if f >= 1:
        size, interp = (round(w * f), round(h * f)), cv2.INTER_NEAREST
    else:
        n = round(1 / f)
        h, w = max(1, h // n) * n if h >= n else h, max(1, w // n) * n if w >= n else w
        size, interp = (max(1, w // n), max(1, h // n)), cv2.INTER_AREA
    src = maps[:, :h, :w].astype(np.float32, copy=False)
    return np.stack([cv2.resize(m, size, interpolation=interp) for m in src])  # (C, th, tw)


def tile_maps(maps: np.ndarray, cmap: str = "grey", scaling: str = "channel", labels: bool = True,
              lo_hi: tuple[np.ndarray, np.ndarray] | None = None, max_cols: int = 8) -> np.ndarray:
    """All channels of one layer, (C, H, W) floats, as one labelled (H', W', 3) uint8 RGB grid."""
    c, h, w = maps.shape
    rows, cols = grid_shape(c, max_cols)
    lo, hi = lo_hi if lo_hi is not None else ranges(maps)  # raw extremes, then shrink: cheaper than scaling all
    units, gap = to_unit(_shrink(maps, tile_scale(h, w, cols)), lo, hi, cmap, scaling), 2
    th, tw = units.shape[1:]
    cells = np.full((rows * cols, th + gap, tw + gap, 3), 255, np.uint8)  # one white-bordered cell per channel
    cells[:c, :th, :tw] = lut(cmap)[units]  # (C, th, tw, 3): the colour table applied to all maps at once
    if labels:
        for i in range(c):
            stamp = _label_stamp(str(i), tw < 48)
            sh, sw = min(stamp.shape[0], th), min(stamp.shape[1], tw)
            cells[i, :sh, :sw] = stamp[:sh, :sw]
    grid = cells.reshape(rows, cols, th + gap, tw + gap, 3).transpose(0, 2, 1, 3, 4)
    return np.ascontiguousarray(grid.reshape(rows * (th + gap), cols * (tw + gap), 3)[:-gap, :-gap])


def encode_jpeg(rgb: np.ndarray, quality: int = 88) -> bytes:
    """RGB uint8 -> JPEG bytes (what the browser downloads); Pillow takes RGB as it is, no channel flip."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def outline_region(rgb: np.ndarray, region: tuple[int, int, int, int] | None, colour=(255, 40, 40)) -> np.ndarray:
    """A copy of an (H, W, 3) image with the inclusive (y0, x0, y1, x1) region outlined and the rest dimmed
    (None: no region, all dimmed)."""
    out = (rgb.astype(np.float32) * 0.45).astype(np.uint8)
    if region is None:
        return out
    y0, x0, y1, x1 = region
    out[y0:y1 + 1, x0:x1 + 1] = rgb[y0:y1 + 1, x0:x1 + 1]
    thick = max(2, round(max(rgb.shape[:2]) / 150))  # visible on a projector
    cv2.rectangle(out, (x0, y0), (x1, y1), colour, thick)
    return out


def value_sample(x: np.ndarray, limit: int = 2 ** 16) -> np.ndarray:
    """At most about `limit` values of an array, taken at a fixed stride (enough for a histogram's shape)."""
    flat = x.ravel()
    return flat[::max(1, flat.size // limit)]


def subsample(channel: np.ndarray, side: int = HEATMAP_SIDE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every n-th row and column of an (H, W) map (true values, no averaging) and their row / column indices."""
    step = max(1, math.ceil(max(channel.shape) / side))
    ys, xs = np.arange(0, channel.shape[0], step), np.arange(0, channel.shape[1], step)
    return channel[::step, ::step], ys, xs
