"""Feature maps as pictures: colour maps, per-channel scaling, one labelled tiled image, region outlines."""
from __future__ import annotations

import math

import cv2
import numpy as np

COLOUR_MAPS = ("grey", "viridis", "diverging")
SCALINGS = ("channel", "layer")
GRID_WIDTH = 800  # px: about a page column; keeps one layer's JPEG well under 200 KB
MAX_TILE = 256
HEATMAP_SIDE = 160  # zoom heatmaps are subsampled to at most this many points per side


def _diverging_lut() -> np.ndarray:
    """(256, 3) RGB: blue for negative, white at zero, red for positive."""
    t = np.linspace(-1, 1, 256)[:, None]
    blue, white, red = np.array([59, 76, 192]), np.array([247, 247, 247]), np.array([180, 4, 38])
    lut = np.where(t < 0, white + (blue - white) * -t, white + (red - white) * t)
    return lut.round().astype(np.uint8)


_VIRIDIS = cv2.applyColorMap(np.arange(256, dtype=np.uint8)[:, None], cv2.COLORMAP_VIRIDIS)[:, 0, ::-1].copy()
LUTS = {"grey": np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, 1), "viridis": _VIRIDIS, "diverging": _diverging_lut()}


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


def grid_shape(channels: int, max_cols: int = 8) -> tuple[int, int]:
    """(rows, cols) of the tile grid: one row up to 4 channels, then 4 columns up to 8, then max_cols columns."""
    cols = channels if channels <= 4 else (4 if channels <= 8 else max_cols)
    return math.ceil(channels / cols), min(cols, max_cols)


def tile_scale(h: int, w: int, cols: int) -> float:
    """Display scale of one map: 1/n to shrink big maps, n to blow small ones up (whole numbers keep it fast)."""
    side = min(MAX_TILE, GRID_WIDTH // cols)
    if max(h, w) > side:
        return 1.0 / math.ceil(max(h, w) / side)
    return float(max(1, side // max(h, w)))


def _label(tile: np.ndarray, text: str) -> None:
    """Channel number on a dark box in the tile's top-left corner (in place)."""
    scale = 0.45 if tile.shape[1] >= 48 else 0.3
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
    cv2.rectangle(tile, (0, 0), (tw + 4, th + base + 3), (0, 0, 0), -1)
    cv2.putText(tile, text, (2, th + 2), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1, cv2.LINE_AA)


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
    out = np.full((rows * (th + gap) - gap, cols * (tw + gap) - gap, 3), 255, np.uint8)
    for i in range(c):
        tile = LUTS[cmap][units[i]]  # (th, tw, 3)
        if labels:
            _label(tile, str(i))
        r, q = divmod(i, cols)
        out[r * (th + gap):r * (th + gap) + th, q * (tw + gap):q * (tw + gap) + tw] = tile
    return out


def encode_jpeg(rgb: np.ndarray, quality: int = 88) -> bytes:
    """RGB uint8 -> JPEG bytes (what the browser downloads)."""
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(rgb[..., ::-1]), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def outline_region(rgb: np.ndarray, region: tuple[int, int, int, int], colour=(255, 40, 40)) -> np.ndarray:
    """A copy of an (H, W, 3) image with the inclusive (y0, x0, y1, x1) region outlined and the rest dimmed."""
    y0, x0, y1, x1 = region
    out = (rgb.astype(np.float32) * 0.45).astype(np.uint8)
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
