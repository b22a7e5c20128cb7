"""What a full garbage collection costs the server, before and after housekeeping.freeze_warm_heap().

    python bench/bench_gc.py

Imports what a warm server holds (streamlit, torch, plotly, Captum, scikit-learn, OpenCV), then times
gc.collect() (CPU, best of 5) with the heap as it is, and again after freeze_warm_heap(); the same run's
objects tracked are printed for scale. A 30-student session heap is on top of this in a real server.
"""
from __future__ import annotations

import gc
import time

import captum.attr  # noqa: F401
import cv2  # noqa: F401
import plotly.graph_objects  # noqa: F401
import sklearn.datasets  # noqa: F401
import torch  # noqa: F401

from playground.ui.runtime import housekeeping


def collection_ms(n: int = 5) -> float:
    """CPU ms of one full collection, best of n."""
    best = float("inf")
    for _ in range(n):
        start = time.process_time()
        gc.collect()
        best = min(best, (time.process_time() - start) * 1000)
    return best


def main() -> None:
    tracked = len(gc.get_objects())
    before = collection_ms()
    frozen = housekeeping.freeze_warm_heap()
    after = collection_ms()
    print(f"objects tracked: {tracked:,}; frozen: {frozen:,}")
    print(f"full collection: {before:.1f} ms before, {after:.1f} ms after the freeze "
          f"({after / before:.3f}x)" if before else "full collection: too quick to time")


if __name__ == "__main__":
    main()
