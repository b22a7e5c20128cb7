"""Load: --heavy N tabs on the heaviest Layer lab stack the compute budget accepts, releasing a slider
without pause, among the class: whether such tabs, holding the forward-pass places, slow down every other
student's slider release (docs/benchmarks.md has the figures)."""
from __future__ import annotations

import time

from playground.labs import lab
from playground.layers.stacks import READY_STACKS
from playground.spec import PipelineSpec

CONV = READY_STACKS["classic"][0]  # a LayerSpec: conv 3×3
# Twelve 64-channel 3×3 convs on the default sample at 224 px (224×149): the most layers, the most channels,
# estimated 0.49 s of cost.FORWARD_BUDGET_S = 0.5 for the forward pass and the twelve pictures (large tiles).
HEAVY = PipelineSpec().set("image.long_side", 224).set(
    "net.layers", (CONV.__class__(kind="conv", out_channels=64, kernel=3),) * 12)
CHANNELS = ("w.net.layers.0.out_channels", (64, 63))  # each release is a new stack: no cached result


def heavy_query() -> str:
    """The heavy setup as a share-link query string."""
    return "&".join(f"{k}={v}" for k, v in HEAVY.to_query().items())


async def hammer(student, deadline: float) -> None:
    """Open the heavy link, go to the Layer lab and release the channel slider back to back until the deadline."""
    tab = student.tab
    try:
        if await student.act("heavy_open", tab.open("", heavy_query())) is None:
            return
        if await student.act("heavy_layer_lab", tab.open(lab("layer_lab").url_path)) is None:
            return
        key, values = CHANNELS
        n = 0
        while time.perf_counter() < deadline and key in tab.widgets:
            n += 1
            await student.act("heavy_release", tab.set(key, values[n % 2]))
    finally:
        await tab.close()

