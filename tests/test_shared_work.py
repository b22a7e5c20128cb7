"""Work shared by every session: computed once, keyed by value, read-only, and checked against the ceiling."""
from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from playground import memory, shared
from playground.errors import SpecError


@pytest.fixture(autouse=True)
def empty_cache():
    shared.SHARED.clear()
    yield
    shared.SHARED.clear()


def test_forty_sessions_asking_at_once_compute_once_and_share_one_read_only_value():
    calls, results, gate = [], [], threading.Barrier(40)

    def compute():
        calls.append(1)
        return np.arange(12, dtype=np.float32).reshape(3, 4)

    def session():
        gate.wait()
        results.append(shared.shared("test.value", ("same", 1), compute))

    threads = [threading.Thread(target=session) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert all(r is results[0] for r in results)
    with pytest.raises(ValueError):
        results[0][0, 0] = 5  # frozen: no session can change what the others see


def test_the_digest_tells_apart_arrays_that_differ_in_one_element():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 255, (600, 900, 3), dtype=np.uint8)  # over st.cache_data's sampling size
    b = a.copy()
    b[599, 899, 2] ^= 1
    assert shared.digest(a) != shared.digest(b)
    assert shared.digest(a) == shared.digest(a.copy())
    assert shared.digest(a) != shared.digest(a.reshape(900, 600, 3))  # same bytes, another shape
    a.flags.writeable = False
    assert shared.digest(a) == shared.digest(a.copy())  # remembered for a read-only array, still by value


def test_a_picture_is_encoded_once_as_a_jpeg_that_decodes_to_it():
    rng = np.random.default_rng(1)
    smooth = cv2.GaussianBlur(rng.integers(0, 255, (64, 96, 3), dtype=np.uint8), (9, 9), 3)
    data = shared.jpeg(smooth)
    assert shared.jpeg(smooth.copy()) is data  # the same bytes object: encoded once
    decoded = cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    assert decoded.shape == smooth.shape
    assert np.abs(decoded.astype(int) - smooth).mean() < 2  # quality 100
    grey = smooth[..., :1]
    decoded_grey = cv2.imdecode(np.frombuffer(shared.jpeg(grey), np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded_grey.shape == smooth.shape[:2]


def test_heavy_work_past_the_ceiling_is_refused_but_what_is_shared_already_is_served(monkeypatch):
    monkeypatch.setenv(memory.ENV, "1G")
    monkeypatch.setattr(memory, "reading", lambda: 0)  # this process's own size (a whole suite) must not decide
    value = shared.shared("test.heavy", "kept", lambda: np.zeros(4), need=1)
    monkeypatch.setattr(memory, "reading", lambda: 2 * 2 ** 30)
    assert shared.shared("test.heavy", "kept", lambda: np.ones(4), need=1) is value
    with pytest.raises(SpecError) as refused:
        shared.shared("test.heavy", "new", lambda: np.zeros(4), need=1)
    assert refused.value.key == "memory.full"
    assert ("test.heavy", "new") not in shared.SHARED
    monkeypatch.setattr(memory, "reading", lambda: 0)
    assert shared.shared("test.heavy", "new", lambda: np.ones(4), need=1).sum() == 4


def test_a_serialized_figure_sends_the_same_chart_as_the_figure_it_was_made_from():
    import plotly.io
    import plotly.tools

    from playground.ui.image_lab.figures import histogram_figure

    data = np.random.default_rng(0).random((30, 40, 3)).astype(np.float32)
    figure = histogram_figure(data, "before", ["R", "G", "B"])
    serialized = shared.SerializedFigure(figure)

    # what st.plotly_chart does with a figure: to_dict via plotly.tools, then plotly.io.to_json
    def spec(fig):
        return plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True),
                                 validate=False)
    assert spec(serialized) == spec(figure)
    assert serialized.to_dict() is serialized.to_dict()  # made once, not per call
