"""Text alternatives in the page's language, from the facts playground.describe finds in the data."""
from __future__ import annotations

import numpy as np

from playground.describe import LayerFacts, curve_facts, image_where, where
from playground.ui.state import tr


def place(name: str) -> str:
    """"top_left" -> "top left" (or its translation)."""
    return tr(f"a11y.where.{name}")


def layer_maps(f: LayerFacts, index: int, name: str) -> str:
    """A layer's tiled maps (their facts from describe.layer_facts): how many, their size, the strongest, where."""
    return tr("a11y.layer_maps", i=index, name=name, count=f.count, h=f.height, w=f.width, k=f.strongest,
              where=place(f.where))


def input_image(image: np.ndarray) -> str:
    """An (H, W[, C]) input picture: its size and where it is brightest."""
    return tr("a11y.input", h=image.shape[0], w=image.shape[1], where=place(image_where(image)))


def photo(image: np.ndarray, caption: str) -> str:
    """A captioned picture: the caption, its size and where it is brightest."""
    return tr("a11y.photo", caption=caption.rstrip("."), h=image.shape[0], w=image.shape[1],
              where=place(image_where(image)))


def curve(name: str, values) -> str:
    """"loss: 2.30 → 0.11 over 12 points (lowest …, highest …)"."""
    f = curve_facts(values)
    if f is None:
        return tr("a11y.curve_empty", name=name)
    return tr("a11y.curve", name=name, first=f.first, last=f.last, points=f.points, low=f.low, high=f.high)


def chart(title: str, *summaries: str) -> str:
    """A chart's alt text: its title and one summary sentence per curve."""
    return tr("a11y.chart", title=title, summary=" ".join(summaries))


def bars(name: str, labels, values) -> str:
    """Bars as "name: a 0.91, b 0.05, …", largest first."""
    pairs = sorted(zip(labels, values, strict=False), key=lambda p: -float(p[1]))
    return tr("a11y.bars", name=name, items=", ".join(tr("a11y.bar_item", label=str(label), value=float(v))
                                                       for label, v in pairs))


def heatmap(name: str, values: np.ndarray) -> str:
    """A (H, W) heatmap: its size, range and where it is strongest."""
    values = np.asarray(values, np.float64)
    return tr("a11y.heatmap", name=name, h=values.shape[0], w=values.shape[1], low=float(values.min()),
              high=float(values.max()), where=place(where(values)))


def histogram(name: str, values) -> str:
    """A histogram of some values: their name and range."""
    values = np.asarray(values, np.float64)
    return tr("a11y.histogram", name=name, low=float(values.min()), high=float(values.max()))
