"""Layer lab: full server-side page rerun against the bare torch forward of the same stack, plus bytes sent.

Pipeline: a 512×512 RGB photo (the "china" sample resized) -> conv 3→16 k3 -> ReLU -> max-pool 2 ->
conv 16→32 k3 -> ReLU. Each timed rerun moves layer 1's kernel-size slider (3 ↔ 5) in AppTest, so
every rerun runs the stack again; the baseline is the bare forward of the same stack with the same
kernel, measured in the same process. Targets: rerun ≤ 1.5 × forward + 30 ms; feature maps ≤ 1 MB.
Run: python bench/bench_layer_lab.py [repeats]
"""
from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

import cv2
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from playground.image.decode import image_digest
from playground.image.samples import load_sample
from playground.model import build_stack
from playground.spec import LayerSpec as L
from playground.spec import NetSpec, PipelineSpec
from playground.ui.state import MEMO

ROOT = Path(__file__).resolve().parents[1]

SIZE = 512
HEADER = ("| clock | kernel (layer 1) | bare forward | page rerun | rerun / forward | target 1.5 × fwd + 30 ms | met |\n"
          "| --- | --- | --- | --- | --- | --- | --- |")
KERNEL = "w.net.layers.0.kernel"


def stack(k: int = 3) -> tuple[L, ...]:
    """The default pipeline's layers, with layer 1's kernel size k."""
    return (L("conv", 16, k), L("relu"), L("maxpool", kernel=2, stride=2), L("conv", 32, 3), L("relu"))


def photo_png() -> bytes:
    """The china sample squeezed to 512×512, as an uploaded PNG."""
    img = cv2.resize(load_sample("china"), (SIZE, SIZE), interpolation=cv2.INTER_AREA)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()


def clock() -> tuple[float, float]:
    """(wall, CPU of this whole process) in ms: CPU time barely moves when other processes load the machine."""
    return time.perf_counter() * 1000, time.process_time() * 1000


def since(start: tuple[float, float]) -> tuple[float, float]:
    """Wall and CPU ms elapsed since a clock() reading."""
    now = clock()
    return now[0] - start[0], now[1] - start[1]


def bare_forward(k: int):
    """A function timing one bare forward (wall, CPU ms) of the stack on a (1, 3, 512, 512) tensor."""
    model, x = build_stack(NetSpec(stack(k)), 3).eval(), torch.rand(1, 3, SIZE, SIZE)

    def run() -> tuple[float, float]:
        with torch.inference_mode():
            start = clock()
            model(x)
            return since(start)
    run()
    return run


def page(png: bytes) -> AppTest:
    """The Layer lab in AppTest with the 512×512 upload and the default stack, warmed up."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    spec = PipelineSpec().set("image.source", "upload").set("image.long_side", SIZE).set("net.layers", stack())
    at.session_state["spec"] = spec
    at.session_state["ui.lang"] = "en"
    at.session_state["layers.seeded"] = True
    at.session_state["img.upload"] = {"data": png, "name": "photo.png", "digest": image_digest(png)}
    at.run()
    at.switch_page("pages/layer_lab.py")
    at.run()
    assert not at.exception and not at.error, (at.exception, at.error)
    return at


def timed(at: AppTest, repeats: int) -> dict[int, tuple[list, list]]:
    """(page rerun, bare forward) (wall, CPU) ms per kernel size, interleaved so both see the same load."""
    forward = {k: bare_forward(k) for k in (3, 5)}
    times = {3: ([], []), 5: ([], [])}
    for i in range(repeats + 1):
        for k in (5, 3):
            start = clock()
            at.slider(key=KERNEL).set_value(k).run()  # the slider moves: the whole stack runs again
            rerun = since(start)
            if i:  # the first round is a warm-up
                times[k][0].append(rerun)
                times[k][1].append(forward[k]())
    assert not at.exception
    return times


def row(k: int, reruns: list, forwards: list, which: int, name: str) -> str:
    """One markdown table row: medians of wall (which=0) or CPU (which=1) times."""
    run, fwd = statistics.median(r[which] for r in reruns), statistics.median(f[which] for f in forwards)
    target = 1.5 * fwd + 30
    return (f"| {name} | {k} | {fwd:.1f} ms | {run:.1f} ms | {run / fwd:.2f} × | {target:.1f} ms | "
            f"{'yes' if run <= target else 'NO'} |")


def payload(at: AppTest) -> dict[str, int]:
    """Bytes of what the last run sent: the feature-map JPEGs, and the plotly figures' JSON."""
    plotly = sum(len(el.proto.spec) for el in at.get("plotly_chart"))
    pictures = at.session_state[MEMO]["pictures.main"].values()  # (jpeg bytes, lo, hi) of the layers shown
    return {"maps": sum(len(jpeg) for jpeg, _, _ in pictures), "plotly_json": plotly}


def main(repeats: int = 9) -> None:
    """Print the figures as a markdown table."""
    at = page(photo_png())
    times = timed(at, repeats)
    start = clock()
    other = "grey" if at.radio(key="w.view.layers.cmap").value != "grey" else "viridis"
    at.radio(key="w.view.layers.cmap").set_value(other).run()  # no new forward: only new pictures
    recolour = since(start)
    sent = payload(at)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"torch threads: {torch.get_num_threads()}, CPUs: {os.cpu_count()}, load average {load}, "
          f"{repeats} interleaved repeats (median)\n")
    print(HEADER)
    for which, name in ((0, "wall"), (1, "CPU")):
        for k in (3, 5):
            print(row(k, *times[k], which, name))
    at.toggle(key="w.view.layers.zoom").set_value(True).run()  # the close-up: 3 plotly figures + an image
    zoomed = timed(at, max(3, repeats // 2))
    print("\nwith the close-up (zoom, histogram, receptive field) open:\n\n" + HEADER)
    for which, name in ((0, "wall"), (1, "CPU")):
        print(row(3, *zoomed[3], which, name))
    plotly = payload(at)["plotly_json"]
    print(f"\nrerun after a colour-map change (pictures only, no forward): {recolour[0]:.1f} ms wall, "
          f"{recolour[1]:.1f} ms CPU")
    print(f"feature-map images sent per rerun: {sent['maps'] / 1024:.0f} KB (target ≤ 1024 KB: "
          f"{'met' if sent['maps'] <= 2 ** 20 else 'NOT met'}); plotly JSON with the close-up open: {plotly / 1024:.0f} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
