"""Plotly grids for the step-through: numbers in every cell, large enough to read on a projector."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.stepinputs import fmt_number
from playground.stepthrough import Problem, Step, padded, real_mask

# Cell kinds, drawn as a discrete colour scale (the heatmap's z is the kind, the text is the number).
PAD, CELL, SAMPLED, CHOSEN, DONE, CURRENT, EMPTY, KERNEL = range(8)
COLORS = ("#b0bec5", "#ffffff", "#ffe082", "#ff9800", "#c8e6c9", "#ffca28", "#f5f5f5", "#bbdefb")
GAP_COLOR = "#78909c"  # the grid lines between cells
OUTLINE = "#d84315"  # sampled cells of the window, the current output cell
CHOSEN_OUTLINE = "#1a237e"
CONFIG = {"displayModeBar": False, "staticPlot": True}


def _colorscale() -> list:
    """Stops that paint kind i in COLORS[i] (z from -0.5 to len - 0.5)."""
    n = len(COLORS)
    scale = []
    for i, color in enumerate(COLORS):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def cell_size(problem: Problem) -> int:
    """Pixels per cell, the same for every grid of a step, so the grids line up by eye."""
    cells = problem.x.shape[2] + 2 * problem.padding
    budget = 470 if problem.x.shape[0] == 1 else 330  # three channels stack three rows of grids
    return int(max(26, min(66, budget // cells)))


def _font_size(cell: int, text: np.ndarray) -> int:
    """Largest font that fits the longest number in a cell, between 11 and 30 px."""
    longest = max((len(s) for s in text.flat), default=1) or 1
    return int(max(11, min(30, cell * 0.44, cell * 1.7 / max(longest, 2))))


def _cell_rect(r: int, c: int, color: str, width: float, dash: str = "solid") -> dict:
    """A rectangle shape around cell (r, c)."""
    return dict(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                line=dict(color=color, width=width, dash=dash))


def grid_figure(values: np.ndarray, kinds: np.ndarray, cell: int, shapes: tuple = ()) -> go.Figure:
    """One grid of fixed cell size: kinds pick the cell colours, values are written in (NaN = blank)."""
    text = np.vectorize(fmt_number, otypes=[str])(values)
    h, w = values.shape
    heat = go.Heatmap(z=kinds, text=text, texttemplate="%{text}", colorscale=_colorscale(), zmin=-0.5,
                      zmax=len(COLORS) - 0.5, showscale=False, xgap=2, ygap=2, hoverinfo="skip",
                      textfont=dict(size=_font_size(cell, text), color="#111111"))
    fig = go.Figure(heat)
    fig.update_layout(width=w * cell + 8, height=h * cell + 8, margin=dict(l=4, r=4, t=4, b=4),
                      plot_bgcolor=GAP_COLOR, paper_bgcolor="rgba(0,0,0,0)", shapes=list(shapes))
    fig.update_xaxes(visible=False, range=[-0.5, w - 0.5], fixedrange=True)
    fig.update_yaxes(visible=False, range=[h - 0.5, -0.5], fixedrange=True)
    return fig


def input_figure(problem: Problem, step: Step, channel: int, cell: int) -> go.Figure:
    """The padded input of one channel: grey zero border, sampled window cells outlined, max winner marked."""
    grid = padded(problem)[channel]
    kinds = np.where(real_mask(problem), CELL, PAD)
    shapes = []
    if problem.dilation > 1:  # the area the dilated window spans, to show the skipped cells
        r0, r1, c0, c1 = step.rows[0], step.rows[-1], step.cols[0], step.cols[-1]
        shapes.append(dict(type="rect", x0=c0 - 0.5, x1=c1 + 0.5, y0=r0 - 0.5, y1=r1 + 0.5,
                           line=dict(color=OUTLINE, width=2, dash="dash")))
    for r in step.rows:
        for c in step.cols:
            kinds[r, c] = SAMPLED
            shapes.append(_cell_rect(r, c, OUTLINE, 4))
    if step.chosen:
        r, c = step.chosen[channel]
        kinds[r, c] = CHOSEN
        shapes.append(_cell_rect(r, c, CHOSEN_OUTLINE, 5))
    return grid_figure(grid, kinds, cell, tuple(shapes))


def kernel_figure(weight: np.ndarray, cell: int) -> go.Figure:
    """A k×k kernel slice with its numbers."""
    return grid_figure(weight, np.full(weight.shape, KERNEL), cell)


def window_figure(values: np.ndarray, cell: int, chosen: tuple[int, int] | None = None) -> go.Figure:
    """The k×k products (conv) or sampled numbers (pooling); the max winner (window-relative) marked."""
    kinds = np.full(values.shape, SAMPLED)
    shapes = ()
    if chosen is not None:
        kinds[chosen] = CHOSEN
        shapes = (_cell_rect(*chosen, CHOSEN_OUTLINE, 5),)
    return grid_figure(values, kinds, cell, shapes)


def output_figure(out: np.ndarray, step: Step, cell: int) -> go.Figure:
    """One output channel: finished cells green, the current one amber and outlined, the rest blank."""
    kinds = np.where(np.isnan(out), EMPTY, DONE)
    kinds[step.row, step.col] = CURRENT
    return grid_figure(out, kinds, cell, (_cell_rect(step.row, step.col, OUTLINE, 5),))


def chosen_in_window(problem: Problem, step: Step, channel: int) -> tuple[int, int] | None:
    """The max winner's (row, col) inside the k×k window, or None when not max pooling."""
    if not step.chosen:
        return None
    r, c = step.chosen[channel]
    return step.rows.index(r), step.cols.index(c)
