"""The size of a layer's tiled picture, from its shape alone (no drawing libraries): tiles.py draws it,
layers/cost.py estimates what drawing it costs."""
from __future__ import annotations

import math

GRID_WIDTH = 800  # px: about a page column; keeps one layer's JPEG well under 200 KB
MAX_TILE = 256
LARGE_COLS = 4  # "large tiles": at most four maps per row, twice the size of the usual eight


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
