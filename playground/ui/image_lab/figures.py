"""Figure builders shared by pages (plotly where hover values matter)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.colours import CHANNEL_PATTERNS, CHANNELS
from playground.image.normalize import histograms

GREY_COLOUR = ("#555555",)


def histogram_figure(data: np.ndarray, title: str, channel_names: list[str], font_size: int = 13) -> go.Figure:
    """Per-channel histograms of one stage (before or after normalization), channels overlaid."""
    colours = CHANNELS if data.shape[-1] == 3 else GREY_COLOUR
    patterns = CHANNEL_PATTERNS if data.shape[-1] == 3 else ("",)  # a second cue besides colour
    fig = go.Figure()
    for c, (counts, edges) in enumerate(histograms(data)):
        fig.add_trace(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges), name=channel_names[c],
                             marker=dict(color=colours[c], pattern_shape=patterns[c]), opacity=0.55))
    fig.update_layout(title=dict(text=title, font=dict(size=font_size + 3)), barmode="overlay", height=300, bargap=0,
                      margin=dict(l=10, r=10, t=48, b=10 + 3 * font_size), font=dict(size=font_size),
                      # at the figure's foot, under the tick labels: never on the title, whatever the width
                      legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0))
    return fig
