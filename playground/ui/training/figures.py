"""Training lab figures: loss and accuracy curves, confusion matrix, run overlays (plotly), filter tiles (numpy)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.colours import CONFUSION_RIGHT, CONFUSION_WRONG, LOSS, RUN_DASHES, RUNS, TRAIN, VALIDATION, diverging
from playground.ui import theme

MAX_POINTS = 2000  # raw-loss points drawn; longer runs are thinned (the smoothed curve carries the trend)
HEADROOM = 1.08  # the loss axis reaches this much above the highest of the curve and the chance line


def chance_loss(n_classes: int) -> float:
    """Cross-entropy of a network that gives every class the same probability: ln(classes) (2.30 for 10)."""
    return float(np.log(n_classes))


def loss_range(values: list[float], chance: float) -> list[float]:
    """A linear loss axis from 0 to a little above both the curve and the chance line.

    Cross-entropy is never below 0, and starting there keeps a flat loss flat: an axis fitted to the data
    (2.26 to 2.32) would blow noise up into a jumpy curve.
    """
    finite = [v for v in values if np.isfinite(v)]
    return [0.0, HEADROOM * max([chance, *finite])]


def _chance_line(fig: go.Figure, chance: float, label: str) -> None:
    """A dashed line at the loss of guessing evenly, labelled on the right."""
    fig.add_hline(y=chance, line=dict(color="grey", width=1.5, dash="dash"), annotation_text=label,
                  annotation_position="top right")


def _layout(fig: go.Figure, x_title: str, y_title: str, height: int = 340) -> go.Figure:
    fig.update_layout(height=height, font=theme.font(3), margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), xaxis_title=x_title,
                      yaxis_title=y_title, uirevision="keep")  # keep zoom while the curve grows
    return theme.fonts(fig, 3)


def _thin(values: list[float]) -> tuple[list[int], list[float]]:
    """(steps, values) with at most MAX_POINTS points."""
    every = max(1, len(values) // MAX_POINTS)
    steps = list(range(1, len(values) + 1, every))
    return steps, [values[s - 1] for s in steps]


def loss_figure(raw: list[float], smooth: list[float], names: dict[str, str], log: bool = False,
                n_classes: int | None = None) -> go.Figure:
    """Loss per step: raw (thin, pale) and smoothed (bold); on a log axis when log (a diverging run).

    With n_classes, the chance line ln(n_classes) is drawn (names["chance"] labels it) and a linear axis starts at 0.
    """
    fig = go.Figure()
    x, y = _thin(raw)
    fig.add_trace(go.Scatter(x=x, y=[v if np.isfinite(v) else None for v in y], name=names["raw"],
                             line=dict(color=LOSS[0], width=1.5)))
    x, y = _thin(smooth)
    fig.add_trace(go.Scatter(x=x, y=y, name=names["smooth"], line=dict(color=LOSS[1], width=3.5)))
    if log:  # each grid line 10×: a spike of 2000 and a plateau at 2.3 both stay readable
        fig.update_yaxes(type="log", dtick=1)
    if n_classes is not None:
        chance = chance_loss(n_classes)
        _chance_line(fig, chance, names["chance"])
        if not log:
            fig.update_yaxes(range=loss_range([*raw, *smooth], chance))
    return _layout(fig, names["step"], names["loss"])


def epoch_figure(epochs: list[dict], names: dict[str, str]) -> go.Figure:
    """Train / validation accuracy per epoch, in percent."""
    fig = go.Figure()
    x = [e["epoch"] for e in epochs]
    for key, colour, dash in (("train_acc", TRAIN, "dot"), ("val_acc", VALIDATION, "solid")):
        fig.add_trace(go.Scatter(x=x, y=[100 * e[key] for e in epochs], name=names[key], mode="lines+markers",
                                 line=dict(color=colour, width=3.5, dash=dash), marker=dict(size=9)))
    fig.update_yaxes(range=[0, 101])
    fig.update_xaxes(dtick=1 if len(x) <= 20 else None)
    return _layout(fig, names["epoch"], names["acc"])


def epoch_loss_figure(epochs: list[dict], names: dict[str, str], n_classes: int | None = None) -> go.Figure:
    """Train / validation loss per epoch; with n_classes the chance line, and the axis from 0 (as loss_figure)."""
    fig = go.Figure()
    x = [e["epoch"] for e in epochs]
    for key, colour, dash in (("train_loss", TRAIN, "dot"), ("val_loss", VALIDATION, "solid")):
        fig.add_trace(go.Scatter(x=x, y=[e[key] for e in epochs], name=names[key], mode="lines+markers",
                                 line=dict(color=colour, width=3.5, dash=dash), marker=dict(size=9)))
    fig.update_xaxes(dtick=1 if len(x) <= 20 else None)
    if n_classes is not None:
        chance = chance_loss(n_classes)
        _chance_line(fig, chance, names["chance"])
        fig.update_yaxes(range=loss_range([e[k] for e in epochs for k in ("train_loss", "val_loss")], chance))
    return _layout(fig, names["epoch"], names["loss"])


def confusion_figure(cm: np.ndarray, classes: list[str], names: dict[str, str]) -> go.Figure:
    """Counts with true class down the side, predicted along the top: right answers blue, mistakes red, 0 white.

    An empty diagonal cell (no right answer for that class) is white like every other 0, not blue.
    """
    eye = np.eye(len(classes), dtype=bool)
    fig = go.Figure()
    # (cells, colours light -> dark, text colour): one colour scale each, text only on the trace's own cells
    for mask, colours, ink in ((eye & (cm > 0), CONFUSION_RIGHT, "white"),
                               (~eye & (cm > 0), CONFUSION_WRONG, "black"),
                               (cm == 0, ("#ffffff", "#ffffff"), "#bbbbbb")):
        z = np.where(mask, cm, np.nan)
        top = np.nanmax(z) if mask.any() else 1
        fig.add_trace(go.Heatmap(z=z, x=classes, y=classes, colorscale=[[0, colours[0]], [1, colours[1]]],
                                 zmin=0, zmax=max(top, 1), text=np.where(mask, cm.astype(str), ""),
                                 texttemplate="%{text}", textfont=dict(theme.font(3), color=ink), showscale=False,
                                 hovertemplate=names["hover"] + "<extra></extra>", hoverongaps=False, xgap=1, ygap=1))
    fig.update_yaxes(autorange="reversed", type="category", tickfont=theme.font(3))
    fig.update_xaxes(side="top", type="category", tickfont=theme.font(3))
    fig.update_layout(height=140 + 44 * len(classes), width=140 + 50 * len(classes), font=theme.font(3),
                      margin=dict(l=10, r=10, t=60, b=10), xaxis_title=names["pred"], yaxis_title=names["true"],
                      plot_bgcolor="white")
    return theme.fonts(fig, 3)


def compare_figure(runs: list[tuple[str, list[dict]]], names: dict[str, str]) -> go.Figure:
    """Validation accuracy per epoch of several runs, one colour each, labelled by what differed."""
    fig = go.Figure()
    for (label, epochs), colour, dash in zip(runs, RUNS, RUN_DASHES, strict=False):
        fig.add_trace(go.Scatter(x=[e["epoch"] for e in epochs], y=[100 * e["val_acc"] for e in epochs],
                                 name=label, mode="lines+markers", line=dict(color=colour, width=3.5, dash=dash)))
    fig.update_yaxes(range=[0, 101])
    fig.update_xaxes(dtick=1 if max((len(e) for _, e in runs), default=0) <= 20 else None)
    return _layout(fig, names["epoch"], names["acc"], height=380)


def filter_tiles(weights: np.ndarray, cell: int = 96, gap: int = 10, per_row: int = 8) -> np.ndarray:
    """(out, in, k, k) conv weights -> one RGB picture: a tile per filter (input channels summed)."""
    out = weights.sum(axis=1)  # (out, k, k): what the filter does to a grey input
    k = out.shape[-1]
    scale = max(1, cell // k)
    rows = -(-len(out) // per_row)
    side = k * scale
    canvas = np.full((rows * (side + gap) + gap, min(per_row, len(out)) * (side + gap) + gap, 3), 245, np.uint8)
    tiles = diverging(out)  # one colour scale for all filters: their sizes compare
    for i, tile in enumerate(tiles):
        r, c = divmod(i, per_row)
        big = np.kron(tile, np.ones((scale, scale, 1), np.uint8))  # nearest neighbour: each weight a square
        y, x = gap + r * (side + gap), gap + c * (side + gap)
        canvas[y:y + side, x:x + side] = big
    return canvas


def pixelated(img: np.ndarray, side: int = 112, frame: tuple[int, int, int] | None = None) -> np.ndarray:
    """An (H, W, C) uint8 picture enlarged by whole pixels to about side (grey becomes RGB), optionally framed."""
    scale = max(1, side // img.shape[0])
    big = np.kron(img, np.ones((scale, scale, 1), np.uint8))
    big = np.repeat(big, 3, axis=2) if big.shape[-1] == 1 else big
    if frame is not None:  # a thick coloured border, visible from the back of the room
        width = max(4, big.shape[0] // 14)
        big = np.pad(big, ((width, width), (width, width), (0, 0)))
        big[:width], big[-width:], big[:, :width], big[:, -width:] = frame, frame, frame, frame
    return big


def overlay(img: np.ndarray, cam: np.ndarray, side: int = 224) -> np.ndarray:
    """The picture (greyed) with the saliency map in red on top, enlarged by whole pixels."""
    base = pixelated(img, side).astype(np.float32)
    grey = base.mean(axis=2, keepdims=True) * 0.6
    heat = np.kron(cam, np.ones((base.shape[0] // cam.shape[0], base.shape[1] // cam.shape[1])))[..., None]
    red = np.concatenate([np.full_like(heat, 255), np.zeros_like(heat), np.zeros_like(heat)], axis=2)
    return np.rint(grey * (1 - 0.7 * heat) + red * 0.7 * heat).astype(np.uint8)


def probability_figure(classes: list[str], probs: np.ndarray, title: str) -> go.Figure:
    """Horizontal bars of class probabilities in percent, in the data set's class order, the top one darker."""
    top = int(np.argmax(probs))
    colours = ["#08519c" if i == top else "#9ecae1" for i in range(len(classes))]
    fig = go.Figure(go.Bar(x=[100 * float(p) for p in probs], y=classes, orientation="h", marker_color=colours,
                           text=[f"{100 * float(p):.0f} %" for p in probs], textposition="outside"))
    fig.update_yaxes(autorange="reversed", type="category", tickfont=theme.font(3))
    fig.update_xaxes(range=[0, 115], title=title)
    fig.update_layout(height=80 + 34 * len(classes), font=theme.font(3), margin=dict(l=10, r=10, t=10, b=10))
    return theme.fonts(fig, 3)
