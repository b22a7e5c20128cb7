"""Colour maps, built from plotly's own named scales, so a tile, a zoom heatmap and a filter agree."""
from __future__ import annotations

from functools import cache

import numpy as np
from plotly import colors as pc

# The playground's colour maps and the plotly scale each one is: the heatmaps use these, the tiles sample them.
# Grey is a straight black-to-white ramp (plotly's named greys bend), so brightness stays proportional to value.
PLOTLY_SCALES = {"grey": [[0.0, "rgb(0, 0, 0)"], [1.0, "rgb(255, 255, 255)"]], "viridis": "Viridis", "diverging": "RdBu_r"}
COLOUR_MAPS = tuple(PLOTLY_SCALES)


@cache
def lut(name: str) -> np.ndarray:
    """(256, 3) uint8 RGB: the plotly scale sampled at 256 even steps (index 128 is the diverging map's zero)."""
    scale = PLOTLY_SCALES[name]
    stops = scale if isinstance(scale, list) else pc.get_colorscale(scale)
    samples = pc.sample_colorscale(stops, np.linspace(0.0, 1.0, 256).tolist())
    rgb = np.array([pc.unlabel_rgb(pc.convert_colors_to_same_type(s, "rgb")[0][0]) for s in samples], np.float64)
    table = np.rint(rgb).clip(0, 255).astype(np.uint8)
    table.flags.writeable = False
    return table


def diverging(values: np.ndarray) -> np.ndarray:
    """Values -> RGB uint8 on the diverging map: negative blue, zero white, positive red, by the largest magnitude."""
    top = float(np.abs(values).max()) or 1.0
    index = np.rint(127.5 + 127.5 * np.clip(values / top, -1, 1)).astype(np.uint8)
    return lut("diverging")[index]


# Categorical colours of the charts: each set stays apart for protan, deutan and tritan eyes (Okabe-Ito hues, never
# red against green; tests/test_palettes.py simulates the three and measures the distances). Where a set also has
# a second cue, it is noted: lines differ by dash, bars by pattern, the confusion matrix prints its counts.
RUNS = ("#0072B2", "#E69F00", "#56B4E9", "#7F7F7F")  # kept runs compared; each also has its own dash
RUN_DASHES = ("solid", "dash", "dot", "dashdot")
TRAIN, VALIDATION = "#E69F00", "#0072B2"  # orange dotted / blue solid
CHANNELS = ("#E4572E", "#17BEBB", "#1B3B8B")  # red, green, blue channel histograms; each also has its own pattern
CHANNEL_PATTERNS = ("/", "\\", ".")
EXPERIMENT = {"with": "#0072B2", "without": "#E69F00"}
LOSS = ("#9ECAE1", "#08519C")  # raw (thin) / smoothed (bold)
LAYER_HISTOGRAM = ("#9E9E9E", "#1F77B4")  # layer input / output
CONFUSION_RIGHT, CONFUSION_WRONG = ("#6BAED6", "#08306B"), ("#FCBBA1", "#EF3B2C")  # light -> dark; counts printed

PALETTES = {
    "runs": RUNS, "train / validation": (TRAIN, VALIDATION), "image channels": CHANNELS,
    "experiment arms": tuple(EXPERIMENT.values()), "loss raw / smoothed": LOSS, "layer histogram": LAYER_HISTOGRAM,
    "confusion light ends": (CONFUSION_RIGHT[0], CONFUSION_WRONG[0]),
    "confusion dark ends": (CONFUSION_RIGHT[1], CONFUSION_WRONG[1]),
}
