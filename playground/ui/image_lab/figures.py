"""Figure builders shared by pages (plotly where hover values matter)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.image.normalize import histograms

RGB_COLOURS = ("#d62728", "#2ca02c", "#1f77b4")
GREY_COLOUR = ("#555555",)


def histogram_figure(before: np.ndarray, after: np.ndarray, titles: tuple[str, str], channel_names: list[str]) -> go.Figure:
    """One figure: per-channel histograms before (left) and after (right) normalization, channels overlaid."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles)
    colours = RGB_COLOURS if before.shape[-1] == 3 else GREY_COLOUR
    for col, data in ((1, before), (2, after)):
        for c, (counts, edges) in enumerate(histograms(data)):
            centres = (edges[:-1] + edges[1:]) / 2
            fig.add_trace(go.Bar(
                x=centres, y=counts, width=np.diff(edges), name=channel_names[c], legendgroup=channel_names[c],
                showlegend=col == 1, marker_color=colours[c], opacity=0.55,
            ), row=1, col=col)
    fig.update_layout(barmode="overlay", height=300, margin=dict(l=10, r=10, t=40, b=10), bargap=0)
    return fig
