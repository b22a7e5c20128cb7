"""Min-max against z-score on ONE axis: both histograms of the same picture, each with its mean and ±1 std marked.

Side by side, two histograms keep their shape and only the small tick labels differ, so the methods looked the
same. On one axis min-max sits squeezed into [0, 1] while z-score is centred on 0 with its std lines at −1 and +1.
All channels are pooled: per channel z-score gives mean 0 and std 1, so the pool has them too.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from playground.image.normalize import normalize

METHODS = ("minmax01", "zscore")
COLOURS = {"minmax01": "#e66100", "zscore": "#1a5fb4"}  # orange / blue: apart for every kind of colour vision
BINS = 60


@dataclass(frozen=True)
class Spread:
    """One method's pooled values: mean, population std (as StandardScaler), and the histogram."""

    method: str
    mean: float
    std: float
    counts: np.ndarray
    edges: np.ndarray


def number(value: float) -> str:
    """A mark's number to 3 significant digits; float32 round-off around zero (a mean of 3.98e-09) reads 0."""
    return f"{round(float(value), 6) + 0.0:.3g}"  # + 0.0 turns -0.0 into 0


def spreads(img: np.ndarray) -> list[Spread]:
    """Min-max [0, 1] and z-score of an (H, W, C) uint8 picture, pooled over channels, on shared bin edges."""
    values = {m: normalize(img, m)[0].astype(np.float64).ravel() for m in METHODS}
    lo = min(float(v.min()) for v in values.values())
    hi = max(float(v.max()) for v in values.values())
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, BINS + 1)
    return [Spread(m, float(v.mean()), float(v.std()), np.histogram(v, bins=edges)[0], edges)
            for m, v in values.items()]


def compare_figure(img: np.ndarray, names: dict[str, str], font_size: int = 13) -> go.Figure:
    """The two histograms overlaid; a solid line at each mean, dashed lines at mean ± std, labelled with numbers.

    names: "minmax01" / "zscore" (legend), "mean", "std", "x", "y". The page writes the title above it: a plotly
    title does not wrap, and on a phone a long one was cut at the right edge.
    """
    fig = go.Figure()
    for i, s in enumerate(spreads(img)):
        lo, span = float(s.edges[0]), float(s.edges[-1] - s.edges[0])
        colour = COLOURS[s.method]
        fig.add_trace(go.Bar(x=(s.edges[:-1] + s.edges[1:]) / 2, y=s.counts, width=np.diff(s.edges),
                             name=names[s.method], marker=dict(color=colour), opacity=0.5))
        top = 1.0 - 0.27 * i  # six rows of labels: each method's mean, −1 std, +1 std, never on one another
        fig.add_vline(x=s.mean, line=dict(color=colour, width=3))
        fig.add_annotation(x=s.mean, y=top, yref="paper", text=f"{names['mean']} {number(s.mean)}", showarrow=False,
                           xanchor=edge_anchor(s.mean, lo, span), font=dict(color=colour, size=font_size),
                           bgcolor="rgba(255,255,255,0.8)")
        for row, sign in enumerate((-1, 1), start=1):
            x = s.mean + sign * s.std
            fig.add_vline(x=x, line=dict(color=colour, width=2, dash="dash"))
            label = f"{'−' if sign < 0 else '+'}1 {names['std']} = {number(x)}"
            fig.add_annotation(x=x, y=top - 0.09 * row, yref="paper", text=label, showarrow=False,
                               xanchor=edge_anchor(x, lo, span), font=dict(color=colour, size=font_size - 1),
                               bgcolor="rgba(255,255,255,0.8)")
    height = max(360, 20 + 21 * font_size)  # a label row (0.09 of the plot) stays 1.5 lines of text at any font size
    fig.update_layout(barmode="overlay", bargap=0, height=height,
                      margin=dict(l=10, r=10, t=10 + font_size, b=10 + 3 * font_size), font=dict(size=font_size),
                      xaxis_title=names["x"], yaxis_title=names["y"],
                      legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0))
    return fig


def edge_anchor(x: float, lo: float, span: float) -> str:
    """Which way a label at x reaches from its line: centred, or inwards in the axis's outer quarters, where a
    centred label would be cut at the chart's edge (a phone's narrow chart)."""
    where = (x - lo) / span
    return "left" if where < 0.25 else "right" if where > 0.75 else "center"
