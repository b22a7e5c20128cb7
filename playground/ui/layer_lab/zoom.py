"""Layer lab close-ups: one channel as a plotly heatmap, its kernel, the layer's histogram, the receptive field."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from playground.colours import LAYER_HISTOGRAM, PLOTLY_SCALES
from playground.model import build_model
from playground.tiles import ranges, subsample, value_sample
from playground.ui import alt, bind, theme
from playground.ui.layer_lab.editor import kind_label
from playground.ui.layer_lab.field import receptive_field
from playground.ui.state import read, tr, write

MAX_KERNELS = 8  # input channels shown for one output channel's kernel
MARGIN = dict(l=10, r=10, t=40, b=10)


def channel_figure(channel: np.ndarray, cmap: str, pos: tuple[int, int], title: str) -> go.Figure:
    """One (H, W) map as a heatmap (every n-th pixel of big maps) with the chosen position marked."""
    z, ys, xs = subsample(channel)
    heat = go.Heatmap(z=z, x=xs, y=ys, colorscale=PLOTLY_SCALES[cmap], zmid=0 if cmap == "diverging" else None,
                      hovertemplate="y %{y}, x %{x}: %{z:.4g}<extra></extra>")
    mark = go.Scatter(x=[pos[1]], y=[pos[0]], mode="markers", hoverinfo="skip", showlegend=False,
                      marker=dict(symbol="square-open", size=14, color="#ff2828", line=dict(width=3)))
    fig = go.Figure([heat, mark])
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain")
    fig.update_layout(title=title, height=420, margin=MARGIN)
    return theme.fonts(fig)


def kernel_strip(weight: np.ndarray) -> np.ndarray:
    """(in, k, k) kernels side by side in one (k, n·(k + 1) − 1) array, NaN columns between them."""
    n, k = min(len(weight), MAX_KERNELS), weight.shape[-1]
    strip = np.full((k, n * (k + 1) - 1), np.nan)
    for c in range(n):
        strip[:, c * (k + 1):c * (k + 1) + k] = weight[c]
    return strip


def kernel_figure(weight: np.ndarray, title: str) -> go.Figure:
    """An output channel's (in, k, k) weights as one heatmap strip, one k×k block per input channel."""
    k, strip = weight.shape[-1], kernel_strip(weight)
    lim = float(np.abs(weight).max()) or 1.0
    heat = go.Heatmap(z=strip, colorscale=PLOTLY_SCALES["diverging"], zmin=-lim, zmax=lim,
                      texttemplate="%{z:.2f}" if k <= 5 else None, hovertemplate="%{z:.4g}<extra></extra>", xgap=1, ygap=1)
    ticks = [c * (k + 1) + (k - 1) / 2 for c in range(strip.shape[1] // (k + 1) + 1)]
    fig = go.Figure(heat, layout=dict(title=title, height=260, margin=MARGIN))
    fig.update_xaxes(tickvals=ticks, ticktext=[tr("layers.zoom.in_channel", c=c) for c in range(len(ticks))])
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False)
    return theme.fonts(fig)


def histogram_figure(before: np.ndarray, after: np.ndarray, names: tuple[str, str]) -> go.Figure:
    """Value histograms of a layer's input and output, overlaid (ReLU cuts, sigmoid squashes)."""
    fig = go.Figure()
    for data, name, colour in ((before, names[0], LAYER_HISTOGRAM[0]), (after, names[1], LAYER_HISTOGRAM[1])):
        sample = value_sample(data)  # a strided sample: same shape, a fraction of the time
        counts, edges = np.histogram(sample, bins=60)
        fig.add_bar(x=(edges[:-1] + edges[1:]) / 2, y=100 * counts / sample.size, width=np.diff(edges), name=name,
                    marker_color=colour, opacity=0.6)
    fig.update_layout(barmode="overlay", bargap=0, height=300, margin=MARGIN,
                      legend=dict(orientation="h", y=1.12), xaxis_title=tr("layers.zoom.value"),
                      yaxis_title=tr("layers.zoom.count"))
    return theme.fonts(fig)


def _within(name: str, hi: int, default: int) -> None:
    """Keep a stored pick inside 0..hi (a new layer may be smaller); out of range reads as `default`."""
    stored = read(f"view.layers.{name}")
    if not 0 <= stored <= hi:
        write(f"view.layers.{name}", default if stored < 0 else hi)


def _number(col, name: str, label_key: str, hi: int) -> int:
    with col:
        return int(bind.control(f"view.layers.{name}", st.number_input, label=tr(label_key), min_value=0, max_value=hi))


def _pick(result) -> tuple[int, int, int, int]:
    """Layer (1-based), channel and position (y, x) to look at."""
    rows = result.rows
    cols = st.columns([2, 1, 1, 1])  # the layer choice ("6 · MaxPool2d · max pooling") gets the room
    if read("view.layers.zoom_layer") not in [r.index for r in rows]:
        write("view.layers.zoom_layer", len(rows))
    with cols[0]:
        layer = bind.control("view.layers.zoom_layer", st.selectbox, label=tr("layers.zoom.layer"),
                             options=[r.index for r in rows],
                             format_func={r.index: f"{r.index} · {kind_label(r.kind)}" for r in rows}.__getitem__)
    c, h, w = rows[layer - 1].out_shape
    for name, hi, default in (("zoom_channel", c - 1, 0), ("zoom_y", h - 1, h // 2), ("zoom_x", w - 1, w // 2)):
        _within(name, hi, default)
    channel = _number(cols[1], "zoom_channel", "layers.zoom.channel", c - 1)
    y = _number(cols[2], "zoom_y", "layers.zoom.y", h - 1)
    x = _number(cols[3], "zoom_x", "layers.zoom.x", w - 1)
    return layer, channel, y, x


@st.fragment
def zoom_section(result, cmap: str) -> None:
    """Heatmap with hover values, the kernel beside it, the histogram and the receptive field below.

    A fragment: picking another layer, channel or position reruns only this section.
    """
    st.caption(tr("layers.zoom.help"))
    layer, channel, y, x = _pick(result)
    row, maps = result.rows[layer - 1], result.maps[layer - 1]
    left, right = st.columns(2)
    title = tr("layers.zoom.map_title", i=layer, name=row.name, c=channel)
    with left:
        st.plotly_chart(channel_figure(maps[channel], cmap, (y, x), title), key="layers.zoom.map",
                        alt=alt.heatmap(title, maps[channel]))
        receptive_field(result, layer, y, x)
    with right:
        weight = None
        if row.params:  # only a layer with weights needs the model built
            stack = result.stack if result.stack is not None else build_model(result.net, result.in_shape[0])
            weight = row.family.weight_of(stack[layer - 1], channel)  # (in, k, k), or None (BatchNorm's scale)
        if weight is not None:
            kernel_title = tr("layers.zoom.kernel_title", c=channel)
            st.plotly_chart(kernel_figure(weight, kernel_title), key="layers.zoom.kernel",
                            alt=alt.heatmap(kernel_title, weight.reshape(-1, weight.shape[-1])))
            if len(weight) > MAX_KERNELS:
                st.caption(tr("layers.zoom.more_inputs", n=MAX_KERNELS, total=len(weight)))
        else:
            st.info(tr("layers.zoom.no_weights", name=row.name))
        before = result.x if layer == 1 else result.maps[layer - 2]
        names = (tr("layers.zoom.hist_in"), tr("layers.zoom.hist_out", name=row.name))
        st.plotly_chart(histogram_figure(before, maps, names), key="layers.zoom.hist",
                        alt=" ".join(alt.histogram(n, v) for n, v in zip(names, (before, maps), strict=True)))
        channel_ranges(maps)


def channel_ranges(maps: np.ndarray) -> None:
    """The raw min / max of every channel of a layer (the tiles are stretched between these)."""
    lo, hi = ranges(maps)
    with st.expander(tr("layers.maps.ranges_button")):
        st.dataframe([{tr("layers.maps.channel"): c, tr("layers.maps.min"): float(a), tr("layers.maps.max"): float(b)}
                      for c, (a, b) in enumerate(zip(lo, hi, strict=False))], hide_index=True, width="stretch")
