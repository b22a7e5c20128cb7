"""The Image lab's one-axis comparison: every plotted number equals scikit-learn's MinMaxScaler / StandardScaler."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from playground.image.samples import load_sample
from playground.ui.image_lab.compare import compare_figure, number, spreads

NAMES = {"minmax01": "min-max", "zscore": "z-score", "mean": "mean", "std": "std", "x": "x", "y": "y", "title": "t"}


def picture(channels: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(30, 220, (48, 40, channels)).astype(np.uint8)


def oracle(img: np.ndarray) -> dict[str, np.ndarray]:
    """Each method's values per channel by scikit-learn, pooled over channels."""
    flat = img.reshape(-1, img.shape[-1]).astype(np.float64)
    return {"minmax01": MinMaxScaler().fit_transform(flat).ravel(), "zscore": StandardScaler().fit_transform(flat).ravel()}


@pytest.mark.parametrize("img", [picture(3), picture(1, 1)], ids=["rgb", "grey"])
def test_plotted_means_and_stds_are_sklearns(img):
    want = oracle(img)
    fig = compare_figure(img, NAMES)
    lines = [s.x0 for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 6  # per method: the mean and mean ± std
    for i, method in enumerate(("minmax01", "zscore")):
        values = want[method]
        mean, std = values.mean(), values.std()
        assert lines[3 * i: 3 * i + 3] == pytest.approx([mean, mean - std, mean + std], abs=1e-5)
        counts = np.asarray(fig.data[i].y)
        assert counts.sum() == values.size  # every pixel of every channel is in its histogram
        edges = spreads(img)[i].edges
        assert np.array_equal(counts, np.histogram(values.astype(np.float32), bins=edges)[0])
    z = [a.text for a in fig.layout.annotations if a.text.startswith("mean")]
    assert z[1] == "mean 0"  # StandardScaler's mean is ~1e-17 here, float32's a few 1e-09: shown as 0
    assert f"+1 std = {number(want['zscore'].std())}" in [a.text for a in fig.layout.annotations]


def test_one_axis_shows_the_methods_apart_on_a_real_photo():
    img = load_sample("china")
    minmax, z = spreads(img)
    assert minmax.edges is z.edges or np.array_equal(minmax.edges, z.edges)  # one axis for both
    assert 0 <= minmax.mean - minmax.std and minmax.mean + minmax.std <= 1  # squeezed into [0, 1]
    assert number(z.mean) == "0" and number(z.std) == "1"


def test_tiny_round_off_reads_zero():
    assert number(3.98e-09) == "0" and number(-3.98e-09) == "0" and number(0.4567) == "0.457"


@pytest.mark.parametrize("img", [load_sample("china"), picture(3), picture(1, 1)], ids=["photo", "rgb", "grey"])
def test_labels_never_share_a_row_and_reach_inwards_at_the_edges(img):
    """On a phone the chart is 300 px wide: the ±1 std labels of one method each have a row of their own, and a
    label in an outer quarter of the axis reaches inwards, not past the chart's edge (where it was cut)."""
    fig = compare_figure(img, NAMES)
    labels = fig.layout.annotations
    assert len(labels) == 6 and len({round(a.y, 6) for a in labels}) == 6
    lo, hi = spreads(img)[0].edges[[0, -1]]
    for a in labels:
        where = (a.x - lo) / (hi - lo)
        want = "left" if where < 0.25 else "right" if where > 0.75 else "center"
        assert a.xanchor == want, (a.text, where)
    assert fig.layout.title.text is None  # the page writes the title above the chart, where it wraps
